namespace Evaluation.Domain.Notifications;

/// <summary>
/// When a failed delivery is tried again: exponential in the attempts so far, capped, with full jitter (a random
/// point between none and the exponential delay) so receivers that recover together are not hit together. The
/// in-call retries are Polly's (the webhook HTTP client); this is the schedule across calls, kept in PostgreSQL
/// so it survives any silo.
/// </summary>
public sealed class DeliveryBackoff(TimeSpan first, TimeSpan cap)
{
    public TimeSpan First { get; } = first;

    public TimeSpan Cap { get; } = cap;

    /// <param name="attempts">Attempts made so far, at least 1.</param>
    /// <param name="unit">A random number in [0, 1).</param>
    public TimeSpan Next(int attempts, double unit)
    {
        var exponent = Math.Min(Math.Max(attempts, 1) - 1, 30);
        var ceiling = Math.Min(First.TotalMilliseconds * Math.Pow(2, exponent), Cap.TotalMilliseconds);

        // Never less than half the first delay, so a down receiver is not hammered by a lucky draw of zero.
        var floor = First.TotalMilliseconds / 2;
        return TimeSpan.FromMilliseconds(floor + (Math.Max(ceiling, floor) - floor) * unit);
    }
}
