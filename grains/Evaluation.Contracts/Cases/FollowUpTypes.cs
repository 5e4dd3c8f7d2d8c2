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

    /// <summary>Rectification completed; the city still has to tell the rater what was done.</summary>
    Rectified = 5,
}

public enum FollowUpStep
{
    Opened = 0,
    CallBack = 1,
    Appeal = 2,
    Feedback = 3,
    Uphold = 4,
    Dismiss = 5,

    /// <summary>The rectification plan, recorded while rectifying (may be revised).</summary>
    Plan = 6,

    /// <summary>The rectification is done; its on-time share is a handling measure.</summary>
    Rectify = 7,

    /// <summary>The system noted that the stage the follow-up is in passed its deadline.</summary>
    Overdue = 8,
}

/// <summary>
/// Which step a follow-up takes from which states, into which state, by which role (SPEC 3.4): the one table the
/// domain rules enforce and the API and consoles offer. A step with no target state keeps the state (a plan).
/// </summary>
public static class FollowUpTransitions
{
    public const string Supervisor = "province-supervisor";
    public const string CityOfficer = "city-officer";

    /// <summary>The steps people take, in the order the console offers them; the system alone notes a stage overdue.</summary>
    public static IReadOnlyDictionary<FollowUpStep, (FollowUpState[] From, FollowUpState? To, string Role)> ByStep { get; } =
        new Dictionary<FollowUpStep, (FollowUpState[] From, FollowUpState? To, string Role)>
        {
            [FollowUpStep.CallBack] = ([FollowUpState.Open], FollowUpState.Rectifying, CityOfficer),
            [FollowUpStep.Plan] = ([FollowUpState.Rectifying], null, CityOfficer),
            [FollowUpStep.Rectify] = ([FollowUpState.Rectifying], FollowUpState.Rectified, CityOfficer),
            [FollowUpStep.Feedback] = ([FollowUpState.Rectified], FollowUpState.Closed, CityOfficer),
            [FollowUpStep.Appeal] = ([FollowUpState.Open, FollowUpState.Rectifying], FollowUpState.Appealed, CityOfficer),
            [FollowUpStep.Uphold] = ([FollowUpState.Appealed], FollowUpState.Excluded, Supervisor),
            [FollowUpStep.Dismiss] = ([FollowUpState.Appealed], FollowUpState.Rectifying, Supervisor),
        };

    public static IReadOnlyList<FollowUpStep> RequestedSteps { get; } = [.. ByStep.Keys];

    /// <summary>The steps <paramref name="role"/> may take on a follow-up in <paramref name="state"/>.</summary>
    public static IReadOnlyList<FollowUpStep> NextSteps(FollowUpState state, string role) =>
        [.. ByStep.Where(t => t.Value.From.Contains(state) && t.Value.Role == role).Select(t => t.Key)];
}

/// <summary>What the call-back to the rater found (回访结果).</summary>
public enum CallBackOutcome
{
    /// <summary>The rater confirmed the complaint: it needs rectifying.</summary>
    Justified = 0,

    /// <summary>The rater was not reached; the complaint is treated as justified.</summary>
    Unreachable = 1,

    /// <summary>The rater says the rating was a mistake; the city may appeal it.</summary>
    Mistaken = 2,

    /// <summary>Anonymous rating: checked against the service record instead of a call.</summary>
    Checked = 3,
}

/// <summary>
/// What ingestion hands over for each accepted 差评; the contact stays sealed. <see cref="EvaluationId"/> is the
/// rating's reference (its id, qualified by its source unless that is the default source), also the follow-up's id.
/// <see cref="Verified"/> is decided by the log as it stores the rating, so an exclusion repeats it.
/// </summary>
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
    [property: Id(12)] byte[]? ContactSealed,
    [property: Id(13)] bool Verified = false);

