using Evaluation.ClientApi.Apis;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;

namespace Evaluation.ClientApi.Pages.Counties;

/// <summary>A county-level division: the ratings and 差评 handling of the institutions registered in it.</summary>
[OutputCache(PolicyName = PublicCaching.AreaPolicy)]
public sealed class CountyModel(PublicQueries queries) : PageModel
{
    public AreaDto County { get; private set; } = null!;

    public ServiceItemsDto ServiceItems { get; private set; } = null!;

    public string CityCode { get; private set; } = "";

    public string? CityName { get; private set; }

    public async Task<IActionResult> OnGetAsync(string code)
    {
        if (await queries.County(code) is not { } county)
        {
            return NotFound();
        }

        County = county;
        ServiceItems = (await queries.ServiceItemMeasures(AreaScope.County, code))!;
        var divisions = await queries.Divisions();
        CityCode = divisions.First(d => d.Code == code).ParentCode!;
        CityName = divisions.FirstOrDefault(d => d.Code == CityCode)?.Name;
        return Page();
    }
}
