using Evaluation.Contracts.Detection;
using Evaluation.Domain.Registry;

namespace Evaluation.Detection;

/// <summary>
/// Slow against peers rather than against the limit: an institution taking many times as long as other institutions
/// (outside its city) take for the same service items, or one of its items taking many times as long as elsewhere,
/// even when every service still ends within a generous limit. And a
/// backlog that grows: services accepted in the last 30 days left unfinished clearly more than at peers.
/// </summary>
public sealed class HandlingPace(DetectionSettings settings, ServiceItemCatalog catalog)
{
    private static readonly FeatureWindow[] Windows = [FeatureWindow.Days7, FeatureWindow.Days30];

    public IReadOnlyList<Signal> Judge(IReadOnlyList<InstitutionFeatures> rows, PeerStatistics peers, IReadOnlyDictionary<string, double> anomaly)
    {
        var itemHours = Windows.ToDictionary(w => w, w => new ItemHours(rows, w));
        var signals = new List<Signal>();
        foreach (var row in rows)
        {
            var score = anomaly.GetValueOrDefault(row.Institution.Id);
            var whole = Whole(row, itemHours, score);
            if (whole is not null)
            {
                signals.Add(whole);
            }

            if (whole is not { Raise: true })
            {
                signals.AddRange(Items(row, itemHours[FeatureWindow.Days30], score));
            }

            if (Backlog(row, peers, score) is { } backlog)
            {
                signals.Add(backlog);
            }
        }

        return signals;
    }

    /// <summary>
    /// The institution's pace over 7 and 30 days: each item's mean handling time over the same item's median elsewhere,
    /// weighted by its completions, so an institution handling long items is not slow for that, only for taking
    /// longer at them.
    /// </summary>
    private Signal? Whole(InstitutionFeatures row, IReadOnlyDictionary<FeatureWindow, ItemHours> itemHours, double score)
    {
        Signal? signal = null;
        foreach (var window in Windows)
        {
            double weighted = 0;
            long completed = 0;
            foreach (var (code, counts) in row.Parts.Items)
            {
                if (counts[window].MeanHandlingHours is { } hours && itemHours[window].Median(code, row.Institution.CityCode) is { } median)
                {
                    weighted += counts[window].Completed * hours / median;
                    completed += counts[window].Completed;
                }
            }

            // Handling times vary far more than a rate (one late case weighs like several on time): a week of a
            // small institution's services is not enough.
            if (completed < (window == FeatureWindow.Days7 ? 3 : 2) * settings.MinCompleted)
            {
                continue;
            }

            var ratio = weighted / completed;
            var raise = ratio >= settings.SlowRatio;
            if (signal is { Raise: true } || (!raise && (signal is not null || ratio < (1 + settings.SlowRatio) / 2)))
            {
                continue;
            }

            var line = new ExplanationLine("handlingVsPeers", ratio, 1, FeatureWindows.Name(window),
                $"{FeatureWindows.Label(window)}办理用时为其他机构同一事项中位数的 {Times(ratio)} 倍（{completed} 件）"
                + (row.HandlingVsLimit(window) is { } share ? $"，平均用时占时限 {Explanations.Percent(share)}" : ""));
            signal = new Signal(row, AlertReason.SlowVsPeers, raise, true, Detector.SeverityOf((ratio - settings.SlowRatio) / 10), score, [line]);
        }

        return signal;
    }

    private IEnumerable<Signal> Items(InstitutionFeatures row, ItemHours itemHours, double score)
    {
        foreach (var (code, counts) in row.Parts.Items.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var month = counts.Days30;
            if (month.Completed < 2 * settings.MinCompleted
                || month.MeanHandlingHours is not { } hours
                || itemHours.Median(code, row.Institution.CityCode) is not { } median)
            {
                continue;
            }

            // One item's mean is noisier than the institution's over all its items (a late case or two moves it): a wider ratio.
            var ratio = hours / median;
            var itemRatio = settings.SlowRatio * 1.4;
            var raise = ratio >= itemRatio;
            if (!raise && ratio < (1 + itemRatio) / 2)
            {
                continue;
            }

            var name = catalog.Find(code)?.Name ?? code;
            var line = new ExplanationLine("meanHandlingHours", hours, median, FeatureWindows.Name(FeatureWindow.Days30),
                $"事项「{name}」（{code}）近30天平均办理用时 {Hours(hours)} 小时（{month.Completed} 件），其他机构该事项中位数 {Hours(median)} 小时，为其 {Times(ratio)} 倍",
                code);
            yield return new Signal(row, AlertReason.SlowVsPeers, raise, true, Detector.SeverityOf((ratio - itemRatio) / 10), score, [line]) { ServiceItem = code };
        }
    }

    private Signal? Backlog(InstitutionFeatures row, PeerStatistics peers, double score)
    {
        var month = row[FeatureWindow.Days30];
        if (month.Opened < Measures.MinSampleForMedian || peers.Median(row, Measure.UnfinishedRate, FeatureWindow.Days30) is not { } median)
        {
            return null;
        }

        var threshold = median + settings.BacklogMargin;
        var lower = Wilson.Lower(month.Unfinished, month.Opened, settings.Z);
        var raise = month.Unfinished >= settings.MinBacklog && lower > threshold;
        var rate = (double)month.Unfinished / month.Opened;
        var hold = rate > threshold - (settings.BacklogMargin / 2);
        if (!raise && !hold)
        {
            return null;
        }

        var line = Explanations.Line(Measure.UnfinishedRate, FeatureWindow.Days30, rate, median) with
        {
            Text = $"近30天受理 {month.Opened} 件、办结 {month.Completed} 件，{Explanations.Text(Measure.UnfinishedRate, FeatureWindow.Days30, rate, median)}，当前在办 {row.Parts.Backlog} 件",
        };
        return new Signal(row, AlertReason.BacklogGrowth, raise, hold, Detector.SeverityOf(lower - threshold), score, [line]);
    }

    private static string Times(double ratio) => ratio.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);

    private static string Hours(double hours) => hours.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Each item's mean handling hours per institution (with enough completions), for medians outside a city; indexed
    /// and sorted by item once (<see cref="OutsideCity"/>), so a median is one pass over the item's holders.
    /// </summary>
    private sealed class ItemHours(IReadOnlyList<InstitutionFeatures> rows, FeatureWindow window)
    {
        private readonly Dictionary<(string, string), double?> cache = [];
        private Dictionary<string, OutsideCity>? holders;

        public double? Median(string code, string city)
        {
            if (!cache.TryGetValue((code, city), out var median))
            {
                holders ??= Index();
                median = holders.TryGetValue(code, out var hours) && hours.Count(city) >= PeerStatistics.MinPeers ? hours.Median(city) : null;
                cache[(code, city)] = median;
            }

            return median;
        }

        private Dictionary<string, OutsideCity> Index()
        {
            var byCode = new Dictionary<string, List<(string, double)>>(StringComparer.Ordinal);
            foreach (var row in rows)
            {
                foreach (var (code, counts) in row.Parts.Items)
                {
                    if (counts[window].Completed < Measures.MinSampleForMedian)
                    {
                        continue;
                    }

                    if (!byCode.TryGetValue(code, out var values))
                    {
                        values = [];
                        byCode[code] = values;
                    }

                    values.Add((row.Institution.CityCode, counts[window].MeanHandlingHours!.Value));
                }
            }

            return byCode.ToDictionary(c => c.Key, c => new OutsideCity(c.Value), StringComparer.Ordinal);
        }
    }
}
