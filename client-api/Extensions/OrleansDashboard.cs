using Evaluation.ClientApi.Pages.Consoles;
using Evaluation.ClientApi.Security;
using Orleans.Dashboard;

namespace Evaluation.ClientApi.Extensions;

public static class OrleansDashboardEndpoints
{
    /// <summary>Under the consoles, so a supervisor signed in to a console reaches it with the same session cookie.</summary>
    public const string Path = ConsoleSession.PathBase + "/orleans";

    /// <summary>
    /// The Orleans Dashboard (grain activations, calls, silos, live log): cluster internals and grain state, so
    /// for province supervisors only; everyone else, officers included, is refused.
    /// </summary>
    public static void MapOrleansDashboardForSupervisors(this WebApplication app) =>
        app.MapOrleansDashboard(Path).RequireAuthorization(Roles.SupervisorPolicy).ExcludeFromDescription();
}
