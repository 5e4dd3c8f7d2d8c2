using Evaluation.ClientApi.Apis;
using Evaluation.ClientApi.Application;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Detection;
using Evaluation.Contracts.Grains;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Evaluation.ClientApi.Pages.Consoles;

/// <summary>An audit with the name of the institution it concerns, as the boards list it.</summary>
public sealed record AuditRow(AuditSummary Audit, string InstitutionName)
{
    /// <summary>Past its deadline and not closed: what the board lists first and marks.</summary>
    public bool IsOverdue(DateTimeOffset now) => Audit.State != AuditState.Verified && Audit.Deadline < now;
}

/// <summary>An open alert with the name of the institution it concerns.</summary>
public sealed record AlertRow(AlertView Alert, string InstitutionName);

/// <summary>
/// The alert list as a page shows it: of one city, or of all when <see cref="City"/> is null, and whether the
/// viewer may open audits from it. The addresses let the script keep the list live: it listens on
/// <see cref="StreamUrl"/> and fetches the list again from <see cref="RefreshUrl"/> when an alert is raised.
/// </summary>
public sealed record AlertBoard(IReadOnlyList<AlertRow> Rows, bool MayOpenAudits, string? City, string RefreshUrl)
{
    /// <summary>The consoles' own alert stream: the API's stream, reached with the console cookie.</summary>
    public const string StreamPath = ConsoleSession.PathBase + "/alerts/stream";

    public string StreamUrl => City is null ? StreamPath : $"{StreamPath}?city={Uri.EscapeDataString(City)}";
}

/// <summary>What every staff page shares: who is signed in, and sending away whoever may not see the page.</summary>
public abstract class StaffPage : PageModel
{
    /// <summary>Why the last form on the page was refused, in the words of the API's answer.</summary>
    public string? Problem { get; protected set; }

    public string Actor => User.ActorName();

    /// <summary>Not signed in (or the token expired): the login page; signed in without the role: 403.</summary>
    protected IActionResult? Refuse(bool allowed)
    {
        if (User.Identity?.IsAuthenticated != true)
        {
            return Redirect("/console/login");
        }

        return allowed ? null : Forbid();
    }

    /// <summary>
    /// Runs a form's action with the application services the API uses; a refusal shows the page again with the
    /// API's reason and under the API's status code.
    /// </summary>
    protected async Task<IActionResult> AttemptAsync(Func<Task<IActionResult>> act, Func<Task<IActionResult>> show)
    {
        try
        {
            return await act();
        }
        catch (Refusal refusal)
        {
            Problem = refusal.Message;
            var shown = await show();
            Response.StatusCode = refusal.Status;
            return shown;
        }
    }

    /// <summary>The page, or the refusal's status alone where the viewer may not see it (403) or it is not there (404).</summary>
    protected async Task<IActionResult> ShowingAsync(Func<Task<IActionResult>> show)
    {
        try
        {
            return await show();
        }
        catch (Refusal refusal)
        {
            return StatusCode(refusal.Status);
        }
    }

    /// <summary>The metadata of one attached file as a form gives it (the file itself stays in the bureau's document store); none without a name.</summary>
    protected static AttachmentRequest[] Attached(string? name, string? contentType, long? sizeBytes, string? sha256 = null) =>
        string.IsNullOrWhiteSpace(name)
            ? []
            : [new AttachmentRequest(name.Trim(), Blank(contentType), sizeBytes, Blank(sha256))];

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>The two consoles: the audits board and the open alerts the viewer may see, and opening audits from alerts.</summary>
public abstract class ConsolePage(IClusterClient cluster, AuditService audits, AlertService alerts) : StaffPage
{
    /// <summary>The grains behind the page; the consoles' own models read their parts of the system from it.</summary>
    protected IClusterClient Cluster { get; } = cluster;

    public const int BoardSize = 100;

    public IReadOnlyList<AuditRow> Audits { get; private set; } = [];

    public int AuditTotal { get; private set; }

