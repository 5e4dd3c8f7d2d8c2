using Evaluation.Contracts.Detection;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Measures;
using Evaluation.Domain.Registry;

namespace Evaluation.Detection;

/// <summary>The windows detection looks at. Baseline is the 28 days before the last three, the institution's own recent past.</summary>
public enum FeatureWindow
{
    Today = 0,
    Days3 = 1,
    Days7 = 2,
    Days30 = 3,
    Days90 = 4,
    Baseline = 5,
}

public static class FeatureWindows
{
    public const int Count = 6;

    public const int LongestDays = 90;

    public const int BaselineDays = 28;

    /// <summary>Days kept one by one for the sequential test of declines (<see cref="DeclineTest"/>).</summary>
    public const int DailyDays = 21;

    /// <summary>The name the API uses, e.g. <c>d30</c>.</summary>
    public static string Name(FeatureWindow window) => window switch
    {
        FeatureWindow.Today => Windows.Today,
        FeatureWindow.Days3 => "d3",
        FeatureWindow.Days7 => Windows.Days7,
        FeatureWindow.Days30 => Windows.Days30,
        FeatureWindow.Days90 => Windows.Days90,
        _ => "baseline",
    };

    public static string Label(FeatureWindow window) => window switch
    {
        FeatureWindow.Today => "今天",
        FeatureWindow.Days3 => "近3天",
        FeatureWindow.Days7 => "近7天",
        FeatureWindow.Days30 => "近30天",
        FeatureWindow.Days90 => "近90天",
        _ => "此前28天",
    };

    public static int Days(FeatureWindow window) => window switch
    {
        FeatureWindow.Today => 1,
        FeatureWindow.Days3 => 3,
        FeatureWindow.Days7 => 7,
        FeatureWindow.Days30 => 30,
        FeatureWindow.Days90 => 90,
        _ => BaselineDays,
    };

    /// <summary>Ages (days before today) a window covers: [first, last].</summary>
    public static (int First, int Last) Ages(FeatureWindow window) => window == FeatureWindow.Baseline
        ? (3, 3 + BaselineDays - 1)
        : (0, Days(window) - 1);
}

/// <summary>
/// Additive counters of one window: enough for every rate detection uses and its confidence. The call-back and
/// rectification counts are the follow-ups of the window's 差评 whose step was due, and those taken in time.
/// </summary>
public readonly record struct WindowCounts(
    long Ratings, long Bad, double LevelSum, double LevelSquares, long Completed, long OnTime, double HandlingHours,
    long CallBacksDue = 0, long CallBacksOnTime = 0, long RectificationsDue = 0, long RectificationsOnTime = 0, long Opened = 0)
{
    /// <summary>Services accepted in the window and not completed in it (none when completions outnumber them).</summary>
    public long Unfinished => Math.Max(0, Opened - Completed);

    public double? CallBackOnTimeRate => CallBacksDue == 0 ? null : (double)CallBacksOnTime / CallBacksDue;

    public double? RectifiedOnTimeRate => RectificationsDue == 0 ? null : (double)RectificationsOnTime / RectificationsDue;

    public double? BadRate => Ratings == 0 ? null : (double)Bad / Ratings;

    public double? Satisfaction => Ratings == 0 ? null : MeasureCalculator.ToScore(LevelSum / Ratings);

    public long Late => Completed - OnTime;

    public double? OnTimeRate => Completed == 0 ? null : (double)OnTime / Completed;

    public double? MeanHandlingHours => Completed == 0 ? null : HandlingHours / Completed;

    public double? EvaluationRate => Completed == 0 ? null : (double)Ratings / Completed;

    /// <summary>Standard deviation of the levels, floored like the measures' interval so unanimous samples claim no certainty.</summary>
    public double LevelStdDev
    {
        get
        {
            if (Ratings < 2)
            {
                return 2;
            }

            var mean = LevelSum / Ratings;
            var variance = (LevelSquares - (Ratings * mean * mean)) / (Ratings - 1);
            return Math.Sqrt(Math.Max(variance, MeasureCalculator.MinLevelVariance));
        }
    }

    public static WindowCounts Of(Tally tally)
    {
        long ratings = 0;
        double sum = 0, squares = 0;
        for (var i = 0; i < tally.Levels.Length; i++)
        {
            var level = i + 1;
            ratings += tally.Levels[i];
            sum += level * (double)tally.Levels[i];
            squares += level * level * (double)tally.Levels[i];
        }

        var f = tally.FollowUps;
        return new WindowCounts(ratings, tally.Levels[0] + tally.Levels[1], sum, squares, tally.Completed, tally.CompletedOnTime, tally.HandlingHoursSum,
            f is null ? 0 : f.CalledBackOnTime + f.CallBackMissed, f?.CalledBackOnTime ?? 0, f is null ? 0 : f.RectifiedOnTime + f.RectifyMissed, f?.RectifiedOnTime ?? 0,
            tally.Opened);
    }

    public static WindowCounts operator -(WindowCounts a, WindowCounts b) => a + Negate(b);

    private static WindowCounts Negate(WindowCounts c) => new(
        -c.Ratings, -c.Bad, -c.LevelSum, -c.LevelSquares, -c.Completed, -c.OnTime, -c.HandlingHours,
        -c.CallBacksDue, -c.CallBacksOnTime, -c.RectificationsDue, -c.RectificationsOnTime, -c.Opened);

    public static WindowCounts operator +(WindowCounts a, WindowCounts b) => new(
        a.Ratings + b.Ratings,
        a.Bad + b.Bad,
        a.LevelSum + b.LevelSum,
        a.LevelSquares + b.LevelSquares,
        a.Completed + b.Completed,
        a.OnTime + b.OnTime,
        a.HandlingHours + b.HandlingHours,
        a.CallBacksDue + b.CallBacksDue,
        a.CallBacksOnTime + b.CallBacksOnTime,
        a.RectificationsDue + b.RectificationsDue,
        a.RectificationsOnTime + b.RectificationsOnTime,
        a.Opened + b.Opened);
}

