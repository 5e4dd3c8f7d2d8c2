using Evaluation.Contracts.Registry;

namespace Evaluation.Contracts.Ingestion;

/// <summary>Contact details of a real-name rater. Personal data: encrypted at rest, never published.</summary>
[GenerateSerializer, Immutable, Alias("Contact")]
public sealed record Contact(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Phone);

/// <summary>
/// One rating as the API parsed it. Fields are nullable because validation, not parsing,
/// decides what is missing, so every problem of an item is reported at once.
/// </summary>
[GenerateSerializer, Immutable, Alias("EvaluationInput")]
public sealed record EvaluationInput(
    [property: Id(0)] string? Id,
    [property: Id(1)] string? InstitutionId,
    [property: Id(2)] string? ServiceItem,
    [property: Id(3)] string? Channel,
    [property: Id(4)] int? Level,
    [property: Id(5)] IReadOnlyList<string>? Tags,
    [property: Id(6)] string? Comment,
    [property: Id(7)] bool RealName,
    [property: Id(8)] Contact? Contact,
    [property: Id(9)] DateTimeOffset? OccurredAt,
    [property: Id(10)] string? ServiceRecordId = null);

/// <summary>
/// Where a rating source may send for: empty lists allow everything, a non-empty list only what it names
/// (city codes, institution ids, channels). An item outside the scope is rejected naming the rule.
/// </summary>
[GenerateSerializer, Immutable, Alias("SourceScope")]
public sealed record SourceScope(
    [property: Id(0)] IReadOnlyList<string> Cities,
    [property: Id(1)] IReadOnlyList<string> Institutions,
    [property: Id(2)] IReadOnlyList<Channel> Channels)
{
    public static readonly SourceScope Any = new([], [], []);
}

/// <summary>The rating source a batch comes from: its name (ids are unique per name) and what it may send for.</summary>
[GenerateSerializer, Immutable, Alias("SourceIdentity")]
public sealed record SourceIdentity(
    [property: Id(0)] string Name,
    [property: Id(1)] SourceScope Scope);

/// <summary>One handled service (办件) as the API parsed it; sent again with CompletedAt it completes the record.</summary>
[GenerateSerializer, Immutable, Alias("ServiceRecordInput")]
public sealed record ServiceRecordInput(
    [property: Id(0)] string? Id,
    [property: Id(1)] string? InstitutionId,
    [property: Id(2)] string? ServiceItem,
    [property: Id(3)] string? Channel,
    [property: Id(4)] DateTimeOffset? AcceptedAt,
    [property: Id(5)] DateTimeOffset? CompletedAt);

[GenerateSerializer, Immutable, Alias("FieldError")]
public sealed record FieldError(
    [property: Id(0)] string Field,
    [property: Id(1)] string Message);

public enum ItemStatus
{
    Accepted = 0,
    Duplicate = 1,
    Rejected = 2,
}

[GenerateSerializer, Immutable, Alias("ItemResult")]
public sealed record ItemResult(
    [property: Id(0)] string? Id,
    [property: Id(1)] ItemStatus Status,
    [property: Id(2)] IReadOnlyList<FieldError> Errors);

[GenerateSerializer, Immutable, Alias("BatchResult")]
public sealed record BatchResult(
    [property: Id(0)] int Accepted,
    [property: Id(1)] int Duplicates,
    [property: Id(2)] int Rejected,
    [property: Id(3)] IReadOnlyList<ItemResult> Results)
{
    public static BatchResult From(IReadOnlyList<ItemResult> results) => new(
        results.Count(r => r.Status == ItemStatus.Accepted),
        results.Count(r => r.Status == ItemStatus.Duplicate),
        results.Count(r => r.Status == ItemStatus.Rejected),
        results);
}

/// <summary>What the log records; kept small because every event travels to its institution grain.</summary>
public enum LoggedEventKind : short
{
    Evaluation = 0,
    ServiceOpened = 1,
    ServiceCompleted = 2,

    /// <summary>An upheld appeal (申诉复核): the rating of the same source id stops counting; its own event stays.</summary>
    EvaluationExcluded = 3,

    // The steps of a 差评's follow-up, counted on the day, channel and domain of the rating (the follow-up's
    // day). OnTime says the step met its deadline; HadOpen says it ended a stage already noted overdue.
    FollowUpCalledBack = 4,
    FollowUpRectified = 5,
    FollowUpAppealed = 6,
    FollowUpAppealDismissed = 7,

    /// <summary>The call-back deadline passed before the call-back.</summary>
    FollowUpCallBackOverdue = 8,

    /// <summary>The rectification deadline passed before the rectification.</summary>
    FollowUpRectifyOverdue = 9,

    /// <summary>
    /// An operator excluded the rating because of its source (a leaked key, a faulty device): the rating stops
    /// counting like an upheld appeal's, but no appeal was decided, so no handling count changes.
    /// </summary>
    EvaluationSourceExcluded = 10,
}

/// <summary>
/// An event as committed to the log. <see cref="Position"/> numbers the events of one institution
/// 1, 2, 3, … without gaps, so an institution grain knows exactly which events it has applied.
/// <see cref="Verified"/>: a rating (or the exclusion of one) of a service record its institution is known to have
/// handled (一事一评). <see cref="RatedServiceDay"/>: the event makes a completed service rated, the one completed on
/// that day (a rating of a completed record, or the completion of a record already rated), for the 评价率.
/// <see cref="Topics"/>: the comment topic ids of a 差评 (and of its exclusion), as logged, so counts recomputed
/// from the log equal the grains' whatever the topic lexicon says later.
/// </summary>
[GenerateSerializer, Immutable, Alias("LoggedEvent")]
public sealed record LoggedEvent(
    [property: Id(0)] long Position,
    [property: Id(1)] LoggedEventKind Kind,
    [property: Id(2)] DateOnly Day,
    [property: Id(3)] Channel Channel,
    [property: Id(4)] IpDomain Domain,
    [property: Id(5)] byte Level,
    [property: Id(6)] bool OnTime,
    [property: Id(7)] double HandlingHours,
    [property: Id(8)] bool HadOpen,
    [property: Id(9)] string? ServiceItem = null,
    [property: Id(10)] bool Verified = false,
    [property: Id(11)] DateOnly? RatedServiceDay = null,
    [property: Id(12)] IReadOnlyList<string>? Topics = null);

/// <summary>
/// The event log (PostgreSQL) could not be reached or refused the work. Nothing of the batch was
/// acknowledged, so the source can safely send the same batch again later.
/// </summary>
[GenerateSerializer, Alias("LogUnavailableException")]
public sealed class LogUnavailableException : Exception
{
    public LogUnavailableException()
    {
    }

    public LogUnavailableException(string message)
        : base(message)
    {
    }

    public LogUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
