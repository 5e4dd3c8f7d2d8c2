using Evaluation.Contracts.Detection;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Calendar;
using Evaluation.Domain.Registry;

namespace Evaluation.Detection;

/// <summary>
/// What detection concluded about one subject (an institution, or a city for city-level reasons) and reason in one
/// run. <see cref="Raise"/> opens an alert; <see cref="Hold"/>, a weaker condition, keeps one open (hysteresis).
/// <see cref="ServiceItem"/> and <see cref="Channel"/> name the failing part of the subject, when it is one part.
/// </summary>
public sealed record Signal(
    string InstitutionId,
    string CityCode,
    AlertReason Reason,
    bool Raise,
    bool Hold,
    AlertSeverity Severity,
    double AnomalyScore,
    IReadOnlyList<ExplanationLine> Explanation,
    string? ServiceItem = null,
    Channel? Channel = null)
{
    public Signal(InstitutionFeatures row, AlertReason reason, bool raise, bool hold, AlertSeverity severity, double anomalyScore, IReadOnlyList<ExplanationLine> explanation)
        : this(row.Institution.Id, row.Institution.CityCode, reason, raise, hold, severity, anomalyScore, explanation)
    {
    }
}

/// <summary>The outcome of scoring every institution once.</summary>
public sealed record DetectionOutcome(IReadOnlyList<Signal> Signals, IReadOnlyDictionary<string, double> AnomalyScores, int Scored);

/// <summary>
/// Judges every institution against its peers (same kind and region), against the satisfaction the ML.NET model
/// expects for its context, and against its own recent past. Every test is a one-sided confidence bound beyond a
/// margin, so a small sample must be extreme before it raises anything.
/// </summary>
public sealed class Detector(DetectionSettings settings, ServiceItemCatalog catalog)
{
    private readonly DeclineTest decline = new(settings, WorkingCalendar.Default);
    private readonly CityDeclineTest cityDecline = new(settings, WorkingCalendar.Default);
    private readonly PartComparison parts = new(settings, catalog);
    private readonly HandlingPace pace = new(settings, catalog);

    /// <summary>How many measures an explanation lists.</summary>
    public const int TopMeasures = 3;

    private static readonly (Measure Measure, FeatureWindow Window, int Direction)[] AnomalyMeasures =
    [
        (Measure.BadRate, FeatureWindow.Days7, +1),
        (Measure.BadRate, FeatureWindow.Days30, +1),
        (Measure.Satisfaction, FeatureWindow.Days30, -1),
        (Measure.OnTimeRate, FeatureWindow.Days30, -1),
        (Measure.HandlingVsLimit, FeatureWindow.Days30, +1),
        (Measure.BadRateTrend, FeatureWindow.Days7, +1),

        // 差评 handling (SPEC 3.1): an institution whose 差评 are called back or rectified late more than its peers'.
        (Measure.CallBackOnTimeRate, FeatureWindow.Days30, -1),
        (Measure.RectifiedOnTimeRate, FeatureWindow.Days30, -1),
    ];

    /// <param name="today">The Asia/Shanghai day the rows end on (age 0).</param>
    /// <remarks>
    /// The tests that need no peer statistics (whose caches fill as they are asked) run beside those that do, on
    /// another core; every test reads the rows only, and the signals keep one order whichever finishes first.
    /// </remarks>
    public DetectionOutcome Score(IReadOnlyList<InstitutionFeatures> rows, SatisfactionModel? model, DateOnly today)
    {
        var peers = new PeerStatistics(rows);
        var expected = model?.Predict(rows);
        var signals = new List<Signal>();
        var anomaly = new Dictionary<string, double>(rows.Count);
        IReadOnlyList<Signal> cityDeclines = [], cityItems = [], partSignals = [], declines = [], paced = [];
        Parallel.Invoke(
            () =>
            {
                for (var i = 0; i < rows.Count; i++)
                {
                    var row = rows[i];
                    var score = AnomalyScore(row, peers);
                    anomaly[row.Institution.Id] = score;
                    AddIfAny(signals, LowSatisfaction(row, peers, expected?[i], score));
                    AddIfAny(signals, SlowService(row, peers, score));
                    AddIfAny(signals, SuddenDrop(row, peers, score));
                }
            },
            () => (cityDeclines, cityItems) = ([.. cityDecline.Judge(rows, today)], parts.Cities(rows)));
        Parallel.Invoke(
            () => (declines, paced) = ([.. Superseded(decline.Judge(rows, peers, today, anomaly), signals)], pace.Judge(rows, peers, anomaly)),
            () => partSignals = parts.Institutions(rows, anomaly));
        signals.AddRange(declines);
        signals.AddRange(cityDeclines);
        signals.AddRange(partSignals);
        signals.AddRange(cityItems);
        signals.AddRange(paced);
        return new DetectionOutcome(signals, anomaly, rows.Count);
    }

