using System.Security.Cryptography;
using Evaluation.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Configuration;
using Xunit;

namespace Evaluation.IntegrationTests.Infrastructure.Hosts;

/// <summary>
/// The real system spread over hosts of their own: three silo processes (ev-h1..3) and two API processes
/// (ev-h4..5), each in its own network namespace and advertising its own address, on a private PostgreSQL that
/// listens on the bridge. The test itself is an Orleans client on the machine (10.211.0.1), to read aggregates.
/// When this machine cannot make namespaces, <see cref="SkipReason"/> says why and nothing is started.
/// </summary>
public sealed class NamespacedSystem : IAsyncLifetime
{
    public const int Silos = 3;
    public const int Apis = 2;
    public const int GatewayPort = 30000;
    public const int ApiPort = 5080;

    /// <summary>Orleans' SiloStatus.Dead as the membership table stores it.</summary>
    private const int DeadStatus = 6;
    public static readonly string SourceKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private readonly PrivatePostgres postgres = new() { AlsoListenOn = HostNetwork.MachineAddress };
    private HostNetwork? network;
    private PostgresDatabase? database;
    private IHost? client;

    public string? SkipReason { get; private set; }

    public IReadOnlyList<HostProcess> SiloHosts { get; private set; } = [];

    public IReadOnlyList<HostProcess> ApiHosts { get; private set; } = [];

    public IReadOnlyList<Uri> ApiUrls => [.. ApiHosts.Select(a => new Uri($"http://{a.Host.Address}:{ApiPort}/"))];

    /// <summary>The database as the machine reaches it (127.0.0.1).</summary>
    public string ConnectionString => database!.ConnectionString;

    public IGrainFactory Grains => client!.Services.GetRequiredService<IClusterClient>();

    public string LogDirectory { get; } = Path.Combine(Repository.Root, "ops", ".state", "test", "netns");

    public int PostgresPort => postgres.Port;

    public async ValueTask InitializeAsync()
    {
        SkipReason = await HostNetwork.UnavailableAsync();
        if (SkipReason is not null)
        {
            return;
        }

        network = await HostNetwork.CreateAsync();
        await postgres.InitializeAsync();
        database = new PostgresDatabase(postgres.Server);
        await database.InitializeAsync();
        Directory.CreateDirectory(LogDirectory);

        // Inside a namespace the database is on the bridge; 127.0.0.1 there is the host's own loopback.
        var fromHosts = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = HostNetwork.MachineAddress }.ConnectionString;
        var common = new Dictionary<string, string>
        {
            ["EVAL_DB"] = fromHosts,
            ["Evaluation__ClusterId"] = "nemesis",
            ["Evaluation__ServiceId"] = "nemesis",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Orleans"] = "Warning",
            ["DOTNET_gcServer"] = "0",
        };
        var contactKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var silos = new List<HostProcess>();
        for (var i = 1; i <= Silos; i++)
        {
            var host = await network.AddHostAsync(i);
            silos.Add(new HostProcess(host, Repository.Built("silo", "Evaluation.Silo.dll"), new Dictionary<string, string>(common)
            {
                ["EVAL_CONTACT_KEY"] = contactKey,
                ["Evaluation__AdvertisedAddress"] = host.Address,
            }, Path.Combine(LogDirectory, $"silo-{i}.log")));
        }

        var apis = new List<HostProcess>();
        for (var i = 1; i <= Apis; i++)
        {
            var host = await network.AddHostAsync(Silos + i);
            apis.Add(new HostProcess(host, Repository.Built("client-api", "Evaluation.ClientApi.dll"), new Dictionary<string, string>(common)
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["EVAL_SOURCE_KEY"] = SourceKey,
                ["EVAL_JWT_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                ["Evaluation__RateLimits__IngestionPerMinute"] = "100000000",
            }, Path.Combine(LogDirectory, $"api-{i}.log"), "--urls", $"http://{host.Address}:{ApiPort}"));
        }

        SiloHosts = silos;
        ApiHosts = apis;

