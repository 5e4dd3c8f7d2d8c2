using Microsoft.OpenApi;

namespace Evaluation.ClientApi.OpenApi;

/// <summary>The problem-details answers (RFC 9457) an operation can give, each with the ProblemDetails schema.</summary>
public static class ProblemResponses
{
    public const string SchemaId = "ProblemDetails";

    /// <summary>What can go wrong for an operation, as derived from its endpoint.</summary>
    public sealed record Causes(bool BadInput, bool Unauthenticated, bool Forbidden, bool NotFound, bool RateLimited);

    public static void Add(OpenApiOperation operation, OpenApiDocument document, Causes causes)
    {
        EnsureSchema(document);
        operation.Responses ??= [];
        Add(operation, document, causes.BadInput, "400", "The request breaks a rule; the problem names the field and the rule.");
        Add(operation, document, causes.Unauthenticated, "401", "No credentials, or credentials that are not valid (expired, revoked, unknown).");
        Add(operation, document, causes.Forbidden, "403", "Valid credentials of a caller who may not do this (role, or another city's case).");
        Add(operation, document, causes.NotFound, "404", "Nothing is known under the path's id or code.");
        Add(operation, document, causes.RateLimited, "429", "The caller's request budget is spent; Retry-After says when to come back.");

        // Every operation reaches the cluster or the database, which can be settling; nothing was acknowledged.
        Add(operation, document, true, "503", "The cluster or its database is settling (a silo restarting, a failover); retry after Retry-After.");
    }

    private static void Add(OpenApiOperation operation, OpenApiDocument document, bool when, string status, string description)
    {
        if (!when || operation.Responses!.ContainsKey(status))
        {
            return;
        }

        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(SchemaId, document) },
            },
        };
    }

    /// <summary>The shape ASP.NET Core's problem details are written in (RFC 9457 plus this API's field errors).</summary>
    private static void EnsureSchema(OpenApiDocument document)
    {
        if (document.Components?.Schemas?.ContainsKey(SchemaId) == true)
        {
            return;
        }

        document.AddComponent<IOpenApiSchema>(SchemaId, new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "Problem details (RFC 9457).",
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int32" },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array,
                    Description = "For a bad request: each field and the rule it broke.",
                    Items = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["field"] = new OpenApiSchema { Type = JsonSchemaType.String },
                            ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        },
                    },
                },
            },
        });
    }
}
