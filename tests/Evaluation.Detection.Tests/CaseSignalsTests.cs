using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Detection;
using Evaluation.Contracts.Measures;
using Evaluation.Detection;
using Xunit;

namespace Evaluation.Detection.Tests;

public sealed class CaseSignalsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 10, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void Follow_ups_overdue_past_the_grace_raise_a_medium_alert_per_institution_high_when_old_or_many()
    {
        var signals = CaseSignals.FollowUpOverdue(
            [
                new("inst-a", "440100", 1, Now.AddDays(-2)),
                new("inst-b", "440300", 5, Now.AddDays(-2)),
                new("inst-c", "440300", 1, Now.AddDays(-6)),
            ],
            TimeSpan.FromDays(1),
            Now);

        Assert.Equal(["inst-a", "inst-b", "inst-c"], signals.Select(s => s.InstitutionId));
        Assert.All(signals, s => Assert.True(s.Raise && s.Hold && s.Reason == AlertReason.FollowUpOverdue));
        Assert.Equal([AlertSeverity.Medium, AlertSeverity.High, AlertSeverity.High], signals.Select(s => s.Severity));
        Assert.Equal("440300", signals[1].CityCode);
        var lines = signals[0].Explanation;
        Assert.Equal(("overdueFollowUps", 1.0), (lines[0].Measure, lines[0].Value));
        Assert.Equal(2.0, lines[1].Value, 6);
        Assert.Contains("宽限 1.0 天", lines[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_audit_past_its_deadline_raises_one_high_alert_for_its_institution_naming_the_cases()
    {
        AuditSummary Audit(string id, string institution, AuditState state, double daysLate, bool escalated) =>
            new(id, institution, "440100", null, "r", state, Now.AddDays(-20), Now.AddDays(-daysLate), escalated, null, 0);

        var signals = CaseSignals.AuditOverdue(
            [
                Audit("a1", "inst-a", AuditState.Rectifying, 3, true),
                Audit("a2", "inst-a", AuditState.Opened, 1, false),
                Audit("a3", "inst-b", AuditState.Opened, -1, false),
                Audit("a4", "inst-c", AuditState.Submitted, 3, true),
            ],
            Now);

        var signal = Assert.Single(signals);
        Assert.Equal(("inst-a", "440100", AlertReason.AuditOverdue, AlertSeverity.High), (signal.InstitutionId, signal.CityCode, signal.Reason, signal.Severity));
        Assert.Equal(2, signal.Explanation.Count);
        Assert.StartsWith("督查 a1（rectifying）", signal.Explanation[0].Text, StringComparison.Ordinal);
        Assert.EndsWith("已升级", signal.Explanation[0].Text, StringComparison.Ordinal);
        Assert.Equal(3.0, signal.Explanation[0].Value, 6);
    }

    [Fact]
    public void Case_alerts_dedupe_and_resolve_with_hysteresis_and_wait_out_a_run_that_could_not_judge_them()
    {
        var settings = DetectionSettings.Default;
        var book = new AlertBook(new AlertBookState(), settings);
        var overdue = CaseSignals.FollowUpOverdue([new("inst-a", "440100", 2, Now.AddDays(-2))], TimeSpan.FromDays(1), Now);

        Assert.Single(book.Apply(overdue, Now, ModelStamp.RulesOnly).Raised);
        Assert.Empty(book.Apply(overdue, Now.AddMinutes(1), ModelStamp.RulesOnly).Raised);
        var notJudged = Enum.GetValues<AlertReason>().Where(r => r != AlertReason.FollowUpOverdue).ToHashSet();
        for (var run = 0; run < settings.ClearRuns + 2; run++)
        {
            Assert.Empty(book.Apply([], Now.AddMinutes(2 + run), ModelStamp.RulesOnly, notJudged).Resolved);
        }

        for (var run = 1; run < settings.ClearRuns; run++)
        {
            Assert.Empty(book.Apply([], Now.AddHours(run), ModelStamp.RulesOnly).Resolved);
        }

        var resolved = Assert.Single(book.Apply([], Now.AddHours(settings.ClearRuns), ModelStamp.RulesOnly).Resolved);
        Assert.Equal(("inst-a", AlertReason.FollowUpOverdue), (resolved.InstitutionId, resolved.Reason));
    }
}

public sealed class HandlingComparisonTests
{
    /// <summary>A city's 30-day counts: the call-backs and rectifications taken in time, and those whose deadline passed first.</summary>
    private static WindowCounts Counts(long calledOnTime, long callMissed, long rectifiedOnTime = 0, long rectifyMissed = 0) => new(
        0, 0, 0, 0, 0, 0, 0,
        CallBacksDue: calledOnTime + callMissed,
        CallBacksOnTime: calledOnTime,
        RectificationsDue: rectifiedOnTime + rectifyMissed,
        RectificationsOnTime: rectifiedOnTime);

    [Fact]
    public void A_city_calling_back_late_against_on_time_peers_lags_explained_by_rate_value_and_peer_median()
    {
        var signals = new HandlingComparison(DetectionSettings.Default).Compare(new Dictionary<string, WindowCounts>
        {
            ["440100"] = Counts(2, 10),
            ["440300"] = Counts(19, 1),
            ["440400"] = Counts(10, 0),
            ["440600"] = Counts(12, 0),
        });

        var signal = Assert.Single(signals, s => s.Raise);
        Assert.Equal(("440100", "440100", AlertReason.HandlingLag, AlertSeverity.Medium), (signal.InstitutionId, signal.CityCode, signal.Reason, signal.Severity));
        Assert.True(signal.Raise);
        var line = Assert.Single(signal.Explanation);
        Assert.Equal(("callBackOnTimeRate", "d30"), (line.Measure, line.Window));
        Assert.Equal(2.0 / 12, line.Value, 6);
        Assert.Equal(1.0, line.PeerMedian);
        Assert.Equal("近30天差评回访按时率 16.7%（应回访 12 件），其他地市中位数 100.0%", line.Text);
    }

    [Fact]
    public void Too_few_due_or_too_few_peer_cities_or_a_merely_noisy_gap_raise_nothing()
    {
        var comparison = new HandlingComparison(DetectionSettings.Default);

        // Nine due: below the minimum however bad.
        Assert.Empty(comparison.Compare(new Dictionary<string, WindowCounts>
        {
            ["440100"] = Counts(0, 9),
            ["440300"] = Counts(20, 0),
            ["440400"] = Counts(20, 0),
        }));

        // One peer city with enough due is no median.
        Assert.Empty(comparison.Compare(new Dictionary<string, WindowCounts>
        {
            ["440100"] = Counts(0, 20),
            ["440300"] = Counts(20, 0),
            ["440400"] = Counts(5, 0),
        }));

        // 8 of 12 against a 90 % median: clearly below, but within the interval, so it holds an alert and raises none.
        var noisy = comparison.Compare(new Dictionary<string, WindowCounts>
        {
            ["440100"] = Counts(8, 4),
            ["440300"] = Counts(18, 2),
            ["440400"] = Counts(18, 2),
        });
        var hold = Assert.Single(noisy);
        Assert.False(hold.Raise);
        Assert.True(hold.Hold);
    }

    [Fact]
    public void Rectification_lag_is_judged_on_its_own_rate()
    {
        var signals = new HandlingComparison(DetectionSettings.Default).Compare(new Dictionary<string, WindowCounts>
        {
            ["440100"] = Counts(20, 0, 1, 14),
            ["440300"] = Counts(20, 0, 15, 0),
            ["440400"] = Counts(20, 0, 14, 1),
        });

        var line = Assert.Single(Assert.Single(signals, s => s.Raise).Explanation);
        Assert.Equal("rectifiedOnTimeRate", line.Measure);
        Assert.Equal((14.0 / 15 + 1.0) / 2, line.PeerMedian!.Value, 6);
    }

    [Fact]
    public void A_city_sums_the_last_thirty_days_of_its_institutions_follow_ups()
    {
        var today = new DateOnly(2026, 11, 30);
        var data = new AggregateData();
        foreach (var (age, n) in new[] { (0, 1L), (29, 2L), (30, 4L), (-1, 8L) })
        {
            data.Tallies[new TallyKey(today.AddDays(-age), default, default)] = new Tally { FollowUps = new FollowUpCounts { CallBackMissed = n } };
        }

        var city = Traffic.Registry.Institutions.GroupBy(i => i.CityCode).First(g => g.Count() >= 2).ToList();
        var rows = new[]
        {
            FeatureBuilder.Build(Traffic.Registry, city[0], data, today),
            FeatureBuilder.Build(Traffic.Registry, city[1], new AggregateData(), today),
        };

        Assert.Equal(3, Assert.Single(HandlingComparison.ByCity(rows)).Value.CallBacksDue);
    }
}
