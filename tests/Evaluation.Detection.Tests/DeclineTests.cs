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
    public void Days_every_peer_was_far_worse_and_public_holidays_add_nothing()
    {
        // The whole peer group: three bad days a week ago (a seasonal rush).
        var rush = DetectorTests.Peers((_, traffic) => traffic.Ratings(age: 7, total: 20, bad: 8).Ratings(age: 8, total: 20, bad: 8).Ratings(age: 9, total: 20, bad: 8));

        // One member: three bad days on the Dragon Boat Festival holiday (2026-06-19..21, ages 9..11).
        var holiday = DetectorTests.Peers((index, traffic) => index == 0
            ? traffic.Ratings(age: 9, total: 20, bad: 8).Ratings(age: 10, total: 20, bad: 8).Ratings(age: 11, total: 20, bad: 8)
            : traffic);

        // The same three days on working days are a decline.
        var working = DetectorTests.Peers((index, traffic) => index == 0
            ? traffic.Ratings(age: 12, total: 20, bad: 8).Ratings(age: 13, total: 20, bad: 8).Ratings(age: 14, total: 20, bad: 8)
            : traffic);

        Assert.DoesNotContain(Detector.Score(rush, null, Traffic.Today).Signals, s => s.Reason == AlertReason.Decline);
        Assert.DoesNotContain(Detector.Score(holiday, null, Traffic.Today).Signals, s => s.Reason == AlertReason.Decline);
        Assert.Contains(Detector.Score(working, null, Traffic.Today).Signals, s => s.Reason == AlertReason.Decline && s.Raise);
    }

    [Fact]
    public void A_city_declines_when_most_of_its_institutions_do_but_not_for_one_failing_member()
    {
        var city = Traffic.Registry.Institutions.GroupBy(i => i.CityCode).First(g => g.Count() >= 6).ToList();
        var others = Traffic.Registry.Institutions.Where(i => i.CityCode != city[0].CityCode).ToList();
        int[] lastWeek = [5, 5, 4, 4, 3, 3, 2];

        List<InstitutionFeatures> Rows(int declining) =>
        [
            .. city.Select((institution, index) => (index < declining ? Climbing(lastWeek) : Steady()).Features(institution)),
            .. others.Select(institution => Steady().Features(institution)),
        ];

        var all = Detector.Score(Rows(city.Count), null, Traffic.Today).Signals;
        var one = Detector.Score(Rows(1), null, Traffic.Today).Signals;

        var signal = Assert.Single(all, s => s.Reason == AlertReason.Decline && s.InstitutionId == city[0].CityCode);
        Assert.True(signal.Raise);
        Assert.Equal(city[0].CityCode, signal.CityCode);
        Assert.StartsWith($"本市 {city.Count} 家机构中 {city.Count} 家差评率持续上升", signal.Explanation[0].Text);
        Assert.DoesNotContain(one, s => s.InstitutionId == city[0].CityCode);
        Assert.Contains(one, s => s.Reason == AlertReason.Decline && s.InstitutionId == city[0].Id && s.Raise);
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
