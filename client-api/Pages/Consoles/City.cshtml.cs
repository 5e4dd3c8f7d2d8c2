using Evaluation.ClientApi.Apis;
using Evaluation.ClientApi.Security;
using Microsoft.AspNetCore.Mvc;

namespace Evaluation.ClientApi.Pages.Consoles;

/// <summary>A city officer's console: the city's own live alerts, audits and institutions; a supervisor may open any city's.</summary>
public sealed class CityConsoleModel(IClusterClient cluster, PublicQueries queries) : ConsolePage(cluster)
{
    public AreaDto City { get; private set; } = null!;

    public Task<IActionResult> OnGetAsync(string? city) => ShowAsync(city);

    public async Task<IActionResult> OnGetAlertsAsync(string? city)
    {
        var code = User.ConfinedToCity() ?? city ?? "";
        if (Refuse(User.MayAccessCity(code)) is { } refused)
        {
            return refused;
        }

        await LoadAlertsAsync(code, RefreshUrl(code));
        return AlertsPartial();
    }

    protected override async Task<IActionResult> ShowAsync(string? city)
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
        await LoadAlertsAsync(code, RefreshUrl(code));
        await LoadAuditsAsync(code);
        return Page();
    }

    private static string RefreshUrl(string city) => $"/console/city?handler=Alerts&city={Uri.EscapeDataString(city)}";
}
