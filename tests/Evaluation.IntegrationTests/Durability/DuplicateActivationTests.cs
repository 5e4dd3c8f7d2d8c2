using Evaluation.Contracts.Grains;
using Evaluation.Domain.Measures;
using Evaluation.Grains.Areas;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Xunit;

namespace Evaluation.IntegrationTests.Durability;

/// <summary>
/// Two activations of one institution, as after a partition or a paused silo that the cluster declared dead: the
/// old one wakes up and writes the checkpoint it holds after the new one has written a later one. The checkpoint
/// store's version guard must refuse the old write, so the later checkpoint stands and the aggregate stays the log's.
/// </summary>
public sealed class DuplicateActivationTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private const string StateName = "institution";

    [Fact]
    public async Task An_older_checkpoint_written_after_a_newer_one_is_refused()
    {
        await using var system = await EvaluationCluster.StartAsync(database, silos: 1);
        var institution = ShippedRegistry.Sample.Institutions[0];
        var traffic = new TrafficGenerator([institution], seed: 4242) { ResendShare = 0 };
        var grain = system.Grains.GetGrain<IInstitutionGrain>(institution.Id);
        var storage = system.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(GrainStorage.Checkpoints);

        // The first activation checkpoints 5 events: the state the old activation still holds when it is cut off.
        var older = await CheckpointAfterAsync(system, grain, storage, traffic, expectedPosition: 5);

        // The new activation goes on to 10 and checkpoints.
        var newer = await CheckpointAfterAsync(system, grain, storage, traffic, expectedPosition: 10);
        Assert.NotEqual(older.ETag, newer.ETag);

        // The old one wakes and writes what it holds: refused, and the later checkpoint stands.
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grain.GetGrainId(), older));
        var stored = new GrainState<InstitutionCheckpoint>();
        await storage.ReadStateAsync(StateName, grain.GetGrainId(), stored);
        Assert.Equal(10, stored.State!.Position);

        var expected = await LogRecomputation.ByAreaAsync(database.ConnectionString, new Dictionary<string, string> { [institution.Id] = institution.Id });
        var current = await grain.GetAggregate();
        Assert.Equal(10, current.Position);
        Assert.Empty(Aggregation.Differences(expected[institution.Id], current.Aggregate));
    }

    /// <summary>Five more ratings, then the activation is collected (which checkpoints it) and the stored checkpoint read.</summary>
    private static async Task<GrainState<InstitutionCheckpoint>> CheckpointAfterAsync(
        EvaluationCluster system, IInstitutionGrain grain, IGrainStorage storage, TrafficGenerator traffic, long expectedPosition)
    {
        await system.Grains.GetGrain<IIngestGrain>(0).IngestEvaluations(TestSources.Default, traffic.Evaluations(5, DateTimeOffset.UtcNow));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var state = new GrainState<InstitutionCheckpoint>();
        while (true)
        {
            if ((await grain.GetAggregate()).Position == expectedPosition)
            {
                await system.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
                await storage.ReadStateAsync(StateName, grain.GetGrainId(), state);
                if (state.State?.Position == expectedPosition)
                {
                    return state;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"the institution did not checkpoint position {expectedPosition}");
            await Task.Delay(200);
        }
    }
}
