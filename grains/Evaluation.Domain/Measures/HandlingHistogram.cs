namespace Evaluation.Domain.Measures;

/// <summary>
/// Fixed log-scale buckets of handling time, so percentiles of any area are a sum of its members' histograms
/// instead of a scan over every completed service.
/// </summary>
/// <remarks>
/// Bucket 0 holds [0, 0.25 h); bucket i (1…49) holds [0.25·2^((i−1)/3), 0.25·2^(i/3)) hours, so each bound is
/// 2^(1/3) ≈ 1.26 times the previous one; the last bucket holds everything from 0.25·2^(49/3) ≈ 20 643 h (2.36 years)
/// up. A percentile is interpolated geometrically inside its bucket, so in the log-scale buckets the estimate lies
/// within a factor 1.26 of the true value (relative error at most 26 %, far less when the data spread evenly); below
/// 0.25 h the error is at most 0.25 h; in the open last bucket the estimate is its lower bound.
/// The layout is part of the stored state: changing it invalidates every persisted histogram.
/// </remarks>
public static class HandlingHistogram
{
    public const double FirstBoundHours = 0.25;

    private const double StepsPerDoubling = 3;

    private const int GeometricBuckets = 49;

    /// <summary>The underflow bucket, the geometric buckets and the open last bucket.</summary>
    public const int BucketCount = GeometricBuckets + 2;

    /// <summary>Bucket i covers [LowerBound(i), LowerBound(i + 1)).</summary>
    public static double LowerBound(int bucket) =>
        bucket <= 0 ? 0 : FirstBoundHours * Math.Pow(2, (bucket - 1) / StepsPerDoubling);

    public static int BucketOf(double hours)
    {
        // NaN and negative times are data errors upstream; counting them as instant keeps the totals right.
        if (!(hours >= FirstBoundHours))
        {
            return 0;
        }

        var bucket = 1 + (int)Math.Floor(Math.Log2(hours / FirstBoundHours) * StepsPerDoubling);

        // Math.Log2 can land a hair either side of an exact bound; the bounds themselves decide.
        if (bucket > 1 && hours < LowerBound(bucket))
        {
            bucket--;
        }
        else if (bucket < BucketCount - 1 && hours >= LowerBound(bucket + 1))
        {
            bucket++;
        }

        return Math.Min(bucket, BucketCount - 1);
    }

    /// <summary>The p-quantile (p a fraction 0..1) of the handling times counted in a histogram; null when it is empty.</summary>
    public static double? Percentile(long[]? histogram, double p)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 1);
        if (histogram is null)
        {
            return null;
        }

        long total = 0;
        foreach (var count in histogram)
        {
            total += count;
        }

        if (total == 0)
        {
            return null;
        }

        // The loop ends: the last non-empty bucket brings the running count to total ≥ target.
        var target = p * total;
        long before = 0;
        var bucket = 0;
        while (histogram[bucket] == 0 || before + histogram[bucket] < target)
        {
            before += histogram[bucket];
            bucket++;
        }

        return Interpolate(bucket, (target - before) / histogram[bucket]);
    }

    private static double Interpolate(int bucket, double fraction)
    {
        fraction = Math.Clamp(fraction, 0, 1);
        if (bucket == 0)
        {
            return FirstBoundHours * fraction;
        }

        var lower = LowerBound(bucket);
        return bucket >= BucketCount - 1
            ? lower
            : lower * Math.Pow(2, fraction / StepsPerDoubling);
    }
}
