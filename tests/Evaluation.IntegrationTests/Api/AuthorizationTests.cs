using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Registry;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Xunit;

namespace Evaluation.IntegrationTests.Api;

/// <summary>Walks the endpoints as anonymous, a rating source, two city officers and a supervisor.</summary>
public sealed class AuthorizationTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private const string CityA = "440100";
    private const string CityB = "440300";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_caller_reaches_exactly_what_its_role_allows()
    {
        var institution = ShippedRegistry.Sample.Institutions.First(i => i.CityCode == CityA && i.Channels.Count > 0 && i.Services.Count > 0);
        using var anonymous = system.AnonymousClient();
        using var source = Caller(h => h.Add("X-Api-Key", RunningSystem.SourceKey));
        var (tokenA, tokenB, tokenSupervisor) = (await system.TokenAsync(Roles.CityOfficer, CityA), await system.TokenAsync(Roles.CityOfficer, CityB), await system.TokenAsync(Roles.Supervisor));
        using var officerA = Caller(h => h.Authorization = Bearer(tokenA));
        using var officerB = Caller(h => h.Authorization = Bearer(tokenB));
        using var supervisor = Caller(h => h.Authorization = Bearer(tokenSupervisor));
        var everyone = new[] { ("anonymous", anonymous), ("source", source), ("officer A", officerA), ("officer B", officerB), ("supervisor", supervisor) };

        foreach (var (name, client) in everyone)
        {
            await Expect(HttpStatusCode.OK, client.GetAsync("/api/v1/public/province", Ct), $"{name} reads the public province");
            var batch = IngestionApiTests.Batch([IngestionApiTests.Rating($"authz-{name}", institution, level: 4)]);
            await Expect(name == "source" ? HttpStatusCode.OK : HttpStatusCode.Unauthorized,
                client.PostAsJsonAsync("/api/v1/evaluations", batch, Ct), $"{name} ingests");
        }

        var open = new { institutionId = institution.Id, reason = "差评率 far above peers" };
        await Expect(HttpStatusCode.Unauthorized, anonymous.PostAsJsonAsync("/api/v1/audits", open, Ct), "anonymous opens an audit");
        await Expect(HttpStatusCode.Unauthorized, source.PostAsJsonAsync("/api/v1/audits", open, Ct), "a source opens an audit");
        await Expect(HttpStatusCode.Forbidden, officerA.PostAsJsonAsync("/api/v1/audits", open, Ct), "an officer opens an audit");
        using var created = await supervisor.PostAsJsonAsync("/api/v1/audits", open, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>(Ct))!["id"]!.GetValue<string>();

        await Expect(HttpStatusCode.Unauthorized, anonymous.GetAsync($"/api/v1/audits/{id}", Ct), "anonymous reads the audit");
        await Expect(HttpStatusCode.Unauthorized, source.GetAsync($"/api/v1/audits/{id}", Ct), "a source reads the audit");
        await Expect(HttpStatusCode.OK, officerA.GetAsync($"/api/v1/audits/{id}", Ct), "the officer of the city reads the audit");
        await Expect(HttpStatusCode.Forbidden, officerB.GetAsync($"/api/v1/audits/{id}", Ct), "another city's officer reads the audit");
        await Expect(HttpStatusCode.OK, supervisor.GetAsync($"/api/v1/audits/{id}", Ct), "the supervisor reads the audit");

        Assert.Contains(id, await ListedIds(officerA, "/api/v1/audits"));
        Assert.DoesNotContain(id, await ListedIds(officerB, "/api/v1/audits"));
        Assert.Contains(id, await ListedIds(supervisor, $"/api/v1/audits?city={CityA}"));
        await Expect(HttpStatusCode.Forbidden, officerB.GetAsync($"/api/v1/audits?city={CityA}", Ct), "an officer lists another city");

        var note = new { note = "staff shortage" };
        await Expect(HttpStatusCode.Forbidden, officerB.PostAsJsonAsync($"/api/v1/audits/{id}/analysis", note, Ct), "another city's officer analyses");
        await Expect(HttpStatusCode.Conflict, supervisor.PostAsJsonAsync($"/api/v1/audits/{id}/analysis", note, Ct), "the supervisor analyses for the city");
        await Expect(HttpStatusCode.Unauthorized, source.PostAsJsonAsync($"/api/v1/audits/{id}/analysis", note, Ct), "a source analyses");
        await Expect(HttpStatusCode.OK, officerA.PostAsJsonAsync($"/api/v1/audits/{id}/analysis", note, Ct), "the city's officer analyses");

        await Expect(HttpStatusCode.Unauthorized, anonymous.GetAsync("/api/v1/alerts", Ct), "anonymous lists alerts");
        await Expect(HttpStatusCode.Unauthorized, source.GetAsync("/api/v1/alerts", Ct), "a source lists alerts");
        await Expect(HttpStatusCode.OK, officerA.GetAsync("/api/v1/alerts", Ct), "an officer lists their city's alerts");
        await Expect(HttpStatusCode.Forbidden, officerA.GetAsync($"/api/v1/alerts?city={CityB}", Ct), "an officer lists another city's alerts");
        await Expect(HttpStatusCode.Forbidden, officerA.GetAsync($"/api/v1/alerts/stream?city={CityB}", Ct), "an officer streams another city's alerts");
        await Expect(HttpStatusCode.OK, supervisor.GetAsync($"/api/v1/alerts?city={CityB}", Ct), "the supervisor lists any city's alerts");
        await Expect(HttpStatusCode.Unauthorized, anonymous.PostAsync("/api/v1/detection/runs", null, Ct), "anonymous runs detection");
        await Expect(HttpStatusCode.Forbidden, officerA.PostAsync("/api/v1/detection/runs", null, Ct), "an officer runs detection");

        var count = new { count = 7 };
        await Expect(HttpStatusCode.Forbidden, anonymous.PutAsJsonAsync("/api/v1/admin/plan/thematic-databases", count, Ct), "anonymous administers");
        await Expect(HttpStatusCode.Forbidden, officerA.PutAsJsonAsync("/api/v1/admin/plan/thematic-databases", count, Ct), "an officer administers");
        await Expect(HttpStatusCode.NoContent, supervisor.PutAsJsonAsync("/api/v1/admin/plan/thematic-databases", count, Ct), "the supervisor administers");
    }

    [Fact]
    public async Task A_token_signed_with_another_key_or_for_another_audience_is_refused()
    {
        var genuine = await system.TokenAsync(Roles.Supervisor);
        var forged = Forge(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), "evaluation-api");
        var otherAudience = Forge(RunningSystem.JwtKey, "another-api");
        foreach (var token in new[] { forged, otherAudience, genuine[..^4] + "AAAA" })
        {
            using var client = Caller(h => h.Authorization = Bearer(token));
            await Expect(HttpStatusCode.Unauthorized, client.GetAsync("/api/v1/audits", Ct), "a forged token");
        }

        using var good = Caller(h => h.Authorization = Bearer(genuine));
        await Expect(HttpStatusCode.OK, good.GetAsync("/api/v1/audits", Ct), "the genuine token");
    }

    [Fact]
    public async Task An_expired_token_signed_with_the_right_key_is_refused()
    {
        // Issued with the genuine key and audience, but two days ago: well past its lifetime and any clock skew.
        var twoDaysAgo = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-2));
        var expired = new DevTokenIssuer(new JwtSettings { SigningKey = RunningSystem.JwtKey }, twoDaysAgo).Issue("alice", Roles.Supervisor, null).Token;
        using var client = Caller(h => h.Authorization = Bearer(expired));
        await Expect(HttpStatusCode.Unauthorized, client.GetAsync("/api/v1/audits", Ct), "an expired token");
        await Expect(HttpStatusCode.Unauthorized, client.GetAsync("/api/v1/alerts", Ct), "an expired token on alerts");
    }

    [Fact]
    public async Task The_development_issuer_is_off_unless_configured_and_checks_its_input()
    {
        await using var production = system.CreateApi(new Dictionary<string, string> { ["Evaluation:DevTokens"] = "false" });
        using var client = production.CreateClient();
        await Expect(HttpStatusCode.NotFound, client.PostAsJsonAsync("/api/v1/dev/tokens", new { role = Roles.Supervisor }, Ct), "the issuer when off");

        using var dev = system.AnonymousClient();
        using var badRole = await dev.PostAsJsonAsync("/api/v1/dev/tokens", new { role = "admin" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badRole.StatusCode);
        Assert.Contains("role", await badRole.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var noCity = await dev.PostAsJsonAsync("/api/v1/dev/tokens", new { role = Roles.CityOfficer, city = "440000" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noCity.StatusCode);
        Assert.Contains("city", await noCity.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_hashed_source_keys_are_accepted_and_unknown_keys_are_not()
    {
        await using var api = system.CreateApi(new Dictionary<string, string>
        {
            ["Evaluation:SourceKeys:hotline"] = SourceKeyHash.Create("hotline-key-0123456789"),
        });
        var institution = IngestionApiTests.Pick(InstitutionKind.ComprehensiveCentre);
        foreach (var (key, expected) in new[] { ("hotline-key-0123456789", HttpStatusCode.OK), (RunningSystem.SourceKey, HttpStatusCode.OK), ("hotline-key-0123456788", HttpStatusCode.Unauthorized) })
        {
            using var client = api.CreateClient();
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
            var batch = IngestionApiTests.Batch([IngestionApiTests.Rating($"keys-{key}", institution, level: 5)]);
            await Expect(expected, client.PostAsJsonAsync("/api/v1/evaluations", batch, Ct), $"key {key}");
        }
    }

    [Fact]
    public async Task Past_the_rate_limit_public_reads_get_429_with_retry_after()
    {
        await using var api = system.CreateApi(new Dictionary<string, string> { ["Evaluation:RateLimits:PublicPerMinute"] = "2" });
        using var client = api.CreateClient();
        for (var i = 0; i < 2; i++)
        {
            await Expect(HttpStatusCode.OK, client.GetAsync("/api/v1/public/service-items", Ct), "a read within the limit");
        }

        using var refused = await client.GetAsync("/api/v1/public/service-items", Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        await Expect(HttpStatusCode.OK, client.GetAsync("/health/live", Ct), "a health check, which has no limit");
    }

    private HttpClient Caller(Action<HttpRequestHeaders> configure)
    {
        var client = system.AnonymousClient();
        configure(client.DefaultRequestHeaders);
        return client;
    }

    private static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    private static async Task<IReadOnlyList<string>> ListedIds(HttpClient client, string url)
    {
        var page = await client.GetFromJsonAsync<JsonObject>(url, Ct);
        return page!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToList();
    }

    private static async Task Expect(HttpStatusCode expected, Task<HttpResponseMessage> request, string what)
    {
        using var response = await request;
        Assert.True(expected == response.StatusCode,
            $"{what}: expected {(int)expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }

    /// <summary>A supervisor token from an issuer with other settings than the system's.</summary>
    private static string Forge(string key, string audience) =>
        new DevTokenIssuer(new JwtSettings { SigningKey = key, Audience = audience }, TimeProvider.System).Issue("mallory", Roles.Supervisor, null).Token;
}