    /// <summary>Sum of squared robust peer z-scores in the bad direction: 0 for a typical institution.</summary>
    public static double AnomalyScore(InstitutionFeatures row, PeerStatistics peers)
    {
        double sum = 0;
        foreach (var (measure, window, direction) in AnomalyMeasures)
        {
            var z = RobustZ(row, peers, measure, window) * direction;
            if (z > 0)
            {
                sum += z * z;
            }
        }

        return sum;
    }

    private Signal? LowSatisfaction(InstitutionFeatures row, PeerStatistics peers, float? expected, double anomaly)
    {
        var raise = false;
        var hold = false;
        double excess = 0;
        FeatureWindow? trigger = null;
        foreach (var window in new[] { FeatureWindow.Days7, FeatureWindow.Days30 })
        {
            var counts = row[window];
            if (counts.Ratings == 0 || peers.Median(row, Measure.BadRate, window) is not { } median)
            {
                continue;
            }

            // Over a week most small members have no 差评 at all, so their median understates the group's rate;
            // the pooled rate does not. The short window is tested most often, so it needs the wider margin, and a
            // rush or holiday the peers share stretches it as it stretched the differences between them.
            var pooled = peers.PooledBadRate(row, window) ?? 0;
            var margin = (window == FeatureWindow.Days7 ? settings.WeekBadRateMargin : settings.BadRateMargin)
                * SharedMovement.Stretch(pooled, peers.PooledBadRate(row, FeatureWindow.Days90) ?? 0);
            var threshold = Math.Max(median, pooled) + margin;
            var lower = Wilson.Lower(counts.Bad, counts.Ratings, settings.Z);
            if (counts.Bad >= settings.MinBad && lower > threshold)
            {
                raise = true;
                trigger ??= window;
                excess = Math.Max(excess, lower - threshold);
            }

            hold |= counts.Ratings >= Measures.MinSampleForMedian && counts.BadRate > threshold - (margin / 2);
        }

        ExplanationLine? modelLine = null;
        var month = row[FeatureWindow.Days30];
        if (expected is { } predicted && month.Ratings >= settings.MinRatingsForModel)
        {
            var actual = month.Satisfaction!.Value;
            var residual = actual - predicted;
            var standardError = month.LevelStdDev * 25 / Math.Sqrt(month.Ratings);
            if (residual < -settings.ResidualMargin && residual + (settings.Z * standardError) < -settings.ResidualMargin)
            {
                raise = true;
                excess = Math.Max(excess, (-residual - settings.ResidualMargin) / 100);
                modelLine = Explanations.Expected(actual, predicted, peers.Median(row, Measure.Satisfaction, FeatureWindow.Days30));
            }

            hold |= residual < -settings.ResidualMargin / 2;
        }

        if (!raise && !hold)
        {
            return null;
        }

        var lines = Top(row, peers, trigger ?? FeatureWindow.Days30, Measure.BadRate,
            [(Measure.Satisfaction, FeatureWindow.Days30), (Measure.BadRateTrend, FeatureWindow.Days7), (Measure.BadRate, FeatureWindow.Days90), (Measure.Volume, FeatureWindow.Days30)]);
        if (modelLine is not null)
        {
            lines.Insert(Math.Min(1, lines.Count), modelLine);
        }

        return new Signal(row, AlertReason.LowSatisfaction, raise, hold, SeverityOf(excess), anomaly, [.. lines.Take(TopMeasures)]);
    }

