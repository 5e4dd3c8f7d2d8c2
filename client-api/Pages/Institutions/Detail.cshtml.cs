using Evaluation.ClientApi.Apis;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;

namespace Evaluation.ClientApi.Pages.Institutions;

/// <summary>One institution: its 信息公开 fields, service list, scores and 差评 handling per window, 整改公示 and trend.</summary>
[OutputCache(PolicyName = PublicCaching.InstitutionPolicy)]
public sealed class DetailModel(PublicQueries queries) : PageModel
{
    public InstitutionDetailDto Institution { get; private set; } = null!;

    public RectificationDto Rectification { get; private set; } = null!;

    public ServiceItemsDto ServiceItems { get; private set; } = null!;

    public IReadOnlyDictionary<string, string> DivisionNames { get; private set; } = new Dictionary<string, string>();

    public async Task<IActionResult> OnGetAsync(string id)
    {
        if (await queries.Institution(id) is not { } institution)
        {
            return NotFound();
        }

        Institution = institution;
        Rectification = (await queries.InstitutionRectification(id))!;
        ServiceItems = (await queries.ServiceItemMeasures(AreaScope.Institution, id))!;
        DivisionNames = (await queries.Divisions()).ToDictionary(d => d.Code, d => d.Name);
        return Page();
    }

    public string DivisionName(string? code) => code is not null && DivisionNames.TryGetValue(code, out var name) ? name : "";
}
