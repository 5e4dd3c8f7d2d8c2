namespace Evaluation.Detection;

/// <summary>One rate a decline test follows day by day: which counts are its events and which its trials.</summary>
public sealed record RateStream(Func<WindowCounts, long> Events, Func<WindowCounts, long> Trials)
{
    /// <summary>差评 among ratings.</summary>
    public static RateStream Bad { get; } = new(c => c.Bad, c => c.Ratings);

    /// <summary>Late completions among completions.</summary>
    public static RateStream Late { get; } = new(c => c.Late, c => c.Completed);

    public double? Rate(WindowCounts counts) => Trials(counts) == 0 ? null : (double)Events(counts) / Trials(counts);
}

/// <summary>
/// The rate to expect of a subject on one day, from its own earlier rate and what others (its peers outside its city,
/// or the other cities) saw that day against their own earlier rate. A shared disturbance that turns every rate p
/// into a·p + b (a ≥ 1, b ≥ 0: a seasonal rush, a public holiday's fewer and harder services) is covered by the larger
/// of the scaled and the shifted rate whatever the subject's own p, so a dip everyone shares is explained away rather
/// than thresholded, and the subject's own change on those days still counts.
/// </summary>
public static class SharedMovement
{
    /// <summary>
    /// Null for a public holiday on which the others had too few trials to tell what the holiday did: such a day is
    /// left out. An ordinary day with too few is judged against the subject's own rate.
    /// </summary>
    public static double? Expected(double own, RateStream stream, WindowCounts othersToday, double othersBefore, bool holiday)
    {
        if (stream.Trials(othersToday) < PeerStatistics.MinDailyRatings || othersBefore <= 0)
        {
            return holiday ? null : own;
        }

        return Scaled(own, stream.Rate(othersToday)!.Value, othersBefore);
    }

    /// <summary>The own rate moved as the others' moved from <paramref name="othersBefore"/> to <paramref name="othersNow"/>, when they rose.</summary>
    public static double Scaled(double own, double othersNow, double othersBefore) =>
        othersNow <= othersBefore || othersBefore <= 0 ? own : Math.Max(own * othersNow / othersBefore, own + othersNow - othersBefore);

    /// <summary>An earlier rate raised by one standard error, so a past that was good by chance does not make an ordinary week look like a decline.</summary>
    public static double Cautious(double rate, double weight) => weight <= 0 ? rate : rate + Math.Sqrt(rate * (1 - rate) / weight);
}
