using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Grains;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Evaluation.ClientApi.Pages.Consoles;

/// <summary>An audit with the name of the institution it concerns, as the boards list it.</summary>
public sealed record AuditRow(AuditSummary Audit, string InstitutionName);

/// <summary>What every console page shares: who is signed in, and the audits board they may see.</summary>
public abstract class ConsolePage(IClusterClient cluster) : PageModel
{
    public const int BoardSize = 100;

    public IReadOnlyList<AuditRow> Audits { get; private set; } = [];

    public int AuditTotal { get; private set; }

    /// <summary>Not signed in (or the token expired): the login page; signed in without the role: 403.</summary>
    protected IActionResult? Refuse(bool allowed)
    {
        if (User.Identity?.IsAuthenticated != true)
        {
            return Redirect("/console/login");
        }

        return allowed ? null : Forbid();
    }

    /// <summary>Loads the audits of one city, or of every city for a supervisor who names none; deadlines first.</summary>
    protected async Task LoadAuditsAsync(string? city)
    {
        var page = await cluster.GetGrain<IAuditIndexGrain>(AuditIndex.Key).Query(new AuditQuery(City: city, PageSize: BoardSize));
        var directory = cluster.GetGrain<IDirectoryGrain>(0);
        var institutions = await Task.WhenAll(page.Items.Select(a => directory.Find(a.InstitutionId)));
        Audits = [.. page.Items.Select((a, i) => new AuditRow(a, institutions[i]?.Name ?? a.InstitutionId)).OrderBy(r => r.Audit.Deadline)];
        AuditTotal = page.Total;
    }

    public string Actor => User.ActorName();
}
