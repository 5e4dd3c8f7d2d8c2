using System.Diagnostics;

namespace Evaluation.Benchmarks;

/// <summary>
/// A bounded run at a steady ingest rate, recording the silo's memory and the latencies of ingest and of a
/// public read in the first and the last tenth of the run, so growth over time shows as a difference.
/// </summary>
internal static class Soak
{
    public static async Task<List<Figure>> RunAsync(SystemUnderTest system, HttpClient http, Workload workload, TimeSpan duration, double ratingsPerSecond)
    {
        const int batchSize = 100;
        var windows = new[] { (Name: "start", From: TimeSpan.Zero, To: duration / 10), (Name: "end", From: duration * 0.9, To: duration) };
        var ingest = windows.ToDictionary(w => w.Name, _ => new Latencies());
        var reads = windows.ToDictionary(w => w.Name, _ => new Latencies());
        var memory = new Dictionary<string, long>();
        var clock = Stopwatch.StartNew();
        var sent = 0L;
        var interval = TimeSpan.FromSeconds(batchSize / ratingsPerSecond);
        var probe = workload.Ratings(1, "soak-probe")[0].Institution;
        for (var n = 0; clock.Elapsed < duration; n++)
        {
            var window = windows.FirstOrDefault(w => clock.Elapsed >= w.From && clock.Elapsed < w.To).Name;
            var one = Stopwatch.StartNew();
            await Workload.PostAsync(http, system.ApiUrl, workload.Ratings(batchSize, $"soak-{n}"));
            sent += batchSize;
            if (window is not null)
            {
                ingest[window].Add(one.Elapsed);
                var read = Stopwatch.StartNew();
                using (var response = await http.GetAsync(new Uri(system.ApiUrl, $"api/v1/public/institutions/{probe.Id}")))
                {
                    response.EnsureSuccessStatusCode();
                }

                reads[window].Add(read.Elapsed);
                system.Silo.Refresh();
                memory[window] = Math.Max(memory.GetValueOrDefault(window), system.Silo.WorkingSet64);
            }

            var pause = (interval * (n + 1)) - clock.Elapsed;
            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause);
            }
        }

        return
        [
            new($"soak: ratings sent at {ratingsPerSecond:0}/s for {duration.TotalMinutes:0.#} min", $"{sent}", "", "", "", null),
            new("soak: silo working set start → end (MiB)", $"{memory.GetValueOrDefault("start") / 1048576.0:0} → {memory.GetValueOrDefault("end") / 1048576.0:0}", "", "", "no growth trend", null),
            new("soak: ingest p50 / p99 ms start → end", $"{ingest["start"].Percentile(0.5):0} / {ingest["start"].Percentile(0.99):0} → {ingest["end"].Percentile(0.5):0} / {ingest["end"].Percentile(0.99):0}", "", "", "", null),
            new("soak: institution read p50 / p99 ms start → end", $"{reads["start"].Percentile(0.5):0.0} / {reads["start"].Percentile(0.99):0.0} → {reads["end"].Percentile(0.5):0.0} / {reads["end"].Percentile(0.99):0.0}", "", "", "", null),
        ];
    }
}
