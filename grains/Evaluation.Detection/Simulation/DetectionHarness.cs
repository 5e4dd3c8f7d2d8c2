using System.Diagnostics;
using Evaluation.Contracts.Detection;
using Evaluation.Domain.Registry;

namespace Evaluation.Detection.Simulation;

public sealed record HarnessOptions(int Seed = 42, int Days = 90, bool UseModel = true, int RetrainEveryDays = 7);

/// <summary>One scoring pass over a scaled registry: its total time and the part spent building features.</summary>
public sealed record BenchmarkResult(int Scored, TimeSpan Total, TimeSpan Features, TimeSpan Training);

/// <summary>Quality of one scenario kind: how many planted cases were found, and how fast.</summary>
public sealed record KindQuality(ScenarioKind Kind, int Planted, int Detected, int FalseAlerts, double? MedianDaysToDetect)
{
    public double Recall => Planted == 0 ? 1 : (double)Detected / Planted;

    public double Precision => Detected + FalseAlerts == 0 ? 1 : (double)Detected / (Detected + FalseAlerts);
}

/// <summary>The harness's answer. Institutions, not alerts, are counted: a case is found once, a false alarm once.</summary>
public sealed record HarnessReport(
    IReadOnlyList<KindQuality> Kinds,
    int TruePositives,
    int FalsePositives,
    int Positives,
    double? MedianDaysToDetect,
    int NegativeInstitutions,
    int AlertsOnNegativesDuringDip,
    IReadOnlyDictionary<AlertReason, int> FirstReasons,
    IReadOnlyDictionary<AlertReason, int> FalseReasons,
    IReadOnlyList<(int Day, AlertView Alert)> FalseAlerts,
    IReadOnlyDictionary<ScenarioKind, IReadOnlyList<int>> DaysToDetect,
    string? LastModelVersion,
    ScenarioPlan Plan,
    IReadOnlyList<(PlantedCase Case, int Days)> Detections)
{
    public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);

    public double Recall => Positives == 0 ? 1 : (double)TruePositives / Positives;
}

/// <summary>
/// Runs the real detector day by day over simulated traffic with planted cases and measures it. A case counts
/// as detected when an alert on its institution is raised on or after its onset; an alert on any institution
/// before its onset, or on one never planted, is a false positive.
/// </summary>
public static class DetectionHarness
{
    public static HarnessReport Run(InstitutionRegistry registry, HarnessOptions options, DetectionSettings? settings = null, Action<string>? progress = null)
    {
        settings ??= DetectionSettings.Default;
        var simulation = new TrafficSimulation(registry, options.Seed, options.Days);
        var plan = simulation.Plan!;
        for (var day = -TrafficSimulation.WarmUpDays; day < 0; day++)
        {
            simulation.SimulateDay(day);
        }

        var detector = new Detector(settings);
        var book = new AlertBook(new AlertBookState(), settings);
        SatisfactionModel? model = null;
        var firstAlert = new Dictionary<string, (int Day, AlertReason Reason)>();
        var falseBeforeOnset = new HashSet<string>();
        var dipAlerts = 0;
        var falseReasons = new Dictionary<AlertReason, int>();
        var falseList = new List<(int, AlertView)>();
        for (var day = 0; day < options.Days; day++)
        {
            simulation.SimulateDay(day);
            var today = TrafficSimulation.DateOf(day);
            var now = new DateTimeOffset(today.ToDateTime(new TimeOnly(23, 0)), TimeSpan.FromHours(8));
            var rows = DetectionPass.Features(registry, simulation.Aggregates, today);
            if (options.UseModel && day % options.RetrainEveryDays == 0)
            {
                model = SatisfactionModel.Train(rows, settings, now);
            }

            var (_, changes) = DetectionPass.Run(detector, book, rows, model, now);
            foreach (var alert in changes.Raised)
            {
                var planted = plan.Cases.GetValueOrDefault(alert.InstitutionId);
                if (planted is null || day < planted.OnsetDay)
                {
                    falseReasons[alert.Reason] = falseReasons.GetValueOrDefault(alert.Reason) + 1;
                    falseList.Add((day, alert));
                }

                if (planted is null)
                {
                    if (plan.InDip(day) || plan.InDip(day - ScenarioPlan.DipDays))
                    {
                        dipAlerts++;
                    }

                    falseBeforeOnset.Add(alert.InstitutionId);
                }
                else if (day < planted.OnsetDay)
                {
                    falseBeforeOnset.Add(alert.InstitutionId);
                }
                else
                {
                    firstAlert.TryAdd(alert.InstitutionId, (day, alert.Reason));
                }
            }

            progress?.Invoke($"day {day + 1}/{options.Days}: {book.Open.Count()} open alerts");
        }

        return Report(plan, registry, firstAlert, falseBeforeOnset, falseReasons, falseList, dipAlerts, model);
    }

