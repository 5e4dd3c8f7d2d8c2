using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Evaluation.ClientApi.Security;

/// <summary>Signs bearer tokens with the configured key, for development and tests only (see <c>POST /api/v1/dev/tokens</c>).</summary>
public sealed class DevTokenIssuer(JwtSettings settings, TimeProvider time)
{
    public (string Token, DateTimeOffset ExpiresAt) Issue(string subject, string role, string? city)
    {
        var now = time.GetUtcNow();
        var expires = now + settings.DevTokenLifetime;
        var claims = new List<Claim> { new("sub", subject), new("role", role), new(TokenRules.TokenIdClaim, Guid.NewGuid().ToString("N")) };
        if (city is not null)
        {
            claims.Add(new Claim(Roles.CityClaim, city));
        }

        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = settings.SigningCredentials(),
        });
        return (token, expires);
    }
}
