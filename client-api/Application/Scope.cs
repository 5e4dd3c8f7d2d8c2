using System.Security.Claims;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Cases;

namespace Evaluation.ClientApi.Application;

/// <summary>Where a caller's request reaches: the province, a city (an officer's own only), and who acts.</summary>
public static class Scope
{
    /// <summary>The province's GB/T 2260 code: the key of its grain and its audit index, and the scope of its reports.</summary>
    public const string ProvinceCode = AuditIndex.Key;

    /// <summary>A GB/T 2260 division code: six digits.</summary>
    public static bool IsDivisionCode(string code) => code.Length == 6 && code.All(char.IsAsciiDigit);

    /// <summary>The city a request is about: an officer's own (another city is refused), or whichever a supervisor names, if any.</summary>
    public static string? CityFor(this ClaimsPrincipal user, string? city)
    {
        if (user.ConfinedToCity() is not { } own)
        {
            return city;
        }

        return city is null || city == own ? own : throw Refusal.NotYourCity(city);
    }

    /// <summary>Refuses a caller who may not see or act on what belongs to <paramref name="city"/>.</summary>
    public static void DemandCity(this ClaimsPrincipal user, string city)
    {
        if (!user.MayAccessCity(city))
        {
            throw Refusal.NotYourCity(city);
        }
    }

    /// <summary>The caller as case histories record them.</summary>
    public static Actor Actor(this ClaimsPrincipal user) => new(user.ActorName(), user.RoleName());
}
