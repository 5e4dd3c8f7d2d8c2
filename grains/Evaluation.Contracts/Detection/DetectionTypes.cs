using Evaluation.Contracts.Registry;

namespace Evaluation.Contracts.Detection;

/// <summary>
/// Why an institution (or, for <see cref="HandlingLag"/>, a city) is flagged; one open alert per subject and reason.
/// Values are stored: new ones go at the end, none is ever renumbered.
/// </summary>
public enum AlertReason
{
    /// <summary>Ratings clearly worse than its peers, or than the model expects for its context.</summary>
    LowSatisfaction = 0,

    /// <summary>Services finished late clearly more often than at its peers.</summary>
    SlowService = 1,

    /// <summary>A sudden drop against the institution's own recent history.</summary>
    SuddenDrop = 2,

    /// <summary>The institution's 差评 follow-ups are overdue (call-back or rectification) for longer than the grace.</summary>
    FollowUpOverdue = 3,

    /// <summary>An open audit (督查) of the institution is past its deadline (and so escalated).</summary>
    AuditOverdue = 4,

    /// <summary>
    /// A city's 差评 handling (on-time call-backs or rectifications) clearly lags its peer cities. A city-level alert:
    /// its <see cref="AlertView.InstitutionId"/> and <see cref="AlertView.CityCode"/> are both the city code.
    /// </summary>
    HandlingLag = 5,

    /// <summary>
    /// A sustained rise of the 差评率 against the subject's own past (a CUSUM on the daily series), caught within days of
    /// its start. An institution's, or a city's (subject: the city code) when the whole city declines.
    /// </summary>
    Decline = 6,

    /// <summary>
    /// One service item (事项) rated clearly worse than the same item at peers and than the rest of the institution;
    /// <see cref="AlertView.ServiceItem"/> names it. A city's (subject: the city code) when the item fails across the city.
    /// </summary>
    ServiceItem = 7,

    /// <summary>One channel rated clearly worse than the same channel at peers and than the institution's other channels; <see cref="AlertView.Channel"/> names it.</summary>
    Channel = 8,

    /// <summary>Handling takes far longer than at peers (on the same item when <see cref="AlertView.ServiceItem"/> is set), even within the time limit.</summary>
    SlowVsPeers = 9,

    /// <summary>Services accepted pile up unfinished clearly more than at peers (backlog growth).</summary>
    BacklogGrowth = 10,
}

public enum AlertSeverity
{
    Low = 0,
    Medium = 1,
    High = 2,
}

/// <summary>
/// Open until a supervisor triages it (dismissed, or an audit opened from it) or the institution recovers
/// (resolved). A triaged alert still stands for its institution and reason until recovery, so detection does not
/// raise the same thing again while a supervisor has already decided about it.
/// </summary>
public enum AlertState
{
    Open = 0,
    Resolved = 1,
    Dismissed = 2,
    AuditOpened = 3,
}

/// <summary>A supervisor's decision on an alert: who, when, why, and the audit it opened (when it did).</summary>
[GenerateSerializer, Immutable, Alias("AlertTriage")]
public sealed record AlertTriage(
    [property: Id(0)] string Actor,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Reason,
    [property: Id(3)] string? CaseId);

/// <summary>Why a triage was refused; the API turns each into its status code.</summary>
public enum TriageProblem
{
    NotFound = 0,
    NotOpen = 1,
    OtherInstitution = 2,
    ReasonMissing = 3,
    ReasonTooLong = 4,
}

/// <summary>A refused triage: the kind, the request field it is about, and words a person can act on.</summary>
[GenerateSerializer, Immutable, Alias("TriageRefusal")]
public sealed record TriageRefusal(
    [property: Id(0)] TriageProblem Problem,
    [property: Id(1)] string Field,
    [property: Id(2)] string Message);

/// <summary>Either the triaged alert or why not; refusals are answers here, not exceptions across silos.</summary>
[GenerateSerializer, Immutable, Alias("TriageOutcome")]
public sealed record TriageOutcome(
    [property: Id(0)] AlertView? Alert,
    [property: Id(1)] TriageRefusal? Refusal);

/// <summary>One measure behind a flag, with the words a supervisor reads.</summary>
[GenerateSerializer, Immutable, Alias("ExplanationLine")]
public sealed record ExplanationLine(
    [property: Id(0)] string Measure,
    [property: Id(1)] double Value,
    [property: Id(2)] double? PeerMedian,
    [property: Id(3)] string Window,
    [property: Id(4)] string Text,
    [property: Id(5)] string? ServiceItem = null,
    [property: Id(6)] Channel? Channel = null);

