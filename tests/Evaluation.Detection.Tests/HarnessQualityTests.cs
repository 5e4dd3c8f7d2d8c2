using Evaluation.Detection.Simulation;
using Evaluation.Domain.Registry;
using Xunit;

namespace Evaluation.Detection.Tests;

/// <summary>The quality harness on a fixed seed: 30 + 90 simulated days of the whole sample registry.</summary>
public sealed class HarnessQualityTests
{
    private static readonly Lazy<HarnessReport> Report = new(() => DetectionHarness.Run(InstitutionRegistry.LoadSample(), new HarnessOptions(Seed: 42, Days: 90)));

    [Fact]
    public void Precision_and_recall_are_at_least_ninety_percent_overall()
    {
        var report = Report.Value;

        Assert.True(report.Precision >= 0.9, $"precision {report.Precision:0.00}");
        Assert.True(report.Recall >= 0.9, $"recall {report.Recall:0.00}");
        Assert.True(report.Positives >= 25, $"only {report.Positives} cases planted");
    }

    [Fact]
    public void The_province_wide_seasonal_dip_raises_no_alert_on_unplanted_institutions()
    {
        var report = Report.Value;

        Assert.Equal(0, report.AlertsOnNegativesDuringDip);
        Assert.Equal(0, report.Kinds.Single(k => k.Kind == ScenarioKind.SeasonalDip).FalseAlerts);
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
    public void Every_scenario_kind_is_found()
    {
        foreach (var kind in Report.Value.Kinds.Where(k => k.Kind != ScenarioKind.SeasonalDip))
        {
            Assert.True(kind.Detected > 0, $"{kind.Kind}: none of {kind.Planted} found");
        }
    }
}
