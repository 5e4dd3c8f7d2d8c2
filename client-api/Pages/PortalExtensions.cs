using Evaluation.ClientApi.Apis;
using Evaluation.ClientApi.Pages.Consoles;

namespace Evaluation.ClientApi.Pages;

/// <summary>The server-rendered portals (public, and the staff consoles): Razor Pages over the same queries as the JSON API.</summary>
public static class PortalExtensions
{
    public static void AddPortals(this IServiceCollection services)
    {
        services.AddSingleton<PublicQueries>();
        services.AddRazorPages();
        services.AddConsoleSession();
    }

    public static void MapPortals(this WebApplication app)
    {
        app.UseStaticFiles();
        app.MapRazorPages();
    }
}
