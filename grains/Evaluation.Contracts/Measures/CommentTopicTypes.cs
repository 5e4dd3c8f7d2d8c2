namespace Evaluation.Contracts.Measures;

/// <summary>Identifies one topic tally: the 差评 of one Asia/Shanghai day whose comment or tags are about one topic.</summary>
[GenerateSerializer, Immutable, Alias("TopicKey")]
public readonly record struct TopicKey(
    [property: Id(0)] DateOnly Day,
    [property: Id(1)] string Topic);

/// <summary>
/// One comment topic of an area's 差评: how many of the last 7 and 30 days' 差评 are about it, their share of all
/// 差评 of the window (null when there were none), and the trend, the 7-day share less the 30-day share.
/// Staff only: topics are counts, never the comments they were read from, and never shown publicly.
/// </summary>
[GenerateSerializer, Immutable, Alias("TopicShare")]
public sealed record TopicShare(
    [property: Id(0)] string Topic,
    [property: Id(1)] string Label,
    [property: Id(2)] string EnglishLabel,
    [property: Id(3)] long CountD7,
    [property: Id(4)] long CountD30,
    [property: Id(5)] double? ShareD7,
    [property: Id(6)] double? ShareD30,
    [property: Id(7)] double? Trend);

/// <summary>The comment topics of an area's 差评, most frequent over 30 days first, and the 差评 counts behind the shares.</summary>
[GenerateSerializer, Immutable, Alias("TopicSummary")]
public sealed record TopicSummary(
    [property: Id(0)] long BadD7,
    [property: Id(1)] long BadD30,
    [property: Id(2)] IReadOnlyList<TopicShare> Topics);

/// <summary>The comment topics of a city's 差评, and of each of its institutions' by institution id (staff consoles only).</summary>
[GenerateSerializer, Immutable, Alias("CityTopics")]
public sealed record CityTopics(
    [property: Id(0)] TopicSummary City,
    [property: Id(1)] IReadOnlyDictionary<string, TopicSummary> Institutions);
