using System.Text;
using Evaluation.ClientApi.Application;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Ingestion;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Evaluation.ClientApi.Apis;

/// <summary>Operator actions: replacing the sample registry with a real one, entering counts the plan tracks.</summary>
public static class AdminApi
{
    public static void MapAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/admin").WithTags("Administration").AcceptsAdminKey();
        api.MapPost("/registry", ImportRegistry)
            .WithSummary("Replace the institution registry with a registry file (the format of the shipped sample). Needs X-Admin-Key.");
        foreach (var (path, kind, file) in ReferenceFiles)
        {
            api.MapPost(path, (HttpContext http, IClusterClient cluster) => ImportReference(http, cluster, kind))
                .WithSummary($"Replace the {file} in use (the format of the shipped file); every silo uses it within seconds. Needs X-Admin-Key.");
        }

        api.MapPut("/plan/thematic-databases", SetThematicDatabases)
            .WithSummary("Enter the number of provincial thematic patent databases (a plan target the province counts by hand). Needs X-Admin-Key.");
        api.MapPost("/contact-keys/reseal", async (IClusterClient cluster) =>
                TypedResults.Ok(new ResealAnswer(await cluster.GetGrain<Contracts.Cases.IFollowUpSupervisionGrain>(0).ResealContacts())))
            .WithSummary("After a contact-key rotation: seal every stored rater contact with the current key, so the retired key can be removed. Needs X-Admin-Key.");
    }

    private static async Task<Ok<ImportAnswer>> ImportRegistry(HttpContext http, IClusterClient cluster)
    {
        var errors = await cluster.GetGrain<IRegistryGrain>(0).ImportInstitutions(await ReadBodyAsync(http));
        if (errors.Count > 0)
        {
            throw NotImported("registry file", "the registry", errors);
        }

        var snapshot = await cluster.GetGrain<IRegistryGrain>(0).GetSnapshot();
        return TypedResults.Ok(new ImportAnswer(snapshot.Institutions.Count, snapshot.Version));
    }

    /// <summary>The reference lists kept current by import (issue 15): path, kind and what the file is called in answers.</summary>
    private static readonly (string Path, ReferenceDataKind Kind, string File)[] ReferenceFiles =
    [
        ("/service-items", ReferenceDataKind.ServiceItems, "service-item list (province items, city additions and city-tightened time limits)"),
        ("/working-calendar", ReferenceDataKind.WorkingCalendar, "working-day calendar (holidays and make-up workdays by year)"),
        ("/pilot-counties", ReferenceDataKind.PilotCounties, "pilot-county list"),
    ];

    private static async Task<Ok<ReferenceImportAnswer>> ImportReference(HttpContext http, IClusterClient cluster, ReferenceDataKind kind)
    {
        var grain = cluster.GetGrain<IReferenceDataGrain>(0);
        var errors = await grain.Import(kind, await ReadBodyAsync(http));
        if (errors.Count > 0)
        {
            throw NotImported("file", "the list in use", errors);
        }

        return TypedResults.Ok(new ReferenceImportAnswer(ReferenceFiles.Single(f => f.Kind == kind).Path.TrimStart('/'), await grain.GetVersion()));
    }

    private static async Task<string> ReadBodyAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(http.RequestAborted);
    }

    /// <summary>An import refused as a whole: every problem by field and rule, and the promise that nothing changed.</summary>
    private static Refusal NotImported(string file, string inUse, IReadOnlyList<FieldError> errors) => Refusal.Invalid(
        $"The {file} was not imported",
        errors,
        $"{errors.Count} problem(s); {inUse} is unchanged. First: {errors[0].Field}: {errors[0].Message}");

    private static async Task<NoContent> SetThematicDatabases(IClusterClient cluster, ThematicDatabaseCount body)
    {
        if (body.Count is < 0 or > 100_000)
        {
            throw Refusal.Invalid("count", "count must be from 0 to 100000", "Invalid count");
        }

        await cluster.GetGrain<IProvinceGrain>(Scope.ProvinceCode).SetThematicDatabaseCount(body.Count);
        return TypedResults.NoContent();
    }
}

public sealed record ImportAnswer(int Institutions, long Version);

/// <summary>Which list was replaced, and the reference-data version every silo will load.</summary>
public sealed record ReferenceImportAnswer(string Imported, long Version);

public sealed record ThematicDatabaseCount(int Count);

public sealed record ResealAnswer(int Resealed);
