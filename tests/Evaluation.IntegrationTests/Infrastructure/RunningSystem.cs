using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Evaluation.IntegrationTests.Infrastructure;

/// <summary>
/// The whole system for API tests: a fresh PostgreSQL database, a two-silo cluster on it, and the real
/// client-api host joined to that cluster as an Orleans client.
/// </summary>
public sealed class RunningSystem : IAsyncLifetime
{
    public const string SourceKey = "test-source-key";
    public const string AdminKey = "test-admin-key";

    private readonly PostgresDatabase database = new();
    private WebApplicationFactory<Program>? api;

    public EvaluationCluster Cluster { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public string ConnectionString => database.ConnectionString;

    public async ValueTask InitializeAsync()
    {
        await database.InitializeAsync();
        Cluster = await EvaluationCluster.StartAsync(database, silos: 2);
        api = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Evaluation:ConnectionString", database.ConnectionString);
            web.UseSetting("Evaluation:ClusterId", Cluster.ClusterId);
            web.UseSetting("Evaluation:ServiceId", Cluster.ServiceId);
            web.UseSetting("Evaluation:SourceKey", SourceKey);
            web.UseSetting("Evaluation:AdminKey", AdminKey);
        });
        Client = api.CreateClient();
        Client.DefaultRequestHeaders.Add("X-Api-Key", SourceKey);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (api is not null)
        {
            await api.DisposeAsync();
        }

        await Cluster.DisposeAsync();
        await database.DisposeAsync();
    }
}
