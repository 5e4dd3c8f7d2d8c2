using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Registry;
using Evaluation.Grains.Areas;
using Evaluation.Grains.EventLog;
using Evaluation.Grains.Hosting;
using Evaluation.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit;

namespace Evaluation.IntegrationTests.Durability;

/// <summary>
/// An institution looks for hand-overs that never came on a timer; while hand-overs arrive it reads only what the log
/// held a period earlier (docs/performance.md, round 4), so a push lost while others keep coming, and one lost
/// when they stop, must both still be counted.
/// </summary>
public sealed class LostHandOverTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    // Two catch-up periods and room for a loaded machine: a lost push is found within two periods.
    private static readonly TimeSpan Found = new AreaTiming().CatchUpPeriod * 2 + TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Events_committed_without_a_hand_over_are_counted_whether_or_not_hand_overs_keep_arriving()
    {
        await using var system = await EvaluationCluster.StartAsync(database, silos: 1);
        var (target, _) = Infrastructure.PeerGroups.InDifferentCities(1);
        var institution = system.Grains.GetGrain<IInstitutionGrain>(target.Id);
        var start = (await institution.GetAggregate()).Position;

        // Logged straight to the log: committed, never handed over, as when the ingesting silo died after the commit.
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var log = new PostgresEventLog(dataSource);
        var lost = await log.AppendAsync([Rating(target, "lost-quiet")], Ct);
        var quietEnd = lost[0].Logged!.Position;
        await WaitForAsync(institution, quietEnd);

        // Now lost while hand-overs keep coming: the ingest grain hands over each later batch.
        var lostAmongOthers = await log.AppendAsync([Rating(target, "lost-busy")], Ct);
        var deadline = DateTime.UtcNow + Found;
        var sent = 0;
        while ((await institution.GetAggregate()).Position < lostAmongOthers[0].Logged!.Position + sent && DateTime.UtcNow < deadline)
        {
            var rating = Detection.ConsistentCutTests.Rating($"lost-busy-{sent++}", target, bad: false, DateTimeOffset.UtcNow.AddMinutes(-5));
            var results = await system.Grains.GetGrain<IIngestGrain>(0).IngestEvaluations(TestSources.Default, [rating]);
            Assert.Equal(ItemStatus.Accepted, Assert.Single(results).Status);
            await Task.Delay(500, Ct);
        }

        Assert.Equal(start + 2 + sent, (await institution.GetAggregate()).Position);
    }

    private static async Task WaitForAsync(IInstitutionGrain institution, long position)
    {
        var deadline = DateTime.UtcNow + Found;
        while ((await institution.GetAggregate()).Position < position)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the institution never counted the event at position {position} it was not handed");
            await Task.Delay(200, Ct);
        }
    }

    private static PendingEvent Rating(Institution institution, string id)
    {
        var today = AreaClock.Today(TimeProvider.System);
        return new($"eval:lost:{id}", null, institution.Id, LoggedEventKind.Evaluation, id, institution.Services[0],
            institution.Channels[0], IpDomain.Patent, today, DateTimeOffset.UtcNow.AddMinutes(-5), Level: 4);
    }
}
