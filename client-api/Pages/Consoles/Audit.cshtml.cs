using Evaluation.ClientApi.Apis;
using Evaluation.ClientApi.Application;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Grains;
using Microsoft.AspNetCore.Mvc;

namespace Evaluation.ClientApi.Pages.Consoles;

/// <summary>
/// One audit with its history, and the forms for the steps the viewer's role takes next: the city officer
/// analyses, plans the rectification and submits evidence; the supervisor rejects or verifies. Every step goes
/// through <see cref="AuditService"/>, as the API's do, so the state machine and the city scoping decide alike.
/// </summary>
public sealed class AuditModel(IClusterClient cluster, AuditService audits) : StaffPage
{
    public AuditCase Case { get; private set; } = null!;

    public string InstitutionName { get; private set; } = "";

    /// <summary>
    /// The steps offered as forms: what the state machine allows this role from this state. Only a convenience:
    /// a step posted anyway is still refused by the domain with its reason.
    /// </summary>
    public IReadOnlyList<AuditStep> Steps { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string id) => Refuse(true) ?? await ShowingAsync(async () =>
    {
        Case = await audits.GetAsync(id, User);
        InstitutionName = (await cluster.GetGrain<IDirectoryGrain>(0).Find(Case.InstitutionId))?.Name ?? Case.InstitutionId;
        Steps = (User.IsSupervisor(), Case.State) switch
        {
            (false, AuditState.Opened) => [AuditStep.Analysis],
            (false, AuditState.CityAnalysing or AuditState.Rejected) => [AuditStep.Rectification],
            (false, AuditState.Rectifying) => [AuditStep.Submission],
            (true, AuditState.Submitted) => [AuditStep.Verification, AuditStep.Rejection],
            _ => [],
        };
        return Page();
    });

    /// <summary>Takes one step; afterwards the case is shown again (so a reload does not post twice), or the refusal with the case.</summary>
    public async Task<IActionResult> OnPostStepAsync(string id, string? step, string? note, string? attachmentName, string? attachmentType, long? attachmentSize)
    {
        if (Refuse(true) is { } anonymous)
        {
            return anonymous;
        }

        if (!ContractWords.TryParse<AuditStep>(step, out var parsed))
        {
            return BadRequest();
        }

        return await AttemptAsync(
            async () =>
            {
                await audits.ActAsync(id, parsed, new AuditStepRequest(note, Attached(attachmentName, attachmentType, attachmentSize), null), User);
                return Redirect($"{ConsoleSession.PathBase}/audits/{Uri.EscapeDataString(id)}");
            },
            () => OnGetAsync(id));
    }
}
