using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Evaluation.ClientApi.Security;
using Evaluation.IntegrationTests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Evaluation.IntegrationTests.Api;

/// <summary>Bearer tokens live no longer than the configured maximum, carry an id, and stop working on sign-out.</summary>
public sealed partial class AuthorizationTokenTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private const string City = "440100";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_token_that_lives_longer_than_the_maximum_or_has_no_id_is_refused()
    {
        var now = DateTime.UtcNow;
        Assert.Equal(HttpStatusCode.OK, await AlertsWith(Sign(now, now.AddHours(7))));
        Assert.Equal(HttpStatusCode.Unauthorized, await AlertsWith(Sign(now, now.AddHours(9))));
        Assert.Equal(HttpStatusCode.Unauthorized, await AlertsWith(Sign(now.AddDays(30), now.AddDays(30).AddHours(1), notBefore: now)));
        Assert.Equal(HttpStatusCode.Unauthorized, await AlertsWith(Sign(now.AddHours(20), now.AddHours(21))));
        Assert.Equal(HttpStatusCode.Unauthorized, await AlertsWith(Sign(now, now.AddHours(1), id: null)));
    }

    [Fact]
    public async Task The_development_issuer_gives_an_id_and_no_more_than_the_maximum_lifetime()
    {
        var token = new JsonWebToken(await system.TokenAsync(Roles.CityOfficer, City));
        Assert.False(string.IsNullOrEmpty(token.Id));
        Assert.True(token.ValidTo - token.IssuedAt <= new JwtSettings().MaxLifetime);
    }

    [Fact]
    public async Task Signing_out_of_the_console_revokes_the_token_on_every_API_host()
    {
        var token = await system.TokenAsync(Roles.CityOfficer, City);
        using var browser = system.AnonymousClient();
        var login = await browser.GetStringAsync("/console/login", Ct);
        using var signIn = await browser.PostAsync("/console/login", Form(login, ("Token", token)), Ct);
        var console = await browser.GetStringAsync("/console/city", Ct);
        Assert.Equal(HttpStatusCode.OK, await AlertsWith(token));

        using var signOut = await browser.PostAsync("/console/login?handler=SignOut", Form(console), Ct);
        Assert.True(signOut.IsSuccessStatusCode, $"sign-out answered {signOut.StatusCode}");

        Assert.Equal(HttpStatusCode.Unauthorized, await AlertsWith(token));
        using var otherHost = system.CreateApi().CreateClient();
        otherHost.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var there = await otherHost.GetAsync("/api/v1/alerts", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, there.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await AlertsWith(await system.TokenAsync(Roles.CityOfficer, City)));
    }

    private async Task<HttpStatusCode> AlertsWith(string token)
    {
        using var client = system.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.GetAsync("/api/v1/alerts", Ct);
        return response.StatusCode;
    }

    private static string Sign(DateTime issuedAt, DateTime expires, DateTime? notBefore = null, string? id = "set")
    {
        var claims = new Dictionary<string, object> { ["sub"] = "officer", ["role"] = Roles.CityOfficer, [Roles.CityClaim] = City };
        if (id is not null)
        {
            claims["jti"] = Guid.NewGuid().ToString("N");
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "evaluation",
            Audience = "evaluation-api",
            Claims = claims,
            IssuedAt = issuedAt,
            NotBefore = notBefore ?? issuedAt,
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(RunningSystem.JwtKey)), SecurityAlgorithms.HmacSha256),
        });
    }

    private static FormUrlEncodedContent Form(string page, params (string Name, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))
            .Append(KeyValuePair.Create("__RequestVerificationToken", AntiforgeryField().Match(page).Groups[1].Value)));

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
