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
/// An exclusion counts under the topics of the rating it excludes as the log holds them, whatever the exclusion
/// itself carries, so it subtracts exactly what the rating added; the look-up runs only in batches with an exclusion
/// (docs/performance.md, round 4), and the other events of such a batch keep their own topics.
/// </summary>
public sealed class EventLogExclusionTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly DateOnly Today = AreaClock.Today(TimeProvider.System);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_exclusion_takes_the_topics_of_the_logged_rating_and_its_batch_neighbours_keep_theirs()
    {
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var log = new PostgresEventLog(dataSource);
        var rated = await log.AppendAsync(
            [Rating("ex-a", "bad", ["queue"]), Rating("ex-a", "bad-untopical", null), Rating("ex-b", "bad", ["fees"])], Ct);
        Assert.All(rated, r => Assert.NotNull(r.Logged));

        var outcomes = await log.AppendAsync(
        [
            Exclusion("ex-a", "bad", ["stale"]),
            Rating("ex-a", "later", ["staff"]),
            Exclusion("ex-a", "bad-untopical", ["stale"]),
            Exclusion("ex-b", "never-rated", ["fees"]),
        ], Ct);

        Assert.Equal(["queue"], outcomes[0].Logged!.Topics!);
        Assert.Equal(["staff"], outcomes[1].Logged!.Topics!);
        Assert.Null(outcomes[2].Logged!.Topics);
        Assert.Null(outcomes[3].Logged!.Topics);
        var logged = await LoggedTopicsAsync("ex-a", "src:bad");
        Assert.NotNull(logged);
        Assert.Equal(["queue"], logged);
    }

    private async Task<string[]?> LoggedTopicsAsync(string institutionId, string sourceId)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT topics FROM event_log WHERE institution_id = $1 AND source_id = $2 AND kind = 3", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = institutionId });
        command.Parameters.Add(new NpgsqlParameter { Value = sourceId });
        return await command.ExecuteScalarAsync(Ct) as string[];
    }

    private static PendingEvent Rating(string institutionId, string id, IReadOnlyList<string>? topics) => new(
        $"evaluation:{institutionId}:{id}", null, institutionId, LoggedEventKind.Evaluation, id, "PAT-SEARCH", Channel.Window, IpDomain.Patent,
        Today, At, Level: 1, Source: "src", Topics: topics);

    private static PendingEvent Exclusion(string institutionId, string ratingId, IReadOnlyList<string> topics) => new(
        $"excl:{institutionId}:{ratingId}", null, institutionId, LoggedEventKind.EvaluationExcluded, $"src:{ratingId}", "PAT-SEARCH", Channel.Window,
        IpDomain.Patent, Today, At, Level: 1, Topics: topics);

    private static DateTimeOffset At => new(Today.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8));
}
