using Evaluation.Contracts.Registry;
using Evaluation.Domain.Registry;

namespace Evaluation.Detection;

/// <summary>The measures detection compares; names are the API's <c>measure</c> field.</summary>
public enum Measure
{
    BadRate = 0,
    Satisfaction = 1,
    OnTimeRate = 2,
    HandlingVsLimit = 3,
    EvaluationRate = 4,
    Volume = 5,
    BadRateTrend = 6,

    /// <summary>差评 called back (or checked) by the deadline, of those due (SPEC 3.1 差评 handling rates).</summary>
    CallBackOnTimeRate = 7,

    /// <summary>差评 rectified by the deadline, of those due.</summary>
    RectifiedOnTimeRate = 8,

    /// <summary>Services accepted in the window and not completed in it, of those accepted (backlog growth).</summary>
    UnfinishedRate = 9,
}

public static class Measures
{
    public const int Count = 10;

    /// <summary>Fewest ratings (or completions) a member needs before its rate counts towards a peer median.</summary>
    public const int MinSampleForMedian = 5;

    public static string Name(Measure measure) => measure switch
    {
        Measure.BadRate => "badRate",
        Measure.Satisfaction => "satisfaction",
        Measure.OnTimeRate => "onTimeRate",
        Measure.HandlingVsLimit => "handlingVsLimit",
        Measure.EvaluationRate => "evaluationRate",
        Measure.Volume => "volume",
        Measure.CallBackOnTimeRate => "callBackOnTimeRate",
        Measure.RectifiedOnTimeRate => "rectifiedOnTimeRate",
        Measure.UnfinishedRate => "unfinishedRate",
        _ => "badRateTrend",
    };

    /// <summary>The value of a measure, or null when the sample is too small to say anything.</summary>
    public static double? ValueOf(InstitutionFeatures row, Measure measure, FeatureWindow window)
    {
        var counts = row[window];
        return measure switch
        {
            Measure.BadRate => counts.Ratings >= MinSampleForMedian ? counts.BadRate : null,
            Measure.Satisfaction => counts.Ratings >= MinSampleForMedian ? counts.Satisfaction : null,
            Measure.OnTimeRate => counts.Completed >= MinSampleForMedian ? counts.OnTimeRate : null,
            Measure.HandlingVsLimit => counts.Completed >= MinSampleForMedian ? row.HandlingVsLimit(window) : null,
            Measure.EvaluationRate => counts.Completed >= MinSampleForMedian ? counts.EvaluationRate : null,
            Measure.Volume => row.Volume(window),
            Measure.CallBackOnTimeRate => counts.CallBacksDue >= MinSampleForMedian ? counts.CallBackOnTimeRate : null,
            Measure.RectifiedOnTimeRate => counts.RectificationsDue >= MinSampleForMedian ? counts.RectifiedOnTimeRate : null,
            Measure.UnfinishedRate => counts.Opened >= MinSampleForMedian ? (double)counts.Unfinished / counts.Opened : null,
            _ => row[FeatureWindow.Days7].Ratings >= MinSampleForMedian && row[FeatureWindow.Days90].Ratings >= MinSampleForMedian
                ? row.BadRateTrend
                : null,
        };
    }
}

/// <summary>
/// Counts day by day over the last <see cref="FeatureWindows.DailyDays"/> days (age 0 is today) and, together, over
/// the rest of the last 90 days before them (<see cref="Earlier"/>).
/// </summary>
public sealed record DailySeries(WindowCounts[] Daily, WindowCounts Earlier)
{
    public static DailySeries Of(InstitutionFeatures row) => row.Series;

    /// <summary>The days' counters added up in order.</summary>
    public static WindowCounts Total(ReadOnlySpan<WindowCounts> days)
    {
        WindowCounts sum = default;
        foreach (var day in days)
        {
            sum += day;
        }

        return sum;
    }

    public static DailySeries Sum(IEnumerable<InstitutionFeatures> rows)
    {
        var daily = new WindowCounts[FeatureWindows.DailyDays];
        WindowCounts earlier = default;
        foreach (var row in rows)
        {
            var own = Of(row);
            for (var age = 0; age < daily.Length; age++)
            {
                daily[age] += own.Daily[age];
            }

            earlier += own.Earlier;
        }

        return new DailySeries(daily, earlier);
    }