    /// <summary>Scores a registry scaled to <paramref name="institutions"/>: the time of feature building, scoring and alert bookkeeping.</summary>
    public static BenchmarkResult Benchmark(InstitutionRegistry sample, int institutions, int seed, int repeats = 5)
    {
        var registry = Scale(sample, institutions);
        var simulation = new TrafficSimulation(registry, seed, 30, plantScenarios: false);
        for (var day = -TrafficSimulation.WarmUpDays; day < 0; day++)
        {
            simulation.SimulateDay(day);
        }

        var today = TrafficSimulation.DateOf(-1);
        var now = new DateTimeOffset(today.ToDateTime(new TimeOnly(23, 0)), TimeSpan.FromHours(8));
        var settings = DetectionSettings.Default;
        var clock = Stopwatch.StartNew();
        var model = SatisfactionModel.Train(DetectionPass.Features(registry, simulation.Aggregates, today), settings, now);
        var training = clock.Elapsed;
        var detector = new Detector(settings);
        var book = new AlertBook(new AlertBookState(), settings);
        var times = new List<(TimeSpan Total, TimeSpan Features)>();
        var scored = 0;
        for (var i = 0; i < repeats; i++)
        {
            clock.Restart();
            var rows = DetectionPass.Features(registry, simulation.Aggregates, today);
            var features = clock.Elapsed;
            var (outcome, _) = DetectionPass.Run(detector, book, rows, model, now);
            times.Add((clock.Elapsed, features));
            scored = outcome.Scored;
        }

        var median = times.OrderBy(t => t.Total).ElementAt(times.Count / 2);
        return new BenchmarkResult(scored, median.Total, median.Features, training);
    }

    /// <summary>The sample registry copied until it has <paramref name="count"/> institutions (ids suffixed).</summary>
    public static InstitutionRegistry Scale(InstitutionRegistry sample, int count)
    {
        var size = sample.Institutions.Count;
        var copies = Enumerable.Range(0, count).Select(n => n < size
            ? sample.Institutions[n]
            : sample.Institutions[n % size] with { Id = $"{sample.Institutions[n % size].Id}-x{n / size}" });
        return new InstitutionRegistry(sample.Divisions, sample.ServiceItems, copies, sample.PilotCountyCodes);
    }

    private static HarnessReport Report(
        ScenarioPlan plan,
        InstitutionRegistry registry,
        Dictionary<string, (int Day, AlertReason Reason)> firstAlert,
        HashSet<string> falseAlerts,
        Dictionary<AlertReason, int> falseReasons,
        List<(int, AlertView)> falseList,
        int dipAlerts,
        SatisfactionModel? model)
    {
        var kinds = new List<KindQuality>();
        var delays = new Dictionary<ScenarioKind, IReadOnlyList<int>>();
        foreach (var kind in Enum.GetValues<ScenarioKind>().Where(k => k != ScenarioKind.SeasonalDip))
        {
            var cases = plan.Cases.Values.Where(c => c.Kind == kind).ToList();
            var found = cases.Where(c => firstAlert.ContainsKey(c.InstitutionId)).ToList();
            var days = found.Select(c => firstAlert[c.InstitutionId].Day - c.OnsetDay).Order().ToList();
            delays[kind] = days;
            kinds.Add(new KindQuality(kind, cases.Count, found.Count, cases.Count(c => falseAlerts.Contains(c.InstitutionId)), Median(days)));
        }

        var negatives = registry.Institutions.Where(i => !plan.Cases.ContainsKey(i.Id)).Select(i => i.Id).ToList();
        var negativeAlerts = negatives.Count(falseAlerts.Contains);
        kinds.Add(new KindQuality(ScenarioKind.SeasonalDip, 0, 0, negativeAlerts, null));

        var truePositives = firstAlert.Count;
        return new HarnessReport(
            kinds,
            truePositives,
            falseAlerts.Count,
            plan.Cases.Count,
            Median([.. delays.Values.SelectMany(d => d).Order()]),
            negatives.Count,
            dipAlerts,
            firstAlert.Values.GroupBy(v => v.Reason).ToDictionary(g => g.Key, g => g.Count()),
            falseReasons,
            falseList,
            delays,
            model?.Version,
            plan,
            [.. plan.Cases.Values.Where(c => firstAlert.ContainsKey(c.InstitutionId)).Select(c => (c, firstAlert[c.InstitutionId].Day - c.OnsetDay))]);
    }

    private static double? Median(IReadOnlyList<int> sorted) => sorted.Count == 0
        ? null
        : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2.0;
}