/// <summary>The counters of one part of an institution (a service item or a channel) over the last 7 and 30 days.</summary>
public readonly record struct PartCounts(WindowCounts Days7, WindowCounts Days30)
{
    public WindowCounts this[FeatureWindow window] => window == FeatureWindow.Days7 ? Days7 : Days30;

    public static PartCounts operator +(PartCounts a, PartCounts b) => new(a.Days7 + b.Days7, a.Days30 + b.Days30);

    public static PartCounts operator -(PartCounts a, PartCounts b) => new(a.Days7 - b.Days7, a.Days30 - b.Days30);
}

/// <summary>
/// What a row holds beyond its windows: the last <see cref="FeatureWindows.DailyDays"/> days one by one (age 0 is
/// today), the counters per service item and per channel, and the services accepted and not yet completed.
/// </summary>
public sealed record FeatureParts(
    WindowCounts[] Daily,
    IReadOnlyDictionary<string, PartCounts> Items,
    IReadOnlyDictionary<Channel, PartCounts> Channels,
    long Backlog)
{
    public static FeatureParts Empty { get; } = new(new WindowCounts[FeatureWindows.DailyDays], new Dictionary<string, PartCounts>(), new Dictionary<Channel, PartCounts>(), 0);
}

/// <summary>One institution's feature row: its counters per window and the context it is judged in.</summary>
public sealed class InstitutionFeatures(Institution institution, PeerGroup peerGroup, double limitHours, WindowCounts[] windows, FeatureParts? parts = null)
{
    public Institution Institution { get; } = institution;

    public PeerGroup PeerGroup { get; } = peerGroup;

    /// <summary>The mean time limit of its published items, in elapsed hours.</summary>
    public double LimitHours { get; } = limitHours;

    public FeatureParts Parts { get; } = parts ?? FeatureParts.Empty;

    public WindowCounts this[FeatureWindow window] => windows[(int)window];

    /// <summary>Mean handling time as a share of the time limit (1 = takes the whole limit).</summary>
    public double? HandlingVsLimit(FeatureWindow window) =>
        this[window].MeanHandlingHours is { } hours && LimitHours > 0 ? hours / LimitHours : null;

    /// <summary>Ratings per day.</summary>
    public double Volume(FeatureWindow window) => (double)this[window].Ratings / FeatureWindows.Days(window);

    /// <summary>差评率 trend: the last 7 days against the last 90, in rate points.</summary>
    public double? BadRateTrend => this[FeatureWindow.Days7].BadRate - this[FeatureWindow.Days90].BadRate;

    /// <summary>
    /// The row's days one by one and the rest of its 90 (<see cref="DailySeries.Of"/>), summed once: the decline tests
    /// read it for every pool the row is in. Rows are read on several cores; two that race compute the same series.
    /// </summary>
    public DailySeries Series => series ??= new(Parts.Daily, this[FeatureWindow.Days90] - DailySeries.Total(Parts.Daily));

    private DailySeries? series;
}

/// <summary>
/// Builds feature rows from grain state, never from the log: from an institution's <see cref="FeatureInputs"/>, which
/// the grain holding its aggregate computes (<see cref="Inputs"/>) so a run moves kilobytes per institution rather
/// than the aggregate, or straight from an <see cref="AggregateData"/> through the same inputs, so both give one row.
/// </summary>
public static class FeatureBuilder
{
    /// <summary>
    /// Time limits count working days; handling hours are elapsed time, so a working day is taken as 7/5 of a
    /// calendar day, which is what a limit of N working days spans on average.
    /// </summary>
    private const double ElapsedHoursPerWorkingDay = 24.0 * 7 / 5;

    /// <summary>Days the per-channel and per-item counters cover.</summary>
    private const int PartDays = 30;

