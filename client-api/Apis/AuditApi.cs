using System.Globalization;
using System.Security.Claims;
using Evaluation.ClientApi.Exports;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Detection;
using Evaluation.Contracts.Grains;
using Microsoft.AspNetCore.Http.HttpResults;

using static Evaluation.ClientApi.Apis.CaseResults;

namespace Evaluation.ClientApi.Apis;

/// <summary>
/// Audits (督查): the province opens and verifies, the city analyses, rectifies and submits. Officers see and
/// act on their own city's cases only; the state machine itself lives in the domain and answers 409 when a
/// step does not fit.
/// </summary>
public static class AuditApi
{
    private const int MaxPageSize = 100;

    public static void MapAuditApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/audits").WithTags("Audits").RequireAuthorization(Roles.StaffPolicy);
        api.MapPost("/", OpenAsync).RequireAuthorization(Roles.SupervisorPolicy)
            .WithSummary("Province supervisor: open an audit of an institution, assigned to its city (default deadline 15 working days).");
        api.MapGet("/", ListAsync).WithCsvExport("audits").WithSummary("Audits, filtered by state, city and overdue, a page at a time; officers see their own city only.");
        api.MapGet("/overdue", (ClaimsPrincipal user, IClusterClient cluster, string? city, int? page, int? pageSize) =>
                ListAsync(user, cluster, null, city, "true", page, pageSize))
            .WithCsvExport("audits-overdue")
            .WithSummary("Audits past their deadline while the city holds them.");
        api.MapGet("/due-soon", DueSoonAsync).WithCsvExport("audits-due-soon").WithSummary("Audits due within `days` working days (default 3) and not yet overdue.");
        api.MapGet("/{id}", GetAsync).WithSummary("One audit with its full history.");
        foreach (var step in new[] { AuditStep.Analysis, AuditStep.Rectification, AuditStep.Submission, AuditStep.Verification, AuditStep.Rejection, AuditStep.Relapse })
        {
            var name = Word(step);
            api.MapPost($"/{{id}}/{name}", (string id, AuditStepRequest body, ClaimsPrincipal user, IClusterClient cluster) => ActAsync(id, step, body, user, cluster))
                .WithSummary($"Take the '{name}' step (see the state machine in the README).")
                .ProducesProblem(StatusCodes.Status409Conflict);
        }
    }

    internal static async Task<Results<Created<AuditCase>, ProblemHttpResult>> OpenAsync(OpenAuditRequest body, ClaimsPrincipal user, IClusterClient cluster)
    {
        if (string.IsNullOrWhiteSpace(body.InstitutionId))
        {
            return Invalid("institutionId", "institutionId is required");
        }

        if (await cluster.GetGrain<IDirectoryGrain>(0).Find(body.InstitutionId) is not { } institution)
        {
            return Invalid("institutionId", $"no institution has the id '{body.InstitutionId}'");
        }

        var id = $"aud-{DateTimeOffset.UtcNow:yyyyMMdd}-{Guid.NewGuid().ToString("N")[..10]}";
        long? alertId = null;
        if (body.AlertId is not null)
        {
            if (!long.TryParse(body.AlertId, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return Invalid("alertId", $"'{body.AlertId}' is not an alert id (a positive whole number)");
            }

            // Claimed before the case exists, so two supervisors cannot open two audits from one alert.
            var claim = await cluster.GetGrain<IDetectionGrain>(0).ClaimForAudit(parsed, institution.Id, id, body.Reason ?? "", user.ActorName());
            if (claim.Refusal is { } refusal)
            {
                return TriageRefused(refusal);
            }

            alertId = parsed;
        }

        try
        {
            var opened = await OpenCaseAsync(cluster, id, alertId, new OpenAudit(
                institution.Id, institution.CityCode, alertId?.ToString(CultureInfo.InvariantCulture), body.Reason ?? "", Caller(user), body.Deadline));
            return TypedResults.Created($"/api/v1/audits/{id}", opened);
        }
        catch (AuditRefusedException ex)
        {
            return TypedResults.Problem(title: "Invalid request", detail: ex.Message, statusCode: StatusCodes.Status400BadRequest);
        }
    }

    /// <summary>Opens the case; if that fails, the alert claimed for it is given back, so it never names a case that does not exist.</summary>
    private static async Task<AuditCase> OpenCaseAsync(IClusterClient cluster, string id, long? claimedAlert, OpenAudit command)
    {
        try
        {
            return await cluster.GetGrain<IAuditCaseGrain>(id).Open(command);
        }
        catch when (claimedAlert is { } alert)
        {
            await cluster.GetGrain<IDetectionGrain>(0).ReleaseClaim(alert, id);
            throw;
        }
    }

    private static async Task<Results<Ok<AuditPage>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, IClusterClient cluster, string? state, string? city, string? overdue, int? page, int? pageSize)
    {
        AuditState? parsedState = null;
        if (state is not null)
        {
            if (!TryParseWord<AuditState>(state, out var s))
            {
                return Invalid("state", $"state must be one of {Words<AuditState>()}");
            }

            parsedState = s;
        }

        bool? parsedOverdue = null;
        if (overdue is not null)
        {
            if (!bool.TryParse(overdue, out var o))
            {
                return Invalid("overdue", "overdue must be true or false");
            }

            parsedOverdue = o;
        }

        return await QueryAsync(user, cluster, new AuditQuery(parsedState, city, parsedOverdue, null, page ?? 1, pageSize ?? 20));
    }

    private static async Task<Results<Ok<AuditPage>, ProblemHttpResult>> DueSoonAsync(
        ClaimsPrincipal user, IClusterClient cluster, string? city, int? days, int? page, int? pageSize)
    {
        if (days is < 0 or > 60)
        {
            return Invalid("days", "days must be from 0 to 60 working days");
        }

        return await QueryAsync(user, cluster, new AuditQuery(City: city, DueWithinWorkingDays: days ?? 3, Page: page ?? 1, PageSize: pageSize ?? 20));
    }

    private static async Task<Results<Ok<AuditPage>, ProblemHttpResult>> QueryAsync(ClaimsPrincipal user, IClusterClient cluster, AuditQuery query)
    {
        if (query.Page < 1)
        {
            return Invalid("page", "page starts at 1");
        }

        if (query.PageSize is < 1 or > MaxPageSize)
        {
            return Invalid("pageSize", $"pageSize must be from 1 to {MaxPageSize}");
        }

        if (user.ConfinedToCity() is { } ownCity)
        {
            if (query.City is not null && query.City != ownCity)
            {
                return NotYourCity(query.City);
            }

            query = query with { City = ownCity };
        }

        return TypedResults.Ok(await cluster.GetGrain<IAuditIndexGrain>(AuditIndex.Key).Query(query));
    }

    private static async Task<Results<Ok<AuditCase>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user, IClusterClient cluster)
    {
        var found = await cluster.GetGrain<IAuditCaseGrain>(id).Get();
        if (found is null)
        {
            return NotFound($"No audit has the id '{id}'.");
        }

        return user.MayAccessCity(found.CityCode) ? TypedResults.Ok(found) : NotYourCity(found.CityCode);
    }

    internal static async Task<Results<Ok<AuditCase>, ProblemHttpResult>> ActAsync(
        string id, AuditStep step, AuditStepRequest body, ClaimsPrincipal user, IClusterClient cluster)
    {
        var grain = cluster.GetGrain<IAuditCaseGrain>(id);
        var found = await grain.Get();
        if (found is null)
        {
            return NotFound($"No audit has the id '{id}'.");
        }

        if (!user.MayAccessCity(found.CityCode))
        {
            return NotYourCity(found.CityCode);
        }

        var attachments = (body.Attachments ?? []).Select(a => new Attachment(a.Name ?? "", a.ContentType, a.SizeBytes, a.Sha256)).ToList();
        try
        {
            return TypedResults.Ok(await grain.Act(new AuditCommand(step, Caller(user), body.Note, attachments, body.Deadline)));
        }
        catch (AuditRefusedException ex)
        {
            return Refused(ex.Message);
        }
    }

    internal static Actor Caller(ClaimsPrincipal user) => new(user.ActorName(), user.RoleName());
}

public sealed record OpenAuditRequest(string? InstitutionId, string? AlertId, string? Reason, DateTimeOffset? Deadline);

public sealed record AttachmentRequest(string? Name, string? ContentType, long? SizeBytes, string? Sha256);

public sealed record AuditStepRequest(string? Note, IReadOnlyList<AttachmentRequest>? Attachments, DateTimeOffset? Deadline);
