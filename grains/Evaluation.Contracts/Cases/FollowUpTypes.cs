using Evaluation.Contracts.Ingestion;

namespace Evaluation.Contracts.Cases;

/// <summary>Where the follow-up of one 差评 stands (SPEC 3.4).</summary>
public enum FollowUpState
{
    /// <summary>Waiting for the city to call back (real-name) or check the rating.</summary>
    Open = 0,
    Rectifying = 1,

    /// <summary>The city asked the province to exclude the rating (申诉复核).</summary>
    Appealed = 2,

    /// <summary>Rectified and the rater told what was done.</summary>
    Closed = 3,

    /// <summary>The province upheld the appeal: the rating no longer counts in any score, and is kept.</summary>
    Excluded = 4,
}

public enum FollowUpStep
{
    Opened = 0,
    CallBack = 1,
    Appeal = 2,
    Feedback = 3,
    Uphold = 4,
    Dismiss = 5,
}

/// <summary>What ingestion hands over for each accepted 差评; the contact stays sealed.</summary>
[GenerateSerializer, Immutable, Alias("FollowUpOpening")]
public sealed record FollowUpOpening(
    [property: Id(0)] string EvaluationId,
    [property: Id(1)] string InstitutionId,
    [property: Id(2)] string CityCode,
    [property: Id(3)] string ServiceItem,
    [property: Id(4)] Registry.Channel Channel,
    [property: Id(5)] Registry.IpDomain Domain,
    [property: Id(6)] DateOnly Day,
    [property: Id(7)] DateTimeOffset OccurredAt,
    [property: Id(8)] byte Level,
    [property: Id(9)] IReadOnlyList<string> Tags,
    [property: Id(10)] string? Comment,
    [property: Id(11)] bool RealName,
    [property: Id(12)] byte[]? ContactSealed);

[GenerateSerializer, Immutable, Alias("FollowUpEntry")]
public sealed record FollowUpEntry(
    [property: Id(0)] int Sequence,
    [property: Id(1)] FollowUpStep Step,
    [property: Id(2)] FollowUpState? From,
    [property: Id(3)] FollowUpState To,
    [property: Id(4)] string Actor,
    [property: Id(5)] string Role,
    [property: Id(6)] DateTimeOffset At,
    [property: Id(7)] string? Note);

[GenerateSerializer, Immutable, Alias("FollowUpCommand")]
public sealed record FollowUpCommand(
    [property: Id(0)] FollowUpStep Step,
    [property: Id(1)] Actor Actor,
    [property: Id(2)] string? Note);

/// <summary>One 差评's follow-up. Never carries the rater's contact; that is asked for separately.</summary>
[GenerateSerializer, Immutable, Alias("FollowUp")]
public sealed record FollowUp(
    [property: Id(0)] string Id,
    [property: Id(1)] string InstitutionId,
    [property: Id(2)] string CityCode,
    [property: Id(3)] string ServiceItem,
    [property: Id(4)] Registry.Channel Channel,
    [property: Id(5)] byte Level,
    [property: Id(6)] IReadOnlyList<string> Tags,
    [property: Id(7)] string? Comment,
    [property: Id(8)] bool RealName,
    [property: Id(9)] DateTimeOffset OccurredAt,
    [property: Id(10)] FollowUpState State,
    [property: Id(11)] DateTimeOffset OpenedAt,
    [property: Id(12)] DateTimeOffset CallBackDeadline,
    [property: Id(13)] DateTimeOffset? CalledBackAt,
    [property: Id(14)] DateTimeOffset? RectifyDeadline,
    [property: Id(15)] DateTimeOffset? ClosedAt,
    [property: Id(16)] IReadOnlyList<FollowUpEntry> History);

[GenerateSerializer, Immutable, Alias("FollowUpPage")]
public sealed record FollowUpPage(
    [property: Id(0)] IReadOnlyList<FollowUp> Items,
    [property: Id(1)] int Total,
    [property: Id(2)] int Page,
    [property: Id(3)] int PageSize);

/// <summary>The follow-up of one 差评, opened when the rating is logged. Key: the evaluation's id.</summary>
[Alias("IFollowUpGrain")]
public interface IFollowUpGrain : IGrainWithStringKey
{
    [Alias("Act")]
    Task<FollowUp> Act(FollowUpCommand command);

    [Alias("Get")]
    Task<FollowUp?> Get();

    /// <summary>The rater's contact, unsealed; for the officer of the institution's city only (the API checks).</summary>
    [Alias("GetContact")]
    Task<Contact?> GetContact();
}

/// <summary>The follow-ups of one city, newest first. Key: city division code.</summary>
[Alias("IFollowUpIndexGrain")]
public interface IFollowUpIndexGrain : IGrainWithStringKey
{
    [Alias("Query")]
    Task<FollowUpPage> Query(FollowUpState? state, bool? overdue, int page, int pageSize);
}
