using System.Security.Cryptography;
using Evaluation.Grains.Areas;
using Evaluation.Grains.Cases;
using Evaluation.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Evaluation.IntegrationTests.Infrastructure;

/// <summary>
/// The real system in a test: several silos (Orleans.TestingHost) with clustering, storage, reminders and
/// the event log on a fresh PostgreSQL database. Silos can be killed and started again.
/// </summary>
public sealed class EvaluationCluster : IAsyncDisposable
{
    private const string ConnectionStringKey = "EvaluationTests:ConnectionString";
    private const string ContactKeyKey = "EvaluationTests:ContactKey";
    private const string CaseTimeKey = "EvaluationTests:CaseTime";
    private const string ReportPeriodKey = "EvaluationTests:ReportPeriod";

    /// <summary>Silos run in this process, so a test's clock reaches them through this table (keyed per cluster).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, CaseTime> CaseTimes = new();

    private EvaluationCluster(PostgresDatabase database, TestCluster cluster, string contactKey)
    {
        Database = database;
        Cluster = cluster;
        ContactKey = contactKey;
    }

    public PostgresDatabase Database { get; }

    public TestCluster Cluster { get; }

    public string ContactKey { get; }

    public IGrainFactory Grains => Cluster.GrainFactory;

    public string ClusterId => Cluster.Options.ClusterId;

    public string ServiceId => Cluster.Options.ServiceId;

    /// <param name="caseTime">A clock for case deadlines, and how often cases look at it; null for the real clock.</param>
    /// <param name="settings">Silo settings by configuration key (e.g. <c>Evaluation:Notifications:PollInterval</c>).</param>
    /// <param name="reportPeriod">How often institutions report to their cities; null for the default (a fraction of a second).</param>
    public static async Task<EvaluationCluster> StartAsync(
        PostgresDatabase database,
        short silos = 2,
        CaseTime? caseTime = null,
        IReadOnlyDictionary<string, string>? settings = null,
        TimeSpan? reportPeriod = null)
    {
        var contactKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var builder = new TestClusterBuilder(silos);
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ConfigureFileLogging = false;

        // Real sockets, so a separately hosted API (an Orleans client of its own) can reach the gateways.
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        builder.Properties[ConnectionStringKey] = database.ConnectionString;
        builder.Properties[ContactKeyKey] = contactKey;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.Properties[key] = value;
        }

        if (caseTime is not null)
        {
            var id = Guid.NewGuid().ToString("N");
            CaseTimes[id] = caseTime;
            builder.Properties[CaseTimeKey] = id;
        }

        if (reportPeriod is { } period)
        {
            builder.Properties[ReportPeriodKey] = period.ToString("c");
        }

        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new EvaluationCluster(database, cluster, contactKey);
    }

    /// <summary>A hard kill: the silo gets no chance to checkpoint or hand anything over.</summary>
    public Task KillAsync(SiloHandle silo) => Cluster.KillSiloAsync(silo);

    public Task<SiloHandle> StartSiloAsync() => Cluster.StartAdditionalSiloAsync();

    /// <summary>Every silo stops, then as many new ones start: only what PostgreSQL holds survives.</summary>
    public async Task RestartAllAsync()
    {
        var count = Cluster.Silos.Count;
        await Cluster.StopAllSilosAsync();
        for (var i = 0; i < count; i++)
        {
            await Cluster.StartAdditionalSiloAsync();
        }

        await Cluster.InitializeClientAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    /// <summary>Declare killed silos dead within seconds rather than the production half-minute.</summary>
    public static void DetectFailuresFast(ISiloBuilder silo) =>
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(1);
            o.NumMissedProbesLimit = 2;
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
            o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        });

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.Services.AddLogging(LogCapture.AddTo);
            var connectionString = silo.Configuration[ConnectionStringKey]!;
            silo.UseEvaluationPostgres(connectionString);
            silo.AddPostgresEventLog(connectionString);
            var settings = new EvaluationSettings { ConnectionString = connectionString, ContactKey = silo.Configuration[ContactKeyKey] };
            silo.Configuration.GetSection("Evaluation:Notifications").Bind(settings.Notifications);
            silo.Configuration.GetSection("Evaluation:Smtp").Bind(settings.Smtp);
            if (silo.Configuration[CaseTimeKey] is { } id)
            {
                var caseTime = CaseTimes[id];
                silo.Services.AddKeyedSingleton(CaseClock.Key, caseTime.Clock);
                settings.Cases.CheckPeriod = caseTime.CheckPeriod;
                silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = caseTime.CheckPeriod);
            }

            if (silo.Configuration[ReportPeriodKey] is { } period)
            {
                silo.Services.AddSingleton(new AreaTiming { ReportPeriod = TimeSpan.Parse(period, System.Globalization.CultureInfo.InvariantCulture) });
            }

            silo.AddEvaluationServices(settings);
            silo.AddDashboard();
            DetectFailuresFast(silo);
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder client) =>
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = PostgresOrleansExtensions.Invariant;
                o.ConnectionString = configuration[ConnectionStringKey];
            });
    }
}

/// <summary>The clock case grains read, and the period of their deadline reminders.</summary>
public sealed record CaseTime(TimeProvider Clock, TimeSpan CheckPeriod);
