using System.Globalization;
using Evaluation.Contracts.Detection;
using Evaluation.Domain.Calendar;
using NodaTime;

namespace Evaluation.Detection;

/// <summary>
/// Finds a 差评率 that has started to climb, within days: a <see cref="BernoulliCusum"/> over the last
/// <see cref="FeatureWindows.DailyDays"/> days against the subject's own earlier rate (shrunk toward its peers', so
/// a short history leans on them). Each day's expected rate rises with what its peers (outside its city) saw that
/// day against their own earlier rate (<see cref="SharedMovement"/>), so a seasonal rush or a public holiday, when
/// volume and the mix of services change for everyone, is explained away while the institution's own rise on those
/// days still counts.
/// </summary>
public sealed class DeclineTest(DetectionSettings settings, WorkingCalendar calendar)
{
    /// <summary>A decline signal per institution that shows one.</summary>
    public IReadOnlyList<Signal> Judge(IReadOnlyList<InstitutionFeatures> rows, PeerStatistics peers, DateOnly today, IReadOnlyDictionary<string, double> anomaly)
    {
        var signals = new List<Signal>();
        foreach (var row in rows)
        {
            if (Test(DailySeries.Of(row), peers.PooledDaily(row), today) is not { } o)
            {
                continue;
            }

            signals.Add(new Signal(row, AlertReason.Decline, o.Raise, o.Hold, o.Severity, anomaly.GetValueOrDefault(row.Institution.Id),
                [Line(o, peers.Median(row, Measure.BadRate, FeatureWindow.Days7))]));
        }

        return signals;
    }

    private Outcome? Test(DailySeries own, DailySeries peers, DateOnly today)
    {
        var (shift, threshold) = (settings.DeclineShift, settings.DeclineThreshold);
        var peerBefore = peers.Earlier.BadRate ?? 0;
        var weight = own.Earlier.Ratings + settings.DeclinePriorRatings;
        var expected = SharedMovement.Cautious((own.Earlier.Bad + (settings.DeclinePriorRatings * peerBefore)) / weight, weight);
        var cusum = new BernoulliCusum(shift);
        for (var age = own.Daily.Length - 1; age >= 0; age--)
        {
            var holiday = calendar.IsHoliday(LocalDate.FromDateOnly(today.AddDays(-age)));
            if (SharedMovement.Expected(expected, RateStream.Bad, peers.Daily[age], peerBefore, holiday) is { } expectedToday)
            {
                cusum.Add(own.Daily[age].Bad, own.Daily[age].Ratings, expectedToday);
            }
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
