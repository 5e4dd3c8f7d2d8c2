namespace Evaluation.Grains.Areas;

/// <summary>
/// How often areas report upward and checkpoint. The defaults keep an acknowledged rating visible in its
/// city within about half a second and in the province within about a second (SPEC: 1 s and 2 s).
/// </summary>
public sealed class AreaTiming
{
    public TimeSpan ReportPeriod { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long the province reuses the sums it asked its cities for before it asks again, when read.</summary>
    public TimeSpan CityRollupLifetime { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// A checkpoint writes the whole aggregate, so it is kept rare: after a crash the institution replays only
    /// the events since its last checkpoint, and replaying a million events takes about two seconds.
    /// </summary>
    public TimeSpan CheckpointPeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an institution waits for the delivery that fills a gap in positions before reading the log.</summary>
    public TimeSpan GapPatience { get; set; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan CatchUpPeriod { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan PeerPriorLifetime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a city's or the province's computed view is reused for further reads.</summary>
    public TimeSpan ViewLifetime { get; set; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>Names of the grain storages the silo must provide.</summary>
public static class GrainStorage
{
    public const string Checkpoints = "checkpoints";
}
