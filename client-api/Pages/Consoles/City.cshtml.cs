using Evaluation.ClientApi.Apis;
using Evaluation.ClientApi.Security;
using Microsoft.AspNetCore.Mvc;

namespace Evaluation.ClientApi.Pages.Consoles;

/// <summary>A city officer's console: the city's own audits and its institutions; a supervisor may open any city's.</summary>
public sealed class CityConsoleModel(IClusterClient cluster, PublicQueries queries) : ConsolePage(cluster)
{
    public AreaDto City { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string? city)
    {
        var code = User.ConfinedToCity() ?? city ?? "";
        if (Refuse(User.MayAccessCity(code)) is { } refused)
        {
            return refused;
        }

        if (await queries.City(code) is not { } found)
        {
            return NotFound();
        }

        City = found;
        await LoadAuditsAsync(code);
        return Page();
    }
}
