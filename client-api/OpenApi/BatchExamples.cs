using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Evaluation.ClientApi.OpenApi;

/// <summary>
/// The batch endpoints read their body themselves (each item is answered on its own, so binding must not refuse the
/// whole batch): their request body, and an example batch and answer, are described here (SPEC 4.5.1).
/// </summary>
public static class BatchExamples
{
    private const string EvaluationBatch = """
        { "items": [
          { "id": "src-42-000001", "institutionId": "gd-440100-cc-001", "serviceItem": "PAT-SEARCH", "channel": "window",
            "level": 2, "tags": ["slow"], "comment": "排队时间太长", "realName": true,
            "contact": { "name": "张三", "phone": "13800000000" }, "occurredAt": "2026-11-24T10:03:00+08:00" },
          { "id": "src-42-000002", "institutionId": "gd-440100-cc-001", "serviceItem": "PAT-SEARCH", "channel": "online",
            "level": 7, "occurredAt": "2026-11-24T10:05:00+08:00" } ] }
        """;

    private const string ServiceRecordBatch = """
        { "items": [
          { "id": "rec-42-000001", "institutionId": "gd-440100-cc-001", "serviceItem": "PAT-SEARCH", "channel": "window",
            "acceptedAt": "2026-11-24T09:30:00+08:00", "completedAt": "2026-11-24T10:00:00+08:00" },
          { "id": "rec-42-000002", "institutionId": "gd-440100-cc-001", "serviceItem": "PAT-SEARCH", "channel": "online",
            "acceptedAt": "2026-11-24T09:45:00+08:00" } ] }
        """;

    private const string EvaluationAnswer = """
        { "accepted": 1, "duplicates": 0, "rejected": 1, "results": [
          { "id": "src-42-000001", "status": "accepted", "errors": [] },
          { "id": "src-42-000002", "status": "rejected", "errors": [ { "field": "items[1].level", "message": "level must be from 1 to 5, got 7" } ] } ] }
        """;

    private const string ServiceRecordAnswer = """
        { "accepted": 2, "duplicates": 0, "rejected": 0, "results": [
          { "id": "rec-42-000001", "status": "accepted", "errors": [] },
          { "id": "rec-42-000002", "status": "accepted", "errors": [] } ] }
        """;

    public static Task Evaluations(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken) =>
        Describe(operation, "ratings", RatingItem(), EvaluationBatch, EvaluationAnswer);

    public static Task ServiceRecords(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken) =>
        Describe(operation, "service records", ServiceRecordItem(), ServiceRecordBatch, ServiceRecordAnswer);

    // The fields BatchParser reads, so a generated client sends typed items; the rules themselves are checked per item.
    private static OpenApiSchema RatingItem() => Item(
        ["id", "institutionId", "serviceItem", "channel", "level", "occurredAt"],
        new()
        {
            ["id"] = Text("The source's own id of the rating; the same id sent again is answered duplicate."),
            ["institutionId"] = Text("Registry id of the institution."),
            ["serviceItem"] = Text("Code of the service item."),
            ["channel"] = Text("Channel name, as the registry lists it for the institution (e.g. window, online)."),
            // No minimum/maximum: the example batch shows how an out-of-range level is answered, item by item.
            ["level"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "1 (very dissatisfied) to 5 (very satisfied); any other value is answered rejected." },
            ["tags"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            ["comment"] = Text("Free text."),
            ["realName"] = new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "The rater gave their real name." },
            ["contact"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "How to reach the rater for a follow-up; kept sealed.",
                Properties = new Dictionary<string, IOpenApiSchema> { ["name"] = Text("Name."), ["phone"] = Text("Phone number.") },
            },
            ["occurredAt"] = Time("When the rating was given: up to 366 days in the past, at most 5 minutes ahead."),
            ["serviceRecordId"] = Text("Id of the service record (POST /api/v1/service-records) the rating is about."),
        });

    private static OpenApiSchema ServiceRecordItem() => Item(
        ["id", "institutionId", "serviceItem", "channel", "acceptedAt"],
        new()
        {
            ["id"] = Text("The source's own id of the record; sent again with completedAt, it completes the record."),
            ["institutionId"] = Text("Registry id of the institution."),
            ["serviceItem"] = Text("Code of the service item."),
            ["channel"] = Text("Channel name, as the registry lists it for the institution (e.g. window, online)."),
            ["acceptedAt"] = Time("When the application was accepted."),
            ["completedAt"] = Time("When it was completed; absent while it is still open."),
        });

    private static OpenApiSchema Item(string[] required, Dictionary<string, IOpenApiSchema> properties) => new()
    {
        Type = JsonSchemaType.Object,
        Required = new HashSet<string>(required),
        Properties = properties,
    };

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };

    private static OpenApiSchema Time(string description) => new() { Type = JsonSchemaType.String, Format = "date-time", Description = description + " ISO-8601 with offset." };

    private static Task Describe(OpenApiOperation operation, string what, OpenApiSchema item, string batch, string answer)
    {
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = $"1–5,000 {what}; a body that is not a batch at all is refused 400, a bad item is answered rejected.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { "items" },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["items"] = new OpenApiSchema
                            {
                                Type = JsonSchemaType.Array,
                                MinItems = 1,
                                MaxItems = 5000,
                                Items = item,
                            },
                        },
                    },
                    Example = JsonNode.Parse(batch),
                },
            },
        };

        if (operation.Responses?.TryGetValue("200", out var ok) == true && ok.Content?.TryGetValue("application/json", out var media) == true)
        {
            media.Example = JsonNode.Parse(answer);
        }

        return Task.CompletedTask;
    }
}
