using Evaluation.ClientApi.Apis;
using Evaluation.ClientApi.Application;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using MeasureWindows = Evaluation.Contracts.Measures.Windows;

namespace Evaluation.ClientApi.Pages;

/// <summary>The province overview: every city ranked, the province's trend and the plan targets.</summary>
[OutputCache(PolicyName = PublicCaching.AreaPolicy)]
public sealed class IndexModel(PublicQueries queries) : PageModel
{
    public AreaDto Province { get; private set; } = null!;

    public IReadOnlyList<(AreaDto City, RankingEntry? Ranking)> Cities { get; private set; } = [];

    /// <summary>The plan's four regions, each the sum of its cities.</summary>
    public IReadOnlyList<AreaDto> Regions { get; private set; } = [];

    public ServiceItemsDto ServiceItems { get; private set; } = null!;

    public async Task OnGetAsync()
    {
        Province = await queries.Province();
        Cities = RankCities(await queries.Cities());
        Regions = await Task.WhenAll(Enum.GetValues<Region>().Select(queries.Region));
        ServiceItems = (await queries.ServiceItemMeasures(AreaScope.Province, Scope.ProvinceCode))!;
    }

    /// <summary>Cities by smoothed 30-day score, best first; cities without a score come last.</summary>
    public static IReadOnlyList<(AreaDto City, RankingEntry? Ranking)> RankCities(PageDto<AreaDto> cities) =>
        [.. cities.Items
            .Select(c => (City: c, Ranking: c.Rankings?.FirstOrDefault()))
            .OrderByDescending(c => c.City.Scores[MeasureWindows.Days30].SmoothedScore ?? double.MinValue)
            .ThenBy(c => c.City.Code, StringComparer.Ordinal)];
}
