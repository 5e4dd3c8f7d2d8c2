using Evaluation.ClientApi.Apis;
using Evaluation.Contracts.Measures;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;

namespace Evaluation.ClientApi.Pages.Cities;

/// <summary>A city: its scores and trend, and its institutions ranked within their peer groups.</summary>
[OutputCache(PolicyName = PublicCaching.AreaPolicy)]
public sealed class CityModel(PublicQueries queries) : PageModel
{
    public AreaDto City { get; private set; } = null!;

    public IReadOnlyList<IGrouping<string, RankingEntry>> PeerGroups { get; private set; } = [];

    public ServiceItemsDto ServiceItems { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string code)
    {
        if (await queries.City(code) is not { } city)
        {
            return NotFound();
        }

        City = city;
        PeerGroups = GroupByPeers(city);
        ServiceItems = (await queries.ServiceItemMeasures(AreaScope.City, code))!;
        return Page();
    }

    /// <summary>The city's institutions by peer group, ranked ones first in rank order, then by volume.</summary>
    public static IReadOnlyList<IGrouping<string, RankingEntry>> GroupByPeers(AreaDto city) =>
        [.. (city.Rankings ?? [])
            .OrderBy(r => r.Ranked ? 0 : 1)
            .ThenBy(r => r.Rank ?? int.MaxValue)
            .ThenByDescending(r => r.Count)
            .GroupBy(r => r.PeerGroup)];
}
