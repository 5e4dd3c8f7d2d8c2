using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Evaluation.ClientApi.Security;

/// <summary>
/// What a bearer token must be beyond a valid signature, issuer, audience and expiry: no longer-lived than
/// <see cref="JwtSettings.MaxLifetime"/> (measured from <c>iat</c>/<c>nbf</c>, and from now, so a forward-dated
/// token gains nothing), and carrying a token id (<c>jti</c>) that is not revoked.
/// </summary>
public static class TokenRules
{
    public const string TokenIdClaim = "jti";

    /// <summary>As the bearer scheme allows between this host's clock and the issuer's.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    public static async Task CheckAsync(TokenValidatedContext context)
    {
        var services = context.HttpContext.RequestServices;
        var settings = services.GetRequiredService<JwtSettings>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (context.SecurityToken is not JsonWebToken token)
        {
            context.Fail("Not a JSON web token.");
            return;
        }

        if (Problem(token, settings.MaxLifetime, now) is { } problem)
        {
            context.Fail(problem);
            return;
        }

        var revocations = services.GetRequiredService<ITokenRevocations>();
        if (await revocations.IsRevokedAsync(token.Id, context.HttpContext.RequestAborted))
        {
            context.Fail("The token was revoked (signed out).");
        }
    }

    /// <summary>Why the token is refused, or null. A token's lifetime runs from the earlier of iat and nbf to exp.</summary>
    public static string? Problem(JsonWebToken token, TimeSpan maxLifetime, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(token.Id))
        {
            return "The token has no id (jti), so it could not be revoked.";
        }

        var starts = new[] { token.IssuedAt, token.ValidFrom }.Where(t => t != DateTime.MinValue).ToList();
        if (starts.Count == 0)
        {
            return "The token has neither iat nor nbf, so its lifetime is unknown.";
        }

        var expires = new DateTimeOffset(token.ValidTo, TimeSpan.Zero);
        var lifetime = expires - new DateTimeOffset(starts.Min(), TimeSpan.Zero);
        if (lifetime > maxLifetime || expires - now > maxLifetime + ClockSkew)
        {
            return $"The token lives longer than the maximum of {maxLifetime}.";
        }

        return null;
    }
}
