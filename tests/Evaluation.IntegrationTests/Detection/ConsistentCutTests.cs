using Evaluation.Contracts.Detection;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Xunit;

namespace Evaluation.IntegrationTests.Detection;

/// <summary>
/// Same data, same alerts: a detection run right after a burst of ingest sees every rating the log acknowledged,
/// even while the cities have not yet heard of them, and running it again on the same data changes nothing.
/// </summary>
public sealed class ConsistentCutTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Two_runs_right_after_a_burst_of_ingest_see_all_of_it_and_give_the_same_alerts()
    {
        // Institutions report to their cities only every ten minutes: during the test the cities never hear of the burst.
        await using var system = await EvaluationCluster.StartAsync(database, silos: 1, reportPeriod: TimeSpan.FromMinutes(10));
        var detection = system.Grains.GetGrain<IDetectionGrain>(0);
        var (target, peers) = PeerGroups.InDifferentCities(7);

        // A first run wakes every city on what they hold now (nothing), as a long-running system's cities are awake.
        await detection.RunNow(retrain: false);
        Assert.Empty((await detection.GetAlerts(new AlertQuery(State: AlertState.Open))).Items);

        var now = DateTimeOffset.UtcNow;
        var burst = peers.Prepend(target).SelectMany(institution => Enumerable.Range(0, 30).Select(i => Rating(
            $"cut-{institution.Id}-{i}", institution, institution == target ? i % 2 == 0 : i == 0, now.AddHours(-2 - (i * 4))))).ToList();
        var results = await system.Grains.GetGrain<IIngestGrain>(0).IngestEvaluations(TestSources.Default, burst);
        Assert.All(results, r => Assert.Equal(ItemStatus.Accepted, r.Status));

        var first = await detection.RunNow(retrain: false);
        var afterFirst = await OpenAlertsAsync(detection);
        var second = await detection.RunNow(retrain: false);
        var afterSecond = await OpenAlertsAsync(detection);

        var alert = Assert.Single(afterFirst, a => a.Reason == AlertReason.LowSatisfaction);
        Assert.Equal(target.Id, alert.InstitutionId);
        Assert.Equal(0.5, alert.Explanation[0].Value, 3);
        Assert.Equal(afterFirst.Count, first.AlertsRaised);
        Assert.Equal((0, 0), (second.AlertsRaised, second.AlertsResolved));
        Assert.Equal(afterFirst.Select(Describe), afterSecond.Select(Describe));
    }

    private static async Task<List<AlertView>> OpenAlertsAsync(IDetectionGrain detection) =>
        [.. (await detection.GetAlerts(new AlertQuery(State: AlertState.Open, PageSize: 100))).Items.OrderBy(a => a.Id)];

    /// <summary>What a person reads of an alert: subject, reason, part, severity and explanation.</summary>
    private static string Describe(AlertView alert) =>
        $"{alert.Id} {alert.InstitutionId} {alert.Reason} {alert.ServiceItem} {alert.Channel} {alert.Severity}: "
        + string.Join("; ", alert.Explanation.Select(e => e.Text));

    /// <summary>A rating of the institution's first item and channel: a 差评 (level 1) or a 好评 (level 5).</summary>
    internal static EvaluationInput Rating(string id, Institution institution, bool bad, DateTimeOffset occurredAt) => new(
        id,
        institution.Id,
        institution.Services[0],
        TrafficGenerator.ChannelName(institution.Channels[0]),
        bad ? 1 : 5,
        null,
        null,
        false,
        null,
        occurredAt);
}
