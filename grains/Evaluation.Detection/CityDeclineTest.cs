using System.Globalization;
using Evaluation.Contracts.Detection;
using Evaluation.Domain.Calendar;
using NodaTime;

namespace Evaluation.Detection;

/// <summary>
/// Finds a whole city going wrong within days: one <see cref="BernoulliCusum"/> over the city's institutions pooled,
/// adding each day the evidence of two independent streams, 差评 among ratings and late completions among
/// completions, each against the city's own earlier rate scaled by what the other cities saw that day
/// (<see cref="SharedMovement"/>), so a province-wide rush or holiday is explained away and a city that moves against
/// the rest is not. Many institutions each a little worse are strong evidence together, long before any one of them
/// is. The worst third of the city on each stream is left out of its pool, and the worst tenth of the province out
/// of the others', so one or two failing institutions are their own alerts, not their city's. Subject: the city code.
/// </summary>
public sealed class CityDeclineTest(DetectionSettings settings, WorkingCalendar calendar)
{
    private static readonly RateStream[] Streams = [RateStream.Bad, RateStream.Late];

    /// <summary>
    /// Share of a city's institutions, the worst on a stream over the last 7 days, left out of its pool: two or three
    /// failing institutions of a city of eight are their own alerts.
    /// </summary>
    private const double CityTrim = 1.0 / 3;

    /// <summary>Share of the province's institutions left out of the others' pool the same way.</summary>
    private const double ProvinceTrim = 0.1;

    /// <summary>Fewest institutions of a city for a city-wide decline: of fewer, each one's decline is the whole story.</summary>
    private const int MinInstitutions = 3;

    public IEnumerable<Signal> Judge(IReadOnlyList<InstitutionFeatures> rows, DateOnly today)
    {
        var typical = Streams.Select(stream => Trimmed(rows, stream, ProvinceTrim)).ToArray();
        var province = typical.Select(DailySeries.Sum).ToArray();
        foreach (var city in rows.GroupBy(r => r.Institution.CityCode).Where(g => g.Count() >= MinInstitutions).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = city.ToList();
            var pools = Streams.Select((stream, s) => new Pool(
                stream,
                DailySeries.Sum(Trimmed(members, stream, CityTrim)),
                province[s] - DailySeries.Sum(typical[s].Where(r => r.Institution.CityCode == city.Key)))).ToArray();
            var statistic = Test(pools, today);
            if (statistic >= settings.CityDeclineThreshold / 2)
            {
                yield return Signal(city.Key, members, pools, statistic);
            }
        }
    }

    private double Test(Pool[] pools, DateOnly today)
    {
        var cusum = new BernoulliCusum(settings.CityDeclineShift);
        for (var age = FeatureWindows.DailyDays - 1; age >= 0; age--)
        {
            var holiday = calendar.IsHoliday(LocalDate.FromDateOnly(today.AddDays(-age)));
            double ratio = 0;
            foreach (var pool in pools)
            {
                if (SharedMovement.Expected(pool.Expected, pool.Stream, pool.Others.Daily[age], pool.OthersBefore, holiday) is { } expected)
                {
                    var day = pool.Own.Daily[age];
                    ratio += cusum.Ratio(pool.Stream.Events(day), pool.Stream.Trials(day), expected);
                }
            }

            cusum.AddDay(ratio);
        }

        return cusum.Statistic;
    }

    private Signal Signal(string city, List<InstitutionFeatures> members, Pool[] pools, double statistic)
    {
        var (bad, late) = (pools[0], pools[1]);
        var badWeek = bad.Own.LastDays(7).BadRate ?? 0;
        var lateWeek = late.Own.LastDays(7) is { Completed: > 0 } w ? (double)w.Late / w.Completed : 0;
        var worse = members.Count(r => r[FeatureWindow.Days7].BadRate > DailySeries.Of(r).Earlier.BadRate);
        var raise = statistic >= settings.CityDeclineThreshold;
        var excess = Math.Max(badWeek - bad.Expected, lateWeek - late.Expected) - settings.CityDeclineShift;
        ExplanationLine[] lines =
        [
            new(Measures.Name(Measure.BadRate), badWeek, bad.Others.LastDays(7).BadRate, FeatureWindows.Name(FeatureWindow.Days7),
                $"全市近7天差评率 {Explanations.Percent(badWeek)}，此前 {Explanations.Percent(bad.Expected)}；本市 {members.Count} 家机构中 {worse} 家差评率高于此前（累计和 "
                + statistic.ToString("0.0", CultureInfo.InvariantCulture) + "，阈值 " + settings.CityDeclineThreshold.ToString("0.0", CultureInfo.InvariantCulture) + "）"),
            new(Measures.Name(Measure.OnTimeRate), 1 - lateWeek, late.Others.LastDays(7).OnTimeRate, FeatureWindows.Name(FeatureWindow.Days7),
                $"全市近7天按时办结率 {Explanations.Percent(1 - lateWeek)}，此前 {Explanations.Percent(1 - late.Expected)}"),
        ];
        return new Signal(city, city, AlertReason.Decline, raise, true, Detector.SeverityOf(excess), 0, lines);
    }

    /// <summary>The rows less the given share (at least one) that were worst on the stream over the last 7 days.</summary>
    private static List<InstitutionFeatures> Trimmed(IReadOnlyList<InstitutionFeatures> rows, RateStream stream, double share) =>
        [.. rows.OrderByDescending(r => stream.Rate(r[FeatureWindow.Days7]) ?? 0).Skip((int)Math.Ceiling(rows.Count * share))];

    /// <summary>One stream of a city: its own pooled series, the other cities' and the rate it is expected at.</summary>
    private sealed record Pool(RateStream Stream, DailySeries Own, DailySeries Others)
    {
        public double OthersBefore => Stream.Rate(Others.Earlier) ?? 0;

        public double Expected { get; } = SharedMovement.Cautious(Stream.Rate(Own.Earlier) ?? Stream.Rate(Others.Earlier) ?? 0, Stream.Trials(Own.Earlier));
    }
}