[GenerateSerializer, Immutable, Alias("FollowUpEntry")]
public sealed record FollowUpEntry(
    [property: Id(0)] int Sequence,
    [property: Id(1)] FollowUpStep Step,
    [property: Id(2)] FollowUpState? From,
    [property: Id(3)] FollowUpState To,
    [property: Id(4)] string Actor,
    [property: Id(5)] string Role,
    [property: Id(6)] DateTimeOffset At,
    [property: Id(7)] string? Note,
    [property: Id(8)] CallBackOutcome? Outcome = null,
    [property: Id(9)] IReadOnlyList<Attachment>? Attachments = null);

[GenerateSerializer, Immutable, Alias("FollowUpCommand")]
public sealed record FollowUpCommand(
    [property: Id(0)] FollowUpStep Step,
    [property: Id(1)] Actor Actor,
    [property: Id(2)] string? Note,
    [property: Id(3)] CallBackOutcome? Outcome = null,
    [property: Id(4)] IReadOnlyList<Attachment>? Attachments = null);

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
    [property: Id(16)] IReadOnlyList<FollowUpEntry> History,
    [property: Id(17)] DateTimeOffset? RectifiedAt = null,
    [property: Id(18)] DateTimeOffset? FeedbackAt = null,
    [property: Id(19)] string? RectificationPlan = null,
    [property: Id(20)] CallBackOutcome? CallBackOutcome = null,
    [property: Id(21)] int? OverdueStage = null)
{
    /// <summary>The deadline of the stage the follow-up is in, or null when nothing is due (appealed, rectified, done).</summary>
    public DateTimeOffset? DueAt => State switch
    {
        FollowUpState.Open => CallBackDeadline,
        FollowUpState.Rectifying => RectifyDeadline,
        _ => null,
    };

    /// <summary>The history line that started the current stage; an overdue note names it so it is taken once per stage.</summary>
    public int Stage => History.LastOrDefault(e => e.Step != FollowUpStep.Overdue && e.Step != FollowUpStep.Plan)?.Sequence ?? 1;

    public bool OverdueNoted => OverdueStage == Stage;

    /// <summary>Past the deadline of the stage the city is in: the call-back, or the rectification.</summary>
    public bool IsOverdueAt(DateTimeOffset now) => DueAt is { } due && now > due;
}

/// <summary>One time an officer opened a rater's contact: who, when, which follow-up (personal-data access record).</summary>
[GenerateSerializer, Immutable, Alias("ContactReveal")]
public sealed record ContactReveal(
    [property: Id(0)] string FollowUpId,
    [property: Id(1)] string CityCode,
    [property: Id(2)] string InstitutionId,
    [property: Id(3)] string Actor,
    [property: Id(4)] string Role,
    [property: Id(5)] DateTimeOffset At);

[GenerateSerializer, Immutable, Alias("ContactRevealPage")]
public sealed record ContactRevealPage(
    [property: Id(0)] IReadOnlyList<ContactReveal> Items,
    [property: Id(1)] int Total,
    [property: Id(2)] int Page,
    [property: Id(3)] int PageSize);

/// <summary>What a follow-up list asks for; every filter is optional except the city.</summary>
[GenerateSerializer, Immutable, Alias("FollowUpFilter")]
public sealed record FollowUpFilter(
    [property: Id(0)] FollowUpState? State = null,
    [property: Id(1)] bool? Overdue = null,
    [property: Id(2)] string? InstitutionId = null,
    [property: Id(3)] string? ServiceItem = null,
    [property: Id(4)] Registry.Channel? Channel = null,
    [property: Id(5)] byte? Level = null,
    [property: Id(6)] bool OpenOnly = false,
    [property: Id(7)] FollowUpOrder Order = FollowUpOrder.Newest,
    [property: Id(8)] int Page = 1,
    [property: Id(9)] int PageSize = 20);

public enum FollowUpOrder
{
    Newest = 0,

