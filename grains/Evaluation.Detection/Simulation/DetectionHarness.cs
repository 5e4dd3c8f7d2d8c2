using System.Diagnostics;
using Evaluation.Contracts.Detection;
using Evaluation.Domain.Calendar;
using Evaluation.Domain.Registry;
using NodaTime;

namespace Evaluation.Detection.Simulation;

public sealed record HarnessOptions(int Seed = 42, int Days = 90, bool UseModel = true, int RetrainEveryDays = 7);

/// <summary>One scoring pass over a scaled registry: its total time and the part spent building features.</summary>
public sealed record BenchmarkResult(int Scored, TimeSpan Total, TimeSpan Features, TimeSpan Training);

/// <summary>
/// Quality of one scenario kind: how many planted cases were found, and how fast. For a kind that must not alert
/// (<see cref="Positive"/> false), <see cref="Planted"/> counts the institutions exposed to it and
/// <see cref="FalseAlerts"/> those alerted anyway.
/// </summary>
public sealed record KindQuality(ScenarioKind Kind, int Planted, int Detected, int FalseAlerts, double? MedianDaysToDetect, bool Positive = true)
{
    public double Recall => !Positive || Planted == 0 ? 1 : (double)Detected / Planted;

    public double Precision => Detected + FalseAlerts == 0 ? 1 : (double)Detected / (Detected + FalseAlerts);
}

/// <summary>The harness's answer. Subjects (institutions, or cities for city-level alerts), not alerts, are counted: a case is found once, a false alarm once.</summary>
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
    IReadOnlyList<(PlantedCase Case, int Days)> Detections,
    int FailingItemsNamed = 0)
{
    public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);

    public double Recall => Positives == 0 ? 1 : (double)TruePositives / Positives;

    public KindQuality Kind(ScenarioKind kind) => Kinds.Single(k => k.Kind == kind);
}

/// <summary>
/// Runs the real detector day by day over simulated traffic with planted cases and measures it. A case counts
/// as detected when an alert on its institution is raised on or after its onset (a city-level alert on the
/// degrading city finds each of its institutions); an alert on any institution before its onset, on one never
/// planted or planted not to alert, or on another city, is a false positive.
/// </summary>
public static class DetectionHarness
{
    private static readonly WorkingCalendar Holidays = WorkingCalendar.Default;

    /// <summary>Days after a holiday during which an alert on an unplanted institution is counted against the holidays.</summary>
    private const int HolidayAfterDays = 3;

    public static HarnessReport Run(InstitutionRegistry registry, HarnessOptions options, DetectionSettings? settings = null, Action<string>? progress = null)
    {
        settings ??= DetectionSettings.Default;
        var simulation = new TrafficSimulation(registry, options.Seed, options.Days);
        var plan = simulation.Plan!;
        for (var day = -TrafficSimulation.WarmUpDays; day < 0; day++)
        {
            simulation.SimulateDay(day);
        }

        var detector = new Detector(settings, registry.ServiceItems);
        var book = new AlertBook(new AlertBookState(), settings);
        SatisfactionModel? model = null;
        var score = new Scoring(plan);
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
                score.Add(day, alert);
            }

