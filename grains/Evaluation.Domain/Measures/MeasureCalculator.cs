using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;

namespace Evaluation.Domain.Measures;

/// <summary>The measures of SPEC 2.6, computed from an aggregate; the only definition of each formula.</summary>
public static class MeasureCalculator
{
    /// <summary>
    /// What an area with no peer data shrinks toward: level 3 (基本满意), the middle of the scale, so a handful of
    /// top ratings cannot put a new node above an established one and a handful of bad ones cannot bury it.
    /// </summary>
    public const double NeutralMeanLevel = 3.0;

    /// <summary>
    /// Floor on the level variance in the interval: a sample whose ratings are all equal has zero sample variance,
    /// which would claim certainty; 0.25 is the variance of ratings split evenly between two adjacent levels.
    /// </summary>
    public const double MinLevelVariance = 0.25;

    /// <summary>The window the per-channel and per-domain scores are given for.</summary>
    public const string BreakdownWindow = Windows.Days30;

    private const double PointsPerLevel = 25;

    /// <summary>Two-sided 95 % Student t quantiles for 1…30 degrees of freedom.</summary>
    private static readonly double[] T975 =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    private const double Z975 = 1.959963984540054;

    /// <summary>The window service items are ranked on (<see cref="AreaBreakdowns.WorstServiceItems"/>), as areas are.</summary>
    public const string ServiceItemRankingWindow = Windows.Days30;

    /// <summary>The peer group every service item of an area is ranked in: they are all judged against one another.</summary>
    public const string ServiceItemPeerGroup = "service-items";

    private static readonly int LongestDays = Windows.All.Max(window => window.Days);

    public static AreaMeasures Compute(
        AggregateData data, DateTimeOffset asOf, DateOnly today, PeerPrior? prior, MeasureSettings settings)
    {
        // Each day of the longest window folded once; the windows and the daily series are sums of these.
        var byAge = new Tally[LongestDays];
        for (var age = 0; age < LongestDays; age++)
        {
            byAge[age] = new Tally();
        }

        foreach (var (key, tally) in data.Tallies)
        {
            // Negative ages are the next Shanghai day, reachable through the five minutes of allowed clock skew.
            var age = today.DayNumber - key.Day.DayNumber;
            if (age >= 0 && age < LongestDays)
            {
                Aggregation.AddTally(byAge[age], tally);
            }
        }

        var windows = new Tally[Windows.All.Count];
        for (var i = 0; i < windows.Length; i++)
        {
            windows[i] = new Tally();
            for (var age = 0; age < Windows.All[i].Days; age++)
            {
                Aggregation.AddTally(windows[i], byAge[age]);
            }
        }

        var whole = Measure(windows, prior, settings, data.Backlog);
        var daily = Enumerable.Range(0, LongestDays)
            .Select(offset => LongestDays - 1 - offset)
            .Select(age => Daily(today.AddDays(-age), byAge[age]))
            .ToList();

        return new AreaMeasures(
            asOf,
            whole.Scores,
            whole.Service,
            BreakdownScores(FoldWindows(data.Tallies, key => key.Day, key => key.Channel, today), prior, settings),
            BreakdownScores(FoldWindows(data.Tallies, key => key.Day, key => key.Domain, today), prior, settings),
            daily)
        {
            Handling = whole.Handling,
        };
    }

    /// <summary>
    /// The measures per channel, per IP domain and per service item over every window, with the formulas and the
    /// prior of the area's own measures, and the area's service items from the worst (<see cref="Rankings.WorstFirst"/>).
    /// </summary>
    /// <param name="nameOf">The name the ranking shows for an item code; an item without one is shown by its code.</param>
    public static AreaBreakdowns Breakdowns(
        AggregateData data,
        DateTimeOffset asOf,
        DateOnly today,
        PeerPrior? prior,
        MeasureSettings settings,
        Func<string, string?> nameOf)
    {
        var items = MeasureParts(FoldWindows(data.ServiceItems, key => key.Day, key => key.ServiceItem, today), prior, settings);
        var candidates = items.Select(item => new RankingCandidate(
            item.Key, nameOf(item.Key) ?? item.Key, ServiceItemPeerGroup, item.Value.Scores[ServiceItemRankingWindow]));
        return new AreaBreakdowns(
            asOf,
            MeasureParts(FoldWindows(data.Tallies, key => key.Day, key => key.Channel, today), prior, settings),
            MeasureParts(FoldWindows(data.Tallies, key => key.Day, key => key.Domain, today), prior, settings),
            items,
            Rankings.WorstFirst(candidates));
    }