    public AlertBoard Alerts { get; private set; } = new([], false, null, "");

    /// <summary>Loads the audits of one city, or of every city for a supervisor who names none; overdue first, then by deadline.</summary>
    protected async Task LoadAuditsAsync(string? city)
    {
        var page = await audits.ListAsync(new AuditQuery(City: city, PageSize: BoardSize), User);
        var names = await InstitutionNamesAsync(page.Items.Select(a => a.InstitutionId));
        var now = DateTimeOffset.UtcNow;
        Audits = [.. page.Items.Select(a => new AuditRow(a, names[a.InstitutionId]))
            .OrderByDescending(r => r.IsOverdue(now))
            .ThenBy(r => r.Audit.State == AuditState.Verified)
            .ThenBy(r => r.Audit.Deadline)];
        AuditTotal = page.Total;
    }

    /// <summary>Loads the open alerts of one city, or of every city when <paramref name="city"/> is null, most severe first.</summary>
    protected async Task LoadAlertsAsync(string? city, string refreshUrl)
    {
        var page = await alerts.ListAsync(new AlertQuery(AlertState.Open, city, PageSize: BoardSize), User);
        var names = await InstitutionNamesAsync(page.Items.Select(a => a.InstitutionId));
        Alerts = new AlertBoard([.. page.Items.Select(a => new AlertRow(a, names[a.InstitutionId]))], User.IsSupervisor(), city, refreshUrl);
    }

    /// <summary>The alert list alone, for the script that keeps it live.</summary>
    protected PartialViewResult AlertsPartial() => Partial("_Alerts", Alerts);

    /// <summary>
    /// A supervisor opens an audit from an alert as the API does (validation, claiming the alert, id, grain), and
    /// lands on the new case; a refusal stays on the page with the API's reason.
    /// </summary>
    public async Task<IActionResult> OnPostOpenAuditAsync(string? institutionId, string? alertId, string? reason, string? city) =>
        Refuse(User.IsSupervisor()) ?? await AttemptAsync(
            async () =>
            {
                var opened = await audits.OpenAsync(new OpenAuditRequest(institutionId, alertId, reason, null), User);
                return Redirect($"{ConsoleSession.PathBase}/audits/{Uri.EscapeDataString(opened.Id)}");
            },
            () => ShowAsync(city));

    /// <summary>A supervisor dismisses an alert with a reason, as the API does; the page is shown again without it.</summary>
    public async Task<IActionResult> OnPostDismissAlertAsync(string? alertId, string? reason, string? city) =>
        Refuse(User.IsSupervisor()) ?? await AttemptAsync(
            async () =>
            {
                await alerts.DismissAsync(alertId ?? "", reason, User);
                return Redirect(city is null ? Request.Path : $"{Request.Path}?city={Uri.EscapeDataString(city)}");
            },
            () => ShowAsync(city));

    /// <summary>The page itself (of <paramref name="city"/> where the page is a city's), which a refused form shows again with its <see cref="Problem"/>.</summary>
    protected abstract Task<IActionResult> ShowAsync(string? city);

    /// <summary>
    /// The name of each institution; a city-wide alert names its city by code instead, so a code the institutions
    /// do not know is looked up among the divisions, and shown as it is where neither knows it.
    /// </summary>
    protected async Task<IReadOnlyDictionary<string, string>> InstitutionNamesAsync(IEnumerable<string> ids)
    {
        var directory = Cluster.GetGrain<IDirectoryGrain>(0);
        var distinct = ids.Distinct().ToList();
        var found = await Task.WhenAll(distinct.Select(id => directory.Find(id)));
        var divisions = found.Any(f => f is null) ? (await directory.GetDivisions()).ToDictionary(d => d.Code, d => d.Name) : [];
        return distinct.Select((id, i) => (id, name: found[i]?.Name ?? divisions.GetValueOrDefault(id) ?? id)).ToDictionary(x => x.id, x => x.name);
    }
}
