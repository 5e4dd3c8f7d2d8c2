using Evaluation.Contracts.Registry;

namespace Evaluation.Contracts.Measures;

/// <summary>Identifies one tally: the events of one Asia/Shanghai day, on one channel, in one IP domain.</summary>
[GenerateSerializer, Immutable, Alias("TallyKey")]
public readonly record struct TallyKey(
    [property: Id(0)] DateOnly Day,
    [property: Id(1)] Channel Channel,
    [property: Id(2)] IpDomain Domain);

/// <summary>
/// Identifies the tally of one calendar month, channel and domain into which an aggregate folds its days once no
/// measure needs them one by one (<see cref="AggregateData.FoldedBefore"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("MonthKey")]
public readonly record struct MonthKey(
    [property: Id(0)] int Year,
    [property: Id(1)] int Month,
    [property: Id(2)] Channel Channel,
    [property: Id(3)] IpDomain Domain)
{
    /// <summary>The month tally a day tally folds into.</summary>
    public static MonthKey Of(TallyKey day) => new(day.Day.Year, day.Day.Month, day.Channel, day.Domain);

    public DateOnly FirstDay => new(Year, Month, 1);

    public DateOnly LastDay => FirstDay.AddMonths(1).AddDays(-1);
}

/// <summary>Identifies one service-item tally: the events of one Asia/Shanghai day about one 事项 (service item code).</summary>
[GenerateSerializer, Immutable, Alias("ServiceItemKey")]
public readonly record struct ServiceItemKey(
    [property: Id(0)] DateOnly Day,
    [property: Id(1)] string ServiceItem);

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

    /// <summary>
    /// Completed services by handling-time bucket, for p50/p90; null until the first completion. Holds the buckets up
    /// to the highest one counted (states stored before held all of them): a bucket past its end counts zero.
    /// </summary>
    [Id(5)] public long[]? HandlingHistogram { get; set; }

    /// <summary>The 差评 follow-ups of this tally's ratings and their steps; null until the first 差评.</summary>
    [Id(6)] public FollowUpCounts? FollowUps { get; set; }

    /// <summary>Ratings of this tally (by the rating's day) that name a service record of their institution (一事一评).</summary>
    [Id(7)] public long Verified { get; set; }

    /// <summary>Services completed on this tally's day that a rating names (the numerator of the 评价率).</summary>
    [Id(8)] public long RatedServices { get; set; }
}

/// <summary>
/// Additive counters of the follow-ups of one tally's 差评 (SPEC 2.6 差评 handling). A "missed" step is one whose
/// deadline passed before it was taken, so the follow-ups whose step was due are the on-time ones plus the missed.
/// </summary>
[GenerateSerializer, Alias("FollowUpCounts")]
public sealed class FollowUpCounts
{
    [Id(0)] public long Opened { get; set; }

    [Id(1)] public long CalledBack { get; set; }

    [Id(2)] public long CalledBackOnTime { get; set; }

    [Id(3)] public long CallBackMissed { get; set; }

    [Id(4)] public long Rectified { get; set; }

    [Id(5)] public long RectifiedOnTime { get; set; }

    [Id(6)] public long RectifyMissed { get; set; }

    [Id(7)] public long Appealed { get; set; }

    [Id(8)] public long Upheld { get; set; }

    [Id(9)] public long Dismissed { get; set; }

    /// <summary>Follow-ups whose current stage is noted overdue and not yet taken.</summary>
    [Id(10)] public long Overdue { get; set; }
}

/// <summary>The raw, additive state behind every measure of an institution or an area.</summary>
[GenerateSerializer, Alias("AggregateData")]
public sealed class AggregateData
{
    [Id(0)] public Dictionary<TallyKey, Tally> Tallies { get; set; } = [];

    /// <summary>Service records accepted and not yet completed (not day-bound: a backlog is a current state).</summary>
    [Id(1)] public long Backlog { get; set; }

    /// <summary>The same counters per day and service item (事项), for the per-item breakdowns and detection.</summary>
    [Id(2)] public Dictionary<ServiceItemKey, Tally> ServiceItems { get; set; } = [];

    /// <summary>
    /// How many 差评 (levels 1–2) of each day mention each comment topic (see <see cref="TopicKey"/>); a 差评 with
    /// several topics counts once under each, one with none under "other". Excluded 差评 are taken off again.
    /// </summary>
    [Id(3)] public Dictionary<TopicKey, long> Topics { get; set; } = [];

    /// <summary>
    /// The tallies of the days before <see cref="FoldedBefore"/>, added up per month, channel and domain: no measure
    /// looks at those days one by one, and 400 days of day tallies made a busy institution's state 2.9 MB.
    /// </summary>
    [Id(4)] public Dictionary<MonthKey, Tally> Months { get; set; } = [];

    /// <summary>
    /// The first day whose tallies are kept day by day: those of earlier days are in <see cref="Months"/>
    /// (<see cref="DateOnly.MinValue"/>, as in states stored before months existed: none folded). In a sum of
    /// aggregates folded on different days it is the latest of theirs, so it may still hold a few earlier days.
    /// </summary>
    [Id(5)] public DateOnly FoldedBefore { get; set; } = DateOnly.MinValue;
}

/// <summary>
/// What changed in an institution's aggregate between two reports, so it need not send (and Orleans need not
/// copy) its whole aggregate, up to 400 days of tallies, five times a second. <see cref="Changed"/> holds the
/// current value of each changed tally, not an increment, so applying a delta twice does no harm;
/// <see cref="Removed"/> the tallies pruned since; <see cref="Backlog"/> the current backlog;
/// <see cref="ChangedItems"/> and <see cref="RemovedItems"/> the same for the service-item tallies (null: none).
/// A receiver applies it only on top of the report at <see cref="FromPosition"/>.
/// </summary>
/// <remarks>
/// Immutable: the sender builds it from copies of its tallies and keeps none of it, and the receiver keeps the
/// tallies as they are and never changes them, so Orleans passes it without a copy.
/// </remarks>
[GenerateSerializer, Immutable, Alias("AggregateDelta")]
public sealed record AggregateDelta(
    [property: Id(0)] long FromPosition,
    [property: Id(1)] long ToPosition,
    [property: Id(2)] IReadOnlyDictionary<TallyKey, Tally> Changed,
    [property: Id(3)] IReadOnlyList<TallyKey> Removed,
    [property: Id(4)] long Backlog,
    [property: Id(5)] IReadOnlyDictionary<ServiceItemKey, Tally>? ChangedItems = null,
    [property: Id(6)] IReadOnlyList<ServiceItemKey>? RemovedItems = null)
{
    /// <summary>
    /// The current count of each topic tally that changed, 0 for one that went (pruned or excluded to nothing);
    /// current values like <see cref="Changed"/>. 
    /// </summary>
    [Id(20)] public IReadOnlyDictionary<TopicKey, long> Topics { get; init; } = new Dictionary<TopicKey, long>();

    /// <summary>The current value of each month tally that changed (a late event, a fold), like <see cref="Changed"/>.</summary>
    [Id(30)] public IReadOnlyDictionary<MonthKey, Tally> ChangedMonths { get; init; } = new Dictionary<MonthKey, Tally>();

    /// <summary>The month tallies pruned since.</summary>
    [Id(31)] public IReadOnlyList<MonthKey> RemovedMonths { get; init; } = [];

    /// <summary>The sender's <see cref="AggregateData.FoldedBefore"/>.</summary>
    [Id(32)] public DateOnly FoldedBefore { get; init; } = DateOnly.MinValue;
}
