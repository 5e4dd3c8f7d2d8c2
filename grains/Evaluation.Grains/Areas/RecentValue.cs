namespace Evaluation.Grains.Areas;

/// <summary>
/// A computed value reused for a short while. Area views are read far more often than their members
/// report, and recomputing rankings for every read of a busy portal page is wasted work; a lifetime
/// well under the freshness goal keeps what readers see current.
/// </summary>
public sealed class RecentValue<T>(TimeProvider time, TimeSpan lifetime)
    where T : class
{
    private T? value;
    private DateTimeOffset computedAt;

    public async Task<T> GetAsync(Func<Task<T>> compute)
    {
        var now = time.GetUtcNow();
        if (value is null || now - computedAt >= lifetime)
        {
            value = await compute();
            computedAt = now;
        }

        return value;
    }
}

/// <summary>A <see cref="RecentValue{T}"/> per key, for the parts of an area (counties of a city, regions of the province).</summary>
public sealed class RecentValues<TKey, T>(TimeProvider time, TimeSpan lifetime)
    where TKey : notnull
    where T : class
{
    private readonly Dictionary<TKey, RecentValue<T>> values = [];

    public Task<T> GetAsync(TKey key, Func<Task<T>> compute)
    {
        if (!values.TryGetValue(key, out var value))
        {
            value = values[key] = new RecentValue<T>(time, lifetime);
        }

        return value.GetAsync(compute);
    }
}
