using System.Globalization;
using Evaluation.Contracts.Detection;
using Evaluation.Domain.Calendar;
using NodaTime;

namespace Evaluation.Detection;

/// <summary>
/// Finds a 差评率 that has started to climb, within days: a <see cref="BernoulliCusum"/> over the last
/// <see cref="FeatureWindows.DailyDays"/> days against the subject's own earlier rate (shrunk toward its peers', so
/// a short history leans on them). Each day's expected rate rises with what its peers (outside its city) saw that
/// day against their own earlier rate, by the larger of the ratio and the difference, so a dip everyone shares adds
/// nothing; public holidays, when volume and the mix of services change, and days all peers were far worse, are left
/// out altogether.
/// </summary>
public sealed class DeclineTest(DetectionSettings settings, WorkingCalendar calendar)
{
    /// <summary>Peers' rate this many times their earlier one makes a day a shared disturbance, left out like a holiday.</summary>
    private const double SharedDisturbance = 1.5;

    /// <summary>Fewest institutions of a city declining at once for the city to decline.</summary>
    private const int MinCityDeclining = 3;

    /// <summary>A decline signal per institution that shows one, and per city most of whose institutions do.</summary>
    public IReadOnlyList<Signal> Judge(IReadOnlyList<InstitutionFeatures> rows, PeerStatistics peers, DateOnly today, IReadOnlyDictionary<string, double> anomaly)
    {
        var signals = new List<Signal>();
        var declining = new HashSet<string>();
        foreach (var row in rows)
        {
            if (Test(DailySeries.Of(row), peers.PooledDaily(row), today) is not { } o)
            {
                continue;
            }

            declining.Add(row.Institution.Id);
            signals.Add(new Signal(row, AlertReason.Decline, o.Raise, o.Hold, o.Severity, anomaly.GetValueOrDefault(row.Institution.Id),
                [Line(o, peers.Median(row, Measure.BadRate, FeatureWindow.Days7))]));
        }

        signals.AddRange(Cities(rows, declining));
        return signals;
    }

    /// <summary>
    /// A city declines when most of its institutions do at once, each at least as far as holding an alert: a
    /// city-wide cause, found sooner than any one institution's evidence alone would raise. Two or three failing
    /// institutions of a larger city are their own alerts, not the city's. Subject: the city code.
    /// </summary>
    private IEnumerable<Signal> Cities(IReadOnlyList<InstitutionFeatures> rows, HashSet<string> declining)
    {
        foreach (var city in rows.GroupBy(r => r.Institution.CityCode).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var count = city.Count();
            var down = city.Count(r => declining.Contains(r.Institution.Id));
            var raise = down >= MinCityDeclining && down * 2 >= count;
            if (!raise && !(down >= MinCityDeclining - 1 && down * 3 >= count))
            {
                continue;
            }

            var series = DailySeries.Sum(city);
            var week = series.LastDays(7);
            var line = new ExplanationLine("decliningInstitutions", down, null, FeatureWindows.Name(FeatureWindow.Days7),
                $"本市 {count} 家机构中 {down} 家差评率持续上升；全市近7天差评率 {Explanations.Percent(week.BadRate ?? 0)}，此前 {Explanations.Percent(series.Earlier.BadRate ?? 0)}");
            yield return new Signal(city.Key, city.Key, AlertReason.Decline, raise, true, down * 4 >= count * 3 ? AlertSeverity.High : AlertSeverity.Medium, 0, [line]);
        }
    }

    private Outcome? Test(DailySeries own, DailySeries peers, DateOnly today)
    {
        var (shift, threshold) = (settings.DeclineShift, settings.DeclineThreshold);
        // The earlier rate is itself an estimate: one standard error above it, so a past that was good by chance
        // does not make an ordinary week look like a decline.
        var peerBefore = peers.Earlier.BadRate ?? 0;
        var weight = own.Earlier.Ratings + settings.DeclinePriorRatings;
        var estimate = (own.Earlier.Bad + (settings.DeclinePriorRatings * peerBefore)) / weight;
        var expected = estimate + Math.Sqrt(estimate * (1 - estimate) / weight);
        var cusum = new BernoulliCusum(shift);
        for (var age = own.Daily.Length - 1; age >= 0; age--)
        {
            if (calendar.IsHoliday(LocalDate.FromDateOnly(today.AddDays(-age))))
            {
                continue;
            }

            var day = peers.Daily[age];
            var expectedToday = expected;
            if (day.Ratings >= PeerStatistics.MinDailyRatings && peerBefore > 0 && day.BadRate > peerBefore)
            {
                var peerToday = day.BadRate!.Value;
                if (peerToday >= SharedDisturbance * peerBefore)
                {
                    // A day everyone was much worse (a seasonal rush) says nothing about this subject in particular.
                    continue;
                }

                expectedToday = Math.Max(expected * peerToday / peerBefore, expected + peerToday - peerBefore);
            }

            cusum.Add(own.Daily[age].Bad, own.Daily[age].Ratings, expectedToday);
        }

        var week = own.LastDays(7);
        var raise = cusum.Statistic >= threshold && week.Bad >= settings.MinBad;
        var hold = cusum.Statistic >= threshold / 2;
        if ((!raise && !hold) || week.BadRate is not { } rate)
        {
            return null;
        }

        return new Outcome(raise, hold, Detector.SeverityOf(rate - expected - shift), rate, expected, cusum.Statistic);
    }

    private ExplanationLine Line(Outcome o, double? peerRate) =>
        new(Measures.Name(Measure.BadRate), o.Rate, peerRate, FeatureWindows.Name(FeatureWindow.Days7),
            $"近7天差评率 {Explanations.Percent(o.Rate)}，此前 {Explanations.Percent(o.Expected)}，持续上升（累计和 "
            + o.Statistic.ToString("0.0", CultureInfo.InvariantCulture) + "，阈值 "
            + settings.DeclineThreshold.ToString("0.0", CultureInfo.InvariantCulture) + "）"
            + (peerRate is { } peer ? $"，同类机构中位数 {Explanations.Percent(peer)}" : ""));

    private readonly record struct Outcome(bool Raise, bool Hold, AlertSeverity Severity, double Rate, double Expected, double Statistic);
}