    public WindowCounts LastDays(int days) => Total(Daily.AsSpan(0, Math.Min(days, Daily.Length)));

    /// <summary>What is left of a sum once one of its parts is taken out.</summary>
    public static DailySeries operator -(DailySeries whole, DailySeries part) =>
        new([.. whole.Daily.Zip(part.Daily, (w, p) => w - p)], whole.Earlier - part.Earlier);
}

/// <summary>Median and spread of one measure in one window across a peer group.</summary>
public readonly record struct PeerSummary(double Median, double Spread, int Members);

/// <summary>
/// Medians of every measure per peer group (same kind, same region), computed from the same run's rows so a
/// province-wide dip moves the yardstick with it. An institution is measured against the peers outside its own
/// city, so a whole city degrading cannot drag its own yardstick down. A group with too few members with data
/// falls back to the kind across all regions (still outside the city), then to everyone.
/// </summary>
public sealed class PeerStatistics
{
    /// <summary>Fewest members with data for a group's median to stand on its own.</summary>
    public const int MinPeers = 5;

    /// <summary>Fewest ratings a day, on average, for a group's daily series to tell a shared day from chance.</summary>
    public const int MinDailyRatings = 30;

    private readonly Dictionary<(PeerGroup, string), Scope> groups = [];
    private readonly Dictionary<(InstitutionKind, string), Scope> kinds = [];

    /// <summary>The rows of each peer group and of each kind: a scope filters its own group, not every row.</summary>
    private readonly Dictionary<PeerGroup, Pool> byGroup = [];
    private readonly Dictionary<InstitutionKind, Pool> byKind = [];
    private readonly Scope everyone;

    public PeerStatistics(IReadOnlyList<InstitutionFeatures> rows)
    {
        everyone = new Scope(rows, new Pool([.. rows]), null);
        foreach (var row in rows)
        {
            PoolOf(byGroup, row.PeerGroup).Add(row);
            PoolOf(byKind, row.PeerGroup.Kind).Add(row);
        }
    }

    public PeerSummary? Summary(InstitutionFeatures row, Measure measure, FeatureWindow window)
    {
        foreach (var scope in ScopesOf(row))
        {
            if (scope.Summary(measure, window) is { Members: >= MinPeers } summary)
            {
                return summary;
            }
        }

        return everyone.Summary(measure, window);
    }

    public double? Median(InstitutionFeatures row, Measure measure, FeatureWindow window) => Summary(row, measure, window)?.Median;

    /// <summary>
    /// The pooled 差评率 of the peers in a window (all their ratings together). <paramref name="trimmed"/> leaves out
    /// the tenth worst over the last 7 days, for measuring a change the whole group shares without one or two busy
    /// problem members.
    /// </summary>
    public double? PooledBadRate(InstitutionFeatures row, FeatureWindow window, bool trimmed = false)
    {
        foreach (var scope in ScopesOf(row))
        {
            if (scope.Members >= MinPeers && scope.Pooled(window, trimmed).Ratings > 0)
            {
                return scope.Pooled(window, trimmed).BadRate;
            }
        }

        return everyone.Pooled(window, trimmed).BadRate;
    }

    /// <summary>
    /// The peers' ratings and 差评 together day by day over the last <see cref="FeatureWindows.DailyDays"/> days, and
    /// over the days of the 90 before those, leaving out the tenth whose last 7 days were worst, so one or two
    /// problem members do not make a day look like a shared dip. A group with too few ratings a day falls back to
    /// the kind, then to everyone.
    /// </summary>
    public DailySeries PooledDaily(InstitutionFeatures row)
    {
        foreach (var scope in ScopesOf(row))
        {
            if (scope.Members >= MinPeers && scope.PooledDaily().LastDays(FeatureWindows.DailyDays).Ratings >= MinDailyRatings * FeatureWindows.DailyDays)
            {
                return scope.PooledDaily();
            }
        }

        return everyone.PooledDaily();
    }

    /// <summary>Scopes are built when first asked for: most rows never need the fallback to their kind.</summary>
    private IEnumerable<Scope> ScopesOf(InstitutionFeatures row)
    {
        var city = row.Institution.CityCode;
        if (!groups.TryGetValue((row.PeerGroup, city), out var own))
        {
            own = byGroup[row.PeerGroup].Outside(city);
            groups[(row.PeerGroup, city)] = own;
        }

        yield return own;
        if (!kinds.TryGetValue((row.PeerGroup.Kind, city), out var kind))
        {
            kind = byKind[row.PeerGroup.Kind].Outside(city);
            kinds[(row.PeerGroup.Kind, city)] = kind;
        }

        yield return kind;
    }

