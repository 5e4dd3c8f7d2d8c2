using Evaluation.Contracts.Detection;
using Evaluation.Contracts.Measures;

namespace Evaluation.Detection;

/// <summary>
/// Compares each city's 差评 handling over the last 30 days with the other cities: its call-back on-time rate and
/// its rectification on-time rate, each over the follow-ups whose step was due (taken in time or missed). A city
/// lags when, with at least <see cref="DetectionSettings.MinHandlingDue"/> due, the upper Wilson bound of its rate
/// lies <see cref="DetectionSettings.HandlingMargin"/> below the median of the other cities (those with enough due
/// themselves); it holds while the rate itself stays half that margin below the median. The alert is the city's: its subject is the city code.
/// </summary>
public sealed class HandlingComparison(DetectionSettings settings)
{
    private static readonly HandlingRate[] Rates =
    [
        new("callBackOnTimeRate", "差评回访按时率", "应回访", c => c.CallBacksOnTime, c => c.CallBacksDue),
        new("rectifiedOnTimeRate", "差评整改按时率", "应整改", c => c.RectificationsOnTime, c => c.RectificationsDue),
    ];

    /// <summary>Each city's 30-day counts: the sum of its institutions' feature rows, which a run builds anyway.</summary>
    public static IReadOnlyDictionary<string, WindowCounts> ByCity(IEnumerable<InstitutionFeatures> rows) =>
        rows.GroupBy(r => r.Institution.CityCode)
            .ToDictionary(g => g.Key, g => g.Aggregate(default(WindowCounts), (sum, row) => sum + row[FeatureWindow.Days30]));

    /// <summary>A signal per lagging (or still lagging) city, keyed by city code.</summary>
    public IReadOnlyList<Signal> Compare(IReadOnlyDictionary<string, WindowCounts> cities)
    {
        var signals = new List<Signal>();
        foreach (var (city, counts) in cities.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var raise = false;
            var hold = false;
            var lines = new List<(bool Lagging, ExplanationLine Line)>();
            foreach (var rate in Rates)
            {
                var due = rate.Due(counts);
                var peers = cities
                    .Where(c => c.Key != city && rate.Due(c.Value) >= settings.MinHandlingDue)
                    .Select(c => (double)rate.OnTime(c.Value) / rate.Due(c.Value))
                    .ToList();
                if (due < settings.MinHandlingDue || peers.Count < settings.MinPeerCities)
                {
                    continue;
                }

                peers.Sort();
                var median = PeerStatistics.MedianOfSorted(peers);
                var value = (double)rate.OnTime(counts) / due;
                var lagging = Wilson.Upper(rate.OnTime(counts), due, settings.Z) < median - settings.HandlingMargin;
                if (value >= median - (settings.HandlingMargin / 2))
                {
                    continue;
                }

                raise |= lagging;
                hold = true;
                lines.Add((lagging, new ExplanationLine(rate.Measure, value, median, Windows.Days30,
                    $"近30天{rate.Label} {Explanations.Percent(value)}（{rate.DueLabel} {due} 件），其他地市中位数 {Explanations.Percent(median)}")));
            }

            if (raise || hold)
            {
                signals.Add(new Signal(city, city, AlertReason.HandlingLag, raise, hold, AlertSeverity.Medium, 0,
                    [.. lines.OrderByDescending(l => l.Lagging).Select(l => l.Line)]));
            }
        }

        return signals;
    }

    private sealed record HandlingRate(string Measure, string Label, string DueLabel, Func<WindowCounts, long> OnTime, Func<WindowCounts, long> Due);
}
