using System.Security.Claims;
using Evaluation.ClientApi.Application;
using Evaluation.ClientApi.Exports;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Registry;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Evaluation.ClientApi.Apis;

/// <summary>
/// 差评 follow-ups (SPEC 3.4): the city calls back, plans and completes the rectification and gives feedback, or
/// appeals; the province decides appeals. The rater's contact is shown to the officer of the institution's city
/// and nobody else, and every time it is shown is recorded. The work is <see cref="FollowUpService"/>'s.
/// </summary>
public static class FollowUpApi
{
    public static void MapFollowUpApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/follow-ups").WithTags("Follow-ups").RequireAuthorization(Roles.StaffPolicy);
        api.MapGet("/", ListAsync).WithCsvExport("follow-ups").WithSummary(
            "One city's follow-ups, filtered by state, overdue, institution, service item, channel and level; newest first, or order=due for the officer's queue (deadline soonest first). Officers get their own city.");
        api.MapGet("/appeals", async (FollowUpService followUps, int? page, int? pageSize) => TypedResults.Ok(await followUps.AppealsAsync(Paging.Of(page, pageSize))))
            .RequireAuthorization(Roles.SupervisorPolicy).WithCsvExport("appeals")
            .WithSummary("Appeals (申诉复核) of every city waiting for the province's decision.");
        api.MapGet("/contact-reveals", async (ClaimsPrincipal user, FollowUpService followUps, string? city, int? page, int? pageSize) =>
                TypedResults.Ok(await followUps.RevealsAsync(city, Paging.Of(page, pageSize), user)))
            .WithCsvExport("contact-reveals")
            .WithSummary("Who opened which rater's contact, newest first: every city for the supervisor, their own for an officer.");
        api.MapGet("/{id}", async (string id, ClaimsPrincipal user, FollowUpService followUps) => TypedResults.Ok(await followUps.GetAsync(id, user)))
            .WithSummary("One follow-up with its history (never the rater's contact).");
        api.MapGet("/{id}/contact", GetContactAsync)
            .WithSummary("The real-name rater's contact, for the officer of the institution's city only, to call back; every reveal is recorded.");
        foreach (var step in FollowUpTransitions.RequestedSteps)
        {
            var name = ContractWords.Word(step);
            api.MapPost($"/{{id}}/{name}", async (string id, FollowUpStepRequest body, ClaimsPrincipal user, FollowUpService followUps) =>
                    TypedResults.Ok(await followUps.TakeStepAsync(id, step, body, user)))
                .WithSummary($"Take the '{name}' step with a note.")
                .ProducesProblem(StatusCodes.Status409Conflict);
        }
    }

    private static async Task<Ok<FollowUpPage>> ListAsync(
        ClaimsPrincipal user, FollowUpService followUps, string? city, string? state, bool? overdue, string? institution, string? serviceItem,
        string? channel, int? level, bool? open, string? order, int? page, int? pageSize)
    {
        var parsedState = ContractWords.Parse<FollowUpState>(state, "state");
        var parsedChannel = ContractWords.Parse<Channel>(channel, "channel");
        if (level is not null and not (1 or 2))
        {
            throw Refusal.Invalid("level", "a follow-up is opened for levels 1 and 2 only: give 1 or 2");
        }

        if (order is not null and not ("due" or "newest"))
        {
            throw Refusal.Invalid("order", "order is 'due' (deadline soonest first) or 'newest'");
        }

        var paging = Paging.Of(page, pageSize);
        var filter = new FollowUpFilter(parsedState, overdue, institution, serviceItem, parsedChannel, (byte?)level, open ?? false,
            order == "due" ? FollowUpOrder.DueSoonest : FollowUpOrder.Newest, paging.Page, paging.PageSize);
        return TypedResults.Ok(await followUps.ListAsync(city, filter, user));
    }

    /// <summary>Never cached: the contact is in this answer only.</summary>
    private static async Task<Ok<Contact>> GetContactAsync(string id, ClaimsPrincipal user, FollowUpService followUps, HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(await followUps.RevealContactAsync(id, user));
    }
}

/// <summary>What a follow-up step asks: a note always; a call-back's outcome; an appeal's or rectification's attachments' metadata.</summary>
public sealed record FollowUpStepRequest(string? Note, string? Outcome = null, IReadOnlyList<AttachmentRequest>? Attachments = null);
