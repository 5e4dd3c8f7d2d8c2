using Evaluation.Contracts.Registry;

namespace Evaluation.Contracts.Measures;

/// <summary>Identifies one tally: the events of one Asia/Shanghai day, on one channel, in one IP domain.</summary>
[GenerateSerializer, Immutable, Alias("TallyKey")]
public readonly record struct TallyKey(
    [property: Id(0)] DateOnly Day,
    [property: Id(1)] Channel Channel,
    [property: Id(2)] IpDomain Domain);

/// <summary>
/// Additive counters of one tally. Everything here is a sum, so areas aggregate by adding tallies
/// and a recomputation over the log must give the same numbers.
/// </summary>
[GenerateSerializer, Alias("Tally")]
public sealed class Tally
{
    /// <summary>Ratings by level: index 0 is level 1 (非常不满意) … index 4 is level 5 (非常满意).</summary>
    [Id(0)] public long[] Levels { get; set; } = new long[5];

    /// <summary>Service records accepted (opened) on this day.</summary>
    [Id(1)] public long Opened { get; set; }

    [Id(2)] public long Completed { get; set; }

    [Id(3)] public long CompletedOnTime { get; set; }

    [Id(4)] public double HandlingHoursSum { get; set; }

    /// <summary>Completed services by handling-time bucket, for p50/p90; null until the first completion.</summary>
    [Id(5)] public long[]? HandlingHistogram { get; set; }
}

/// <summary>The raw, additive state behind every measure of an institution or an area.</summary>
[GenerateSerializer, Alias("AggregateData")]
public sealed class AggregateData
{
    [Id(0)] public Dictionary<TallyKey, Tally> Tallies { get; set; } = [];

    /// <summary>Service records accepted and not yet completed (not day-bound: a backlog is a current state).</summary>
    [Id(1)] public long Backlog { get; set; }
}