        // The first silo alone, then the rest: concurrent first starts would race to create the schema.
        silos[0].Start();
        await silos[0].WaitForPortAsync(GatewayPort, TimeSpan.FromSeconds(120));
        foreach (var silo in silos.Skip(1))
        {
            silo.Start();
        }

        await Task.WhenAll(silos.Skip(1).Select(s => s.WaitForPortAsync(GatewayPort, TimeSpan.FromSeconds(120))));
        foreach (var api in apis)
        {
            api.Start();
        }

        await Task.WhenAll(apis.Select(a => a.WaitForPortAsync(ApiPort, TimeSpan.FromSeconds(120))));
        client = Host.CreateDefaultBuilder()
            .UseOrleansClient(c =>
            {
                c.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = ("nemesis", "nemesis"));
                c.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
                c.UseAdoNetClustering(o =>
                {
                    o.Invariant = PostgresOrleansExtensions.Invariant;
                    o.ConnectionString = database.ConnectionString;
                });
            })
            .Build();
        await client.StartAsync();
    }

    /// <summary>
    /// Starts again every host whose process ended (a silo the cluster declared dead stops itself), as a supervisor
    /// would; answers how many it started.
    /// </summary>
    public async Task<int> RestartExitedAsync()
    {
        var exited = SiloHosts.Concat(ApiHosts).Count(h => h.HasExited);
        foreach (var silo in SiloHosts.Where(s => s.HasExited))
        {
            silo.Start();
            await silo.WaitForPortAsync(GatewayPort, TimeSpan.FromSeconds(120));
        }

        foreach (var api in ApiHosts.Where(a => a.HasExited))
        {
            api.Start();
            await api.WaitForPortAsync(ApiPort, TimeSpan.FromSeconds(120));
        }

        return exited;
    }

    /// <summary>Waits until the membership table says the silo's latest incarnation is dead; false when it still is not after <paramref name="patience"/>.</summary>
    public async Task<bool> WaitUntilDeclaredDeadAsync(HostProcess silo, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (DateTime.UtcNow < deadline)
        {
            if (await LatestStatusAsync(silo) == DeadStatus)
            {
                return true;
            }

            await Task.Delay(500);
        }

        return false;
    }

    private async Task<int?> LatestStatusAsync(HostProcess silo)
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT status FROM orleans_membership WHERE address = $1 ORDER BY generation DESC LIMIT 1", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = silo.Host.Address });
            return await command.ExecuteScalarAsync() as int?;
        }
        catch (NpgsqlException)
        {
            // Busy with the hosts' connections; the membership table is read again in a moment.
            return null;
        }
    }

    /// <summary>Removes every network fault: the rules of every host flushed.</summary>
    public async Task HealAsync()
    {
        foreach (var host in SiloHosts.Concat(ApiHosts))
        {
            await host.Host.HealAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Every step is attempted, so a failure half-way still removes the namespaces and the bridge.
        try
        {
            if (client is not null)
            {
                await client.StopAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
                client.Dispose();
            }

            foreach (var host in SiloHosts.Concat(ApiHosts))
            {
                await host.DisposeAsync();
            }
        }
        finally
        {
            if (network is not null)
            {
                await network.DisposeAsync();
            }

            if (database is not null)
            {
                await database.DisposeAsync();
            }

            if (SkipReason is null)
            {
                await postgres.DisposeAsync();
            }
        }
    }

    /// <summary>Skips the calling test, counted as skipped with the reason, when namespaces cannot be made here.</summary>
    public void SkipUnlessAvailable()
    {
        if (SkipReason is { } reason)
        {
            Assert.Skip($"Hosts of their own cannot be made on this machine: {reason}.");
        }
    }
}

/// <summary>Where the repository and the builds of its hosts are, seen from the test's output directory.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>A host's dll as built in the same configuration as these tests (…/bin/Debug/net10.0/).</summary>
    public static string Built(string project, string dll)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var path = Path.Combine(Root, project, "bin", output.Parent!.Name, output.Name, dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: build Evaluation.sln (ops/test does) or the test project, which builds it.");
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Evaluation.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("Evaluation.sln not found above the test's output directory.");
    }
}
