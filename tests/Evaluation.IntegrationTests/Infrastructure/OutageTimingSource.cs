using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Evaluation.IntegrationTests.Infrastructure;

/// <summary>
/// A rating source that sends batches of new ratings and, told 503, sends the same batch again until it gets an
/// answer (every quarter second, sooner than Retry-After asks, to time the outage closely). Keeps each id it
/// was told is stored (accepted, or a duplicate of a send whose answer it lost) with when it was told. Unlike the
/// network drills' <see cref="Hosts.RetryingSource"/>, which behaves as a polite source across several API hosts,
/// this one talks to one host and measures how long the database was unavailable to it.
/// </summary>
public sealed class OutageTimingSource(HttpClient client, TrafficGenerator traffic)
{
    public ConcurrentDictionary<string, TimeSpan> Acknowledged { get; } = new();

    public ConcurrentBag<TimeSpan> AcknowledgedAt { get; } = [];

    public ConcurrentBag<string> Refusals { get; } = [];

    public int Unavailable { get; private set; }

    public int UnavailableWithoutRetryAfter { get; private set; }

    public int AcknowledgedSince(TimeSpan moment) => Acknowledged.Values.Count(t => t > moment);

    /// <summary>Sends batches until <paramref name="stop"/>, each until it is answered.</summary>
    public async Task RunAsync(Stopwatch clock, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await SendOneAsync(clock);
        }
    }

    /// <summary>Sends <paramref name="batches"/> batches, each until it is answered.</summary>
    public async Task SendAsync(int batches)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < batches; i++)
        {
            await SendOneAsync(clock);
        }
    }

    private async Task SendOneAsync(Stopwatch clock)
    {
        var batch = traffic.Evaluations(20, DateTimeOffset.UtcNow);
        while (true)
        {
            using var response = await client.PostAsJsonAsync("/api/v1/evaluations", new { items = batch }, CancellationToken.None);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                Unavailable++;
                UnavailableWithoutRetryAfter += response.Headers.RetryAfter is null ? 1 : 0;
                await Task.Delay(250, CancellationToken.None);
                continue;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                Refusals.Add($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
                await Task.Delay(250, CancellationToken.None);
                return;
            }

            var results = (await response.Content.ReadFromJsonAsync<JsonElement>(CancellationToken.None)).GetProperty("results");
            var now = clock.Elapsed;
            foreach (var item in results.EnumerateArray())
            {
                var (id, status) = (item.GetProperty("id").GetString()!, item.GetProperty("status").GetString());
                if (status is "accepted" or "duplicate")
                {
                    Acknowledged[id] = now;
                }
                else
                {
                    Refusals.Add($"{id}: {item}");
                }
            }

            AcknowledgedAt.Add(now);
            break;
        }
    }
}
