using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Calendar;
using Evaluation.Domain.Cases;
using Evaluation.Grains.Cases;
using Evaluation.Grains.EventLog;
using Evaluation.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit;

namespace Evaluation.IntegrationTests.Cases;

/// <summary>
/// Follow-ups are opened by the log in the transaction of their 差评, and the PostgreSQL store lists them exactly as
/// the in-memory store does (whose filter is <see cref="FollowUp.IsOverdueAt"/> itself).
/// </summary>
public sealed class FollowUpStoreTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, Shanghai);
    private static readonly Actor Officer = new("off-gz", "city-officer");
    private static readonly FollowUpRules Rules = new(WorkingCalendar.Default, new CaseSettings());

    private NpgsqlDataSource dataSource = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await dataSource.DisposeAsync();

    [Fact]
    public async Task A_bad_rating_has_its_follow_up_when_the_append_returns_and_a_resend_opens_none()
    {
        var log = new PostgresEventLog(dataSource);
        var store = new PostgresFollowUpStore(dataSource);
        var sealedContact = new byte[] { 1, 2, 3 };
        var batch = new[]
        {
            Rating("atomic-bad", level: 1, Monday, sealedContact),
            Rating("atomic-good", level: 5, Monday, null),
        };

        Assert.All(await log.AppendAsync(batch, Ct), outcome => Assert.False(outcome.IsDuplicate));
        var stored = await store.FindAsync("atomic-bad", Ct);
        Assert.NotNull(stored);
        Assert.Equal(FollowUpState.Open, stored.FollowUp.State);
        Assert.Equal(sealedContact, stored.Opening.ContactSealed);
        Assert.Null(await store.FindAsync("atomic-good", Ct));

        var calledBack = Rules.Apply(stored.FollowUp, new FollowUpCommand(FollowUpStep.CallBack, Officer, "called"), Monday.AddHours(2));
        Assert.True(await store.SaveAsync(calledBack, 1, Ct));
        Assert.False(await store.SaveAsync(calledBack, 1, Ct));

        // The re-sent 差评 is a duplicate: no second follow-up, and the one worked on is not reset.
        Assert.All(await log.AppendAsync(batch, Ct), outcome => Assert.True(outcome.IsDuplicate));
        Assert.Equal(FollowUpState.Rectifying, (await store.FindAsync("atomic-bad", Ct))!.FollowUp.State);
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM follow_up WHERE id LIKE 'atomic-%'"));
    }

    [Fact]
    public async Task The_database_lists_state_overdue_and_pages_as_the_rules_do()
    {
        // A database of its own: the lists are compared whole, and the class's other tests open follow-ups too.
        await using var own = new PostgresDatabase();
        await own.InitializeAsync();
        await using var ownSource = NpgsqlDataSource.Create(own.ConnectionString);
        var inMemory = new InMemoryFollowUpStore();
        var log = new PostgresEventLog(ownSource);
        var postgres = new PostgresFollowUpStore(ownSource);
        var random = new Random(11);
        var pending = new List<PendingEvent>();
        for (var i = 0; i < 60; i++)
        {
            pending.Add(Rating($"list-{i:00}", level: 1, Monday.AddHours(random.Next(0, 24 * 20)), null, city: i % 4 == 0 ? "440300" : "440100"));
        }

        // Same-instant openings check the tie-break by id.
        pending.Add(Rating("list-tie-b", level: 2, Monday, null));
        pending.Add(Rating("list-tie-a", level: 2, Monday, null));
        await log.AppendAsync(pending, Ct);
        foreach (var p in pending)
        {
            inMemory.Open(p.OpensFollowUp!);
        }

        // Move every third along, in both stores alike: called back (rectifying), then some closed; others appealed.
        for (var i = 0; i < pending.Count; i += 3)
        {
            var f = pending[i].OpensFollowUp!.FollowUp;
            var next = Rules.Apply(f, new FollowUpCommand(i % 2 == 0 ? FollowUpStep.CallBack : FollowUpStep.Appeal, Officer, "worked on"), f.OpenedAt.AddDays(1));
            if (i % 4 == 0 && next.State == FollowUpState.Rectifying)
            {
                next = Rules.Apply(next, new FollowUpCommand(FollowUpStep.Rectify, Officer, "queue system installed"), f.OpenedAt.AddDays(2));
            }

            await SaveBothAsync(postgres, inMemory, f, next);
        }

        foreach (var now in new[] { Monday, Monday.AddDays(5), Monday.AddDays(15), Monday.AddDays(40) })
        {
            foreach (var state in new FollowUpState?[] { null, FollowUpState.Open, FollowUpState.Rectifying, FollowUpState.Appealed, FollowUpState.Rectified })
            {
                foreach (var (overdue, order, level) in new (bool?, FollowUpOrder, byte?)[]
                {
                    (null, FollowUpOrder.Newest, null), (true, FollowUpOrder.Newest, null), (false, FollowUpOrder.DueSoonest, null),
                    (null, FollowUpOrder.DueSoonest, null), (null, FollowUpOrder.DueSoonest, 2),
                })
                {
                    foreach (var (page, size) in new[] { (1, 7), (2, 7), (9, 7), (1, 100) })
                    {
                        var query = new FollowUpFilter(state, overdue, Level: level, Order: order, Page: page, PageSize: size);
                        var expected = await inMemory.QueryAsync("440100", query, now, Ct);
                        var actual = await postgres.QueryAsync("440100", query, now, Ct);
                        var what = $"{state?.ToString() ?? "any"}, overdue {overdue?.ToString() ?? "any"}, {order}, level {level}, page {page}×{size} at {now:yyyy-MM-dd}";
                        Assert.True(expected.Total == actual.Total, $"{what}: total {actual.Total}, expected {expected.Total}");
                        Assert.True(expected.Items.Select(f => f.Id).SequenceEqual(actual.Items.Select(f => f.Id)),
                            $"{what}: [{string.Join(",", actual.Items.Select(f => f.Id))}] expected [{string.Join(",", expected.Items.Select(f => f.Id))}]");
                    }
                }
            }
        }

        Assert.Contains((await postgres.QueryAsync("440100", new FollowUpFilter(Overdue: true, PageSize: 100), Monday.AddDays(40), Ct)).Items, f => f.State == FollowUpState.Open);
        Assert.Equal(15, (await postgres.QueryAsync("440300", new FollowUpFilter(PageSize: 100), Monday, Ct)).Total);
    }

    [Fact]
    public async Task The_database_finds_what_the_rectification_notice_counts_as_the_in_memory_store_does()
    {
        const string City = "440600";
        var inMemory = new InMemoryFollowUpStore();
        var log = new PostgresEventLog(dataSource);
        var postgres = new PostgresFollowUpStore(dataSource);
        var supervisor = new Actor("sup-1", "province-supervisor");
        var random = new Random(12);
        var pending = Enumerable.Range(0, 80)
            .Select(i => Rating($"notice-{i:00}", level: (byte)(1 + (i % 2)), Monday.AddHours(random.Next(0, 24 * 150)), null, city: City))
            .ToList();
        await ScalarAsync("SELECT ensure_event_log_partitions('2026-11-01', '2027-05-01')::bigint");
        await log.AppendAsync(pending, Ct);
        foreach (var p in pending)
        {
            inMemory.Open(p.OpensFollowUp!);
        }

        // Rectified after some days, appealed and upheld, appealed and dismissed (then rectified), or left open.
        for (var i = 0; i < pending.Count; i++)
        {
            var f = pending[i].OpensFollowUp!.FollowUp;
            var at = f.OpenedAt.AddHours(random.Next(1, 24 * 30));
            var next = (i % 4) switch
            {
                0 => Rules.Apply(Rules.Apply(f, new FollowUpCommand(FollowUpStep.CallBack, Officer, "called"), f.OpenedAt.AddHours(1)),
                    new FollowUpCommand(FollowUpStep.Rectify, Officer, "fixed"), at),
                1 => Rules.Apply(Rules.Apply(f, new FollowUpCommand(FollowUpStep.Appeal, Officer, "wrong office"), f.OpenedAt.AddHours(1)),
                    new FollowUpCommand(FollowUpStep.Uphold, supervisor, "excluded"), at),
                2 => Rules.Apply(
                    Rules.Apply(Rules.Apply(f, new FollowUpCommand(FollowUpStep.Appeal, Officer, "malicious"), f.OpenedAt.AddHours(1)),
                        new FollowUpCommand(FollowUpStep.Dismiss, supervisor, "justified"), at),
                    new FollowUpCommand(FollowUpStep.Rectify, Officer, "fixed"), at.AddDays(3)),
                _ => f,
            };
            await SaveBothAsync(postgres, inMemory, f, next);
        }

        foreach (var now in new[] { Monday.AddDays(20), Monday.AddDays(100), Monday.AddDays(130), Monday.AddDays(200) })
        {
            foreach (var institution in new[] { null, $"inst-{City}", "inst-other" })
            {
                var since = RectificationNotices.Since(now);
                var expected = RectificationNotices.Build(City, institution, await inMemory.RectifiedOrDecidedSinceAsync(City, institution, since, Ct), now);
                var actual = RectificationNotices.Build(City, institution, await postgres.RectifiedOrDecidedSinceAsync(City, institution, since, Ct), now);
                var what = $"{institution ?? "the city"} at {now:yyyy-MM-dd}";
                Assert.True(expected.Rectified == actual.Rectified, $"{what}: {actual.Rectified} rectified, expected {expected.Rectified}");
                Assert.Equal(expected.ByServiceItem, actual.ByServiceItem);
                Assert.Equal(expected.ByTag, actual.ByTag);
                Assert.Equal(expected.MedianDaysToRectify, actual.MedianDaysToRectify);
                Assert.Equal((expected.AppealsUpheld, expected.AppealsDismissed), (actual.AppealsUpheld, actual.AppealsDismissed));
            }
        }

        var sample = RectificationNotices.Build(City, null, await postgres.RectifiedOrDecidedSinceAsync(City, null, DateTimeOffset.MinValue, Ct), Monday.AddDays(130));
        Assert.True(sample.Rectified > 0 && sample.AppealsUpheld > 0 && sample.AppealsDismissed > 0, "the sample should exercise every count");
    }

    private static async Task SaveBothAsync(PostgresFollowUpStore postgres, InMemoryFollowUpStore inMemory, FollowUp from, FollowUp to)
    {
        // The stores take one step at a time; replay the history between the two revisions.
        for (var count = from.History.Count + 1; count <= to.History.Count; count++)
        {
            var step = to with { History = [.. to.History.Take(count)] };
            Assert.True(await postgres.SaveAsync(step, count - 1, Ct));
            Assert.True(await inMemory.SaveAsync(step, count - 1, Ct));
        }
    }

    private static PendingEvent Rating(string id, byte level, DateTimeOffset at, byte[]? contactSealed, string city = "440100")
    {
        var opening = new FollowUpOpening(id, $"inst-{city}", city, "PAT-SEARCH", Channel.Window, IpDomain.Patent,
            WorkingCalendar.ToLocalDate(at).ToDateOnly(), at, level, ["slow"], "waited", contactSealed is not null, contactSealed);
        return new PendingEvent($"eval:{id}", null, opening.InstitutionId, LoggedEventKind.Evaluation, id, opening.ServiceItem, opening.Channel,
            opening.Domain, opening.Day, at, level, opening.Tags, opening.Comment, opening.RealName, contactSealed,
            OpensFollowUp: FollowUpRules.IsBad(level) ? new StoredFollowUp(Rules.Open(opening, at), opening) : null);
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }
}
