using Evaluation.ClientApi.Apis;

namespace Evaluation.ClientApi.Pages;

/// <summary>The server-rendered portals: Razor Pages over the same queries as the JSON API, plus their static files.</summary>
public static class PortalExtensions
{
    public static void AddPortals(this IServiceCollection services)
    {
        services.AddSingleton<PublicQueries>();
        services.AddRazorPages();
    }

    public static void MapPortals(this WebApplication app)
    {
        app.UseStaticFiles();
        app.MapRazorPages();
    }
}
