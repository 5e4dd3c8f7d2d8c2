using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;

namespace Evaluation.Contracts.Detection;

/// <summary>
/// What a detection run reads of one institution, summed down from its aggregate for one day: the tallies of each of
/// the last 90 days (index = age in days, 0 today; null for a day without events), the tallies per channel and per
/// service item over the last 7 and 30 days, the backlog, and the comment topics of its 差评. A few kilobytes where
/// the aggregate it comes from holds up to 400 days by channel, domain and item (megabytes for a busy institution),
/// so a run over thousands of institutions collects these instead.
/// </summary>
/// <remarks>
/// Immutable: built fresh from the aggregate and never changed afterwards, so Orleans passes it without a copy.
/// <see cref="Position"/> is the log position of the aggregate it was computed from, for the run's consistent cut.
/// </remarks>
[GenerateSerializer, Immutable, Alias("FeatureInputs")]
public sealed record FeatureInputs(
    [property: Id(0)] long Position,
    [property: Id(1)] DateOnly Today,
    [property: Id(2)] IReadOnlyList<Tally?> Days,
    [property: Id(3)] IReadOnlyDictionary<Channel, PartTallies> Channels,
    [property: Id(4)] IReadOnlyDictionary<string, PartTallies> Items,
    [property: Id(5)] long Backlog,
    [property: Id(6)] TopicSummary Topics);

/// <summary>The tallies of one part of an institution (a channel or a service item) over the last 7 and 30 days.</summary>
[GenerateSerializer, Immutable, Alias("PartTallies")]
public sealed record PartTallies(
    [property: Id(0)] Tally Days7,
    [property: Id(1)] Tally Days30);
