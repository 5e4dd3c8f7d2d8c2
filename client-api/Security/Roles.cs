using System.Security.Claims;

namespace Evaluation.ClientApi.Security;

/// <summary>The roles and claims of SPEC 4.5, and the policies built from them.</summary>
public static class Roles
{
    public const string Supervisor = "province-supervisor";
    public const string CityOfficer = "city-officer";
    public const string Source = "source";

    /// <summary>The city division code a city officer works for.</summary>
    public const string CityClaim = "city";

    public const string SupervisorPolicy = "supervisor";

    /// <summary>Supervisors, and officers who carry a city claim.</summary>
    public const string StaffPolicy = "staff";

    public const string SourcePolicy = "source";

    public static bool IsSupervisor(this ClaimsPrincipal user) => user.IsInRole(Supervisor);

    /// <summary>The city the caller is confined to; null for a supervisor, who sees every city.</summary>
    public static string? ConfinedToCity(this ClaimsPrincipal user) =>
        user.IsSupervisor() ? null : user.FindFirstValue(CityClaim);

    /// <summary>True when the caller may see and act on <paramref name="cityCode"/>.</summary>
    public static bool MayAccessCity(this ClaimsPrincipal user, string cityCode) =>
        user.IsSupervisor() || (user.IsInRole(CityOfficer) && user.FindFirstValue(CityClaim) == cityCode);

    /// <summary>The name that goes into case histories.</summary>
    public static string ActorName(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.FindFirstValue("sub") ?? user.Identity?.Name ?? "unknown";

    public static string RoleName(this ClaimsPrincipal user) => user.IsSupervisor() ? Supervisor : CityOfficer;
}
