namespace Evaluation.Contracts.Cases;

/// <summary>Where an audit (督查) stands; <see cref="Verified"/> is closed.</summary>
public enum AuditState
{
    Opened = 0,
    CityAnalysing = 1,
    Rectifying = 2,
    Submitted = 3,
    Rejected = 4,
    Verified = 5,
}

/// <summary>What happened to a case; the API's transition endpoints are named after these.</summary>
public enum AuditStep
{
    Opened = 0,
    Analysis = 1,
    Rectification = 2,
    Submission = 3,
    Rejection = 4,
    Verification = 5,
    Escalation = 6,
    Relapse = 7,
    WatchEnded = 8,
}

/// <summary>Metadata of a file attached to a step; the file itself lives in the document store of the bureau.</summary>
[GenerateSerializer, Immutable, Alias("Attachment")]
public sealed record Attachment(
    [property: Id(0)] string Name,
    [property: Id(1)] string? ContentType,
    [property: Id(2)] long? SizeBytes,
    [property: Id(3)] string? Sha256);

/// <summary>Who does something to a case. The system itself acts as <c>system</c> (escalation, end of watch).</summary>
[GenerateSerializer, Immutable, Alias("Actor")]
public sealed record Actor(
    [property: Id(0)] string Name,
    [property: Id(1)] string Role)
{
    public static readonly Actor System = new("system", "system");
}

/// <summary>One append-only history line.</summary>
[GenerateSerializer, Immutable, Alias("AuditEntry")]
public sealed record AuditEntry(
    [property: Id(0)] int Sequence,
    [property: Id(1)] AuditStep Step,
    [property: Id(2)] AuditState? From,
    [property: Id(3)] AuditState To,
    [property: Id(4)] string Actor,
    [property: Id(5)] string Role,
    [property: Id(6)] DateTimeOffset At,
    [property: Id(7)] string? Note,
    [property: Id(8)] IReadOnlyList<Attachment> Attachments);

/// <summary>A request to move a case: the step, who asks, and what they record.</summary>
[GenerateSerializer, Immutable, Alias("AuditCommand")]
public sealed record AuditCommand(
    [property: Id(0)] AuditStep Step,
    [property: Id(1)] Actor Actor,
    [property: Id(2)] string? Note,
    [property: Id(3)] IReadOnlyList<Attachment> Attachments,
    [property: Id(4)] DateTimeOffset? Deadline = null);

[GenerateSerializer, Immutable, Alias("OpenAudit")]
public sealed record OpenAudit(
    [property: Id(0)] string InstitutionId,
    [property: Id(1)] string CityCode,
    [property: Id(2)] string? AlertId,
    [property: Id(3)] string Reason,
    [property: Id(4)] Actor Actor,
    [property: Id(5)] DateTimeOffset? Deadline);

/// <summary>A whole case with its history.</summary>
[GenerateSerializer, Immutable, Alias("AuditCase")]
public sealed record AuditCase(
    [property: Id(0)] string Id,
    [property: Id(1)] string InstitutionId,
    [property: Id(2)] string CityCode,
    [property: Id(3)] string? AlertId,
    [property: Id(4)] string Reason,
    [property: Id(5)] AuditState State,
    [property: Id(6)] DateTimeOffset OpenedAt,
    [property: Id(7)] DateTimeOffset Deadline,
    [property: Id(8)] bool Escalated,
    [property: Id(9)] DateTimeOffset? VerifiedAt,
    [property: Id(10)] DateTimeOffset? WatchUntil,
    [property: Id(11)] int Reopened,
    [property: Id(12)] IReadOnlyList<AuditEntry> History)
{
    public AuditSummary Summary() => new(Id, InstitutionId, CityCode, AlertId, Reason, State, OpenedAt, Deadline, Escalated, WatchUntil, Reopened);
}

/// <summary>What the case index keeps of a case, for lists and deadline views.</summary>
[GenerateSerializer, Immutable, Alias("AuditSummary")]
public sealed record AuditSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string InstitutionId,
    [property: Id(2)] string CityCode,
    [property: Id(3)] string? AlertId,
    [property: Id(4)] string Reason,
    [property: Id(5)] AuditState State,
    [property: Id(6)] DateTimeOffset OpenedAt,
    [property: Id(7)] DateTimeOffset Deadline,
    [property: Id(8)] bool Escalated,
    [property: Id(9)] DateTimeOffset? WatchUntil,
    [property: Id(10)] int Reopened);

[GenerateSerializer, Immutable, Alias("AuditQuery")]
public sealed record AuditQuery(
    [property: Id(0)] AuditState? State = null,
    [property: Id(1)] string? City = null,
    [property: Id(2)] bool? Overdue = null,
    [property: Id(3)] int? DueWithinWorkingDays = null,
    [property: Id(4)] int Page = 1,
    [property: Id(5)] int PageSize = 20);

[GenerateSerializer, Immutable, Alias("AuditPage")]
public sealed record AuditPage(
    [property: Id(0)] IReadOnlyList<AuditSummary> Items,
    [property: Id(1)] int Total,
    [property: Id(2)] int Page,
    [property: Id(3)] int PageSize);

/// <summary>A refused transition, in words a person can act on; crosses silo boundaries.</summary>
[GenerateSerializer, Alias("AuditRefusedException")]
public sealed class AuditRefusedException : Exception
{
    public AuditRefusedException()
    {
    }

    public AuditRefusedException(string message)
        : base(message)
    {
    }

    public AuditRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>One audit case. Key: case id.</summary>
[Alias("IAuditCaseGrain")]
public interface IAuditCaseGrain : IGrainWithStringKey
{
    [Alias("Open")]
    Task<AuditCase> Open(OpenAudit command);

    [Alias("Act")]
    Task<AuditCase> Act(AuditCommand command);

    /// <summary>Null when no case has this id.</summary>
    [Alias("Get")]
    Task<AuditCase?> Get();
}

public static class AuditIndex
{
    /// <summary>The one index of the province.</summary>
    public const string Key = "440000";
}

/// <summary>Every case's summary, for lists with filters and the overdue and due-soon views. Key: "440000".</summary>
[Alias("IAuditIndexGrain")]
public interface IAuditIndexGrain : IGrainWithStringKey
{
    [Alias("Upsert")]
    Task Upsert(AuditSummary summary);

    [Alias("Query")]
    Task<AuditPage> Query(AuditQuery query);
}
