using Evaluation.Detection;
using Xunit;

namespace Evaluation.Detection.Tests;

public sealed class BernoulliCusumTests
{
    [Fact]
    public void A_rate_at_its_expectation_adds_nothing_and_the_sum_never_falls_below_zero()
    {
        var cusum = new BernoulliCusum(shift: 0.08);

        for (var day = 0; day < 60; day++)
        {
            cusum.Add(events: day % 4 == 0 ? 1 : 0, trials: 20, expected: 0.0125);
            Assert.InRange(cusum.Statistic, 0, 2);
        }

        cusum.Add(0, 500, 0.05);
        Assert.Equal(0, cusum.Statistic);
    }

    [Fact]
    public void A_shifted_rate_accumulates_evidence_day_after_day()
    {
        var cusum = new BernoulliCusum(shift: 0.08);
        var sums = new List<double>();

        // Expected 5 %; the days bring 15 % (3 of 20).
        for (var day = 0; day < 7; day++)
        {
            cusum.Add(3, 20, 0.05);
            sums.Add(cusum.Statistic);
        }

        Assert.True(sums.Zip(sums.Skip(1)).All(p => p.Second > p.First), string.Join(" ", sums));
        var perDay = (3 * Math.Log(0.13 / 0.05)) + (17 * Math.Log(0.87 / 0.95));
        Assert.Equal(7 * perDay, cusum.Statistic, 9);
    }

    [Fact]
    public void A_day_without_ratings_changes_nothing_and_a_day_everyone_expected_worse_weighs_less()
    {
        var plain = new BernoulliCusum(0.08);
        var expectedWorse = new BernoulliCusum(0.08);

        plain.Add(4, 20, 0.05);
        expectedWorse.Add(4, 20, 0.15);
        var before = plain.Statistic;
        plain.Add(0, 0, 0.05);

        Assert.Equal(before, plain.Statistic);
        Assert.True(expectedWorse.Statistic < plain.Statistic);
    }

    [Fact]
    public void Streams_of_one_day_add_their_ratios_before_the_floor_at_zero()
    {
        var cusum = new BernoulliCusum(0.04);
        var bad = cusum.Ratio(events: 0, trials: 100, expected: 0.05);
        var late = cusum.Ratio(events: 15, trials: 100, expected: 0.05);
        var apart = new BernoulliCusum(0.04);

        cusum.AddDay(bad + late);
        apart.AddDay(bad);
        apart.AddDay(late);

        Assert.True(bad < 0 && late > -bad, $"{bad} {late}");
        Assert.Equal(bad + late, cusum.Statistic, 9);
        Assert.Equal(late, apart.Statistic, 9);
        Assert.Equal(0, cusum.Ratio(3, 0, 0.05));
    }
}
