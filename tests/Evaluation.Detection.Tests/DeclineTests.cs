using Evaluation.Contracts.Detection;
using Evaluation.Contracts.Registry;
using Evaluation.Detection;
using Xunit;

namespace Evaluation.Detection.Tests;

public sealed class DeclineTests
{
    private static readonly Detector Detector = new(DetectionSettings.Default, Traffic.Registry.ServiceItems);

    [Fact]
    public void A_climbing_差评率_is_a_decline_within_the_week_explained_against_its_own_past()
    {
        // 5 % for months, then 2, 3, 3, 4, 4, 5, 5 差评 of 20 over the last seven days.
        int[] lastWeek = [5, 5, 4, 4, 3, 3, 2];
        var rows = DetectorTests.Peers((index, traffic) => index == 0 ? Climbing(lastWeek) : traffic);

        var signals = Detector.Score(rows, null, Traffic.Today).Signals.Where(s => s.Reason == AlertReason.Decline).ToList();

        var signal = Assert.Single(signals);
        Assert.True(signal.Raise);
        Assert.Equal(rows[0].Institution.Id, signal.InstitutionId);
        var line = Assert.Single(signal.Explanation);
        Assert.Equal(("badRate", "d7"), (line.Measure, line.Window));
        Assert.Equal(26.0 / 140, line.Value, 6);
        Assert.Matches(@"^近7天差评率 18\.6%，此前 5\.\d%，持续上升（累计和 \d+\.\d，阈值 \d\.\d），同类机构中位数 5\.0%$", line.Text);
    }

    [Fact]
    public void A_rush_or_a_holiday_everyone_shares_is_explained_away_but_a_member_worse_than_its_peers_on_it_is_not()
    {
        // The whole peer group: three bad days a week ago (a seasonal rush).
        var rush = DetectorTests.Peers((_, traffic) => traffic.Ratings(age: 7, total: 20, bad: 8).Ratings(age: 8, total: 20, bad: 8).Ratings(age: 9, total: 20, bad: 8));

        // The Dragon Boat Festival (2026-06-19..21, ages 9..11): everyone twice as many 差评 as usual (a harder mix).
        int[] festival = [9, 10, 11];
        var holiday = DetectorTests.Peers((_, traffic) => festival.Aggregate(traffic, (t, age) => t.Ratings(age, total: 20, bad: 3)));

        // One member far worse than the rest on the same holiday: its own change counts.
        var worseOnHoliday = DetectorTests.Peers((index, traffic) =>
            festival.Aggregate(traffic, (t, age) => t.Ratings(age, total: 20, bad: index == 0 ? 16 : 3)));

        // The same bad days on working days, the peers as usual, are a decline.
        var working = DetectorTests.Peers((index, traffic) => index == 0
            ? traffic.Ratings(age: 12, total: 20, bad: 8).Ratings(age: 13, total: 20, bad: 8).Ratings(age: 14, total: 20, bad: 8)
            : traffic);

        Assert.DoesNotContain(Detector.Score(rush, null, Traffic.Today).Signals, s => s.Reason == AlertReason.Decline);
        Assert.DoesNotContain(Detector.Score(holiday, null, Traffic.Today).Signals, s => s.Reason == AlertReason.Decline);
        var raised = Assert.Single(Detector.Score(worseOnHoliday, null, Traffic.Today).Signals, s => s.Reason == AlertReason.Decline && s.Raise);
        Assert.Equal(worseOnHoliday[0].Institution.Id, raised.InstitutionId);
        Assert.Contains(Detector.Score(working, null, Traffic.Today).Signals, s => s.Reason == AlertReason.Decline && s.Raise);
    }

