using System.Security.Claims;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Ingestion;
using Microsoft.AspNetCore.Http.HttpResults;
using static Evaluation.ClientApi.Apis.CaseResults;

namespace Evaluation.ClientApi.Apis;

/// <summary>
/// 差评 follow-ups (SPEC 3.4): the city calls back, rectifies and gives feedback or appeals; the province
/// decides appeals. The rater's contact is shown to the officer of the institution's city and nobody else.
/// </summary>
public static class FollowUpApi
{
    private const int MaxPageSize = 100;

    public static void MapFollowUpApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/follow-ups").WithTags("Follow-ups").RequireAuthorization(Roles.StaffPolicy);
        api.MapGet("/", ListAsync).WithSummary("One city's follow-ups, newest first, filtered by state and overdue; officers get their own city.");
        api.MapGet("/{id}", GetAsync).WithSummary("One follow-up with its history (never the rater's contact).");
        api.MapGet("/{id}/contact", GetContactAsync)
            .WithSummary("The real-name rater's contact, for the officer of the institution's city only, to call back.");
        foreach (var step in new[] { FollowUpStep.CallBack, FollowUpStep.Appeal, FollowUpStep.Feedback, FollowUpStep.Uphold, FollowUpStep.Dismiss })
        {
            var name = Word(step);
            api.MapPost($"/{{id}}/{name}", (string id, FollowUpStepRequest body, ClaimsPrincipal user, IClusterClient cluster) => ActAsync(id, step, body, user, cluster))
                .WithSummary($"Take the '{name}' step with a note.");
        }
    }

    private static async Task<Results<Ok<FollowUpPage>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, IClusterClient cluster, string? city, string? state, bool? overdue, int? page, int? pageSize)
    {
        var ownCity = user.ConfinedToCity();
        if (ownCity is not null && city is not null && city != ownCity)
        {
            return NotYourCity(city);
        }

        if ((city ?? ownCity) is not { } listed)
        {
            return Invalid("city", "the province lists follow-ups one city at a time: give city, e.g. 440100");
        }

        FollowUpState? parsed = null;
        if (state is not null)
        {
            if (!TryParseWord<FollowUpState>(state, out var s))
            {
                return Invalid("state", $"state must be one of {Words<FollowUpState>()}");
            }

            parsed = s;
        }

        if (page is < 1 || pageSize is < 1 or > MaxPageSize)
        {
            return Invalid("pageSize", $"page starts at 1 and pageSize is 1 to {MaxPageSize}");
        }

        return TypedResults.Ok(await cluster.GetGrain<IFollowUpIndexGrain>(listed).Query(parsed, overdue, page ?? 1, pageSize ?? 20));
    }

    private static async Task<Results<Ok<FollowUp>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user, IClusterClient cluster) =>
        await cluster.GetGrain<IFollowUpGrain>(id).Get() switch
        {
            null => NotFound($"No follow-up has the id '{id}'."),
            var f when !user.MayAccessCity(f.CityCode) => NotYourCity(f.CityCode),
            var f => TypedResults.Ok(f),
        };

    /// <summary>Not even the supervisor: the plan gives the call-back to the city, so only its officer sees who to call.</summary>
    private static async Task<Results<Ok<Contact>, ProblemHttpResult>> GetContactAsync(string id, ClaimsPrincipal user, IClusterClient cluster)
    {
        var grain = cluster.GetGrain<IFollowUpGrain>(id);
        if (await grain.Get() is not { } followUp)
        {
            return NotFound($"No follow-up has the id '{id}'.");
        }

        if (user.IsSupervisor() || !user.MayAccessCity(followUp.CityCode))
        {
            return NotYourCity(followUp.CityCode);
        }

        return await grain.GetContact() is { } contact
            ? TypedResults.Ok(contact)
            : NotFound("This rating was anonymous; there is nobody to call back.");
    }

    private static async Task<Results<Ok<FollowUp>, ProblemHttpResult>> ActAsync(
        string id, FollowUpStep step, FollowUpStepRequest body, ClaimsPrincipal user, IClusterClient cluster)
    {
        var grain = cluster.GetGrain<IFollowUpGrain>(id);
        if (await grain.Get() is not { } followUp)
        {
            return NotFound($"No follow-up has the id '{id}'.");
        }

        if (!user.MayAccessCity(followUp.CityCode))
        {
            return NotYourCity(followUp.CityCode);
        }

        try
        {
            return TypedResults.Ok(await grain.Act(new FollowUpCommand(step, AuditApi.Caller(user), body.Note)));
        }
        catch (AuditRefusedException ex)
        {
            return Refused(ex.Message);
        }
    }
}

public sealed record FollowUpStepRequest(string? Note);