    private const int RecentPartDays = 7;

    /// <summary>A row straight from an aggregate; its comment topics are left out, which only annotations read.</summary>
    public static InstitutionFeatures Build(InstitutionRegistry registry, Institution institution, AggregateData data, DateOnly today) =>
        Build(registry, institution, Counters(data, today, 0, NoTopics));

    public static InstitutionFeatures Build(InstitutionRegistry registry, Institution institution, FeatureInputs inputs)
    {
        // Only the windows' sums and the daily days outlive the call: the 90 days are summed on the stack.
        Span<WindowCounts> byAge = stackalloc WindowCounts[FeatureWindows.LongestDays];
        for (var age = 0; age < byAge.Length && age < inputs.Days.Count; age++)
        {
            byAge[age] = inputs.Days[age] is { } tally ? WindowCounts.Of(tally) : default;
        }

        var channels = inputs.Channels.ToDictionary(c => c.Key, c => PartOf(c.Value));
        var items = inputs.Items.ToDictionary(i => i.Key, i => PartOf(i.Value), StringComparer.Ordinal);
        var parts = new FeatureParts(byAge[..FeatureWindows.DailyDays].ToArray(), items, channels, inputs.Backlog);
        return new(institution, registry.PeerGroupOf(institution), LimitHours(registry, institution), Windows(byAge), parts);
    }

    public static WindowCounts[] Windows(AggregateData data, DateOnly today) =>
        Windows([.. Counters(data, today, 0, NoTopics).Days.Select(d => d is null ? default : WindowCounts.Of(d))]);

    /// <summary>
    /// What a row needs of an aggregate on <paramref name="today"/>, summed with the measures' own tally sum in the
    /// aggregate's order, so the row's counters are exactly those of summing the aggregate's tallies one by one.
    /// Detection reads no handling-time distribution, so the sums leave it out: it is most of a tally's bytes.
    /// </summary>
    public static FeatureInputs Inputs(AggregateData data, DateOnly today, long position) =>
        Counters(data, today, position, TopicMeasures.Summarize(data, today));

    private static readonly TopicSummary NoTopics = new(0, 0, []);

    private static FeatureInputs Counters(AggregateData data, DateOnly today, long position, TopicSummary topics)
    {
        var days = new Tally?[FeatureWindows.LongestDays];
        var channels = new Dictionary<Channel, PartTallies>();
        foreach (var (key, tally) in data.Tallies)
        {
            var age = today.DayNumber - key.Day.DayNumber;
            if (age is >= 0 and < FeatureWindows.LongestDays)
            {
                Aggregation.AddTally(days[age] ??= new Tally(), tally, histogram: false);
            }

            AddPart(channels, key.Channel, age, tally);
        }

        var items = new Dictionary<string, PartTallies>(StringComparer.Ordinal);
        foreach (var (key, tally) in data.ServiceItems)
        {
            AddPart(items, key.ServiceItem, today.DayNumber - key.Day.DayNumber, tally);
        }

        return new FeatureInputs(position, today, days, channels, items, data.Backlog, topics);
    }

    private static void AddPart<TKey>(Dictionary<TKey, PartTallies> parts, TKey key, int age, Tally tally)
        where TKey : notnull
    {
        if (age is < 0 or >= PartDays)
        {
            return;
        }

        if (!parts.TryGetValue(key, out var part))
        {
            part = new PartTallies(new Tally(), new Tally());
            parts[key] = part;
        }

        if (age < RecentPartDays)
        {
            Aggregation.AddTally(part.Days7, tally, histogram: false);
        }

        Aggregation.AddTally(part.Days30, tally, histogram: false);
    }

    private static PartCounts PartOf(PartTallies part) => new(WindowCounts.Of(part.Days7), WindowCounts.Of(part.Days30));

    private static WindowCounts[] Windows(ReadOnlySpan<WindowCounts> byAge)
    {
        var windows = new WindowCounts[FeatureWindows.Count];
        for (var w = 0; w < FeatureWindows.Count; w++)
        {
            var (first, last) = FeatureWindows.Ages((FeatureWindow)w);
            for (var age = first; age <= last; age++)
            {
                windows[w] += byAge[age];
            }
        }

        return windows;
    }

    /// <remarks>Summed in the items' order, as <see cref="Enumerable.Average(IEnumerable{double})"/> sums doubles, without a list per row.</remarks>
    public static double LimitHours(InstitutionRegistry registry, Institution institution)
    {
        double sum = 0;
        var count = 0;
        foreach (var item in registry.ServicesOf(institution))
        {
            var hours = item.TimeLimit.Unit == TimeLimitUnit.Hours ? item.TimeLimit.Value : item.TimeLimit.Value * ElapsedHoursPerWorkingDay;
            if (hours > 0)
            {
                sum += hours;
                count++;
            }
        }

        return count == 0 ? 0 : sum / count;
    }
}
