using Evaluation.Contracts.Detection;
using Evaluation.Contracts.Registry;
using Evaluation.Detection;
using Xunit;

namespace Evaluation.Detection.Tests;

public sealed class DetectorTests
{
    private static readonly Detector Detector = new(DetectionSettings.Default, Traffic.Registry.ServiceItems);

    /// <summary>A peer group where everyone gets 20 ratings a day with one 差评 (5 %), except what the test changes.</summary>
    internal static List<InstitutionFeatures> Peers(Func<int, Traffic, Traffic>? change = null)
    {
        var members = Traffic.PeerGroup(12);
        return [.. members.Select((institution, index) =>
        {
            var traffic = new Traffic().Daily(days: 90, ratings: 20, bad: 1, services: 10, late: 1);
            return (change?.Invoke(index, traffic) ?? traffic).Features(institution);
        })];
    }

    [Fact]
    public void A_healthy_peer_group_raises_nothing()
    {
        var rows = Peers();
        var outcome = Detector.Score(rows, model: null, Traffic.Today);

        Assert.DoesNotContain(outcome.Signals, s => s.Raise);
        Assert.Equal(rows.Count, outcome.Scored);
        Assert.True(rows.Count >= PeerStatistics.MinPeers + 1, $"only {rows.Count} peers");
    }

    [Fact]
    public void An_institution_far_worse_than_its_peers_is_flagged_with_an_explanation_in_words()
    {
        var rows = Peers((index, traffic) => index == 0 ? new Traffic().Daily(days: 90, ratings: 20, bad: 5, services: 10, late: 1) : traffic);

        var signal = Assert.Single(Detector.Score(rows, model: null, Traffic.Today).Signals, s => s.Raise);

        Assert.Equal(rows[0].Institution.Id, signal.InstitutionId);
        Assert.Equal(AlertReason.LowSatisfaction, signal.Reason);
        var lead = signal.Explanation[0];
        Assert.Equal("badRate", lead.Measure);
        Assert.Equal(0.25, lead.Value, 9);
        Assert.Equal(0.05, lead.PeerMedian!.Value, 9);
        Assert.Contains(lead.Window, new[] { "d7", "d30" });
        Assert.Matches(@"^近(7|30)天差评率 25\.0%，同类机构中位数 5\.0%$", lead.Text);
        Assert.InRange(signal.Explanation.Count, 1, Detector.TopMeasures);
    }

    [Fact]
    public void Late_call_backs_raise_the_anomaly_score_against_peers_that_call_back_on_time()
    {
        // Every member calls back its 差评 of the last 20 days; member 0 calls back two thirds of them late.
        var rows = Peers((index, traffic) => traffic.CalledBack(age: 5, total: 30, late: index == 0 ? 20 : 1));
        var peers = new PeerStatistics(rows);
        var scores = rows.Select(r => Detector.AnomalyScore(r, peers)).ToList();

        Assert.Equal(1.0 / 3, rows[0][FeatureWindow.Days30].CallBackOnTimeRate!.Value, 6);
        Assert.True(scores[0] > 10 * scores.Skip(1).Max() + 1, $"late member {scores[0]:F2}, others up to {scores.Skip(1).Max():F2}");

        // Without the follow-ups the same peer group scores member 0 like the rest.
        var plain = Peers();
        var plainPeers = new PeerStatistics(plain);
        Assert.True(Detector.AnomalyScore(plain[0], plainPeers) <= plain.Skip(1).Max(r => Detector.AnomalyScore(r, plainPeers)) + 1e-9);
    }

    [Fact]
    public void Two_bad_ratings_out_of_three_raise_nothing_but_a_run_of_all_bad_ratings_does()
    {
        var noise = Peers((index, traffic) => index == 0 ? new Traffic().Ratings(age: 1, total: 3, bad: 2) : traffic);
        var allBad = Peers((index, traffic) => index == 0 ? new Traffic().Ratings(age: 1, total: 2, bad: 2).Ratings(age: 4, total: 2, bad: 2) : traffic);

        Assert.DoesNotContain(Detector.Score(noise, null, Traffic.Today).Signals, s => s.Raise);
        var signal = Assert.Single(Detector.Score(allBad, null, Traffic.Today).Signals, s => s.Raise);
        Assert.Equal(AlertReason.LowSatisfaction, signal.Reason);
        Assert.Equal(1.0, signal.Explanation[0].Value);
    }