    /// <summary>The officer's queue: the stage deadline soonest first, follow-ups with nothing due last.</summary>
    DueSoonest = 1,
}

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

    /// <summary>
    /// The rater's contact, unsealed, for the officer of the institution's city only (the API checks). Every call
    /// is recorded as a <see cref="ContactReveal"/> before the contact is returned.
    /// </summary>
    [Alias("RevealContact")]
    Task<Contact?> RevealContact(Actor actor);

    /// <summary>Notes, once per stage, that the stage's deadline has passed (logged, so the handling measures count it).</summary>
    [Alias("NoteOverdue")]
    Task<bool> NoteOverdue();
}

/// <summary>The follow-ups of one city, newest first. Key: city division code.</summary>
[Alias("IFollowUpIndexGrain")]
public interface IFollowUpIndexGrain : IGrainWithStringKey
{
    [Alias("Query")]
    Task<FollowUpPage> Query(FollowUpFilter filter);

    /// <summary>Who opened which rater's contact in this city, newest first.</summary>
    [Alias("QueryReveals")]
    Task<ContactRevealPage> QueryReveals(int page, int pageSize);

    /// <summary>The city's 整改公示 over the last 90 days, or one institution's when <paramref name="institutionId"/> is given.</summary>
    [Alias("Rectification")]
    Task<RectificationNotice> Rectification(string? institutionId);
}

/// <summary>Appeals waiting for the province and the contact reveals of every city. Key: 0.</summary>
[Alias("IFollowUpSupervisionGrain")]
public interface IFollowUpSupervisionGrain : IGrainWithIntegerKey
{
    [Alias("AppealsAwaiting")]
    Task<FollowUpPage> AppealsAwaiting(int page, int pageSize);

    [Alias("QueryReveals")]
    Task<ContactRevealPage> QueryReveals(string? cityCode, int page, int pageSize);

    /// <summary>
    /// The follow-ups' periodic upkeep: notes every follow-up whose stage deadline passed (so the handling measures
    /// count it), erases the contacts kept past their retention, and answers, per institution, the follow-ups
    /// overdue for longer than <paramref name="grace"/>.
    /// </summary>
    [Alias("SweepOverdue")]
    Task<IReadOnlyList<OverdueFollowUps>> SweepOverdue(TimeSpan grace);

    /// <summary>Seals every stored contact not yet under the current key with it (key rotation); answers how many.</summary>
    [Alias("ResealContacts")]
    Task<int> ResealContacts();
}

/// <summary>An institution's follow-ups overdue past the grace: how many, and the longest overdue.</summary>
[GenerateSerializer, Immutable, Alias("OverdueFollowUps")]
public sealed record OverdueFollowUps(
    [property: Id(0)] string InstitutionId,
    [property: Id(1)] string CityCode,
    [property: Id(2)] int Count,
    [property: Id(3)] DateTimeOffset OldestDue);

/// <summary>
/// 整改公示: what a city (or one of its institutions) rectified and how its appeals were decided over the last
/// <see cref="Days"/> Asia/Shanghai days, <see cref="From"/> to <see cref="To"/> inclusive. Counts only: no names,
/// contacts, comments or follow-up ids.
/// </summary>
[GenerateSerializer, Immutable, Alias("RectificationNotice")]
public sealed record RectificationNotice(
    [property: Id(0)] string CityCode,
    [property: Id(1)] string? InstitutionId,
    [property: Id(2)] int Days,
    [property: Id(3)] DateOnly From,
    [property: Id(4)] DateOnly To,
    [property: Id(5)] int Rectified,
    [property: Id(6)] IReadOnlyList<RectifiedCount> ByServiceItem,
    [property: Id(7)] IReadOnlyList<RectifiedCount> ByTag,
    [property: Id(8)] double? MedianDaysToRectify,
    [property: Id(9)] int AppealsUpheld,
    [property: Id(10)] int AppealsDismissed);

/// <summary>How many rectified 差评 had one service item (or one tag).</summary>
[GenerateSerializer, Immutable, Alias("RectifiedCount")]
public sealed record RectifiedCount(
    [property: Id(0)] string Key,
    [property: Id(1)] int Count);