    /// <summary>
    /// The tallies of each part (channel, domain, item) summed into one tally per window of <see cref="Windows.All"/>,
    /// in its order; parts with nothing in the longest window are left out.
    /// </summary>
    private static Dictionary<TPart, Tally[]> FoldWindows<TKey, TPart>(
        Dictionary<TKey, Tally> tallies, Func<TKey, DateOnly> dayOf, Func<TKey, TPart> partOf, DateOnly today)
        where TKey : notnull
        where TPart : notnull
    {
        var parts = new Dictionary<TPart, Tally[]>();
        foreach (var (key, tally) in tallies)
        {
            var age = today.DayNumber - dayOf(key).DayNumber;
            if (age < 0 || age >= LongestDays)
            {
                continue;
            }

            var part = partOf(key);
            if (!parts.TryGetValue(part, out var windows))
            {
                windows = [.. Windows.All.Select(_ => new Tally())];
                parts[part] = windows;
            }

            for (var i = 0; i < windows.Length; i++)
            {
                if (age < Windows.All[i].Days)
                {
                    Aggregation.AddTally(windows[i], tally);
                }
            }
        }

        // In the parts' own order, not the order their tallies were counted in (a catch-up counts the log unordered),
        // so the same data always gives the same answer, byte for byte.
        return parts.OrderBy(part => part.Key).ToDictionary();
    }

    /// <summary>Scores, service and 差评 handling of each window, from one tally per window of <see cref="Windows.All"/>.</summary>
    private static BreakdownMeasures Measure(Tally[] windows, PeerPrior? prior, MeasureSettings settings, long backlog)
    {
        var scores = new Dictionary<string, ScoreView>();
        var service = new Dictionary<string, ServiceView>();
        var handling = new Dictionary<string, HandlingView>();
        for (var i = 0; i < windows.Length; i++)
        {
            var (name, days) = Windows.All[i];
            scores[name] = Score(windows[i], prior, settings, settings.MinSampleFor(name));
            service[name] = Service(windows[i], days, backlog);
            handling[name] = Handling(windows[i].FollowUps);
        }

        return new BreakdownMeasures(scores, service, handling);
    }

    // A part keeps no backlog of its own (see BreakdownMeasures).
    private static Dictionary<TPart, BreakdownMeasures> MeasureParts<TPart>(Dictionary<TPart, Tally[]> parts, PeerPrior? prior, MeasureSettings settings)
        where TPart : notnull =>
        parts.ToDictionary(part => part.Key, part => Measure(part.Value, prior, settings, backlog: 0));

    /// <summary>The score of each part on <see cref="BreakdownWindow"/>, as <see cref="AreaMeasures.ByChannel"/> and <see cref="AreaMeasures.ByDomain"/> give it.</summary>
    private static Dictionary<TPart, ScoreView> BreakdownScores<TPart>(Dictionary<TPart, Tally[]> parts, PeerPrior? prior, MeasureSettings settings)
        where TPart : notnull
    {
        // Only the parts with something in the window, as before the other windows were given.
        var window = IndexOf(BreakdownWindow);
        return parts
            .Where(part => !Aggregation.IsEmpty(part.Value[window]))
            .ToDictionary(part => part.Key, part => Score(part.Value[window], prior, settings, settings.MinSampleFor(BreakdownWindow)));
    }

