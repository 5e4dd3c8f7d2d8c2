using Evaluation.ClientApi.Apis;
using Evaluation.ClientApi.Application;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Ingestion;
using Microsoft.AspNetCore.Mvc;

namespace Evaluation.ClientApi.Pages.Consoles;

/// <summary>
/// One 差评 follow-up with its rating, deadlines and history, and the forms for the steps the viewer's role takes
/// next: the city's officer calls back, plans, rectifies, gives feedback or appeals; the supervisor upholds or
/// dismisses an appeal. Steps and the contact reveal go through <see cref="FollowUpService"/>, as the API's do.
/// </summary>
public sealed class FollowUpModel(IClusterClient cluster, PublicQueries queries, FollowUpService followUps) : StaffPage
{
    public FollowUp FollowUp { get; private set; } = null!;

    public string InstitutionName { get; private set; } = "";

    public string ServiceItemName { get; private set; } = "";

    /// <summary>
    /// The steps offered as forms: what the follow-up's rules allow this role from this state (the rules live in
    /// the domain, which the API host does not reference). Only a convenience: a step posted anyway is refused.
    /// </summary>
    public IReadOnlyList<FollowUpStep> Steps { get; private set; } = [];

    /// <summary>
    /// Only the officer of the institution's city calls the rater back, so only they may see whom to call; and
    /// only while the follow-up is in hand (the API would answer later too, the page does not offer it).
    /// </summary>
    public bool MayRevealContact =>
        !User.IsSupervisor() && FollowUp.RealName && FollowUp.State is not (FollowUpState.Closed or FollowUpState.Excluded);

    /// <summary>The rater's contact, in the answer to the reveal alone (never cached, never on a plain view).</summary>
    public Contact? Contact { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id) => Refuse(true) ?? await ShowingAsync(async () =>
    {
        FollowUp = await followUps.GetAsync(id, User);
        InstitutionName = (await cluster.GetGrain<IDirectoryGrain>(0).Find(FollowUp.InstitutionId))?.Name ?? FollowUp.InstitutionId;
        ServiceItemName = (await queries.ServiceItems()).FirstOrDefault(s => s.Code == FollowUp.ServiceItem)?.Name ?? FollowUp.ServiceItem;
        Steps = FollowUpTransitions.NextSteps(FollowUp.State, User.RoleName());
        return Page();
    });

    /// <summary>Takes one step; afterwards the follow-up is shown again (so a reload does not post twice), or the refusal with it.</summary>
    public async Task<IActionResult> OnPostStepAsync(
        string id, string? step, string? note, string? outcome, string? attachmentName, string? attachmentType, long? attachmentSize, string? attachmentSha256)
    {
        if (Refuse(true) is { } anonymous)
        {
            return anonymous;
        }

        if (!ContractWords.TryParse<FollowUpStep>(step, out var parsed))
        {
            return BadRequest();
        }

        var request = new FollowUpStepRequest(note, string.IsNullOrEmpty(outcome) ? null : outcome,
            Attached(attachmentName, attachmentType, attachmentSize, attachmentSha256));
        return await AttemptAsync(
            async () =>
            {
                await followUps.TakeStepAsync(id, parsed, request, User);
                return Redirect($"{ConsoleSession.PathBase}/follow-ups/{Uri.EscapeDataString(id)}");
            },
            () => OnGetAsync(id));
    }

    /// <summary>Shows the rater's contact in this answer only; the reveal is recorded before it is shown.</summary>
    public async Task<IActionResult> OnPostRevealAsync(string id)
    {
        if (Refuse(true) is { } anonymous)
        {
            return anonymous;
        }

        Response.Headers.CacheControl = "no-store";
        return await AttemptAsync(
            async () =>
            {
                Contact = await followUps.RevealContactAsync(id, User);
                return await OnGetAsync(id);
            },
            () => OnGetAsync(id));
    }
}
