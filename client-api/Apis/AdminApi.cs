using System.Security.Cryptography;
using System.Text;
using Evaluation.ClientApi.Extensions;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Grains;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Evaluation.ClientApi.Apis;

/// <summary>Operator actions: replacing the sample registry with a real one, entering counts the plan tracks.</summary>
public static class AdminApi
{
    public static void MapAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/admin").WithTags("Administration");
        api.MapPost("/registry", ImportRegistry)
            .WithSummary("Replace the institution registry with a registry file (the format of the shipped sample). Needs X-Admin-Key.");
        api.MapPut("/plan/thematic-databases", SetThematicDatabases)
            .WithSummary("Enter the number of provincial thematic patent databases (a plan target the province counts by hand). Needs X-Admin-Key.");
        api.MapPost("/contact-keys/reseal", ResealContacts)
            .WithSummary("After a contact-key rotation: seal every stored rater contact with the current key, so the retired key can be removed. Needs X-Admin-Key.");
    }

    private static async Task<Results<Ok<ResealAnswer>, ProblemHttpResult>> ResealContacts(HttpContext http, ApiSettings settings, IClusterClient cluster)
    {
        if (Refuse(http, settings) is { } refusal)
        {
            return refusal;
        }

        return TypedResults.Ok(new ResealAnswer(await cluster.GetGrain<Contracts.Cases.IFollowUpSupervisionGrain>(0).ResealContacts()));
    }

    private static async Task<Results<Ok<ImportAnswer>, ProblemHttpResult>> ImportRegistry(HttpContext http, ApiSettings settings, IClusterClient cluster)
    {
        if (Refuse(http, settings) is { } refusal)
        {
            return refusal;
        }

        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var json = await reader.ReadToEndAsync(http.RequestAborted);
        var errors = await cluster.GetGrain<IRegistryGrain>(0).ImportInstitutions(json);
        if (errors.Count > 0)
        {
            return TypedResults.Problem(
                title: "The registry file was not imported",
                detail: $"{errors.Count} problem(s); the registry in use is unchanged. First: {errors[0].Field}: {errors[0].Message}",
                statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?> { ["errors"] = errors });
        }

        var snapshot = await cluster.GetGrain<IRegistryGrain>(0).GetSnapshot();
        return TypedResults.Ok(new ImportAnswer(snapshot.Institutions.Count, snapshot.Version));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SetThematicDatabases(HttpContext http, ApiSettings settings, IClusterClient cluster, ThematicDatabaseCount body)
    {
        if (Refuse(http, settings) is { } refusal)
        {
            return refusal;
        }

        if (body.Count is < 0 or > 100_000)
        {
            return TypedResults.Problem(title: "Invalid count", detail: "count must be from 0 to 100000", statusCode: StatusCodes.Status400BadRequest);
        }

        await cluster.GetGrain<IProvinceGrain>("440000").SetThematicDatabaseCount(body.Count);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// A province supervisor's token, or the operator key for scripted imports run outside any person's session.
    /// </summary>
    internal static ProblemHttpResult? Refuse(HttpContext http, ApiSettings settings)
    {
        if (http.User.IsSupervisor())
        {
            return null;
        }

        var given = Encoding.UTF8.GetBytes(http.Request.Headers["X-Admin-Key"].ToString());
        return settings.AdminKey.Length > 0 && CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(settings.AdminKey))
            ? null
            : TypedResults.Problem(
                title: "Administration refused",
                detail: "Send a province supervisor's bearer token, or the operator key in the X-Admin-Key header (disabled while EVAL_ADMIN_KEY is unset).",
                statusCode: StatusCodes.Status403Forbidden);
    }
}

public sealed record ImportAnswer(int Institutions, long Version);

public sealed record ThematicDatabaseCount(int Count);

public sealed record ResealAnswer(int Resealed);
