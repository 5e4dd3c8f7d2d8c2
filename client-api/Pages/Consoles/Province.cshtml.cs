using Evaluation.ClientApi.Apis;
using Evaluation.ClientApi.Application;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Measures;
using Microsoft.AspNetCore.Mvc;

namespace Evaluation.ClientApi.Pages.Consoles;

/// <summary>
/// The province supervisor's console: live alerts and every city's audits, the appeals awaiting decision, every
/// city's 差评 handling, the record of contact reveals, the plan targets and the city comparison.
/// </summary>
public sealed class ProvinceConsoleModel(IClusterClient cluster, PublicQueries queries, AuditService audits, AlertService alerts, FollowUpService followUps)
    : ConsolePage(cluster, audits, alerts)
{
    private const string RefreshUrl = "/console/province?handler=Alerts";

    public AreaDto Province { get; private set; } = null!;

    public IReadOnlyList<(AreaDto City, RankingEntry? Ranking)> Cities { get; private set; } = [];

    public IReadOnlyList<FollowUpRow> Appeals { get; private set; } = [];

    public int AppealTotal { get; private set; }

    public IReadOnlyList<HandlingRow> Handling { get; private set; } = [];

    public ContactRevealPage Reveals { get; private set; } = new([], 0, 1, BoardSize);

    public IReadOnlyDictionary<string, string> CityNames => Handling.ToDictionary(h => h.CityCode, h => h.CityName);

    public Task<IActionResult> OnGetAsync() => ShowAsync(city: null);

    public async Task<IActionResult> OnGetAlertsAsync()
    {
        if (Refuse(User.IsSupervisor()) is { } refused)
        {
            return refused;
        }

        await LoadAlertsAsync(city: null, RefreshUrl);
        return AlertsPartial();
    }

    /// <summary>The province's console has no city of its own: <paramref name="city"/> is ignored.</summary>
    protected override async Task<IActionResult> ShowAsync(string? city)
    {
        if (Refuse(User.IsSupervisor()) is { } refused)
        {
            return refused;
        }

        await LoadAlertsAsync(city: null, RefreshUrl);
        await LoadAuditsAsync(city: null);
        Province = await queries.Province();
        Cities = IndexModel.RankCities(await queries.Cities());
        await LoadFollowUpSupervisionAsync();
        return Page();
    }

    private async Task LoadFollowUpSupervisionAsync()
    {
        var board = new Paging(1, BoardSize);
        var appeals = await followUps.AppealsAsync(board);
        var names = await InstitutionNamesAsync(appeals.Items.Select(f => f.InstitutionId));
        var itemNames = (await queries.ServiceItems()).ToDictionary(s => s.Code, s => s.Name);
        Appeals = [.. appeals.Items.Select(f => new FollowUpRow(f, names[f.InstitutionId], itemNames.GetValueOrDefault(f.ServiceItem, f.ServiceItem)))];
        AppealTotal = appeals.Total;
        Handling = await HandlingRow.LoadAsync(Cluster, await queries.Divisions());
        Reveals = await followUps.RevealsAsync(null, board, User);
    }
}