    [Fact]
    public void A_city_declines_when_its_institutions_together_rise_against_the_other_cities_but_not_for_one_failing_member()
    {
        var city = Traffic.Registry.Institutions.GroupBy(i => i.CityCode).First(g => g.Count() >= 6).ToList();
        var others = Traffic.Registry.Institutions.Where(i => i.CityCode != city[0].CityCode).ToList();

        // Each of the city's institutions a little worse over the last week: 2 差评 of 20 a day instead of 1, and 3
        // late of 20 completions instead of 1. Too little for any one of them to raise a decline.
        Traffic Slipping() => new Traffic().Daily(days: 90, ratings: 20, bad: 1, services: 20, late: 1).Daily(days: 7, ratings: 20, bad: 3, services: 20, late: 5);

        List<InstitutionFeatures> Rows(Func<int, Traffic> cityTraffic, Func<Traffic> elsewhere) =>
        [
            .. city.Select((institution, index) => cityTraffic(index).Features(institution)),
            .. others.Select(institution => elsewhere().Features(institution)),
        ];

        var slipping = Detector.Score(Rows(_ => Slipping(), Steady), null, Traffic.Today).Signals;
        var everywhere = Detector.Score(Rows(_ => Slipping(), Slipping), null, Traffic.Today).Signals;
        var one = Detector.Score(Rows(index => index == 0 ? Climbing([5, 5, 4, 4, 3, 3, 2]) : Steady(), Steady), null, Traffic.Today).Signals;

        var signal = Assert.Single(slipping, s => s.Reason == AlertReason.Decline && s.InstitutionId == city[0].CityCode);
        Assert.True(signal.Raise);
        Assert.Equal(city[0].CityCode, signal.CityCode);
        Assert.DoesNotContain(slipping, s => s.Reason == AlertReason.Decline && s.Raise && s.InstitutionId != city[0].CityCode);
        Assert.Equal(["badRate", "onTimeRate"], signal.Explanation.Select(l => l.Measure));
        Assert.Matches($@"^全市近7天差评率 10\.0%，此前 \d\.\d%；本市 {city.Count} 家机构中 {city.Count} 家差评率高于此前（累计和 \d+\.\d，阈值 \d\.\d）$", signal.Explanation[0].Text);
        Assert.Matches(@"^全市近7天按时办结率 85\.0%，此前 9\d\.\d%$", signal.Explanation[1].Text);
        Assert.DoesNotContain(everywhere, s => s.Reason == AlertReason.Decline);
        Assert.DoesNotContain(one, s => s.InstitutionId == city[0].CityCode);
        Assert.Contains(one, s => s.Reason == AlertReason.Decline && s.InstitutionId == city[0].Id && s.Raise);
    }

    [Fact]
    public void An_ordinary_week_after_a_short_history_good_by_chance_leans_on_the_peers_and_is_not_a_decline()
    {
        // 39 days of its own before the last three weeks, 10 ratings a day and 3 差评 in all (0.8 %, where its peers
        // have 5 %), then 差评 only on the last three days: 1, 2 and 2 of 10 (its last week 7 %, its three weeks 2.4 %).
        int[] lastDays = [2, 2, 1];
        var ordinary = DetectorTests.Peers((index, traffic) => index == 0 ? ShortHistory(lastDays) : traffic);

        // The same history, then a week that climbs well above the peers: still a decline.
        var climbing = DetectorTests.Peers((index, traffic) => index == 0 ? ShortHistory([3, 3, 3, 2, 2, 2, 2]) : traffic);

        Assert.DoesNotContain(Detector.Score(ordinary, null, Traffic.Today).Signals, s => s.Reason == AlertReason.Decline && s.Raise);
        Assert.Contains(Detector.Score(climbing, null, Traffic.Today).Signals, s => s.Reason == AlertReason.Decline && s.Raise && s.InstitutionId == climbing[0].Institution.Id);
    }

    /// <summary>60 days of 10 ratings a day: 差评 on three days of the first 39 (one each), and <paramref name="lastDays"/>[age] on the last days.</summary>
    private static Traffic ShortHistory(int[] lastDays)
    {
        var traffic = new Traffic();
        for (var age = 0; age < 60; age++)
        {
            traffic.Ratings(age, 10, age < lastDays.Length ? lastDays[age] : age is 25 or 40 or 55 ? 1 : 0);
        }

        return traffic;
    }

    private static Traffic Steady() => new Traffic().Daily(days: 90, ratings: 20, bad: 1);

    /// <summary>20 ratings a day, 1 差评 each day except the last ones: <paramref name="lastDays"/>[age] 差评 on the day that many days ago.</summary>
    private static Traffic Climbing(int[] lastDays)
    {
        var traffic = new Traffic();
        for (var age = 0; age < 90; age++)
        {
            traffic.Ratings(age, 20, age < lastDays.Length ? lastDays[age] : 1);
        }

        return traffic;
    }
}