    [Fact]
    public void A_rush_every_peer_shares_stretches_the_margin_a_small_members_week_must_clear()
    {
        // A small station (2 ratings a day, none bad) whose last week brought 3 差评 among 5 ratings a day: 60 %.
        static Traffic Station(int badPerDay) =>
            Enumerable.Range(0, 7).Aggregate(new Traffic().Daily(days: 90, ratings: 2, bad: 0), (t, age) => t.Ratings(age, total: badPerDay, bad: badPerDay));

        // The same week with the peers as usual, and in a rush where every peer's 差评率 rose from 5 % to 17 %.
        var ordinary = Peers((index, traffic) => index == 0 ? Station(3) : traffic);
        var rush = Peers((index, traffic) => index == 0
            ? Station(3)
            : Enumerable.Range(0, 7).Aggregate(traffic, (t, age) => t.Ratings(age, total: 10, bad: 4)));
        var allBadInRush = Peers((index, traffic) => index == 0
            ? Station(5)
            : Enumerable.Range(0, 7).Aggregate(traffic, (t, age) => t.Ratings(age, total: 10, bad: 4)));

        Assert.Contains(Detector.Score(ordinary, null, Traffic.Today).Signals, s => s.Raise && s.Reason == AlertReason.LowSatisfaction && s.InstitutionId == ordinary[0].Institution.Id);
        Assert.DoesNotContain(Detector.Score(rush, null, Traffic.Today).Signals, s => s.Raise && s.Reason == AlertReason.LowSatisfaction);
        Assert.Contains(Detector.Score(allBadInRush, null, Traffic.Today).Signals, s => s.Raise && s.Reason == AlertReason.LowSatisfaction && s.InstitutionId == allBadInRush[0].Institution.Id);
    }

    [Fact]
    public void Slow_service_with_good_ratings_is_flagged_as_slow_service()
    {
        var rows = Peers((index, traffic) => index == 0 ? new Traffic().Daily(days: 90, ratings: 20, bad: 1, services: 10, late: 6, hours: 400) : traffic);

        var signal = Assert.Single(Detector.Score(rows, null, Traffic.Today).Signals, s => s.Raise);

        Assert.Equal(AlertReason.SlowService, signal.Reason);
        Assert.Equal("onTimeRate", signal.Explanation[0].Measure);
        Assert.Contains("按时办结率 40.0%", signal.Explanation[0].Text);
        Assert.Contains(signal.Explanation, line => line.Measure == "handlingVsLimit");
    }

    [Fact]
    public void A_sudden_drop_today_is_flagged_against_the_institutions_own_past()
    {
        var rows = Peers((index, traffic) => index == 0 ? traffic.Ratings(age: 0, total: 20, bad: 15) : traffic);

        var signals = Detector.Score(rows, null, Traffic.Today).Signals;
        var signal = Assert.Single(signals, s => s.Raise && s.Reason == AlertReason.SuddenDrop);

        Assert.Equal("today", signal.Explanation[0].Window);
        Assert.StartsWith("今天差评率", signal.Explanation[0].Text);
        Assert.Contains("本机构此前28天", signal.Explanation[0].Text);
    }

    [Fact]
    public void A_dip_every_peer_shares_is_not_a_sudden_drop()
    {
        var rows = Peers((_, traffic) => traffic.Ratings(age: 0, total: 20, bad: 8));

        Assert.DoesNotContain(Detector.Score(rows, null, Traffic.Today).Signals, s => s.Raise);
    }

    [Fact]
    public void The_model_learns_the_usual_satisfaction_and_survives_a_save_and_load()
    {
        var rows = new List<InstitutionFeatures>();
        var kinds = Traffic.Registry.Institutions.Take(60).ToList();
        foreach (var institution in kinds)
        {
            rows.Add(new Traffic().Daily(days: 30, ratings: 5, bad: institution.Kind == InstitutionKind.ComprehensiveCentre ? 2 : 0).Features(institution));
        }

        var model = SatisfactionModel.Train(rows, DetectionSettings.Default, DateTimeOffset.UnixEpoch)!;
        var loaded = SatisfactionModel.Load(model.Save(), model.Version, model.TrainedAt, model.TrainingRows);

        Assert.Equal(model.Predict(rows), loaded.Predict(rows));
        var predicted = model.Predict(rows);
        var centre = kinds.FindIndex(i => i.Kind == InstitutionKind.ComprehensiveCentre);
        var other = kinds.FindIndex(i => i.Kind != InstitutionKind.ComprehensiveCentre);
        Assert.True(predicted[centre] < predicted[other] - 10, $"centre {predicted[centre]}, other {predicted[other]}");
        Assert.StartsWith("sat-lgbm-", model.Version);
    }
}
