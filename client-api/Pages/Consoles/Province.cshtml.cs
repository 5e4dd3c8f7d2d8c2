using Evaluation.ClientApi.Apis;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Measures;
using Microsoft.AspNetCore.Mvc;

namespace Evaluation.ClientApi.Pages.Consoles;

/// <summary>The province supervisor's console: every city's audits, the plan targets and the city comparison.</summary>
public sealed class ProvinceConsoleModel(IClusterClient cluster, PublicQueries queries) : ConsolePage(cluster)
{
    public AreaDto Province { get; private set; } = null!;

    public IReadOnlyList<(AreaDto City, RankingEntry? Ranking)> Cities { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (Refuse(User.IsSupervisor()) is { } refused)
        {
            return refused;
        }

        await LoadAuditsAsync(city: null);
        Province = await queries.Province();
        Cities = IndexModel.RankCities(await queries.Cities());
        return Page();
    }
}