    private Signal? SlowService(InstitutionFeatures row, PeerStatistics peers, double anomaly)
    {
        var raise = false;
        var hold = false;
        double excess = 0;
        FeatureWindow? trigger = null;
        foreach (var window in new[] { FeatureWindow.Days7, FeatureWindow.Days30 })
        {
            var counts = row[window];
            if (counts.Completed == 0 || peers.Median(row, Measure.OnTimeRate, window) is not { } median)
            {
                continue;
            }

            var threshold = 1 - median + settings.LateRateMargin;
            var lower = Wilson.Lower(counts.Late, counts.Completed, settings.Z);
            if (counts.Completed >= settings.MinCompleted && lower > threshold)
            {
                raise = true;
                trigger ??= window;
                excess = Math.Max(excess, lower - threshold);
            }

            hold |= counts.Completed >= Measures.MinSampleForMedian && 1 - counts.OnTimeRate > threshold - (settings.LateRateMargin / 2);
        }

        if (!raise && !hold)
        {
            return null;
        }

        var lines = Top(row, peers, trigger ?? FeatureWindow.Days30, Measure.OnTimeRate,
            [(Measure.HandlingVsLimit, FeatureWindow.Days30), (Measure.EvaluationRate, FeatureWindow.Days30), (Measure.OnTimeRate, FeatureWindow.Days90)]);
        return new Signal(row, AlertReason.SlowService, raise, hold, SeverityOf(excess), anomaly, lines);
    }

    /// <summary>
    /// The last day or three against the institution's own 28 days before. The peers' change over the same days
    /// moves the baseline (<see cref="SharedMovement.Scaled"/>), so a dip the whole peer group (or province) shares is
    /// not this institution's drop.
    /// </summary>
    private Signal? SuddenDrop(InstitutionFeatures row, PeerStatistics peers, double anomaly)
    {
        var baseline = row[FeatureWindow.Baseline];
        if (baseline.Ratings < settings.MinBaselineRatings)
        {
            return null;
        }

        var own = baseline.BadRate!.Value;
        var raise = false;
        var hold = false;
        double excess = 0;
        ExplanationLine? line = null;
        foreach (var window in new[] { FeatureWindow.Today, FeatureWindow.Days3 })
        {
            var counts = row[window];
            if (counts.Ratings == 0)
            {
                continue;
            }

            var peerNow = peers.PooledBadRate(row, window, trimmed: true) ?? 0;
            var peerBefore = peers.PooledBadRate(row, FeatureWindow.Baseline, trimmed: true) ?? 0;
            var threshold = Math.Min(0.9, SharedMovement.Scaled(Math.Max(own, 0.02), peerNow, peerBefore) + settings.DropMargin);
            var lower = Wilson.Lower(counts.Bad, counts.Ratings, settings.Z);

            // A day or three of a small institution is a handful of ratings, tested every run: the exact bound confirms.
            if (counts.Bad >= settings.MinDropBad && lower > threshold && ExactBinomial.Lower(counts.Bad, counts.Ratings, settings.Z) > threshold)
            {
                raise = true;
                excess = Math.Max(excess, lower - threshold);
                line ??= Explanations.Drop(window, counts.BadRate!.Value, own, peers.Median(row, Measure.BadRate, window));
            }

            if (window == FeatureWindow.Days3 && counts.Ratings >= Measures.MinSampleForMedian && counts.BadRate > threshold - (settings.DropMargin / 2))
            {
                hold = true;
                line ??= Explanations.Drop(window, counts.BadRate!.Value, own, peers.Median(row, Measure.BadRate, window));
            }
        }

        if (line is null)
        {
            return null;
        }

        var lines = new List<ExplanationLine> { line };
        lines.AddRange(Top(row, peers, FeatureWindow.Days7, Measure.Satisfaction, [(Measure.BadRateTrend, FeatureWindow.Days7)]).Take(TopMeasures - 1));
        return new Signal(row, AlertReason.SuddenDrop, raise, hold, SeverityOf(excess), anomaly, lines);
    }

