using System.Security.Claims;
using Evaluation.ClientApi.Apis;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Ingestion;

namespace Evaluation.ClientApi.Application;

/// <summary>
/// 差评 follow-ups as the JSON API and the consoles both see and take them: the city's queue, the province's appeals,
/// the record of contact reveals, the reveal itself and the steps. Refuses with <see cref="Refusal"/>.
/// </summary>
public sealed class FollowUpService(IClusterClient cluster)
{
    /// <summary>One page of one city's follow-ups: an officer's own; the province names the city.</summary>
    public async Task<FollowUpPage> ListAsync(string? city, FollowUpFilter filter, ClaimsPrincipal user) =>
        user.CityFor(city) is { } listed
            ? await cluster.GetGrain<IFollowUpIndexGrain>(listed).Query(filter)
            : throw Refusal.Invalid("city", "the province lists follow-ups one city at a time: give city, e.g. 440100");

    /// <summary>Appeals (申诉复核) of every city waiting for the province's decision.</summary>
    public Task<FollowUpPage> AppealsAsync(Paging paging) => cluster.GetGrain<IFollowUpSupervisionGrain>(0).AppealsAwaiting(paging.Page, paging.PageSize);

    /// <summary>Who opened which rater's contact: every city (or the one named) for a supervisor, their own for an officer.</summary>
    public Task<ContactRevealPage> RevealsAsync(string? city, Paging paging, ClaimsPrincipal user) =>
        cluster.GetGrain<IFollowUpSupervisionGrain>(0).QueryReveals(user.CityFor(city), paging.Page, paging.PageSize);

    public async Task<FollowUp> GetAsync(string id, ClaimsPrincipal user)
    {
        var found = await cluster.GetGrain<IFollowUpGrain>(id).Get() ?? throw Refusal.NotFound($"No follow-up has the id '{id}'.");
        user.DemandCity(found.CityCode);
        return found;
    }

    /// <summary>
    /// The real-name rater's contact, for the officer of the institution's city only: not even the supervisor, since
    /// the plan gives the call-back to the city. The grain records every reveal.
    /// </summary>
    public async Task<Contact> RevealContactAsync(string id, ClaimsPrincipal user)
    {
        var followUp = await GetAsync(id, user);
        if (user.IsSupervisor())
        {
            throw Refusal.NotYourCity(followUp.CityCode);
        }

        return await cluster.GetGrain<IFollowUpGrain>(id).RevealContact(user.Actor())
            ?? throw Refusal.NotFound("This rating was anonymous; there is nobody to call back.");
    }

    /// <summary>Takes one step; a step that does not fit the follow-up now is refused 409 with the domain's reason.</summary>
    public async Task<FollowUp> TakeStepAsync(string id, FollowUpStep step, FollowUpStepRequest body, ClaimsPrincipal user)
    {
        await GetAsync(id, user);
        var outcome = ContractWords.Parse<CallBackOutcome>(body.Outcome, "outcome");
        try
        {
            return await cluster.GetGrain<IFollowUpGrain>(id).Act(
                new FollowUpCommand(step, user.Actor(), body.Note, outcome, AuditService.Attachments(body.Attachments)));
        }
        catch (AuditRefusedException ex)
        {
            throw Refusal.Conflict(ex.Message);
        }
    }
}
