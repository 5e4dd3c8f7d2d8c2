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
    /// Standard errors added to the others' rise on a public holiday. The calendar says the day is disturbed for
    /// everyone, but half the usual trials measure by how much only loosely: at the point estimate, a holiday on which
    /// an institution's peers happened to fare well charged each of its few 差评 that day to the institution (over the
    /// harness's seeds 1–20, two of the five false declines around a holiday owed their last nats to the holiday
    /// itself). A holiday the others did not rise on stays as it is, so it does not wash out a decline's evidence.
    /// </summary>
    public const double HolidayStandardErrors = 2;

    /// <summary>
    /// Null for a public holiday on which the others had too few trials to tell what the holiday did: such a day is
    /// left out. An ordinary day with too few is judged against the subject's own rate.
    /// </summary>
    public static double? Expected(double own, RateStream stream, WindowCounts othersToday, double othersBefore, bool holiday)
    {
        var trials = stream.Trials(othersToday);
        if (trials < PeerStatistics.MinDailyRatings || othersBefore <= 0)
        {
            return holiday ? null : own;
        }

        var now = stream.Rate(othersToday)!.Value;
        if (holiday && now > othersBefore)
        {
            now += HolidayStandardErrors * Math.Sqrt(now * (1 - now) / trials);
        }

        return Scaled(own, now, othersBefore);
    }

    /// <summary>The own rate moved as the others' moved from <paramref name="othersBefore"/> to <paramref name="othersNow"/>, when they rose.</summary>
    public static double Scaled(double own, double othersNow, double othersBefore) =>
        othersNow <= othersBefore || othersBefore <= 0 ? own : Math.Max(own * othersNow / othersBefore, own + othersNow - othersBefore);

    /// <summary>
    /// How many times their earlier rate the others' rate now is, at least 1. A disturbance a·p + b stretches the
    /// differences between members by a, so a margin set for ordinary weeks is stretched with it: in the harness's rush
    /// (2p + 4 points) a small station whose usual 7 % is the high end of normal stands at 18 %, ten points above the
    /// pooled peers, with nothing wrong of its own.
    /// </summary>
    public static double Stretch(double othersNow, double othersBefore) => othersBefore <= 0 ? 1 : Math.Max(1, othersNow / othersBefore);

    /// <summary>An earlier rate raised by one standard error, so a past that was good by chance does not make an ordinary week look like a decline.</summary>
    public static double Cautious(double rate, double weight) => weight <= 0 ? rate : rate + Math.Sqrt(rate * (1 - rate) / weight);
}
