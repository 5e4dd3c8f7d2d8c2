using System.Security.Claims;
using Evaluation.ClientApi.Application;
using Evaluation.ClientApi.Exports;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Cases;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Evaluation.ClientApi.Apis;

/// <summary>
/// Audits (督查): the province opens and verifies, the city analyses, rectifies and submits. Officers see and
/// act on their own city's cases only; the state machine itself lives in the domain and answers 409 when a
/// step does not fit. The work is <see cref="AuditService"/>'s, which the consoles use too.
/// </summary>
public static class AuditApi
{
    public static void MapAuditApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/audits").WithTags("Audits").RequireAuthorization(Roles.StaffPolicy);
        api.MapPost("/", OpenAsync).RequireAuthorization(Roles.SupervisorPolicy)
            .WithSummary("Province supervisor: open an audit of an institution, assigned to its city (default deadline 15 working days).");
        api.MapGet("/", ListAsync).WithCsvExport("audits").WithSummary("Audits, filtered by state, city and overdue, a page at a time; officers see their own city only.");
        api.MapGet("/overdue", (ClaimsPrincipal user, AuditService audits, string? city, int? page, int? pageSize) =>
                ListAsync(user, audits, null, city, "true", page, pageSize))
            .WithCsvExport("audits-overdue")
            .WithSummary("Audits past their deadline while the city holds them.");
        api.MapGet("/due-soon", DueSoonAsync).WithCsvExport("audits-due-soon").WithSummary("Audits due within `days` working days (default 3) and not yet overdue.");
        api.MapGet("/{id}", async (string id, ClaimsPrincipal user, AuditService audits) => TypedResults.Ok(await audits.GetAsync(id, user)))
            .WithSummary("One audit with its full history.");
        foreach (var step in new[] { AuditStep.Analysis, AuditStep.Rectification, AuditStep.Submission, AuditStep.Verification, AuditStep.Rejection, AuditStep.Relapse })
        {
            var name = ContractWords.Word(step);
            api.MapPost($"/{{id}}/{name}", async (string id, AuditStepRequest body, ClaimsPrincipal user, AuditService audits) =>
                    TypedResults.Ok(await audits.ActAsync(id, step, body, user)))
                .WithSummary($"Take the '{name}' step (see the state machine in the README).")
                .ProducesProblem(StatusCodes.Status409Conflict);
        }
    }

    private static async Task<Created<AuditCase>> OpenAsync(OpenAuditRequest body, ClaimsPrincipal user, AuditService audits)
    {
        var opened = await audits.OpenAsync(body, user);
        return TypedResults.Created($"/api/v1/audits/{opened.Id}", opened);
    }

    private static async Task<Ok<AuditPage>> ListAsync(
        ClaimsPrincipal user, AuditService audits, string? state, string? city, string? overdue, int? page, int? pageSize)
    {
        bool? parsedOverdue = null;
        if (overdue is not null)
        {
            parsedOverdue = bool.TryParse(overdue, out var o) ? o : throw Refusal.Invalid("overdue", "overdue must be true or false");
        }

        var parsedState = ContractWords.Parse<AuditState>(state, "state");
        var paging = Paging.Of(page, pageSize);
        return TypedResults.Ok(await audits.ListAsync(new AuditQuery(parsedState, city, parsedOverdue, null, paging.Page, paging.PageSize), user));
    }

    private static async Task<Ok<AuditPage>> DueSoonAsync(ClaimsPrincipal user, AuditService audits, string? city, int? days, int? page, int? pageSize)
    {
        if (days is < 0 or > 60)
        {
            throw Refusal.Invalid("days", "days must be from 0 to 60 working days");
        }

        var paging = Paging.Of(page, pageSize);
        return TypedResults.Ok(await audits.ListAsync(
            new AuditQuery(City: city, DueWithinWorkingDays: days ?? 3, Page: paging.Page, PageSize: paging.PageSize), user));
    }
}

public sealed record OpenAuditRequest(string? InstitutionId, string? AlertId, string? Reason, DateTimeOffset? Deadline);

public sealed record AttachmentRequest(string? Name, string? ContentType, long? SizeBytes, string? Sha256);

public sealed record AuditStepRequest(string? Note, IReadOnlyList<AttachmentRequest>? Attachments, DateTimeOffset? Deadline);
