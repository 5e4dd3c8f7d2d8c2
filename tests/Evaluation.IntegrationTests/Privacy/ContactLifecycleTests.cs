using System.Security.Cryptography;
using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Registry;
using Evaluation.Domain.Calendar;
using Evaluation.Domain.Cases;
using Evaluation.Grains.Cases;
using Evaluation.Grains.EventLog;
using Evaluation.Grains.Ingestion;
using Evaluation.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit;

namespace Evaluation.IntegrationTests.Privacy;

/// <summary>
/// A rater's contact lives only with its follow-up: never in the append-only log, sealed again under a new key after
/// a rotation, and erased once the follow-up has been closed for the retention period.
/// </summary>
public sealed class ContactLifecycleTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, Shanghai);
    private static readonly Actor Officer = new("off-gz", "city-officer");
    private static readonly CaseSettings Settings = new() { ContactRetentionDays = 30 };
    private static readonly FollowUpRules Rules = new(WorkingCalendar.Default, Settings);
    private static readonly Contact Rater = new("王五", "13700001111");
    private static readonly byte[] FirstKey = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] SecondKey = RandomNumberGenerator.GetBytes(32);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Contacts_stay_out_of_the_log_move_to_a_new_key_and_are_erased_after_retention()
    {
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var log = new PostgresEventLog(dataSource);
        var store = new PostgresFollowUpStore(dataSource);
        var first = new ContactSealer("k1", FirstKey);
        await log.AppendAsync([Rating("life-1", 1, first), Rating("life-2", 2, first), Rating("life-3", 5, first)], Ct);

        Assert.Equal(0L, await ScalarAsync(dataSource, "SELECT count(*) FROM event_log WHERE contact_sealed IS NOT NULL"));
        Assert.Equal(2L, await ScalarAsync(dataSource, "SELECT count(*) FROM follow_up WHERE contact_key_id = 'k1'"));
        var refused = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(dataSource, """
            INSERT INTO event_log (institution_id, position, kind, source_id, service_item, channel, domain, day, occurred_at, level, contact_sealed)
            VALUES ('inst-x', 1, 0, 'sneaked', 'PAT-SEARCH', 0, 0, current_date, now(), 1, '\x01') RETURNING 1::bigint
            """));
        Assert.Equal("event_log_no_contact", refused.ConstraintName);

        // Rotation: k2 is current, k1 retired until every contact is sealed again; then k2 alone opens them all.
        var rotated = new ContactLifecycle(store, new ContactSealer("k2", SecondKey, new Dictionary<string, byte[]> { ["k1"] = FirstKey }), Settings);
        Assert.Equal(2, await rotated.ResealAsync(Ct));
        Assert.Equal(0, await rotated.ResealAsync(Ct));
        var secondOnly = new ContactSealer("k2", SecondKey);
        foreach (var id in new[] { "life-1", "life-2" })
        {
            Assert.Equal(Rater, secondOnly.Open((await store.FindAsync(id, Ct))!.Opening.ContactSealed!, id));
        }

        // life-1 is worked to the end; its contact goes 30 days after it closed, life-2's (still open) stays.
        var f = (await store.FindAsync("life-1", Ct))!.FollowUp;
        var closedAt = Monday.AddDays(3);
        foreach (var (step, at) in new[] { (FollowUpStep.CallBack, Monday.AddHours(2)), (FollowUpStep.Rectify, Monday.AddDays(2)), (FollowUpStep.Feedback, closedAt) })
        {
            var next = Rules.Apply(f, new FollowUpCommand(step, Officer, $"{step}"), at);
            Assert.True(await store.SaveAsync(next, f.History.Count, Ct));
            f = next;
        }

        Assert.Equal(0, await rotated.EraseExpiredAsync(closedAt.AddDays(29), Ct));
        Assert.Equal(1, await rotated.EraseExpiredAsync(closedAt.AddDays(31), Ct));
        Assert.Null((await store.FindAsync("life-1", Ct))!.Opening.ContactSealed);
        Assert.NotNull((await store.FindAsync("life-2", Ct))!.Opening.ContactSealed);
        Assert.Equal(0, await rotated.EraseExpiredAsync(closedAt.AddDays(400), Ct));

        // Who opened a contact is evidence: recorded, never edited or removed.
        await store.RecordRevealAsync(new ContactReveal("life-2", "440100", "inst-440100", "off-gz", "city-officer", Monday), Ct);
        foreach (var change in new[] { "UPDATE contact_reveal SET actor = 'someone else'", "DELETE FROM contact_reveal" })
        {
            var append = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(dataSource, change + " RETURNING 1::bigint"));
            Assert.Contains("contact_reveal is append-only", append.MessageText, StringComparison.Ordinal);
        }
    }

    private static PendingEvent Rating(string id, byte level, ContactSealer sealer)
    {
        var bad = FollowUpRules.IsBad(level);
        var contactSealed = bad ? sealer.Seal(Rater, id) : null;
        var opening = new FollowUpOpening(id, "inst-440100", "440100", "PAT-SEARCH", Channel.Window, IpDomain.Patent,
            WorkingCalendar.ToLocalDate(Monday).ToDateOnly(), Monday, level, [], null, true, contactSealed);
        return new PendingEvent($"eval:{id}", null, opening.InstitutionId, LoggedEventKind.Evaluation, id, opening.ServiceItem, opening.Channel,
            opening.Domain, opening.Day, Monday, level, RealName: true, ContactSealed: contactSealed,
            OpensFollowUp: bad ? new StoredFollowUp(Rules.Open(opening, Monday), opening) : null);
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }
}