    private static Pool PoolOf<TKey>(Dictionary<TKey, Pool> index, TKey key)
        where TKey : notnull
    {
        if (!index.TryGetValue(key, out var pool))
        {
            pool = new Pool([]);
            index[key] = pool;
        }

        return pool;
    }

    /// <summary>
    /// The rows of a group or kind, in the rows' order, and each measure's values over them sorted once with their
    /// cities (<see cref="OutsideCity"/>): every city's scope reads its median and spread leaving its own city out,
    /// rather than sorting its remainder again.
    /// </summary>
    private sealed class Pool(List<InstitutionFeatures> rows)
    {
        private readonly OutsideCity?[,] sorted = new OutsideCity?[Measures.Count, FeatureWindows.Count];

        public void Add(InstitutionFeatures row) => rows.Add(row);

        public Scope Outside(string city) => new([.. rows.Where(r => r.Institution.CityCode != city)], this, city);

        public OutsideCity Values(Measure measure, FeatureWindow window)
        {
            if (sorted[(int)measure, (int)window] is not { } values)
            {
                var tagged = new List<(string, double)>(rows.Count);
                foreach (var row in rows)
                {
                    if (Measures.ValueOf(row, measure, window) is { } value)
                    {
                        tagged.Add((row.Institution.CityCode, value));
                    }
                }

                values = new OutsideCity(tagged);
                sorted[(int)measure, (int)window] = values;
            }

            return values;
        }
    }

    /// <summary>A set of peers: a pool less one city (none for everyone); each summary is computed once, when first asked for.</summary>
    private sealed class Scope(IReadOnlyList<InstitutionFeatures> members, Pool pool, string? city)
    {
        private readonly PeerSummary?[,] summaries = new PeerSummary?[Measures.Count, FeatureWindows.Count];
        private readonly bool[,] summarized = new bool[Measures.Count, FeatureWindows.Count];
        private WindowCounts?[]? pooled;
        private DailySeries? daily;
        private InstitutionFeatures[]? ranked;

        public int Members => members.Count;

        public WindowCounts Pooled(FeatureWindow window, bool trimmed)
        {
            var slot = (int)window + (trimmed ? FeatureWindows.Count : 0);
            pooled ??= new WindowCounts?[2 * FeatureWindows.Count];
            if (pooled[slot] is not { } sum)
            {
                sum = default;
                foreach (var row in Ranked().AsSpan(trimmed ? Trim : 0))
                {
                    sum += row[window];
                }

                pooled[slot] = sum;
            }

            return sum;
        }

        public DailySeries PooledDaily() => daily ??= DailySeries.Sum(Ranked().Skip(Trim));

        /// <summary>The worst tenth that trimmed sums leave out.</summary>
        private int Trim => (int)Math.Ceiling(members.Count * 0.1);

        /// <summary>
        /// The members worst first, ranked once for every window's sum. Ranked by the last 7 days whatever the window:
        /// ranked by one day, the tenth left out of a group of small members would be every member with a 差评 that
        /// day, and a shared bad day would look good.
        /// </summary>
        private InstitutionFeatures[] Ranked() => ranked ??= [.. members.OrderByDescending(r => r[FeatureWindow.Days7].BadRate ?? 0)];

        public PeerSummary? Summary(Measure measure, FeatureWindow window)
        {
            if (!summarized[(int)measure, (int)window])
            {
                // 1.4826 × MAD estimates a standard deviation, robust to the very outliers detection looks for.
                var values = pool.Values(measure, window);
                summaries[(int)measure, (int)window] = values.Median(city) is { } median
                    ? new PeerSummary(median, 1.4826 * values.Deviation(city, median)!.Value, values.Count(city))
                    : null;
                summarized[(int)measure, (int)window] = true;
            }

            return summaries[(int)measure, (int)window];
        }

    }

    /// <summary>The median of values already in ascending order.</summary>
    internal static double MedianOfSorted(List<double> sorted) => sorted.Count % 2 == 1
        ? sorted[sorted.Count / 2]
        : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}
