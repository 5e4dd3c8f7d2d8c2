using System.Text.RegularExpressions;
using Evaluation.ClientApi.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace Evaluation.ClientApi.OpenApi;

/// <summary>
/// Gives every operation what a generated client needs, derived from the endpoint: a stable camelCase operationId
/// (from its method and route unless named), the security its authorization metadata demands, a description saying
/// who may call it, and the problem responses it can answer with.
/// </summary>
public sealed partial class OperationConventions : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document ?? throw new InvalidOperationException("The operation transformer runs inside a document.");
        var description = context.Description;
        var route = description.RelativePath ?? "";
        var access = Access.Of(description.ActionDescriptor.EndpointMetadata);

        operation.OperationId ??= OperationIds.From(description.HttpMethod ?? "get", route);
        AddMissingPathParameters(operation, route);

        SecuritySchemes.EnsureIn(document);
        operation.Security = access.Schemes.Count == 0 ? [] : SecuritySchemes.AnyOf(document, access.Schemes);
        operation.Description = string.Join("\n\n", new[] { operation.Description ?? operation.Summary, access.Sentence }.Where(s => !string.IsNullOrEmpty(s)));

        var rateLimited = description.ActionDescriptor.EndpointMetadata.OfType<EnableRateLimitingAttribute>().Any()
            || AccessControl.HasRequestBudget("/" + route);
        ProblemResponses.Add(operation, document, new ProblemResponses.Causes(
            BadInput: operation.Parameters?.Any(p => p.In != ParameterLocation.Path) == true || operation.RequestBody is not null
                || description.HttpMethod is "POST" or "PUT" or "PATCH",
            Unauthenticated: access.MayChallenge,
            Forbidden: access.MayForbid,
            NotFound: PathParameter().IsMatch(route),
            RateLimited: rateLimited));
        return Task.CompletedTask;
    }

    /// <summary>Endpoints that read a route value from the context (one handler for several routes) declare none.</summary>
    private static void AddMissingPathParameters(OpenApiOperation operation, string route)
    {
        foreach (Match match in PathParameter().Matches(route))
        {
            var name = match.Groups[1].Value;
            if (operation.Parameters?.Any(p => p.In == ParameterLocation.Path && p.Name == name) == true)
            {
                continue;
            }

            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Path,
                Required = true,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }
    }

    [GeneratedRegex(@"\{([^}:?=*]+)")]
    private static partial Regex PathParameter();

    /// <summary>Who may call an endpoint, read from its authorization metadata.</summary>
    private sealed record Access(IReadOnlyList<string> Schemes, bool MayChallenge, bool MayForbid, string Sentence)
    {
        public static Access Of(IList<object> metadata)
        {
            if (metadata.OfType<AdminKeyAccepted>().Any())
            {
                // The handler checks the key itself: a wrong or missing key is refused 403, never challenged.
                return new([SecuritySchemes.AdminKey, SecuritySchemes.Bearer], false, true,
                    "Needs the operator key in X-Admin-Key, or a province supervisor's bearer token.");
            }

            var policies = metadata.OfType<IAllowAnonymous>().Any()
                ? []
                : metadata.OfType<IAuthorizeData>().Select(a => a.Policy).ToHashSet();
            if (policies.Contains(Roles.SourcePolicy))
            {
                return new([SecuritySchemes.SourceKey], true, false, "Needs a rating source's key in X-Api-Key.");
            }

            if (policies.Contains(Roles.SupervisorPolicy))
            {
                return new([SecuritySchemes.Bearer], true, true, "Needs a province supervisor's bearer token.");
            }

            if (policies.Contains(Roles.StaffPolicy))
            {
                return new([SecuritySchemes.Bearer], true, true,
                    "Needs a bearer token of a province supervisor, or of a city officer (who sees their own city only).");
            }

            return new([], false, false, "Open to anyone: no credentials.");
        }
    }
}
