using Evaluation.Contracts.Detection;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Measures;
using Evaluation.Contracts.Registry;
using Evaluation.Detection;
using Xunit;

namespace Evaluation.Detection.Tests;

/// <summary>Which service item or channel fails, slow against peers on the same item, backlog growth.</summary>
public sealed class PartTests
{
    private const string Failing = "PAT-SEARCH";
    private const string Healthy = "PAT-CONSULT";
    private static readonly Detector Detector = new(DetectionSettings.Default, Traffic.Registry.ServiceItems);

    /// <summary>
    /// Everyone rates two items, 10 ratings a day each with one 差评 in twenty (the one online, the other at the
    /// window), and completes 5 services of each a day in 8 hours.
    /// </summary>
    private static List<InstitutionFeatures> Rows(Func<int, Traffic?>? member0 = null) => DetectorTests.Peers((index, _) =>
        (index == 0 ? member0?.Invoke(index) : null) ?? TwoItems(failingBad: day => day % 2, failingChannel: Channel.Online));

    private static Traffic TwoItems(Func<int, int> failingBad, Channel failingChannel = Channel.Window, double failingHours = 8)
    {
        var traffic = new Traffic();
        for (var age = 0; age < 90; age++)
        {
            traffic.Ratings(age, 10, failingBad(age), Failing, failingChannel)
                .Ratings(age, 10, (age + 1) % 2, Healthy)
                .Services(age, 5, 0, failingHours, Failing)
                .Services(age, 5, 0, 8, Healthy);
        }

        return traffic;
    }

    [Fact]
    public void A_failing_service_item_of_a_good_institution_is_named_with_its_value_and_the_peer_median_for_that_item()
    {
        var rows = Rows(_ => TwoItems(failingBad: _ => 4));

        var raised = Detector.Score(rows, null, Traffic.Today).Signals.Where(s => s.Raise).ToList();

        // The item makes the whole institution worse too; only the failing item is named, on the institution only.
        var signal = Assert.Single(raised, s => s.Reason == AlertReason.ServiceItem);
        Assert.Equal((Failing, rows[0].Institution.Id), (signal.ServiceItem, signal.InstitutionId));
        Assert.All(raised, s => Assert.Equal(rows[0].Institution.Id, s.InstitutionId));
        var line = Assert.Single(signal.Explanation);
        Assert.Equal(Failing, line.ServiceItem);
        Assert.Equal(0.4, line.Value, 9);
        Assert.Equal(0.05, line.PeerMedian!.Value, 9);
        var name = Traffic.Registry.ServiceItems.Find(Failing)!.Name;
        Assert.Matches($@"^事项「{name}」（{Failing}）近(7|30)天差评率 40\.0%（\d+ 条评价），同类机构该项中位数 5\.0%，本机构其他事项 5\.0%$", line.Text);
    }

    [Fact]
    public void An_institution_bad_all_over_is_not_one_alert_per_item()
    {
        var rows = Rows(_ => new Traffic().Daily(90, 10, 4, item: Failing).Daily(90, 10, 4, item: Healthy));

        var raised = Detector.Score(rows, null, Traffic.Today).Signals.Where(s => s.Raise).ToList();

        Assert.Contains(raised, s => s.Reason == AlertReason.LowSatisfaction);
        Assert.DoesNotContain(raised, s => s.Reason is AlertReason.ServiceItem or AlertReason.Channel);
    }

    [Fact]
    public void A_failing_channel_is_named()
    {
        var rows = Rows(_ => TwoItems(failingBad: _ => 4, failingChannel: Channel.Online));

        var raised = Detector.Score(rows, null, Traffic.Today).Signals.Where(s => s.Raise).ToList();

        var channel = Assert.Single(raised, s => s.Reason == AlertReason.Channel);
        Assert.Equal(Channel.Online, channel.Channel);
        Assert.Equal(Channel.Online, channel.Explanation[0].Channel);
        Assert.StartsWith("网上渠道", channel.Explanation[0].Text);
    }

    [Fact]
    public void Five_times_the_peers_handling_time_on_an_item_is_slow_against_peers_though_always_within_the_limit()
    {
        var rows = Rows(_ => TwoItems(failingBad: day => day % 2, failingHours: 40));

        var raised = Detector.Score(rows, null, Traffic.Today).Signals.Where(s => s.Raise).ToList();

        var slow = Assert.Single(raised);
        Assert.Equal(AlertReason.SlowVsPeers, slow.Reason);
        Assert.Equal("handlingVsPeers", slow.Explanation[0].Measure);
        Assert.Equal(3.0, slow.Explanation[0].Value, 9);
        Assert.StartsWith("近7天办理用时为其他机构同一事项中位数的 3.0 倍", slow.Explanation[0].Text);
        Assert.Equal(1.0, rows[0][FeatureWindow.Days30].OnTimeRate);
    }

    [Fact]
    public void Services_piling_up_unfinished_against_peers_are_backlog_growth()
    {
        var rows = Rows(_ =>
        {
            var traffic = TwoItems(failingBad: day => day % 2);
            for (var age = 0; age < 30; age++)
            {
                traffic.Opened(age, 6);
            }

            return traffic;
        });

        var signal = Assert.Single(Detector.Score(rows, null, Traffic.Today).Signals, s => s.Raise);

        Assert.Equal(AlertReason.BacklogGrowth, signal.Reason);
        Assert.Equal(6.0 / 16, signal.Explanation[0].Value, 9);
        Assert.StartsWith("近30天受理 480 件、办结 300 件，近30天受理未办结占比 37.5%，同类机构中位数 0.0%", signal.Explanation[0].Text);
    }

    [Fact]
    public void The_cut_reads_from_institutions_only_those_their_city_holds_behind_the_log()
    {
        var held = new Dictionary<string, PositionedAggregate>
        {
            ["a"] = new(new AggregateData(), 5),
            ["b"] = new(new AggregateData(), 3),
        };

        var behind = FeatureCut.Behind(held, new Dictionary<string, long> { ["a"] = 5, ["b"] = 7, ["c"] = 2 });

        Assert.Equal(new Dictionary<string, long> { ["b"] = 7, ["c"] = 2 }, behind);
    }
}
