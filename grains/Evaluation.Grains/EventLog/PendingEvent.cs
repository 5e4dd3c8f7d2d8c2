using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Registry;
using Evaluation.Grains.Cases;

namespace Evaluation.Grains.EventLog;

/// <summary>
/// A validated event on its way into the log. <see cref="DedupKey"/> is claimed once forever;
/// a completion also probes <see cref="OpenKey"/> to learn whether the record was ever open (in the backlog).
/// A 差评 carries the follow-up it opens, which the log stores in the same transaction when the rating is new;
/// a follow-up step carries the follow-up as it is after the step (<see cref="SavesFollowUp"/>), which the log
/// saves in the same transaction, so the step is counted exactly when it is stored.
/// </summary>
public sealed record PendingEvent(
    string DedupKey,
    string? OpenKey,
    string InstitutionId,
    LoggedEventKind Kind,
    string SourceId,
    string ServiceItem,
    Channel Channel,
    IpDomain Domain,
    DateOnly Day,
    DateTimeOffset OccurredAt,
    byte Level = 0,
    IReadOnlyList<string>? Tags = null,
    string? Comment = null,
    bool RealName = false,
    byte[]? ContactSealed = null,
    DateTimeOffset? AcceptedAt = null,
    DateTimeOffset? CompletedAt = null,
    bool OnTime = false,
    double HandlingHours = 0,
    StoredFollowUp? OpensFollowUp = null,
    bool LeftOverdue = false,
    FollowUp? SavesFollowUp = null,
    int SavesOverRevision = 0)
{
    /// <summary>Completions learn from the log whether their record was open; follow-up steps say themselves.</summary>
    public LoggedEvent ToLogged(long position, bool hadOpen) =>
        new(position, Kind, Day, Channel, Domain, Level, OnTime, HandlingHours, Kind == LoggedEventKind.ServiceCompleted ? hadOpen : LeftOverdue, ServiceItem);

    public bool IsFollowUpStep => Kind is >= LoggedEventKind.FollowUpCalledBack and <= LoggedEventKind.FollowUpRectifyOverdue;
}

/// <summary>
/// The follow-up a step would save was changed meanwhile (a second activation during a cluster change); nothing
/// of the batch was logged.
/// </summary>
public sealed class FollowUpConflictException(string followUpId)
    : Exception($"Follow-up {followUpId} changed meanwhile; nothing was logged.");

/// <summary>What the log did with one pending event: null when its key was already claimed.</summary>
public readonly record struct AppendOutcome(LoggedEvent? Logged)
{
    public bool IsDuplicate => Logged is null;
}

/// <summary>The durable, append-only log of accepted events.</summary>
public interface IEventLog
{
    /// <summary>
    /// Commits the events whose keys are new, in one transaction, and answers per event (same order).
    /// Returns only after the commit, so an acknowledgement built from it is never lost.
    /// </summary>
    Task<IReadOnlyList<AppendOutcome>> AppendAsync(IReadOnlyList<PendingEvent> events, CancellationToken cancellationToken = default);

    /// <summary>The events of one institution after a position, in position order.</summary>
    Task<IReadOnlyList<LoggedEvent>> ReadAsync(string institutionId, long afterPosition, CancellationToken cancellationToken = default);

    /// <summary>The last position handed out for an institution (0 when it has none).</summary>
    Task<long> LastPositionAsync(string institutionId, CancellationToken cancellationToken = default);

    /// <summary>The last position handed out for every institution with events: what the log has acknowledged so far.</summary>
    Task<IReadOnlyDictionary<string, long>> LastPositionsAsync(CancellationToken cancellationToken = default);
}
