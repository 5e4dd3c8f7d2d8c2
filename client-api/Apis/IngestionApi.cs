using System.IO.Pipelines;
using System.Text.Json;
using Evaluation.ClientApi.Application;
using Evaluation.ClientApi.Json;
using Evaluation.ClientApi.OpenApi;
using Evaluation.ClientApi.Security;
using Evaluation.ClientApi.Security.Sources;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Ingestion;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Evaluation.ClientApi.Apis;

/// <summary>Batches from rating sources: per-item answers, and acknowledgement only after the log commit.</summary>
public static class IngestionApi
{
    /// <summary>5,000 items with full comments fit in well under this; anything larger is not a batch we accept.</summary>
    public const long MaxBodyBytes = 16 * 1024 * 1024;

    public static void MapIngestionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Ingestion").RequireAuthorization(Roles.SourcePolicy)
            .RequireRateLimiting(AccessControl.IngestionConcurrencyPolicy)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        api.MapPost("/evaluations", async (HttpContext http, IClusterClient cluster, SourceDirectory sources) =>
                await IngestAsync(http, BatchParser.Evaluation, await SenderAsync(http, sources), (source, items) => Worker(cluster).IngestEvaluations(source, items)))
            .WithSummary("Submit a batch of 1–5,000 ratings (好差评); each item is answered accepted, duplicate or rejected.")
            .AddOpenApiOperationTransformer(BatchExamples.Evaluations);
        api.MapPost("/service-records", async (HttpContext http, IClusterClient cluster, SourceDirectory sources) =>
                await IngestAsync(http, BatchParser.ServiceRecord, await SenderAsync(http, sources), (source, items) => Worker(cluster).IngestServiceRecords(source, items)))
            .WithSummary("Submit a batch of 1–5,000 service records (办件); send a record again with completedAt to complete it.")
            .AddOpenApiOperationTransformer(BatchExamples.ServiceRecords);
    }

    private static IIngestGrain Worker(IClusterClient cluster) => cluster.GetGrain<IIngestGrain>(0);

    /// <summary>The authenticated source with the limits it sends under.</summary>
    private static Task<SourceIdentity> SenderAsync(HttpContext http, SourceDirectory sources) =>
        sources.IdentityOfAsync(http.User.Identity!.Name!, http.RequestAborted);

    private static async Task<Ok<BatchResult>> IngestAsync<T>(
        HttpContext http,
        ItemParser<T> parse,
        SourceIdentity source,
        Func<SourceIdentity, IReadOnlyList<T>, Task<IReadOnlyList<ItemResult>>> ingest)
        where T : class
    {
        var tooLarge = Refusal.TooLarge("Batch too large", $"The body may be at most {MaxBodyBytes / (1024 * 1024)} MiB.");
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            throw tooLarge;
        }

        // The server counts while reading, so a chunked body (no Content-Length) stops at the limit too.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = MaxBodyBytes;
        }

        ParsedBatch<T> batch;
        var body = http.Request.BodyReader;
        ReadResult read;
        try
        {
            // The whole body, then one pass over its bytes: the server's limit above stops a body that is too large.
            while (!(read = await body.ReadAsync(http.RequestAborted)).IsCompleted)
            {
                body.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw tooLarge;
        }

        try
        {
            batch = BatchParser.Read(read.Buffer, parse);
        }
        catch (JsonException ex)
        {
            throw Refusal.Malformed("Malformed JSON", $"The body is not valid JSON: {ex.Message}");
        }
        finally
        {
            body.AdvanceTo(read.Buffer.End);
        }

        if (batch.Problem is { } problem)
        {
            throw Refusal.Malformed("Not a batch", problem);
        }

        var results = new ItemResult[batch.Items.Count];
        var readable = new List<T>();
        var readableIndex = new List<int>();
        for (var index = 0; index < batch.Items.Count; index++)
        {
            var parsed = batch.Items[index];
            if (parsed.Item is { } item)
            {
                readable.Add(item);
                readableIndex.Add(index);
            }
            else
            {
                results[index] = new ItemResult(parsed.Id, ItemStatus.Rejected, parsed.Errors);
            }
        }

        if (readable.Count > 0)
        {
            IReadOnlyList<ItemResult> answers;
            try
            {
                answers = await ingest(source, readable);
            }
            catch (LogUnavailableException ex)
            {
                throw Refusal.Unavailable(
                    "Temporarily unavailable", ex.Message + " Send the same batch again; items already stored count once.", Extensions.TransientFaults.RetryAfter());
            }

            for (var i = 0; i < answers.Count; i++)
            {
                var (answer, at) = (answers[i], readableIndex[i]);
                results[at] = answer.Errors.Count == 0 || at == i ? answer : answer with { Errors = [.. answer.Errors.Select(e => Renumber(e, i, at))] };
            }
        }

        return TypedResults.Ok(BatchResult.From(results));
    }

    /// <summary>The silo numbers the items it was sent; a source needs the positions of its own batch.</summary>
    private static FieldError Renumber(FieldError error, int sentIndex, int batchIndex)
    {
        var prefix = $"items[{sentIndex}]";
        return error.Field.StartsWith(prefix, StringComparison.Ordinal)
            ? error with { Field = $"items[{batchIndex}]" + error.Field[prefix.Length..] }
            : error;
    }
}
