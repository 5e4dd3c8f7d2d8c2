namespace Evaluation.Grains.Cases;

/// <summary>
/// Case deadlines are read from a keyed <see cref="TimeProvider"/> (by default the silo's own clock). Orleans
/// schedules its timers and reminders on the container's TimeProvider, so a test can move case time forward
/// by weeks through this key without stalling the runtime.
/// </summary>
public static class CaseClock
{
    public const string Key = "cases";
}
