using Evaluation.Contracts.Detection;
using Evaluation.Detection.Simulation;
using Evaluation.Domain.Registry;
using Xunit;

namespace Evaluation.Detection.Tests;

/// <summary>
/// The quality harness on a fixed seed: 60 + 90 simulated days of the whole sample registry. The figures over 20
/// seeds are the harness's own run (ops/detection-harness --seeds 1..20, kept in its README).
/// </summary>
public sealed class HarnessQualityTests
{
    private static readonly Lazy<HarnessReport> Report = new(() => DetectionHarness.Run(InstitutionRegistry.LoadSample(), new HarnessOptions(Seed: 42, Days: 90)));

    [Fact]
    public void Precision_and_recall_are_at_least_ninety_percent_overall()
    {
        var report = Report.Value;

        Assert.True(report.Precision >= 0.9, $"precision {report.Precision:0.00}");
        Assert.True(report.Recall >= 0.9, $"recall {report.Recall:0.00}");
        Assert.True(report.Positives >= 50, $"only {report.Positives} cases planted");
    }

    [Fact]
    public void The_seasonal_dip_the_holidays_and_a_source_outage_raise_no_alert()
    {
        var report = Report.Value;

        Assert.Equal(0, report.AlertsOnNegativesDuringDip);
        Assert.Equal(0, report.Kind(ScenarioKind.HolidayWeeks).FalseAlerts);
        Assert.Equal(0, report.Kind(ScenarioKind.SourceOutage).FalseAlerts);
        Assert.Equal(ScenarioPlan.CasesPerKind, report.Kind(ScenarioKind.SourceOutage).Planted);
    }

    [Fact]
    public void A_sudden_drop_is_detected_within_one_simulated_day()
    {
        var report = Report.Value;
        var drops = report.Plan.Cases.Values.Where(c => c.Kind == ScenarioKind.SuddenDrop).ToList();

        Assert.Equal(ScenarioPlan.CasesPerKind, drops.Count);
        foreach (var drop in drops)
        {
            var (_, days) = Assert.Single(report.Detections, d => d.Case == drop);
            Assert.True(days <= 1, $"{drop.InstitutionId} from day {drop.OnsetDay} found after {days} days (dip from day {report.Plan.DipStart})");
        }
    }

    [Fact]
    public void Every_scenario_kind_is_found_and_a_failing_service_item_is_named()
    {
        var report = Report.Value;
        foreach (var kind in report.Kinds.Where(k => k.Positive))
        {
            Assert.True(kind.Detected > 0, $"{kind.Kind}: none of {kind.Planted} found");
        }

        Assert.Equal(report.Kind(ScenarioKind.FailingServiceItem).Planted, report.FailingItemsNamed);
        Assert.Contains(AlertReason.Decline, report.FirstReasons.Keys);
    }

    [Fact]
    public void A_gradual_decline_at_a_busy_institution_is_found_within_two_weeks()
    {
        var delays = Report.Value.DaysToDetect[ScenarioKind.GradualDecline];

        Assert.Equal(ScenarioPlan.CasesPerKind, delays.Count);
        Assert.True(delays.All(d => d <= 14), string.Join(" ", delays));
    }
}
