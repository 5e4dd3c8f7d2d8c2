using System.Globalization;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Registry;
using Microsoft.AspNetCore.Mvc;

namespace Evaluation.ClientApi.Pages.Consoles;

/// <summary>
/// The monthly reports (通报) in both consoles: pick a month and (supervisors) the province or a city, then open the
/// printable page or download the CSV or XLSX, all from the API's report under /console.
/// </summary>
public sealed class ReportsModel(IClusterClient cluster, TimeProvider time) : StaffPage
{
    public const string FilePath = ConsoleSession.PathBase + "/reports/monthly";

    public string Month { get; private set; } = "";

    public string Scope { get; private set; } = "";

    /// <summary>The scopes the viewer may pick: the province and every city, or the officer's city.</summary>
    public IReadOnlyList<(string Code, string Name)> Scopes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? month, string? city)
    {
        if (Refuse(User.IsSupervisor() || User.ConfinedToCity() is not null) is { } refused)
        {
            return refused;
        }

        var cities = (await cluster.GetGrain<IDirectoryGrain>(0).GetDivisions()).Where(d => d.Level == DivisionLevel.City).Select(d => (d.Code, d.Name));
        var own = User.ConfinedToCity();
        Scopes = own is null ? [(Application.Scope.ProvinceCode, "广东省 Guangdong"), .. cities] : [.. cities.Where(c => c.Code == own)];
        Scope = Scopes.Any(s => s.Code == city) ? city! : Scopes[0].Code;

        // The last month that has ended in Asia/Shanghai (UTC+8), unless one is picked.
        var shanghai = time.GetUtcNow().ToOffset(TimeSpan.FromHours(8));
        Month = month ?? new DateTime(shanghai.Year, shanghai.Month, 1).AddMonths(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        return Page();
    }

    public string Link(string format) =>
        $"{FilePath}?month={Uri.EscapeDataString(Month)}&city={Uri.EscapeDataString(Scope)}&format={format}";
}
