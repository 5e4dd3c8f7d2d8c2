using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Evaluation.ClientApi.Exports;

/// <summary>
/// Lets a staff list endpoint also answer <c>Accept: text/csv</c> (or <c>format=csv</c>): the same handler runs with
/// the caller's filters and scope, page after page, and the items go out as CSV, one column per JSON field (nested
/// objects as <c>outer.inner</c>, lists as JSON text). The handler's own checks and refusals stay as they are.
/// </summary>
public static class CsvLists
{
    /// <summary>More rows than anyone opens in a spreadsheet; a longer export says so in <see cref="TruncatedHeader"/>.</summary>
    public const int MaxRows = 50_000;

    public const string TruncatedHeader = "X-Evaluation-Export-Truncated";

    private const int PageSize = 100;

    private static readonly ExportFormat[] Offered = [ExportFormat.Json, ExportFormat.Csv];

    public static RouteHandlerBuilder WithCsvExport(this RouteHandlerBuilder endpoint, string name) => endpoint
        .AddEndpointFilter((context, next) => ExportAsync(context, next, name))
        .AddOpenApiOperationTransformer(DocumentCsv);

    // Added next to the handler's JSON answer: declaring text/csv with Produces would replace its schema, and a client
    // generated from the document would then get an untyped stream instead of the page.
    private static Task DocumentCsv(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse response)
        {
            response.Content ??= new Dictionary<string, OpenApiMediaType>();
            response.Content["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
        }

        return Task.CompletedTask;
    }

    private static async ValueTask<object?> ExportAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, string name)
    {
        var http = context.HttpContext;
        if (ExportFormats.Choose(http.Request, http.Request.Query["format"], Offered) != ExportFormat.Csv)
        {
            return await next(context);
        }

        var parameters = http.GetEndpoint()?.Metadata.GetMetadata<MethodInfo>()?.GetParameters() ?? [];
        var pageArgument = Array.FindIndex(parameters, p => p.Name == "page");
        var sizeArgument = Array.FindIndex(parameters, p => p.Name == "pageSize");
        if (sizeArgument >= 0)
        {
            context.Arguments[sizeArgument] = (int?)PageSize;
        }

        var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var rows = new List<Dictionary<string, object?>>();
        var columns = new List<string>();
        for (var page = 1; ; page++)
        {
            if (pageArgument >= 0)
            {
                context.Arguments[pageArgument] = (int?)page;
            }

            var answer = await next(context);
            if (ValueOf(answer) is not { } value)
            {
                // A refusal (a bad filter, another city) is answered as it is, as problem details.
                return answer;
            }

            var body = JsonSerializer.SerializeToElement(value, value.GetType(), json);
            var items = body.GetProperty("items");
            foreach (var item in items.EnumerateArray())
            {
                var row = new Dictionary<string, object?>(StringComparer.Ordinal);
                Flatten(item, "", row, columns);
                rows.Add(row);
            }

            var total = body.TryGetProperty("total", out var t) ? t.GetInt64() : rows.Count;
            if (pageArgument < 0 || items.GetArrayLength() == 0 || rows.Count >= total || rows.Count >= MaxRows)
            {
                if (rows.Count < total)
                {
                    http.Response.Headers[TruncatedHeader] = $"{rows.Count} of {total}";
                }

                break;
            }
        }

        var csv = new CsvWriter().Row(columns);
        foreach (var row in rows)
        {
            csv.Row(columns.Select(c => row.GetValueOrDefault(c)));
        }

        return TypedResults.File(csv.ToBytes(), CsvWriter.ContentType, $"{name}.csv");
    }

    /// <summary>The page of a 200 answer; null for any other (problem details).</summary>
    private static object? ValueOf(object? answer)
    {
        if (answer is INestedHttpResult nested)
        {
            answer = nested.Result;
        }

        return answer is IValueHttpResult { Value: { } value } and IStatusCodeHttpResult { StatusCode: StatusCodes.Status200OK or null } ? value : null;
    }

    private static void Flatten(JsonElement element, string prefix, Dictionary<string, object?> row, List<string> columns)
    {
        if (element.ValueKind == JsonValueKind.Object && (prefix.Length == 0 || element.EnumerateObject().Any()))
        {
            foreach (var property in element.EnumerateObject())
            {
                Flatten(property.Value, prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}", row, columns);
            }

            return;
        }

        if (!columns.Contains(prefix))
        {
            columns.Add(prefix);
        }

        row[prefix] = element.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.String => element.GetString(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => new RawNumber(element.GetRawText()),
            _ => element.GetRawText(),
        };
    }

    /// <summary>A number exactly as the JSON API wrote it.</summary>
    private sealed record RawNumber(string Text) : IFormattable
    {
        public string ToString(string? format, IFormatProvider? formatProvider) => Text;
    }
}
