using Evaluation.ClientApi.Apis;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;

namespace Evaluation.ClientApi.Pages.Cities;

/// <summary>A city's 整改公示: what it rectified in the last 90 days and how its appeals were decided.</summary>
[OutputCache(PolicyName = PublicCaching.AreaPolicy)]
public sealed class RectificationModel(PublicQueries queries) : PageModel
{
    public RectificationDto Notice { get; private set; } = null!;

    public string CityName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string code)
    {
        if (await queries.CityRectification(code) is not { } notice)
        {
            return NotFound();
        }

        Notice = notice;
        CityName = (await queries.Divisions()).First(d => d.Code == code).Name;
        return Page();
    }
}
