using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Registry;

namespace Evaluation.IntegrationTests.Infrastructure.Hosts;

/// <summary>
/// A rating source as a real one behaves: it posts batches to an API host, and until a batch is answered it sends
/// the same batch again (after a timeout, a lost connection, a 5xx or a 429), waiting as long as Retry-After says,
/// and trying the other API host after a failure as a load balancer would. It records every answer it got.
/// </summary>
public sealed class RetryingSource(int seed, IReadOnlyList<Institution> institutions, IReadOnlyList<Uri> apis, string sourceKey) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };
    /// <summary>A real source would keep trying; a test must end, so a system that never answers fails it instead.</summary>
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(3);

    private readonly TrafficGenerator traffic = new(institutions, seed) { ResendShare = 0.05 };
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private int api = seed % apis.Count;
    private int batches;

    /// <summary>Items the system acknowledged (accepted or duplicate), as "kind:id" (0 rating, 1 open record, 2 completed record).</summary>
    public ConcurrentDictionary<string, byte> Acknowledged { get; } = new();

    public long FiveHundredsWithoutRetryAfter { get; private set; }

    public long FiveHundreds { get; private set; }

    public long FailedAttempts { get; private set; }

    /// <summary>Answers that no retry can fix (a 4xx other than 429, an item rejected): a fault in the system or the test.</summary>
    public ConcurrentQueue<string> Unexpected { get; } = new();

    /// <summary>The longest a batch waited from its first sending to its answer: how long this source found ingest unavailable.</summary>
    public TimeSpan LongestWait { get; private set; }

    /// <summary>When the last batch was answered 200.</summary>
    public DateTimeOffset LastSuccess { get; private set; }

    /// <summary>Sends until <paramref name="stop"/> is cancelled; the batch in hand is always seen through to its answer.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var now = DateTimeOffset.UtcNow;
            if (batches++ % 3 == 2)
            {
                var records = traffic.ServiceRecords(30, now);
                var results = await SendUntilAnsweredAsync("/api/v1/service-records", records);
                for (var i = 0; i < records.Count; i++)
                {
                    Record(results[i], records[i].CompletedAt is null ? 1 : 2);
                }
            }
            else
            {
                var evaluations = traffic.Evaluations(40, now);
                foreach (var result in await SendUntilAnsweredAsync("/api/v1/evaluations", evaluations))
                {
                    Record(result, 0);
                }
            }
        }
    }

    private void Record(ItemResult result, int kind)
    {
        if (result.Status == ItemStatus.Rejected)
        {
            Unexpected.Enqueue($"{result.Id} rejected: {string.Join("; ", result.Errors.Select(e => $"{e.Field} {e.Message}"))}");
            return;
        }

        // The hosts take EVAL_SOURCE_KEY as the default source's key; ids are unique per source.
        Acknowledged.TryAdd($"{kind}:{SourceNames.Default}:{result.Id}", 0);
    }

    private async Task<IReadOnlyList<ItemResult>> SendUntilAnsweredAsync<T>(string path, IReadOnlyList<T> items)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { items }, Json);
        var firstSent = DateTimeOffset.UtcNow;
        while (true)
        {
            var wait = TimeSpan.FromSeconds(1);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(apis[api], path)) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new("application/json");
                request.Headers.Add("X-Api-Key", sourceKey);
                using var response = await http.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var answer = await response.Content.ReadFromJsonAsync<BatchAnswer>(Json);
                    LastSuccess = DateTimeOffset.UtcNow;
                    LongestWait = LastSuccess - firstSent > LongestWait ? LastSuccess - firstSent : LongestWait;
                    return answer!.Results;
                }

                var retryAfter = response.Headers.RetryAfter?.Delta;
                if ((int)response.StatusCode >= 500)
                {
                    FiveHundreds++;
                    if (retryAfter is null)
                    {
                        FiveHundredsWithoutRetryAfter++;
                        Unexpected.Enqueue($"{(int)response.StatusCode} without Retry-After from {apis[api]}: {await response.Content.ReadAsStringAsync()}");
                    }
                }
                else if (response.StatusCode != HttpStatusCode.TooManyRequests)
                {
                    Unexpected.Enqueue($"{(int)response.StatusCode} from {apis[api]}{path}: {await response.Content.ReadAsStringAsync()}");
                }

                wait = retryAfter ?? wait;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Timed out or the connection failed: whether the batch was stored is unknown, so the same batch goes again.
            }

            FailedAttempts++;
            if (DateTimeOffset.UtcNow - firstSent > GiveUpAfter)
            {
                throw new TimeoutException($"a batch of {items.Count} items was not answered in {GiveUpAfter.TotalMinutes} minutes of sending it again");
            }

            api = (api + 1) % apis.Count;
            await Task.Delay(wait);
        }
    }

    public void Dispose() => http.Dispose();

    private sealed record BatchAnswer(IReadOnlyList<ItemResult> Results);
}
