using Evaluation.Contracts.Measures;
using Evaluation.Domain.Measures;
using Xunit;

namespace Evaluation.Domain.Tests.Measures;

public sealed class HandlingHistogramTests
{
    /// <summary>The documented worst case inside a geometric bucket: one bucket's width, 2^(1/3).</summary>
    private const double MaxRatio = 1.26;

    [Theory]
    [InlineData(-3.0, 0)]
    [InlineData(double.NaN, 0)]
    [InlineData(0.0, 0)]
    [InlineData(0.2499, 0)]
    [InlineData(0.25, 1)]
    [InlineData(0.4999, 3)]
    [InlineData(0.5, 4)] // 0.25·2^(3/3): the lower bound of bucket 4
    [InlineData(1.0, 7)] // 0.25·2^(6/3)
    [InlineData(17520.0, 49)] // two years still has a bucket of its own
    [InlineData(30000.0, 50)]
    [InlineData(1e12, 50)]
    public void BucketOf_places_hours_on_the_log_scale(double hours, int bucket) =>
        Assert.Equal(bucket, HandlingHistogram.BucketOf(hours));

    [Fact]
    public void Every_value_lies_within_its_bucket()
    {
        for (var hours = 0.01; hours < 40000; hours *= 1.07)
        {
            var bucket = HandlingHistogram.BucketOf(hours);
            Assert.InRange(hours, HandlingHistogram.LowerBound(bucket), double.MaxValue);
            if (bucket < HandlingHistogram.BucketCount - 1)
            {
                Assert.True(hours < HandlingHistogram.LowerBound(bucket + 1), $"{hours} h above bucket {bucket}");
            }
        }
    }

    [Fact]
    public void Empty_histogram_has_no_percentile()
    {
        Assert.Null(HandlingHistogram.Percentile(null, 0.5));
        Assert.Null(HandlingHistogram.Percentile(new long[HandlingHistogram.BucketCount], 0.5));
    }

    [Fact]
    public void Percentiles_of_evenly_spread_hours_are_within_the_documented_error()
    {
        // 1, 2, …, 100 hours: the true median is 50.5 h and the 90th percentile 90.5 h.
        var histogram = Fill(Enumerable.Range(1, 100).Select(h => (double)h));

        AssertWithinRatio(50.5, HandlingHistogram.Percentile(histogram, 0.5));
        AssertWithinRatio(90.5, HandlingHistogram.Percentile(histogram, 0.9));
    }

    [Fact]
    public void Percentiles_of_log_spread_hours_are_close()
    {
        // 10^(2·(i+0.5)/1000) for i < 1000 spans 1 h … 100 h evenly in log: median 10 h, p90 10^1.8 ≈ 63.1 h.
        var histogram = Fill(Enumerable.Range(0, 1000).Select(i => Math.Pow(10, 2 * (i + 0.5) / 1000)));

        AssertWithinRatio(10, HandlingHistogram.Percentile(histogram, 0.5));
        AssertWithinRatio(63.1, HandlingHistogram.Percentile(histogram, 0.9));
    }

    [Fact]
    public void Identical_hours_give_a_value_in_their_bucket()
    {
        var histogram = Fill(Enumerable.Repeat(5.0, 40));

        AssertWithinRatio(5, HandlingHistogram.Percentile(histogram, 0.5));
        AssertWithinRatio(5, HandlingHistogram.Percentile(histogram, 0.9));
    }

    [Fact]
    public void Short_times_are_within_a_quarter_hour()
    {
        var histogram = Fill(Enumerable.Repeat(0.1, 4));

        Assert.InRange(HandlingHistogram.Percentile(histogram, 0.5)!.Value, 0, 0.25);
    }

    [Fact]
    public void Times_beyond_the_last_bound_report_that_bound()
    {
        var histogram = Fill([50000.0, 60000.0]);

        // 0.25 · 2^(49/3) = 16384 · 2^(1/3) ≈ 20642.5 h
        Assert.Equal(20642.5, HandlingHistogram.Percentile(histogram, 0.5)!.Value, 0.1);
    }

    [Fact]
    public void Percentile_outside_zero_to_one_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => HandlingHistogram.Percentile(Fill([1.0]), 50));

    private static long[] Fill(IEnumerable<double> hours)
    {
        var histogram = new long[HandlingHistogram.BucketCount];
        foreach (var h in hours)
        {
            histogram[HandlingHistogram.BucketOf(h)]++;
        }

        return histogram;
    }

    private static void AssertWithinRatio(double expected, double? actual)
    {
        Assert.NotNull(actual);
        Assert.InRange(actual.Value, expected / MaxRatio, expected * MaxRatio);
    }

    [Fact]
    public void A_tally_holds_buckets_up_to_its_highest_and_adds_to_a_full_stored_one_alike()
    {
        var day = new DateOnly(2026, 3, 2);
        var tally = Events.Aggregate(Events.Completed(day, 0.3), Events.Completed(day, 2)).Tallies.Values.Single();

        Assert.Equal(HandlingHistogram.BucketOf(2) + 1, tally.HandlingHistogram!.Length);

        // A state stored before kept all buckets; sums and comparisons take the missing ones for zero.
        var stored = new Tally { Completed = 2, CompletedOnTime = 2, HandlingHoursSum = 2.3, HandlingHistogram = new long[HandlingHistogram.BucketCount] };
        stored.HandlingHistogram[HandlingHistogram.BucketOf(0.3)]++;
        stored.HandlingHistogram[HandlingHistogram.BucketOf(2)]++;
        Assert.True(Aggregation.SameCounts(stored, tally));
        var sum = Aggregation.CloneTally(tally);
        Aggregation.AddTally(sum, stored);
        Assert.Equal(HandlingHistogram.BucketCount, sum.HandlingHistogram!.Length);
        Assert.Equal(
            HandlingHistogram.Percentile(stored.HandlingHistogram, 0.9),
            HandlingHistogram.Percentile(tally.HandlingHistogram, 0.9));
        Assert.Equal(4, sum.HandlingHistogram.Sum());
    }
}
