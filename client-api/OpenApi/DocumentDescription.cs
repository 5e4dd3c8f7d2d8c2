using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Evaluation.ClientApi.OpenApi;

/// <summary>The document's own text: what the API is, its tags, and servers written the way linters expect.</summary>
public sealed class DocumentDescription : IOpenApiDocumentTransformer
{
    private static readonly Dictionary<string, string> TagDescriptions = new()
    {
        ["Ingestion"] = "Rating sources submit batches of ratings (好差评) and service records (办件); each item is answered on its own.",
        ["Public"] = "Published scores and service measures of the province, its cities, counties, regions and institutions; no credentials.",
        ["Alerts"] = "Alerts raised by detection, their live stream and their triage.",
        ["Audits"] = "Audits of institutions (督办) through their state machine, with deadlines in working days.",
        ["Follow-ups"] = "Follow-ups of bad ratings (差评整改): call-back, plan, rectification, feedback and appeals.",
        ["Notifications"] = "Webhook subscriptions to alerts and case events, and their deliveries.",
        ["Reports"] = "Monthly reports (CSV, XLSX, HTML) and the verification of issued report files.",
        ["Administration"] = "Operator actions: registry and reference-data imports, plan counts, rating sources and their keys.",
        ["Development"] = "Development-only helpers; never served in production.",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Evaluation API";
        document.Info.Description =
            "Service evaluation (好差评) of Guangdong's intellectual-property public services: ingestion from rating sources, "
            + "published scores, and the supervision work of the province and its cities. Errors are problem details (RFC 9457).";
        document.Info.Contact = new OpenApiContact { Name = "Evaluation project" };

        document.Tags = new HashSet<OpenApiTag>(
            (document.Tags ?? new HashSet<OpenApiTag>()).Select(tag => new OpenApiTag
            {
                Name = tag.Name,
                Description = tag.Name is { } name && TagDescriptions.TryGetValue(name, out var text) ? text : tag.Description,
            }));

        // The server is the address the document was read from; linters want it without a trailing slash.
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        return Task.CompletedTask;
    }
}
