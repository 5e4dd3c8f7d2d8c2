namespace Evaluation.Detection;

/// <summary>The statistical guards of detection; one instance judges every institution alike.</summary>
/// <param name="Z">Normal quantile of the one-sided confidence a flag needs (3.29 ≈ 99.95 %), so daily runs over
/// hundreds of institutions do not raise alerts by chance.</param>
/// <param name="MinBad">Fewest 差评 before a 差评率 can flag anything.</param>
/// <param name="BadRateMargin">How far (rate points) above the peer median the 差评率's lower bound must lie.</param>
/// <param name="WeekBadRateMargin">The same over the last 7 days, wider because that short window is noisier.</param>
/// <param name="LateRateMargin">How far above the peer median the late share's lower bound must lie.</param>
/// <param name="MinCompleted">Fewest completed services before timeliness can flag anything.</param>
/// <param name="DropMargin">How far above the institution's own baseline a recent 差评率 must lie to be a sudden drop.</param>
/// <param name="MinDropBad">Fewest recent 差评 for a sudden drop: a day is tested every run, so it needs more evidence.</param>
/// <param name="MinBaselineRatings">Fewest ratings of its own past an institution needs to be compared with it.</param>
/// <param name="ResidualMargin">Satisfaction points below the model's expectation that flag an institution.</param>
/// <param name="MinRatingsForModel">Fewest 30-day ratings for an institution to train on or be judged by the model.</param>
/// <param name="ClearRuns">Consecutive runs without the condition before an alert resolves (hysteresis).</param>
/// <param name="MinHandlingDue">Fewest follow-ups whose step was due before a city's on-time handling rate is judged
/// or counts towards the other cities' median.</param>
/// <param name="HandlingMargin">How far (rate points) below the other cities' median an on-time handling rate's
/// upper bound must lie; without it one late call-back against peers all on time would be a lag.</param>
/// <param name="MinPeerCities">Fewest other cities with a judged rate before a city is compared with their median.</param>
/// <param name="DeclineShift">The rise of an institution's 差评率 (rate points) its decline test is tuned to find fastest.
/// 5 rather than 8: at a small institution's 1–2 % each 差评 weighed 1.5 nats against an 8-point rise, so two or three
/// chance ones in a fortnight were a decline; against 5 points a 差评 weighs less and the threshold can come down.</param>
/// <param name="DeclineThreshold">The cumulative log-likelihood ratio that raises a decline; half of it holds one
/// (and counts the institution towards its city's decline). 5.5 with the 5-point shift: over the harness's seeds 1–20
/// and 100–119, 20 and 26 false subjects (31 and 43 at 8 points and 6), the same busy gradual declines found in a median
/// of 9 and 9.5 days (9 and 9).</param>
/// <param name="DeclinePriorRatings">Ratings' worth of the peers' rate mixed into an institution's own earlier rate,
/// so a short history is judged mostly against its peers. 100 rather than 50: a third of the false declines over the
/// harness's 20 seeds came in its first days, from 39-day histories whose 差评率 was low by chance (3 of 445), where
/// an ordinary week then looked like a rise.</param>
/// <param name="CityDeclineShift">The rise (rate points of 差评 and of late completions) a city's pooled decline
/// test is tuned to find fastest: smaller than an institution's, since a city's pool tells smaller rises apart.</param>
/// <param name="CityDeclineThreshold">The cumulative log-likelihood ratio that raises a city's decline; half of it holds one.</param>
/// <param name="PartMargin">How far above the same part's peer median, and the rest of its own institution or city,
/// a service item's or channel's 30-day 差评率 lower bound must lie (half as far again over 7 days).</param>
/// <param name="MinPartBad">Fewest 差评 on one service item or channel before it can flag anything.</param>
/// <param name="SlowRatio">How many times the other institutions' median handling time of the same items an
/// institution must take to be slow against its peers (one item alone: 1.4 times that).</param>
/// <param name="BacklogMargin">How far above the peers' unfinished share the lower bound of an institution's must lie.</param>
/// <param name="MinBacklog">Fewest services accepted in the last 30 days and still unfinished for a backlog to flag.</param>
public sealed record DetectionSettings(
    double Z = 3.29,
    int MinBad = 3,
    double BadRateMargin = 0.05,
    double WeekBadRateMargin = 0.075,
    double LateRateMargin = 0.10,
    int MinCompleted = 10,
    double DropMargin = 0.10,
    int MinDropBad = 5,
    int MinBaselineRatings = 20,
    double ResidualMargin = 12,
    int MinRatingsForModel = 20,
    int ClearRuns = 3,
    int MinHandlingDue = 10,
    double HandlingMargin = 0.10,
    int MinPeerCities = 2,
    double DeclineShift = 0.05,
    double DeclineThreshold = 5.5,
    double DeclinePriorRatings = 100,
    double CityDeclineShift = 0.04,
    double CityDeclineThreshold = 7,
    double PartMargin = 0.10,
    int MinPartBad = 5,
    double SlowRatio = 1.8,
    double BacklogMargin = 0.2,
    int MinBacklog = 20)
{
    public static DetectionSettings Default { get; } = new();
}
