using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Evaluation.ClientApi.Security;

/// <summary>The hashed keys of the rating sources, by source name.</summary>
public sealed class SourceKeyStore(IReadOnlyDictionary<string, string> hashedKeys)
{
    /// <summary>The development key of <c>EVAL_SOURCE_KEY</c> is hashed here, at start, like every other key.</summary>
    public const string DevelopmentSource = Evaluation.Contracts.Ingestion.SourceNames.Default;

    public IReadOnlyDictionary<string, string> HashedKeys { get; } = hashedKeys;

    /// <summary>The source a key belongs to, or null. Every stored hash is compared, so timing says nothing about which.</summary>
    public string? Identify(string key)
    {
        string? found = null;
        foreach (var (name, stored) in HashedKeys)
        {
            if (SourceKeyHash.Matches(stored, key) == true)
            {
                found = name;
            }
        }

        return found;
    }
}

/// <summary>
/// Authenticates rating sources by <c>X-Api-Key</c>; a source's identity carries only the <see cref="Roles.Source"/>
/// role, its name, and its own rate limit when it has one (<see cref="PerMinuteClaim"/>).
/// </summary>
public sealed class SourceKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    Sources.SourceDirectory sources) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "SourceKey";
    public const string Header = "X-Api-Key";
    public const string PerMinuteClaim = "ingestion_per_minute";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var given) || given.ToString().Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (await sources.IdentifyAsync(given.ToString(), Context.RequestAborted) is not { } source)
        {
            return AuthenticateResult.Fail("Unknown API key.");
        }

        List<Claim> claims = [new Claim(ClaimTypes.Name, source.Name), new Claim(ClaimTypes.Role, Roles.Source)];
        if (source.PerMinute is { } perMinute)
        {
            claims.Add(new Claim(PerMinuteClaim, perMinute.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }
}
