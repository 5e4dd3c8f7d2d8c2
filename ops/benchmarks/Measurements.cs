using System.Diagnostics;

namespace Evaluation.Benchmarks;

/// <summary>Latency samples and their percentiles.</summary>
internal sealed class Latencies
{
    private readonly List<double> milliseconds = [];
    private readonly Lock gate = new();

    public int Count => milliseconds.Count;

    public void Add(TimeSpan elapsed)
    {
        lock (gate)
        {
            milliseconds.Add(elapsed.TotalMilliseconds);
        }
    }

    public double Percentile(double p)
    {
        lock (gate)
        {
            if (milliseconds.Count == 0)
            {
                return double.NaN;
            }

            var sorted = milliseconds.Order().ToList();
            return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
        }
    }
}

/// <summary>One line of the results table.</summary>
internal sealed record Figure(string Name, string Value, string Baseline, string Ratio, string Goal, bool? Met);

internal static class Timing
{
    public static async Task<TimeSpan> TimeAsync(Func<Task> work)
    {
        var clock = Stopwatch.StartNew();
        await work();
        return clock.Elapsed;
    }

    /// <summary>Runs <paramref name="workers"/> loops of <paramref name="call"/> for a fixed time; answers latencies and calls per second.</summary>
    public static async Task<(Latencies Latencies, double PerSecond)> LoadAsync(Func<Task> call, int workers, TimeSpan duration)
    {
        var latencies = new Latencies();
        var until = DateTime.UtcNow + duration;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            while (DateTime.UtcNow < until)
            {
                var one = Stopwatch.StartNew();
                await call();
                latencies.Add(one.Elapsed);
            }
        }));
        return (latencies, latencies.Count / clock.Elapsed.TotalSeconds);
    }
}
