using Evaluation.ClientApi.Apis;
using Evaluation.ClientApi.Pages.Consoles;
using Evaluation.ClientApi.Security;

namespace Evaluation.ClientApi.Pages;

/// <summary>The server-rendered portals (public, and the staff consoles): Razor Pages over the same queries as the JSON API.</summary>
public static class PortalExtensions
{
    public static void AddPortals(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.AddSingleton<PublicQueries>();
        services.AddRazorPages();
        services.AddConsoleSession();
    }

    public static void MapPortals(this WebApplication app)
    {
        app.UseStaticFiles();
        app.MapRazorPages();

        // A browser's EventSource cannot send a bearer header: the consoles reach the API's alert stream under
        // /console, where the console cookie carries the token, with the same roles and city scoping.
        app.MapGet(AlertBoard.StreamPath, AlertsApi.StreamAsync).RequireAuthorization(Roles.StaffPolicy)
            .RequireRateLimiting(AccessControl.StreamsPolicy).ExcludeFromDescription();

        // Report downloads from the consoles' links: the API's report, reached with the console cookie, format by `format=`.
        app.MapGet(ReportsModel.FilePath, ReportsApi.MonthlyAsync).RequireAuthorization(Roles.StaffPolicy).ExcludeFromDescription();
    }
}