    private static int IndexOf(string window)
    {
        for (var i = 0; i < Windows.All.Count; i++)
        {
            if (Windows.All[i].Name == window)
            {
                return i;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(window), window, "Unknown window.");
    }

    /// <summary>
    /// The measures of the days <paramref name="first"/> to <paramref name="last"/> (both included), as the windows
    /// have them: the monthly report's, where a calendar month is the window.
    /// </summary>
    public static PeriodMeasures Period(
        AggregateData data, DateOnly first, DateOnly last, PeerPrior? prior, MeasureSettings settings, int minSample)
    {
        var period = new Tally();
        foreach (var (key, tally) in data.Tallies)
        {
            if (key.Day >= first && key.Day <= last)
            {
                Aggregation.AddTally(period, tally);
            }
        }

        return new PeriodMeasures(
            Score(period, prior, settings, minSample),
            Service(period, last.DayNumber - first.DayNumber + 1, data.Backlog),
            Handling(period.FollowUps));
    }

    /// <summary>
    /// 差评 handling over the follow-ups of one window's 差评 (SPEC 2.6, 4.5.2). An on-time rate counts the follow-ups
    /// whose step was due, the ones taken in time plus the ones whose deadline passed first; the upheld-appeal rate
    /// counts decided appeals. Each rate is null when nothing was due.
    /// </summary>
    public static HandlingView Handling(FollowUpCounts? counts)
    {
        var c = counts ?? new FollowUpCounts();
        return new HandlingView(
            c.Opened,
            c.CalledBack,
            Rate(c.CalledBackOnTime, c.CalledBackOnTime + c.CallBackMissed),
            c.Rectified,
            Rate(c.RectifiedOnTime, c.RectifiedOnTime + c.RectifyMissed),
            c.Appealed,
            c.Upheld,
            Rate(c.Upheld, c.Upheld + c.Dismissed),
            c.Overdue);
    }

    /// <summary>
    /// The rating measures of one tally, with the verified ratings shown apart (一事一评): their count, and their share
    /// of all the ratings counted (null when there are none).
    /// </summary>
    public static ScoreView Score(Tally tally, PeerPrior? prior, MeasureSettings settings, int minSample) =>
        Score(tally.Levels, prior, settings, minSample) with { Verified = tally.Verified, VerifiedShare = Rate(tally.Verified, tally.Levels.Sum()) };

    /// <summary>The rating measures of one set of level counts (index 0 = level 1).</summary>
    public static ScoreView Score(long[] levels, PeerPrior? prior, MeasureSettings settings, int minSample)
    {
        var count = levels.Sum();
        if (count == 0)
        {
            return new ScoreView(0, [.. levels], null, null, null, null, null, false);
        }

        var mean = MeanLevel(levels, count);
        var priorMean = prior is { Count: > 0 } ? prior.MeanLevel : NeutralMeanLevel;
        var k = settings.PriorStrength;
        var smoothedMean = ((count * mean) + (k * priorMean)) / (count + k);

        return new ScoreView(
            count,
            [.. levels],
            GoodRate(levels, count),
            Rate(levels[0] + levels[1], count),
            ToScore(mean),
            ToScore(smoothedMean),
            Interval(levels, count, mean),
            count >= minSample);
    }

    /// <summary>A peer group's prior: the mean level over all its members' ratings.</summary>
    public static PeerPrior PriorFrom(IEnumerable<long[]> memberLevels)
    {
        var levels = new long[5];
        foreach (var member in memberLevels)
        {
            for (var level = 0; level < levels.Length; level++)
            {
                levels[level] += member[level];
            }
        }

        var count = levels.Sum();
        return new PeerPrior(count == 0 ? NeutralMeanLevel : MeanLevel(levels, count), count);
    }

    /// <summary>Satisfaction 0..100 of a mean level 1..5.</summary>
    public static double ToScore(double meanLevel) => (meanLevel - 1) * PointsPerLevel;

    private static ServiceView Service(Tally window, int days, long backlog) => new(
        window.Completed,
        backlog,
        Rate(window.CompletedOnTime, window.Completed),
        HandlingHistogram.Percentile(window.HandlingHistogram, 0.5),
        HandlingHistogram.Percentile(window.HandlingHistogram, 0.9),
        Rate(window.RatedServices, window.Completed),
        (double)window.Completed / days,
        window.Opened);

    private static DailyPoint Daily(DateOnly date, Tally day)
    {
        var count = day.Levels.Sum();
        return new DailyPoint(
            date,
            count,
            GoodRate(day.Levels, count),
            count == 0 ? null : ToScore(MeanLevel(day.Levels, count)),
            day.Completed);
    }

    /// <summary>
    /// 95 % interval of the satisfaction: mean level ± t(n−1)·√(max(s², floor)/n), scaled to points and clamped to
    /// 0..100. Student's t widens small samples; a single rating says nothing about spread, so it gets the whole scale.
    /// </summary>
    private static double[] Interval(long[] levels, long count, double mean)
    {
        if (count < 2)
        {
            return [0, 100];
        }

        double squares = 0;
        for (var level = 0; level < levels.Length; level++)
        {
            var deviation = level + 1 - mean;
            squares += levels[level] * deviation * deviation;
        }

        var variance = Math.Max(squares / (count - 1), MinLevelVariance);
        var halfWidth = StudentT975(count - 1) * Math.Sqrt(variance / count);
        return [Math.Max(0, ToScore(mean - halfWidth)), Math.Min(100, ToScore(mean + halfWidth))];
    }

    /// <summary>Table up to 30 degrees of freedom, then the Cornish–Fisher expansion (error below 0.001 there).</summary>
    private static double StudentT975(long degreesOfFreedom)
    {
        if (degreesOfFreedom <= T975.Length)
        {
            return T975[degreesOfFreedom - 1];
        }

        const double z = Z975;
        double df = degreesOfFreedom;
        var z3 = z * z * z;
        var z5 = z3 * z * z;
        return z + ((z3 + z) / (4 * df)) + (((5 * z5) + (16 * z3) + (3 * z)) / (96 * df * df));
    }

    private static double MeanLevel(long[] levels, long count)
    {
        double sum = 0;
        for (var level = 0; level < levels.Length; level++)
        {
            sum += (level + 1) * (double)levels[level];
        }

        return sum / count;
    }

    /// <summary>好评率: levels 4–5 (满意, 非常满意) of all.</summary>
    private static double? GoodRate(long[] levels, long count) => Rate(levels[3] + levels[4], count);

    private static double? Rate(long part, long whole) => whole == 0 ? null : (double)part / whole;

}

/// <summary>The rating, service and 差评-handling measures of one period of days.</summary>
public sealed record PeriodMeasures(ScoreView Score, ServiceView Service, HandlingView Handling);
