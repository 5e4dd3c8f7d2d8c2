using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Grains.Areas;
using Evaluation.Grains.Hosting;
using Evaluation.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;
using Xunit;

namespace Evaluation.IntegrationTests.Orleans;

/// <summary>
/// The real ADO.NET providers on our schema: membership, grain storage and reminders of a
/// multi-silo cluster survive hard-killed silos, the first one included.
/// </summary>
public sealed class AdoNetProviderTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private const string ConnectionStringKey = "EvaluationTests:ConnectionString";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task State_and_reminders_survive_killing_silos_including_the_first()
    {
        await using var cluster = await StartClusterAsync(silos: 3);
        var probe = cluster.GrainFactory.GetGrain<IProbeGrain>("survivor");
        var expected = SampleAggregate();
        await probe.Save(expected);
        await probe.StartTicking();
        await WaitUntilAsync(async () => await probe.Ticks() > 0, "the reminder to fire before any kill");

        // Silos[0] started first and would host the membership in an in-memory test cluster.
        await cluster.KillSiloAsync(cluster.Silos[0], TestContext.Current.CancellationToken);
        await cluster.StartAdditionalSiloAsync();
        await cluster.KillSiloAsync(cluster.Silos[0], TestContext.Current.CancellationToken);
        await cluster.WaitForLivenessToStabilizeAsync(didKill: true);

        Assert.Equal(2, cluster.GetActiveSilos().Count());
        var ticksAfterKills = await probe.Ticks();
        AssertSameAggregate(expected, await probe.Load());
        await WaitUntilAsync(async () => await probe.Ticks() > ticksAfterKills, "the reminder to fire again after the kills");
    }

    [Fact]
    public async Task Grain_types_sharing_a_state_name_and_key_keep_separate_states()
    {
        await using var cluster = await StartClusterAsync(silos: 1);
        var probe = cluster.GrainFactory.GetGrain<IProbeGrain>("same-key");
        var twin = cluster.GrainFactory.GetGrain<ITwinProbeGrain>("same-key");

        await probe.Save(new AggregateData { Backlog = 1 });
        await twin.Save(new AggregateData { Backlog = 2 });

        Assert.Equal(1, (await probe.Load()).Backlog);
        Assert.Equal(2, (await twin.Load()).Backlog);
    }

    private async Task<TestCluster> StartClusterAsync(short silos)
    {
        var builder = new TestClusterBuilder(silos);
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ConfigureFileLogging = false;
        builder.Properties[ConnectionStringKey] = database.ConnectionString;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private static AggregateData SampleAggregate() => new()
    {
        Backlog = 7,
        Tallies =
        {
            [new TallyKey(new DateOnly(2026, 3, 10), Channel.Window, IpDomain.Patent)] =
                new Tally { Levels = [1, 0, 2, 5, 40], Opened = 12, Completed = 9, CompletedOnTime = 8, HandlingHoursSum = 31.5, HandlingHistogram = [0, 3, 6] },
            [new TallyKey(new DateOnly(2026, 3, 11), Channel.Online, IpDomain.Trademark)] =
                new Tally { Levels = [0, 0, 0, 0, 1], Opened = 1 },
        },
    };

    private static void AssertSameAggregate(AggregateData expected, AggregateData actual)
    {
        Assert.Equal(expected.Backlog, actual.Backlog);
        Assert.Equal(expected.Tallies.Count, actual.Tallies.Count);
        foreach (var (key, tally) in expected.Tallies)
        {
            Assert.True(actual.Tallies.TryGetValue(key, out var read), $"Tally {key} did not come back.");
            Assert.Equal(tally.Levels, read.Levels);
            Assert.Equal(
                (tally.Opened, tally.Completed, tally.CompletedOnTime, tally.HandlingHoursSum),
                (read.Opened, read.Completed, read.CompletedOnTime, read.HandlingHoursSum));
            Assert.Equal(tally.HandlingHistogram, read.HandlingHistogram);
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Gave up waiting for {what} after {Patience.TotalSeconds:0} s.");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.UseEvaluationPostgres(siloBuilder.Configuration[ConnectionStringKey]!);
            siloBuilder.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            EvaluationCluster.DetectFailuresFast(siloBuilder);
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.UseAdoNetClustering(o =>
            {
                o.Invariant = PostgresOrleansExtensions.Invariant;
                o.ConnectionString = configuration[ConnectionStringKey];
            });
    }
}

public interface IProbeGrain : IGrainWithStringKey
{
    Task Save(AggregateData data);

    Task<AggregateData> Load();

    Task StartTicking();

    Task<int> Ticks();
}

/// <summary>A second grain type using the same state name as <see cref="ProbeGrain"/>.</summary>
public interface ITwinProbeGrain : IGrainWithStringKey
{
    Task Save(AggregateData data);

    Task<AggregateData> Load();
}

[GenerateSerializer, Alias("TickCount")]
public sealed class TickCount
{
    [Id(0)] public int Count { get; set; }
}

public sealed class ProbeGrain(
    [PersistentState("aggregate")] IPersistentState<AggregateData> aggregate,
    [PersistentState("ticks", GrainStorage.Checkpoints)] IPersistentState<TickCount> ticks) : Grain, IProbeGrain, IRemindable
{
    public Task Save(AggregateData data)
    {
        aggregate.State = data;
        return aggregate.WriteStateAsync();
    }

    // Always from the database, never from this activation's memory.
    public async Task<AggregateData> Load()
    {
        await aggregate.ReadStateAsync();
        return aggregate.State;
    }

    public Task StartTicking() =>
        this.RegisterOrUpdateReminder("tick", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

    public async Task<int> Ticks()
    {
        await ticks.ReadStateAsync();
        return ticks.State.Count;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        ticks.State.Count++;
        await ticks.WriteStateAsync();
    }
}

public sealed class TwinProbeGrain([PersistentState("aggregate")] IPersistentState<AggregateData> aggregate) : Grain, ITwinProbeGrain
{
    public Task Save(AggregateData data)
    {
        aggregate.State = data;
        return aggregate.WriteStateAsync();
    }

    public async Task<AggregateData> Load()
    {
        await aggregate.ReadStateAsync();
        return aggregate.State;
    }
}
