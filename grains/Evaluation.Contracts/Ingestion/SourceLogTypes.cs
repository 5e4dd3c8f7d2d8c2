namespace Evaluation.Contracts.Ingestion;

/// <summary>One event a rating source sent, as the log holds it (never a comment or contact).</summary>
[GenerateSerializer, Immutable, Alias("SourcedEvent")]
public sealed record SourcedEvent(
    [property: Id(0)] string Id,
    [property: Id(1)] LoggedEventKind Kind,
    [property: Id(2)] string InstitutionId,
    [property: Id(3)] string ServiceItem,
    [property: Id(4)] Registry.Channel Channel,
    [property: Id(5)] DateTimeOffset OccurredAt,
    [property: Id(6)] DateTimeOffset ReceivedAt,
    [property: Id(7)] byte? Level,
    [property: Id(8)] string? ServiceRecordId,
    [property: Id(9)] bool Verified,
    [property: Id(10)] bool Excluded);

[GenerateSerializer, Immutable, Alias("SourcedEventPage")]
public sealed record SourcedEventPage(
    [property: Id(0)] IReadOnlyList<SourcedEvent> Items,
    [property: Id(1)] long Total);

/// <summary>What excluding a source's ratings of a time range did: newly excluded, and excluded before (by an appeal or an earlier call).</summary>
[GenerateSerializer, Immutable, Alias("SourceExclusionResult")]
public sealed record SourceExclusionResult(
    [property: Id(0)] int Excluded,
    [property: Id(1)] int AlreadyExcluded);

/// <summary>
/// What one rating source sent, by the time the log received it: listed for an operator, and its ratings excluded
/// (new events that stop them counting, as an upheld appeal does; nothing is deleted).
/// </summary>
[Alias("ISourceLogGrain")]
public interface ISourceLogGrain : IGrainWithIntegerKey
{
    [Alias("List")]
    Task<SourcedEventPage> List(string source, DateTimeOffset from, DateTimeOffset to, int page, int pageSize);

    [Alias("ExcludeRatings")]
    Task<SourceExclusionResult> ExcludeRatings(string source, DateTimeOffset from, DateTimeOffset to);
}