    /// <summary>
    /// A decline is the early word on what the satisfaction and drop reasons say once the evidence is in: an
    /// institution they raise this run gets no new decline alert (an open one is held), so the one alert a
    /// supervisor has triaged is not followed by another about the same ratings.
    /// </summary>
    private static IEnumerable<Signal> Superseded(IEnumerable<Signal> declines, List<Signal> signals)
    {
        var raised = signals.Where(s => s.Raise && s.Reason is AlertReason.LowSatisfaction or AlertReason.SuddenDrop).Select(s => s.InstitutionId).ToHashSet();
        return declines.Select(d => d.Raise && raised.Contains(d.InstitutionId) ? d with { Raise = false, Hold = true } : d);
    }

    /// <summary>The triggering measure first, then the other candidates that deviate most from the peers.</summary>
    private static List<ExplanationLine> Top(
        InstitutionFeatures row, PeerStatistics peers, FeatureWindow window, Measure lead, (Measure Measure, FeatureWindow Window)[] candidates)
    {
        var lines = new List<ExplanationLine>();
        if (Line(row, peers, lead, window) is { } first)
        {
            lines.Add(first);
        }

        lines.AddRange(candidates
            .Select(c => (c, z: Math.Abs(RobustZ(row, peers, c.Measure, c.Window))))
            .Where(x => x.z > 0)
            .OrderByDescending(x => x.z)
            .Select(x => Line(row, peers, x.c.Measure, x.c.Window))
            .OfType<ExplanationLine>()
            .Take(TopMeasures - lines.Count));
        return lines;
    }

    private static ExplanationLine? Line(InstitutionFeatures row, PeerStatistics peers, Measure measure, FeatureWindow window)
    {
        var value = measure == Measure.Volume ? row.Volume(window) : Measures.ValueOf(row, measure, window) ?? RawValue(row, measure, window);
        return value is { } v ? Explanations.Line(measure, window, v, peers.Median(row, measure, window)) : null;
    }

    /// <summary>Below the median's minimum sample a value still explains a flag (e.g. 3 ratings, all bad).</summary>
    private static double? RawValue(InstitutionFeatures row, Measure measure, FeatureWindow window) => measure switch
    {
        Measure.BadRate => row[window].BadRate,
        Measure.Satisfaction => row[window].Satisfaction,
        Measure.OnTimeRate => row[window].OnTimeRate,
        _ => null,
    };

    private static double RobustZ(InstitutionFeatures row, PeerStatistics peers, Measure measure, FeatureWindow window)
    {
        if (Measures.ValueOf(row, measure, window) is not { } value || peers.Summary(row, measure, window) is not { } peer)
        {
            return 0;
        }

        var floor = measure switch
        {
            Measure.Satisfaction => 2.0,
            Measure.Volume => 0.5,
            Measure.HandlingVsLimit => 0.05,

            // Peers often all call back on time (no spread): one late call-back must not look like ten.
            Measure.CallBackOnTimeRate or Measure.RectifiedOnTimeRate => 0.1,
            _ => 0.01,
        };
        return (value - peer.Median) / Math.Max(peer.Spread, floor);
    }

    /// <summary>How far beyond its threshold a bound lies (rate points) says how severe a flag is.</summary>
    internal static AlertSeverity SeverityOf(double excess) => excess switch
    {
        >= 0.15 => AlertSeverity.High,
        >= 0.05 => AlertSeverity.Medium,
        _ => AlertSeverity.Low,
    };

    private static void AddIfAny(List<Signal> signals, Signal? signal)
    {
        if (signal is not null)
        {
            signals.Add(signal);
        }
    }
}
