using Evaluation.ClientApi.Apis;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Measures;
using Microsoft.AspNetCore.Mvc;

namespace Evaluation.ClientApi.Pages.Consoles;

/// <summary>The province supervisor's console: live alerts and every city's audits, the plan targets and the city comparison.</summary>
public sealed class ProvinceConsoleModel(IClusterClient cluster, PublicQueries queries) : ConsolePage(cluster)
{
    private const string RefreshUrl = "/console/province?handler=Alerts";

    public AreaDto Province { get; private set; } = null!;

    public IReadOnlyList<(AreaDto City, RankingEntry? Ranking)> Cities { get; private set; } = [];

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
        return Page();
    }
}
