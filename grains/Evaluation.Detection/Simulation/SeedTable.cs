using System.Globalization;
using System.Text;

namespace Evaluation.Detection.Simulation;

/// <summary>The harness's figures over many seeds, as the markdown table the harness prints and the README keeps.</summary>
public static class SeedTable
{
    public static string Format(IReadOnlyList<HarnessReport> reports)
    {
        var text = new StringBuilder();
        text.AppendLine("| scenario | planted | found | false | recall mean | recall worst | precision mean | precision worst | days to detect: median | p75 | p90 | max |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var kind in reports[0].Kinds.Select(k => k.Kind))
        {
            var rows = reports.Select(r => r.Kind(kind)).ToList();
            var delays = reports.SelectMany(r => r.DaysToDetect.GetValueOrDefault(kind) ?? []).Order().ToList();
            var positive = rows[0].Positive;
            text.Append(Invariant($"| {Name(kind)} | {rows.Sum(r => r.Planted)} | {(positive ? rows.Sum(r => r.Detected) : "-")} | {rows.Sum(r => r.FalseAlerts)} | "));
            text.Append(positive
                ? Invariant($"{rows.Average(r => r.Recall):0.00} | {rows.Min(r => r.Recall):0.00} | {rows.Average(r => r.Precision):0.00} | {rows.Min(r => r.Precision):0.00} | ")
                : "- | - | - | - | ");
            text.AppendLine(Delays(delays));
        }

        var all = reports.SelectMany(r => r.DaysToDetect.Values.SelectMany(d => d)).Order().ToList();
        text.Append(Invariant($"| **overall** | {reports.Sum(r => r.Positives)} | {reports.Sum(r => r.TruePositives)} | {reports.Sum(r => r.FalsePositives)} | "));
        text.Append(Invariant($"{reports.Average(r => r.Recall):0.00} | {reports.Min(r => r.Recall):0.00} | {reports.Average(r => r.Precision):0.00} | {reports.Min(r => r.Precision):0.00} | "));
        text.AppendLine(Delays(all));
        var items = reports.Sum(r => r.Kind(ScenarioKind.FailingServiceItem).Planted);
        text.AppendLine();
        text.AppendLine(Invariant($"Failing service items named in an alert: {reports.Sum(r => r.FailingItemsNamed)} of {items}. Alerts on unplanted institutions during or just after the seasonal dip: {reports.Sum(r => r.AlertsOnNegativesDuringDip)}."));
        return text.ToString();
    }

    private static string Delays(List<int> sorted) =>
        $"{Days(Percentile(sorted, 0.5))} | {Days(Percentile(sorted, 0.75))} | {Days(Percentile(sorted, 0.9))} | {Days(sorted.Count == 0 ? null : sorted[^1])} |";

    public static string Name(ScenarioKind kind) => kind switch
    {
        ScenarioKind.GradualDecline => "gradual-decline",
        ScenarioKind.GradualDeclineSmall => "gradual-decline-small",
        ScenarioKind.SuddenDrop => "sudden-drop",
        ScenarioKind.SlowService => "slow-service",
        ScenarioKind.FewRatingsAllBad => "few-ratings-all-bad",
        ScenarioKind.CityDegrading => "city-degrading",
        ScenarioKind.FailingServiceItem => "failing-service-item",
        ScenarioKind.FailingChannel => "failing-channel",
        ScenarioKind.SlowWithinLimits => "slow-within-limits",
        ScenarioKind.NewInstitution => "new-institution",
        ScenarioKind.SourceOutage => "source-outage (neg.)",
        ScenarioKind.HolidayWeeks => "holiday-weeks (neg.)",
        ScenarioKind.Unplanted => "unplanted (neg.)",
        _ => "seasonal-dip (neg.)",
    };

    public static string Days(double? days) => days is { } d ? d.ToString("0.0", CultureInfo.InvariantCulture) : "-";

    /// <summary>The nearest-rank percentile of sorted values; null for none.</summary>
    internal static double? Percentile(IReadOnlyList<int> sorted, double p) =>
        sorted.Count == 0 ? null : p == 0.5 ? DetectionHarness.Median(sorted) : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
