namespace Evaluation.Detection;

/// <summary>
/// A Bernoulli CUSUM (Page's cumulative sum) for a rise of a rate: each day adds the log-likelihood ratio of its
/// count under the raised rate against the expected one, and the sum never falls below zero, so evidence of a
/// shift accumulates from where it starts and nothing before it dilutes it. The expected rate may change from day
/// to day (e.g. scaled by what peers saw that day), and one day may bring several independent streams (差评 among
/// ratings, late among completions), whose ratios add before the floor at zero applies.
/// </summary>
/// <param name="shift">The rise (rate points) the test is tuned to find fastest.</param>
public sealed class BernoulliCusum(double shift)
{
    /// <summary>Rates are kept inside (0, 1) so a day with no 差评 at all, or all of them, stays finite.</summary>
    private const double Floor = 0.001;

    public double Statistic { get; private set; }

    /// <summary>Adds one day: <paramref name="events"/> of <paramref name="trials"/>, where <paramref name="expected"/> was the rate to expect.</summary>
    public void Add(long events, long trials, double expected) => AddDay(Ratio(events, trials, expected));

    /// <summary>Adds one day's log-likelihood ratio, the sum of its streams' <see cref="Ratio"/>s.</summary>
    public void AddDay(double ratio) => Statistic = Math.Max(0, Statistic + ratio);

    /// <summary>The log-likelihood ratio of <paramref name="events"/> of <paramref name="trials"/> under the raised rate against <paramref name="expected"/>.</summary>
    public double Ratio(long events, long trials, double expected)
    {
        if (trials <= 0)
        {
            return 0;
        }

        var p0 = Math.Clamp(expected, Floor, 1 - Floor - shift);
        var p1 = p0 + shift;
        return (events * Math.Log(p1 / p0)) + ((trials - events) * Math.Log((1 - p1) / (1 - p0)));
    }
}
