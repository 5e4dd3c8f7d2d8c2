using Evaluation.Contracts.Measures;

namespace Evaluation.Domain.Measures;

/// <summary>The tunable parts of the measures; one instance serves every area so all are judged alike.</summary>
/// <param name="PriorStrength">How many ratings' worth of weight the peer prior has in the smoothed score.</param>
/// <param name="RetentionDays">How many days of tallies an aggregate keeps; must cover the longest window and backfill.</param>
/// <param name="ServiceItemRetentionDays">
/// How many days of service-item tallies an aggregate keeps: the longest window (90 days), since they multiply an
/// institution's state by its number of 事项 and no per-item measure looks further back.
/// </param>
/// <param name="DailyDays">
/// How many days an aggregate keeps day by day before folding them into months (<see cref="Aggregation.FoldBefore"/>):
/// the longest window and the daily series (90 days), and two more for a reader whose clock is a little behind the
/// folding grain's across midnight.
/// </param>
public sealed record MeasureSettings(
    int MinSampleToday = 5,
    int MinSample7 = 10,
    int MinSample30 = 20,
    int MinSample90 = 30,
    double PriorStrength = 10,
    int RetentionDays = 400,
    int ServiceItemRetentionDays = 90,
    int DailyDays = 92)
{
    public static MeasureSettings Default { get; } = new();

    /// <summary>The fewest ratings a window needs before its score is ranked.</summary>
    public int MinSampleFor(string window) => window switch
    {
        Windows.Today => MinSampleToday,
        Windows.Days7 => MinSample7,
        Windows.Days30 => MinSample30,
        Windows.Days90 => MinSample90,
        _ => throw new ArgumentOutOfRangeException(nameof(window), window, "Unknown window."),
    };

    /// <summary>The first day an aggregate still keeps on <paramref name="today"/>; see <see cref="Aggregation.PruneBefore"/>.</summary>
    public DateOnly FirstRetainedDay(DateOnly today) => today.AddDays(1 - RetentionDays);

    /// <summary>The first day an aggregate keeps day by day on <paramref name="today"/>; see <see cref="Aggregation.FoldBefore"/>.</summary>
    public DateOnly FirstDailyDay(DateOnly today) => today.AddDays(1 - DailyDays);

    /// <summary>The first day of service-item tallies an aggregate still keeps on <paramref name="today"/>; see <see cref="Aggregation.PruneServiceItemsBefore"/>.</summary>
    public DateOnly FirstRetainedServiceItemDay(DateOnly today) => today.AddDays(1 - ServiceItemRetentionDays);
}
