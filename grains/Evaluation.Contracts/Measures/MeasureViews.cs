using Evaluation.Contracts.Registry;

namespace Evaluation.Contracts.Measures;

/// <summary>The windows every measure is given for; "today" and day buckets are Asia/Shanghai days.</summary>
public static class Windows
{
    public const string Today = "today";
    public const string Days7 = "d7";
    public const string Days30 = "d30";
    public const string Days90 = "d90";

    public static readonly IReadOnlyList<(string Name, int Days)> All =
        [(Today, 1), (Days7, 7), (Days30, 30), (Days90, 90)];
}

/// <summary>
/// Rating measures of one window. Rates are fractions 0..1, scores 0..100. <see cref="Verified"/> of the
/// <see cref="Count"/> ratings name a service record of their institution (一事一评), a share of <see cref="VerifiedShare"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("ScoreView")]
public sealed record ScoreView(
    [property: Id(0)] long Count,
    [property: Id(1)] long[] Levels,
    [property: Id(2)] double? GoodRate,
    [property: Id(3)] double? BadRate,
    [property: Id(4)] double? Satisfaction,
    [property: Id(5)] double? SmoothedScore,
    [property: Id(6)] double[]? Interval,
    [property: Id(7)] bool Ranked,
    [property: Id(8)] long Verified = 0,
    [property: Id(9)] double? VerifiedShare = null);

/// <summary>
/// Service (办件) measures of one window; backlog is the current open count whatever the window.
/// <see cref="EvaluationRate"/> (评价率): of the services completed in the window, the share some rating names
/// (一事一评), whenever that rating came.
/// </summary>
[GenerateSerializer, Immutable, Alias("ServiceView")]
public sealed record ServiceView(
    [property: Id(0)] long Completed,
    [property: Id(1)] long Backlog,
    [property: Id(2)] double? OnTimeRate,
    [property: Id(3)] double? HandlingP50Hours,
    [property: Id(4)] double? HandlingP90Hours,
    [property: Id(5)] double? EvaluationRate,
    [property: Id(6)] double ThroughputPerDay,
    [property: Id(7)] long Opened);

[GenerateSerializer, Immutable, Alias("DailyPoint")]
public sealed record DailyPoint(
    [property: Id(0)] DateOnly Date,
    [property: Id(1)] long Count,
    [property: Id(2)] double? GoodRate,
    [property: Id(3)] double? Satisfaction,
    [property: Id(4)] long Completed);

/// <summary>Every measure of one institution or area, as of <see cref="AsOf"/>.</summary>
[GenerateSerializer, Immutable, Alias("AreaMeasures")]
public sealed record AreaMeasures(
    [property: Id(0)] DateTimeOffset AsOf,
    [property: Id(1)] IReadOnlyDictionary<string, ScoreView> Scores,
    [property: Id(2)] IReadOnlyDictionary<string, ServiceView> Service,
    [property: Id(3)] IReadOnlyDictionary<Channel, ScoreView> ByChannel,
    [property: Id(4)] IReadOnlyDictionary<IpDomain, ScoreView> ByDomain,
    [property: Id(5)] IReadOnlyList<DailyPoint> Daily)
{
    /// <summary>差评 handling by window (SPEC 4.5.2 <c>handling</c>).</summary>
    [Id(6)]
    public IReadOnlyDictionary<string, HandlingView> Handling { get; init; } = new Dictionary<string, HandlingView>();
}

/// <summary>
/// 差评 handling of one window, over the follow-ups of the window's 差评. Rates are 0..1 over the follow-ups whose
/// step was due, null when none was; <see cref="Overdue"/> counts the ones whose current stage is past its deadline.
/// </summary>
[GenerateSerializer, Immutable, Alias("HandlingView")]
public sealed record HandlingView(
    [property: Id(0)] long FollowUps,
    [property: Id(1)] long CalledBack,
    [property: Id(2)] double? CallBackOnTimeRate,
    [property: Id(3)] long Rectified,
    [property: Id(4)] double? RectifiedOnTimeRate,
    [property: Id(5)] long Appealed,
    [property: Id(6)] long Upheld,
    [property: Id(7)] double? UpheldAppealRate,
    [property: Id(8)] long Overdue);

