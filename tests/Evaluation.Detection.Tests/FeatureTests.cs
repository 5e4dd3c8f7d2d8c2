using Evaluation.Contracts.Measures;
using Evaluation.Detection;
using Xunit;

namespace Evaluation.Detection.Tests;

public sealed class FeatureTests
{
    [Fact]
    public void Windows_count_only_their_days_and_the_baseline_is_the_28_days_before_the_last_three()
    {
        var institution = Traffic.PeerGroup(1)[0];
        var traffic = new Traffic()
            .Ratings(age: 0, total: 4, bad: 1)
            .Ratings(age: 2, total: 6, bad: 0)
            .Ratings(age: 3, total: 10, bad: 5)
            .Ratings(age: 31, total: 20, bad: 0)
            .Ratings(age: 95, total: 50, bad: 50);

        var row = traffic.Features(institution);

        Assert.Equal(4, row[FeatureWindow.Today].Ratings);
        Assert.Equal(10, row[FeatureWindow.Days3].Ratings);
        Assert.Equal(20, row[FeatureWindow.Days7].Ratings);
        Assert.Equal(20, row[FeatureWindow.Days30].Ratings);
        Assert.Equal(40, row[FeatureWindow.Days90].Ratings);
        Assert.Equal(10, row[FeatureWindow.Baseline].Ratings);
        Assert.Equal(0.5, row[FeatureWindow.Baseline].BadRate);
        Assert.Equal(6.0 / 20, row[FeatureWindow.Days7].BadRate);
    }

    [Fact]
    public void Satisfaction_on_time_rate_and_handling_against_the_limit_follow_the_measures()
    {
        var institution = Traffic.PeerGroup(1)[0];
        var row = new Traffic()
            .Ratings(age: 1, total: 4, bad: 1)
            .Services(age: 1, total: 10, late: 3, hours: 12)
            .Features(institution);

        var week = row[FeatureWindow.Days7];
        Assert.Equal(75, week.Satisfaction);
        Assert.Equal(0.7, week.OnTimeRate);
        Assert.Equal(0.4, week.EvaluationRate);
        Assert.Equal(12 / row.LimitHours, row.HandlingVsLimit(FeatureWindow.Days7)!.Value, 9);
        Assert.True(row.LimitHours > 0);
    }

    [Fact]
    public void The_handling_rates_count_the_follow_ups_whose_step_was_due_and_are_measures_against_peers()
    {
        var today = new DateOnly(2026, 11, 30);
        var data = new AggregateData();
        data.Tallies[new TallyKey(today.AddDays(-2), default, default)] = new Tally
        {
            FollowUps = new FollowUpCounts { CalledBack = 7, CalledBackOnTime = 6, CallBackMissed = 2, Rectified = 4, RectifiedOnTime = 1, RectifyMissed = 1 },
        };
        data.Tallies[new TallyKey(today.AddDays(-40), default, default)] = new Tally { FollowUps = new FollowUpCounts { CallBackMissed = 10 } };

        var month = FeatureBuilder.Windows(data, today)[(int)FeatureWindow.Days30];
        var quarter = FeatureBuilder.Windows(data, today)[(int)FeatureWindow.Days90];

        Assert.Equal((8, 6, 2, 1), (month.CallBacksDue, month.CallBacksOnTime, month.RectificationsDue, month.RectificationsOnTime));
        Assert.Equal(0.75, month.CallBackOnTimeRate);
        Assert.Equal(0.5, month.RectifiedOnTimeRate);
        Assert.Equal(6.0 / 18, quarter.CallBackOnTimeRate);
        Assert.Null(new WindowCounts().CallBackOnTimeRate);
        Assert.Equal("近30天差评回访按时率 75.0%，同类机构中位数 95.0%", Explanations.Text(Measure.CallBackOnTimeRate, FeatureWindow.Days30, 0.75, 0.95));
    }

    [Fact]
    public void Wilson_bounds_are_wide_on_small_samples_and_narrow_on_large_ones()
    {
        var small = Wilson.Lower(3, 3, 3.29);
        var large = Wilson.Lower(300, 300, 3.29);

        Assert.InRange(small, 0.15, 0.3);
        Assert.True(large > 0.95);
        Assert.True(Wilson.Upper(0, 5, 3.29) > 0.5);
        Assert.Equal(0, Wilson.Lower(0, 0, 3.29));
    }
}
