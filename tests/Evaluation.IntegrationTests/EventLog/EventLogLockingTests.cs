using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Registry;
using Evaluation.Grains.Areas;
using Evaluation.Grains.EventLog;
using Evaluation.Grains.Hosting;
using Evaluation.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit;

namespace Evaluation.IntegrationTests.EventLog;

/// <summary>
/// The institutions' row locks serialise the batches that share an institution, so nothing else may wait on them
/// (docs/performance.md): a batch of re-sent items never queues behind a batch holding the locks, and a new batch
/// queues only for its numbering, which stays gap-free.
/// </summary>
public sealed class EventLogLockingTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly DateOnly Today = AreaClock.Today(TimeProvider.System);

    // Only a hang detector: an append that waits for the held lock never finishes before it is released.
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Re_sent_items_do_not_wait_for_a_batch_holding_the_institution_and_new_ones_are_numbered_after_it()
    {
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var log = new PostgresEventLog(dataSource);
        Assert.Equal(1L, (await log.AppendAsync([Rating("held", "first")], Ct))[0].Logged!.Position);

        // Another batch in its numbering: the institution's row locked and updated, not yet committed.
        await using var holder = new NpgsqlConnection(database.ConnectionString);
        await holder.OpenAsync(Ct);
        await using var holding = await holder.BeginTransactionAsync(Ct);
        await using (var update = new NpgsqlCommand("UPDATE institution_position SET last_position = last_position WHERE institution_id = 'held'", holder, holding))
        {
            Assert.Equal(1, await update.ExecuteNonQueryAsync(Ct));
        }

        var resent = await log.AppendAsync([Rating("held", "first")], Ct).WaitAsync(Hang, Ct);
        Assert.True(Assert.Single(resent).IsDuplicate);

        var fresh = log.AppendAsync([Rating("held", "second")], Ct);
        await holding.CommitAsync(Ct);
        Assert.Equal(2L, Assert.Single(await fresh.WaitAsync(Hang, Ct)).Logged!.Position);
    }

    private static PendingEvent Rating(string institutionId, string id) => new(
        $"evaluation:{id}", null, institutionId, LoggedEventKind.Evaluation, id, "PAT-SEARCH", Channel.Window, IpDomain.Patent,
        Today, new DateTimeOffset(Today.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8)), Level: 4);
}