            progress?.Invoke($"day {day + 1}/{options.Days}: {book.Open.Count()} open alerts");
        }

        return score.Report(registry, model);
    }

    /// <summary>Runs every seed in turn (each its own simulation) and reports each.</summary>
    public static IReadOnlyList<HarnessReport> RunSeeds(InstitutionRegistry registry, IEnumerable<int> seeds, HarnessOptions options, Action<int, HarnessReport>? done = null) =>
        [.. seeds.Select(seed =>
        {
            var report = Run(registry, options with { Seed = seed });
            done?.Invoke(seed, report);
            return report;
        })];

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
        var detector = new Detector(settings, registry.ServiceItems);
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

    /// <summary>Whether <paramref name="day"/> lies in the seasonal dip or the week after it, where an alert on an unplanted subject counts against the dip.</summary>
    public static bool AfterDip(ScenarioPlan plan, int day) => plan.InDip(day) || plan.InDip(day - ScenarioPlan.DipDays);

    /// <summary>Whether <paramref name="day"/> is a public holiday or within <see cref="HolidayAfterDays"/> after one.</summary>
    public static bool AfterHoliday(int day) =>
        Enumerable.Range(0, HolidayAfterDays + 1).Any(back => Holidays.IsHoliday(LocalDate.FromDateOnly(TrafficSimulation.DateOf(day - back))));

    internal static double? Median(IReadOnlyList<int> sorted) => sorted.Count == 0
        ? null
        : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2.0;

    /// <summary>Books each raised alert as the finding of a case or a false alarm, and turns that into the report.</summary>
    private sealed class Scoring(ScenarioPlan plan)
    {
        private readonly Dictionary<string, (int Day, AlertReason Reason)> firstAlert = [];
        private readonly HashSet<string> falseSubjects = [];
        private readonly HashSet<string> holidaySubjects = [];
        private readonly HashSet<string> dipSubjects = [];
        private readonly HashSet<string> itemsNamed = [];
        private readonly Dictionary<AlertReason, int> falseReasons = [];
        private readonly List<(int, AlertView)> falseList = [];
        private int dipAlerts;

        public void Add(int day, AlertView alert)
        {
            if (alert.InstitutionId == alert.CityCode)
            {
                var city = plan.Cases.Values.Where(c => c.Kind == ScenarioKind.CityDegrading && alert.CityCode == plan.DegradingCity && day >= c.OnsetDay).ToList();
                if (city.Count == 0)
                {
                    False(day, alert);
                    Unplanted(day, alert);
                }

                city.ForEach(c => firstAlert.TryAdd(c.InstitutionId, (day, alert.Reason)));
                return;
            }

            var planted = plan.Cases.GetValueOrDefault(alert.InstitutionId);
            if (planted is { Positive: true } && day >= planted.OnsetDay)
            {
                firstAlert.TryAdd(alert.InstitutionId, (day, alert.Reason));
                if (planted.ServiceItem is { } item && alert.ServiceItem == item)
                {
                    itemsNamed.Add(alert.InstitutionId);
                }

                return;
            }

            False(day, alert);
            if (planted is null)
            {
                Unplanted(day, alert);
            }
        }

        /// <summary>An alert on a subject nothing was planted on (an institution, or a city other than the degrading one), counted against the dip and the holidays when it falls in or just after them.</summary>
        private void Unplanted(int day, AlertView alert)
        {
            if (AfterDip(plan, day))
            {
                dipAlerts++;
                dipSubjects.Add(alert.InstitutionId);
            }

            if (AfterHoliday(day))
            {
                holidaySubjects.Add(alert.InstitutionId);
            }
        }

        public HarnessReport Report(InstitutionRegistry registry, SatisfactionModel? model)
        {
            var kinds = new List<KindQuality>();
            var delays = new Dictionary<ScenarioKind, IReadOnlyList<int>>();
            var positives = plan.Cases.Values.Where(c => c.Positive).ToList();
            foreach (var kind in positives.Select(c => c.Kind).Distinct().Order())
            {
                var cases = positives.Where(c => c.Kind == kind).ToList();
                var found = cases.Where(c => firstAlert.ContainsKey(c.InstitutionId)).ToList();
                var days = found.Select(c => firstAlert[c.InstitutionId].Day - c.OnsetDay).Order().ToList();
                delays[kind] = days;
                kinds.Add(new KindQuality(kind, cases.Count, found.Count, cases.Count(c => falseSubjects.Contains(c.InstitutionId)), Median(days)));
            }

            var negatives = registry.Institutions.Where(i => !plan.Cases.ContainsKey(i.Id)).Select(i => i.Id).ToList();
            var outages = plan.Cases.Values.Where(c => c.Kind == ScenarioKind.SourceOutage).ToList();
            kinds.Add(new KindQuality(ScenarioKind.Unplanted, negatives.Count, 0, negatives.Count(falseSubjects.Contains), null, Positive: false));
            kinds.Add(new KindQuality(ScenarioKind.SeasonalDip, negatives.Count, 0, dipSubjects.Count, null, Positive: false));
            kinds.Add(new KindQuality(ScenarioKind.HolidayWeeks, negatives.Count, 0, holidaySubjects.Count, null, Positive: false));
            kinds.Add(new KindQuality(ScenarioKind.SourceOutage, outages.Count, 0, outages.Count(c => falseSubjects.Contains(c.InstitutionId)), null, Positive: false));

            return new HarnessReport(
                kinds,
                firstAlert.Count,
                falseSubjects.Count,
                positives.Count,
                Median([.. delays.Values.SelectMany(d => d).Order()]),
                negatives.Count,
                dipAlerts,
                firstAlert.Values.GroupBy(v => v.Reason).ToDictionary(g => g.Key, g => g.Count()),
                falseReasons,
                falseList,
                delays,
                model?.Version,
                plan,
                [.. positives.Where(c => firstAlert.ContainsKey(c.InstitutionId)).Select(c => (c, firstAlert[c.InstitutionId].Day - c.OnsetDay))],
                itemsNamed.Count);
        }

        private void False(int day, AlertView alert)
        {
            falseSubjects.Add(alert.InstitutionId);
            falseReasons[alert.Reason] = falseReasons.GetValueOrDefault(alert.Reason) + 1;
            falseList.Add((day, alert));
        }
    }
}
