namespace Evaluation.Grains.Hosting;

/// <summary>
/// The system clock shifted by a fixed offset: a host whose wall clock is wrong. Only the wall-clock time moves;
/// timestamps and timers keep the real pace, as they do on a host with a skewed clock.
/// </summary>
public sealed class OffsetTimeProvider(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}