/// <summary>
/// One alert. <see cref="InstitutionId"/> names the flagged institution, or the city (its code, equal to
/// <see cref="CityCode"/>) for a city-level reason such as <see cref="AlertReason.HandlingLag"/>.
/// <see cref="ServiceItem"/> (the item's code) and <see cref="Channel"/> name the part of it that fails, when
/// detection found one part rather than the whole; there is one open alert per subject, reason, item and channel.
/// </summary>
[GenerateSerializer, Immutable, Alias("AlertView")]
public sealed record AlertView(
    [property: Id(0)] long Id,
    [property: Id(1)] string InstitutionId,
    [property: Id(2)] string CityCode,
    [property: Id(3)] AlertReason Reason,
    [property: Id(4)] AlertSeverity Severity,
    [property: Id(5)] AlertState State,
    [property: Id(6)] DateTimeOffset RaisedAt,
    [property: Id(7)] string ModelVersion,
    [property: Id(8)] DateTimeOffset? ModelTrainedAt,
    [property: Id(9)] IReadOnlyList<ExplanationLine> Explanation,
    [property: Id(10)] DateTimeOffset? ResolvedAt,
    [property: Id(11)] double AnomalyScore,
    [property: Id(12)] AlertTriage? Triage = null,
    [property: Id(13)] string? ServiceItem = null,
    [property: Id(14)] Channel? Channel = null);

[GenerateSerializer, Immutable, Alias("AlertQuery")]
public sealed record AlertQuery(
    [property: Id(0)] AlertState? State = null,
    [property: Id(1)] string? City = null,
    [property: Id(2)] AlertSeverity? Severity = null,
    [property: Id(3)] AlertReason? Kind = null,
    [property: Id(4)] int Page = 1,
    [property: Id(5)] int PageSize = 20);

[GenerateSerializer, Immutable, Alias("AlertPage")]
public sealed record AlertPage(
    [property: Id(0)] IReadOnlyList<AlertView> Items,
    [property: Id(1)] int Total,
    [property: Id(2)] int Page,
    [property: Id(3)] int PageSize);

/// <summary>What one detection run did.</summary>
[GenerateSerializer, Immutable, Alias("DetectionRunResult")]
public sealed record DetectionRunResult(
    [property: Id(0)] int InstitutionsScored,
    [property: Id(1)] int AlertsRaised,
    [property: Id(2)] int AlertsResolved,
    [property: Id(3)] int OpenAlerts,
    [property: Id(4)] string ModelVersion,
    [property: Id(5)] DateTimeOffset? ModelTrainedAt,
    [property: Id(6)] DateTimeOffset FinishedAt);

/// <summary>Alerts raised after a sequence number, for live push; <see cref="Sequence"/> is where to continue.</summary>
[GenerateSerializer, Immutable, Alias("AlertFeedPage")]
public sealed record AlertFeedPage(
    [property: Id(0)] IReadOnlyList<AlertView> Raised,
    [property: Id(1)] long Sequence);

/// <summary>Runs detection on a timer and on demand, and keeps the alerts. Key: 0 (one per cluster).</summary>
[Alias("IDetectionGrain")]
public interface IDetectionGrain : IGrainWithIntegerKey
{
    [Alias("RunNow")]
    Task<DetectionRunResult> RunNow(bool retrain);

    [Alias("GetAlerts"), Orleans.Concurrency.AlwaysInterleave]
    Task<AlertPage> GetAlerts(AlertQuery query);

    /// <summary>
    /// Waits (up to <paramref name="maxWait"/>) for alerts raised after <paramref name="afterSequence"/>;
    /// a negative sequence answers at once with the current position and nothing raised.
    /// </summary>
    [Alias("WaitForAlerts"), Orleans.Concurrency.AlwaysInterleave]
    Task<AlertFeedPage> WaitForAlerts(long afterSequence, TimeSpan maxWait);

    [Alias("Dismiss")]
    Task<TriageOutcome> Dismiss(long alertId, string? reason, string actor);

    /// <summary>
    /// Claims an open alert of <paramref name="institutionId"/> for the audit <paramref name="caseId"/> before the
    /// case is opened, so two supervisors cannot open two audits from one alert.
    /// </summary>
    [Alias("ClaimForAudit")]
    Task<TriageOutcome> ClaimForAudit(long alertId, string institutionId, string caseId, string reason, string actor);

    /// <summary>Gives the alert back (open again) when the audit claimed for it could not be opened.</summary>
    [Alias("ReleaseClaim")]
    Task ReleaseClaim(long alertId, string caseId);
}
