namespace Evaluation.Detection;

/// <summary>
/// A Bernoulli CUSUM (Page's cumulative sum) for a rise of a rate: each day adds the log-likelihood ratio of its
/// count under the raised rate against the expected one, and the sum never falls below zero, so evidence of a
/// shift accumulates from where it starts and nothing before it dilutes it. The expected rate may change from day
/// to day (e.g. scaled by what peers saw that day).
/// </summary>
/// <param name="shift">The rise (rate points) the test is tuned to find fastest.</param>
public sealed class BernoulliCusum(double shift)
{
    /// <summary>Rates are kept inside (0, 1) so a day with no 差评 at all, or all of them, stays finite.</summary>
    private const double Floor = 0.001;

    public double Statistic { get; private set; }

    /// <summary>Adds one day: <paramref name="events"/> of <paramref name="trials"/>, where <paramref name="expected"/> was the rate to expect.</summary>
    public void Add(long events, long trials, double expected)
    {
        if (trials <= 0)
        {
            return;
        }

        var p0 = Math.Clamp(expected, Floor, 1 - Floor - shift);
        var p1 = p0 + shift;
        var ratio = (events * Math.Log(p1 / p0)) + ((trials - events) * Math.Log((1 - p1) / (1 - p0)));
        Statistic = Math.Max(0, Statistic + ratio);
    }
}
