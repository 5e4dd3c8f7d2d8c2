using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Evaluation.ClientApi.Security;
using Evaluation.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Evaluation.IntegrationTests.Api;

/// <summary>
/// What pages and the console cookie promise a browser, in Development (the test hosts) and outside it: security
/// headers on every page, HSTS and a <c>Secure</c> console cookie outside Development even when TLS ends at a
/// proxy, and the API reference only when configured on.
/// </summary>
public sealed partial class AuthorizationHeadersTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private const string LongKey = "0123456789abcdefghijklmnopqrstuvwxyzABCD";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/")]
    [InlineData("/institutions")]
    [InlineData("/console/login")]
    [InlineData("/api/v1/public/province")]
    public async Task Pages_and_answers_carry_the_security_headers(string path)
    {
        using var anonymous = system.AnonymousClient();
        using var response = await anonymous.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = Header(response, "Content-Security-Policy");
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("same-origin", Header(response, "Referrer-Policy"));
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "no HSTS in Development");
    }

    [Theory]
    [InlineData("/api/v1/public/cities/999999", HttpStatusCode.NotFound, null)]
    [InlineData("/api/v1/public/institutions?pageSize=0", HttpStatusCode.BadRequest, "pageSize")]
    [InlineData("/api/v1/public/institutions?kind=castle", HttpStatusCode.BadRequest, "kind")]
    public async Task Refusals_are_problem_details_naming_the_field_with_the_security_headers(string path, HttpStatusCode status, string? field)
    {
        using var anonymous = system.AnonymousClient();
        using var response = await anonymous.GetAsync(path, Ct);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Contains("default-src 'self'", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        Assert.Equal(field, problem["errors"]?[0]?["field"]?.GetValue<string>());
    }

    [Fact]
    public async Task Outside_development_pages_demand_HTTPS_the_console_cookie_is_secure_and_API_docs_are_off()
    {
        using var production = Production().CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var home = await production.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Equal(SecurityHeaders.StrictTransportSecurity, Header(home, "Strict-Transport-Security"));

        using var openApi = await production.GetAsync("/openapi/v1.json", Ct);
        Assert.Equal(HttpStatusCode.NotFound, openApi.StatusCode);
        using var scalar = await production.GetAsync("/scalar", Ct);
        Assert.Equal(HttpStatusCode.NotFound, scalar.StatusCode);

        // Plain HTTP, as a TLS-terminating proxy forwards it: the cookie is Secure all the same.
        var login = await production.GetStringAsync("/console/login", Ct);
        var antiforgery = AntiforgeryField().Match(login).Groups[1].Value;
        var token = new DevTokenIssuer(new JwtSettings { SigningKey = RunningSystem.JwtKey }, TimeProvider.System).Issue("officer", Roles.CityOfficer, "440100").Token;
        using var signIn = await production.PostAsync("/console/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Token"] = token,
            ["__RequestVerificationToken"] = antiforgery,
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("evaluation-console=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task API_docs_are_served_outside_development_when_configured_on_and_not_in_development_when_off()
    {
        using var on = Production(("Evaluation:ApiDocs", "true")).CreateClient();
        using var document = await on.GetAsync("/openapi/v1.json", Ct);
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);

        using var off = system.CreateApi(new Dictionary<string, string> { ["Evaluation:ApiDocs"] = "false" }).CreateClient();
        using var none = await off.GetAsync("/openapi/v1.json", Ct);
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    private WebApplicationFactory<Program> Production(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string>
        {
            ["environment"] = "Production",
            ["Evaluation:SourceKey"] = LongKey,
            ["Evaluation:AdminKey"] = "",
            ["Evaluation:DevTokens"] = "false",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return system.CreateApi(settings);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : "";

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
