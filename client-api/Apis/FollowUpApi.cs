using System.Security.Claims;
using Evaluation.ClientApi.Exports;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Registry;
using Microsoft.AspNetCore.Http.HttpResults;
using static Evaluation.ClientApi.Apis.CaseResults;

namespace Evaluation.ClientApi.Apis;

/// <summary>
/// 差评 follow-ups (SPEC 3.4): the city calls back, plans and completes the rectification and gives feedback, or
/// appeals; the province decides appeals. The rater's contact is shown to the officer of the institution's city
/// and nobody else, and every time it is shown is recorded.
/// </summary>
public static class FollowUpApi
{
    public const int MaxPageSize = 100;

    public static void MapFollowUpApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/follow-ups").WithTags("Follow-ups").RequireAuthorization(Roles.StaffPolicy);
        api.MapGet("/", ListAsync).WithCsvExport("follow-ups").WithSummary(
            "One city's follow-ups, filtered by state, overdue, institution, service item, channel and level; newest first, or order=due for the officer's queue (deadline soonest first). Officers get their own city.");
        api.MapGet("/appeals", AppealsAsync).RequireAuthorization(Roles.SupervisorPolicy).WithCsvExport("appeals")
            .WithSummary("Appeals (申诉复核) of every city waiting for the province's decision.");
        api.MapGet("/contact-reveals", RevealsAsync).WithCsvExport("contact-reveals")
            .WithSummary("Who opened which rater's contact, newest first: every city for the supervisor, their own for an officer.");
        api.MapGet("/{id}", GetAsync).WithSummary("One follow-up with its history (never the rater's contact).");
        api.MapGet("/{id}/contact", GetContactAsync)
            .WithSummary("The real-name rater's contact, for the officer of the institution's city only, to call back; every reveal is recorded.");
        foreach (var step in FollowUpTransitions.RequestedSteps)
        {
            var name = Word(step);
            api.MapPost($"/{{id}}/{name}", (string id, FollowUpStepRequest body, ClaimsPrincipal user, IClusterClient cluster) => ActAsync(id, step, body, user, cluster))
                .WithSummary($"Take the '{name}' step with a note.")
                .ProducesProblem(StatusCodes.Status409Conflict);
        }
    }


    private static async Task<Results<Ok<FollowUpPage>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, IClusterClient cluster, string? city, string? state, bool? overdue, string? institution, string? serviceItem,
        string? channel, int? level, bool? open, string? order, int? page, int? pageSize)
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

        FollowUpState? parsedState = null;
        if (state is not null)
        {
            if (!TryParseWord<FollowUpState>(state, out var s))
            {
                return Invalid("state", $"state must be one of {Words<FollowUpState>()}");
            }

            parsedState = s;
        }

        Channel? parsedChannel = null;
        if (channel is not null)
        {
            if (!TryParseWord<Channel>(channel, out var c))
            {
                return Invalid("channel", $"channel must be one of {Words<Channel>()}");
            }

            parsedChannel = c;
        }

        if (level is not null and not (1 or 2))
        {
            return Invalid("level", "a follow-up is opened for levels 1 and 2 only: give 1 or 2");
        }

        if (order is not null and not ("due" or "newest"))
        {
            return Invalid("order", "order is 'due' (deadline soonest first) or 'newest'");
        }

        if (page is < 1 || pageSize is < 1 or > MaxPageSize)
        {
            return Invalid("pageSize", $"page starts at 1 and pageSize is 1 to {MaxPageSize}");
        }

        var filter = new FollowUpFilter(parsedState, overdue, institution, serviceItem, parsedChannel, (byte?)level, open ?? false,
            order == "due" ? FollowUpOrder.DueSoonest : FollowUpOrder.Newest, page ?? 1, pageSize ?? 20);
        return TypedResults.Ok(await cluster.GetGrain<IFollowUpIndexGrain>(listed).Query(filter));
    }

    private static async Task<Results<Ok<FollowUpPage>, ProblemHttpResult>> AppealsAsync(IClusterClient cluster, int? page, int? pageSize)
    {
        if (page is < 1 || pageSize is < 1 or > MaxPageSize)
        {
            return Invalid("pageSize", $"page starts at 1 and pageSize is 1 to {MaxPageSize}");
        }

        return TypedResults.Ok(await cluster.GetGrain<IFollowUpSupervisionGrain>(0).AppealsAwaiting(page ?? 1, pageSize ?? 20));
    }

    private static async Task<Results<Ok<ContactRevealPage>, ProblemHttpResult>> RevealsAsync(
        ClaimsPrincipal user, IClusterClient cluster, string? city, int? page, int? pageSize)
    {
        var ownCity = user.ConfinedToCity();
        if (ownCity is not null && city is not null && city != ownCity)
        {
            return NotYourCity(city);
        }

        if (page is < 1 || pageSize is < 1 or > MaxPageSize)
        {
            return Invalid("pageSize", $"page starts at 1 and pageSize is 1 to {MaxPageSize}");
        }

        return TypedResults.Ok(await cluster.GetGrain<IFollowUpSupervisionGrain>(0).QueryReveals(city ?? ownCity, page ?? 1, pageSize ?? 20));
    }

    private static async Task<Results<Ok<FollowUp>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user, IClusterClient cluster) =>
        await cluster.GetGrain<IFollowUpGrain>(id).Get() switch
        {
            null => NotFound($"No follow-up has the id '{id}'."),
            var f when !user.MayAccessCity(f.CityCode) => NotYourCity(f.CityCode),
            var f => TypedResults.Ok(f),
        };

    /// <summary>Not even the supervisor: the plan gives the call-back to the city, so only its officer sees who to call.</summary>
    private static async Task<Results<Ok<Contact>, ProblemHttpResult>> GetContactAsync(string id, ClaimsPrincipal user, IClusterClient cluster, HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        var answer = await RevealAsync(id, user, cluster);
        return answer.Problem is { } problem ? problem : TypedResults.Ok(answer.Value!);
    }

    /// <summary>The reveal as the API and the console both do it: checked, recorded by the grain, never cached.</summary>
    internal static async Task<CaseAnswer<Contact>> RevealAsync(string id, ClaimsPrincipal user, IClusterClient cluster)
    {
        var grain = cluster.GetGrain<IFollowUpGrain>(id);
        if (await grain.Get() is not { } followUp)
        {
            return new(null, NotFound($"No follow-up has the id '{id}'."));
        }

        if (user.IsSupervisor() || !user.MayAccessCity(followUp.CityCode))
        {
            return new(null, NotYourCity(followUp.CityCode));
        }

        return await grain.RevealContact(AuditApi.Caller(user)) is { } contact
            ? new(contact, null)
            : new(null, NotFound("This rating was anonymous; there is nobody to call back."));
    }

    private static async Task<Results<Ok<FollowUp>, ProblemHttpResult>> ActAsync(
        string id, FollowUpStep step, FollowUpStepRequest body, ClaimsPrincipal user, IClusterClient cluster)
    {
        var answer = await TakeStepAsync(id, step, body, user, cluster);
        return answer.Problem is { } problem ? problem : TypedResults.Ok(answer.Value!);
    }

    /// <summary>A step as the API and the console both take it.</summary>
    internal static async Task<CaseAnswer<FollowUp>> TakeStepAsync(
        string id, FollowUpStep step, FollowUpStepRequest body, ClaimsPrincipal user, IClusterClient cluster)
    {
        var grain = cluster.GetGrain<IFollowUpGrain>(id);
        if (await grain.Get() is not { } followUp)
        {
            return new(null, NotFound($"No follow-up has the id '{id}'."));
        }

        if (!user.MayAccessCity(followUp.CityCode))
        {
            return new(null, NotYourCity(followUp.CityCode));
        }

        CallBackOutcome? outcome = null;
        if (body.Outcome is not null)
        {
            if (!TryParseWord<CallBackOutcome>(body.Outcome, out var parsed))
            {
                return new(null, Invalid("outcome", $"outcome must be one of {Words<CallBackOutcome>()}"));
            }

            outcome = parsed;
        }

        var attachments = (body.Attachments ?? []).Select(a => new Attachment(a.Name ?? "", a.ContentType, a.SizeBytes, a.Sha256)).ToList();
        try
        {
            return new(await grain.Act(new FollowUpCommand(step, AuditApi.Caller(user), body.Note, outcome, attachments)), null);
        }
        catch (AuditRefusedException ex)
        {
            return new(null, Refused(ex.Message));
        }
    }
}

/// <summary>What a follow-up step asks: a note always; a call-back's outcome; an appeal's or rectification's attachments' metadata.</summary>
public sealed record FollowUpStepRequest(string? Note, string? Outcome = null, IReadOnlyList<AttachmentRequest>? Attachments = null);

/// <summary>Either the value or the problem the API would answer, so console pages share the API's checks.</summary>
public sealed record CaseAnswer<T>(T? Value, ProblemHttpResult? Problem)
    where T : class;