/// <summary>The prior an area's small samples shrink toward: the mean level of its peer group.</summary>
[GenerateSerializer, Immutable, Alias("PeerPrior")]
public sealed record PeerPrior(
    [property: Id(0)] double MeanLevel,
    [property: Id(1)] long Count);

/// <summary>
/// The priors of every peer group. A group without ratings yet falls back to its region, then to the
/// province, so a prior is always available.
/// </summary>
[GenerateSerializer, Immutable, Alias("PeerPriorTable")]
public sealed record PeerPriorTable(
    [property: Id(0)] IReadOnlyDictionary<string, PeerPrior> ByKindAndRegion,
    [property: Id(1)] IReadOnlyDictionary<Region, PeerPrior> ByRegion,
    [property: Id(2)] PeerPrior Province)
{
    public static string KeyOf(InstitutionKind kind, Region region) => $"{kind}/{region}";

    public PeerPrior For(InstitutionKind kind, Region region) =>
        ByKindAndRegion.TryGetValue(KeyOf(kind, region), out var prior) && prior.Count > 0 ? prior : For(region);

    public PeerPrior For(Region region) =>
        ByRegion.TryGetValue(region, out var prior) && prior.Count > 0 ? prior : Province;
}

[GenerateSerializer, Immutable, Alias("RankingEntry")]
public sealed record RankingEntry(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string PeerGroup,
    [property: Id(3)] int? Rank,
    [property: Id(4)] bool Tied,
    [property: Id(5)] double? SmoothedScore,
    [property: Id(6)] long Count,
    [property: Id(7)] bool Ranked);

public enum TargetStatus
{
    OnTrack = 0,
    AtRisk = 1,
    Missed = 2,
    Met = 3,
}

[GenerateSerializer, Immutable, Alias("PlanTargetView")]
public sealed record PlanTargetView(
    [property: Id(0)] string Code,
    [property: Id(1)] string Name,
    [property: Id(2)] double Current,
    [property: Id(3)] double Target,
    [property: Id(4)] string Unit,
    [property: Id(5)] DateOnly Due,
    [property: Id(6)] TargetStatus Status,
    [property: Id(7)] string Detail);

/// <summary>
/// The measures of one part of an area (a channel, an IP domain, a service item) by window, with the formulas of the
/// area's own. The service measures' backlog is 0 here: the backlog is an area's current state and is not kept per part.
/// </summary>
[GenerateSerializer, Immutable, Alias("BreakdownMeasures")]
public sealed record BreakdownMeasures(
    [property: Id(0)] IReadOnlyDictionary<string, ScoreView> Scores,
    [property: Id(1)] IReadOnlyDictionary<string, ServiceView> Service,
    [property: Id(2)] IReadOnlyDictionary<string, HandlingView> Handling);

/// <summary>
/// An institution's or area's measures per channel, per IP domain and per service item (事项) over every window
/// (SPEC 2.6), and its service items from the worst: ranked ones by smoothed 30-day score, lowest first, then the ones
/// with too few ratings ("not enough ratings", unranked).
/// </summary>
[GenerateSerializer, Immutable, Alias("AreaBreakdowns")]
public sealed record AreaBreakdowns(
    [property: Id(0)] DateTimeOffset AsOf,
    [property: Id(1)] IReadOnlyDictionary<Channel, BreakdownMeasures> ByChannel,
    [property: Id(2)] IReadOnlyDictionary<IpDomain, BreakdownMeasures> ByDomain,
    [property: Id(3)] IReadOnlyDictionary<string, BreakdownMeasures> ByServiceItem,
    [property: Id(4)] IReadOnlyList<RankingEntry> WorstServiceItems);
