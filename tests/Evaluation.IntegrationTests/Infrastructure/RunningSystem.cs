using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Evaluation.IntegrationTests.Infrastructure;

/// <summary>
/// The whole system for API tests: a fresh PostgreSQL database, a two-silo cluster on it, and the real
/// client-api host joined to that cluster as an Orleans client.
/// </summary>
public class RunningSystem : IAsyncLifetime
{
    public const string SourceKey = "test-source-key";
    public const string AdminKey = "test-admin-key";

    /// <summary>The token-signing key of the test API; tests get their tokens from its development issuer.</summary>
    public static readonly string JwtKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private readonly List<WebApplicationFactory<Program>> apis = [];

    /// <summary>The database, a fresh one of the shared server unless the test gives one (e.g. on a <see cref="PrivatePostgres"/> it crashes).</summary>
    public PostgresDatabase Database { private get; init; } = new();

    /// <summary>A clock for the case grains instead of the real one; set before <see cref="InitializeAsync"/>.</summary>
    public CaseTime? CaseTime { get; init; }

    /// <summary>Silo settings by configuration key (e.g. how often notifications are delivered); set before <see cref="InitializeAsync"/>.</summary>
    public IReadOnlyDictionary<string, string>? SiloSettings { get; init; }

    public EvaluationCluster Cluster { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>Serve on a real loopback socket (random port) that a browser can reach, not only in memory.</summary>
    protected virtual bool RealSocket => false;

    public string ConnectionString => Database.ConnectionString;

    public async ValueTask InitializeAsync()
    {
        await Database.InitializeAsync();
        Cluster = await EvaluationCluster.StartAsync(Database, silos: 2, CaseTime, SiloSettings);
        Client = CreateApi().CreateClient();
        Client.DefaultRequestHeaders.Add("X-Api-Key", SourceKey);
    }

    /// <summary>
    /// Another host of the real API on the same cluster, with the test settings plus <paramref name="settings"/>
    /// (e.g. a rate limit or the development issuer switched off).
    /// </summary>
    public WebApplicationFactory<Program> CreateApi(IReadOnlyDictionary<string, string>? settings = null)
    {
        var api = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            if (RealSocket)
            {
                // appsettings.json names the production port; tests take any free one.
                web.UseSetting(WebHostDefaults.ServerUrlsKey, "http://127.0.0.1:0");
            }

            web.ConfigureLogging(LogCapture.AddTo);
            web.UseSetting("Evaluation:ConnectionString", Database.ConnectionString);
            web.UseSetting("Evaluation:ClusterId", Cluster.ClusterId);
            web.UseSetting("Evaluation:ServiceId", Cluster.ServiceId);
            web.UseSetting("Evaluation:SourceKey", SourceKey);
            web.UseSetting("Evaluation:AdminKey", AdminKey);
            web.UseSetting("Evaluation:Jwt:SigningKey", JwtKey);
            web.UseSetting("Evaluation:DevTokens", "true");
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                web.UseSetting(key, value);
            }
        });
        if (RealSocket)
        {
            api.UseKestrel(0);
            api.StartServer();
        }

        apis.Add(api);
        return api;
    }

    /// <summary>A client of the first API host without any credentials.</summary>
    public HttpClient AnonymousClient() => apis[0].CreateClient();

    /// <summary>A bearer token from the API's development issuer.</summary>
    public async Task<string> TokenAsync(string role, string? city = null, string? name = null)
    {
        using var anonymous = AnonymousClient();
        using var response = await anonymous.PostAsJsonAsync("/api/v1/dev/tokens", new { role, city, name }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(TestContext.Current.CancellationToken);
        return body.GetProperty("token").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        foreach (var api in apis)
        {
            await api.DisposeAsync();
        }

        await Cluster.DisposeAsync();
        await Database.DisposeAsync();
    }
}
