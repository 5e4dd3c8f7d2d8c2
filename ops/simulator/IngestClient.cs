using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Evaluation.Simulator;

/// <summary>Posts batches to the ingest endpoints as a rating source would, with its API key.</summary>
internal sealed class IngestClient(HttpClient http, string key)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public Task SendAsync(IReadOnlyList<EvaluationItem> items, Tally tally, CancellationToken cancellationToken) =>
        PostAsync("api/v1/evaluations", items, tally, cancellationToken);

    public Task SendAsync(IReadOnlyList<ServiceRecordItem> items, Tally tally, CancellationToken cancellationToken) =>
        PostAsync("api/v1/service-records", items, tally, cancellationToken);

    private async Task PostAsync<T>(string path, IReadOnlyList<T> items, Tally tally, CancellationToken cancellationToken)
    {
        try
        {
            // Serialised up front so the request carries a Content-Length rather than a chunked body.
            var body = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new Batch<T>(items), Json));
            body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body };
            request.Headers.Add("X-Api-Key", key);
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var problem = await response.Content.ReadAsStringAsync(cancellationToken);
                tally.RecordFailure(items.Count, $"POST /{path} answered {(int)response.StatusCode}: {problem[..Math.Min(problem.Length, 300)]}");
                return;
            }

            var answer = await response.Content.ReadFromJsonAsync<BatchAnswer>(Json, cancellationToken);
            if (answer is null)
            {
                tally.RecordFailure(items.Count, $"POST /{path} answered an empty body");
                return;
            }

            tally.Record(items.Count, answer);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            tally.RecordFailure(items.Count, $"POST /{path} failed: {e.GetBaseException().Message}");
        }
    }
}
