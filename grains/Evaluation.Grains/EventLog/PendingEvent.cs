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
/// <see cref="Source"/> names the rating source that sent the item (null for the events of staff and operators).
/// 一事一评: a rating naming <see cref="ServiceRecordId"/> claims <see cref="RecordKey"/> (one rating per record) and is
/// verified by the log when its institution handled that record; a completion probes <see cref="RecordKey"/> to learn
/// whether its record was rated already. An exclusion repeats the <see cref="Verified"/> of the rating it excludes. A 差评 and its exclusion carry
/// the comment topics they count under (<see cref="Topics"/>).
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
    int SavesOverRevision = 0,
    string? Source = null,
    string? ServiceRecordId = null,
    string? RecordKey = null,
    bool Verified = false,
    IReadOnlyList<string>? Topics = null)
{
    /// <summary>
    /// Completions learn from the log whether their record was open, ratings whether they are verified, and either
    /// whether it makes a completed service rated, exclusions the topics of their rating; follow-up steps say themselves.
    /// </summary>
    public LoggedEvent ToLogged(long position, bool hadOpen, bool verified, DateOnly? ratedServiceDay, IReadOnlyList<string>? topics) =>
        new(position, Kind, Day, Channel, Domain, Level, OnTime, HandlingHours, Kind == LoggedEventKind.ServiceCompleted ? hadOpen : LeftOverdue,
            Verified: verified, RatedServiceDay: ratedServiceDay, ServiceItem: ServiceItem, Topics: topics);

    /// <summary>The follow-up this event opens or saves, if any.</summary>
    public string? FollowUpId => OpensFollowUp?.FollowUp.Id ?? SavesFollowUp?.Id;

    public bool IsFollowUpStep => Kind is >= LoggedEventKind.FollowUpCalledBack and <= LoggedEventKind.FollowUpRectifyOverdue;
}

/// <summary>
/// The follow-up a step would save was changed meanwhile (a second activation during a cluster change); nothing
/// of the batch was logged.
/// </summary>
public sealed class FollowUpConflictException(string followUpId)
    : Exception($"Follow-up {followUpId} changed meanwhile; nothing was logged.");

/// <summary>
/// What the log did with one pending event: null when its key was already claimed, or when the rating names a
/// service record that another institution handled (<see cref="RecordOfInstitution"/>), which is refused.
/// </summary>
public readonly record struct AppendOutcome(LoggedEvent? Logged, string? RecordOfInstitution = null)
{
    public bool IsDuplicate => Logged is null && RecordOfInstitution is null;
}

/// <summary>The durable, append-only log of accepted events.</summary>
public interface IEventLog
{
    /// <summary>
    /// Commits the events whose keys are new, in one transaction, and answers per event (same order).
    /// Returns only after the commit, so an acknowledgement built from it is never lost.
    /// </summary>
    Task<IReadOnlyList<AppendOutcome>> AppendAsync(IReadOnlyList<PendingEvent> events, CancellationToken cancellationToken = default);

    /// <summary>
    /// Hands the events of one institution at a position after <paramref name="afterPosition"/> and up to
    /// <paramref name="upToPosition"/> to <paramref name="each"/> with how many times each comes: events alike in
    /// everything but their position may come once, with their number and the highest of their positions. In no
    /// particular order, streamed as they are read; answers how many events there were (the numbers added up).
    /// Unordered, so the database needs no sort whatever its plan; counted alike, so a replay of a million events
    /// that repeat each other moves their kinds, not each of them.
    /// </summary>
    Task<long> ReadAsync(string institutionId, long afterPosition, long upToPosition, Action<LoggedEvent, long> each, CancellationToken cancellationToken = default);

    /// <summary>The last position handed out for an institution (0 when it has none).</summary>
    Task<long> LastPositionAsync(string institutionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// What one source sent that the log received from <paramref name="from"/> (inclusive) to <paramref name="to"/>
    /// (exclusive), oldest first, a page at a time; <paramref name="kind"/> narrows it to one kind of event.
    /// </summary>
    Task<IReadOnlyList<SentEvent>> ListBySourceAsync(
        string source, DateTimeOffset from, DateTimeOffset to, LoggedEventKind? kind, int offset, int limit, CancellationToken cancellationToken = default);

    /// <summary>How many events <see cref="ListBySourceAsync"/> would list in all.</summary>
    Task<long> CountBySourceAsync(string source, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>Which of <paramref name="keys"/> the log has claimed.</summary>
    Task<IReadOnlySet<string>> ClaimedAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default);

    /// <summary>The last position handed out for every institution with events: what the log has acknowledged so far.</summary>
    Task<IReadOnlyDictionary<string, long>> LastPositionsAsync(CancellationToken cancellationToken = default);
}

/// <summary>An event as a source sent it and the log holds it, for an operator's look at one source.</summary>
public sealed record SentEvent(
    string Source,
    string Id,
    LoggedEventKind Kind,
    string InstitutionId,
    string ServiceItem,
    Channel Channel,
    IpDomain Domain,
    DateOnly Day,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    byte Level,
    string? ServiceRecordId,
    bool Verified);
