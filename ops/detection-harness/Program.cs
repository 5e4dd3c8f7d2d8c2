using System.Globalization;
using Evaluation.Detection.Simulation;
using Evaluation.Domain.Registry;

const string Usage = """
    detection-harness — measures underperformer detection on simulated traffic.

    Simulates the whole sample registry day by day (no real waiting: aggregates are built directly with the
    Domain's Aggregation), plants cases (gradual decline, sudden drop, slow service with good ratings, few
    ratings but all bad, a whole city degrading, a province-wide seasonal dip that must not alert), runs the
    same detector the silo runs once per simulated day and prints precision, recall and time-to-detect.

    Options:
      --seed N         random seed (default 42)
      --days N         simulated days after a 30-day warm-up (default 90)
      --no-model       rules only, without the ML.NET satisfaction regression (for comparison)
      --verbose        also list every false alert with its explanation
      --benchmark [N]  time one scoring pass over a registry scaled to N institutions (default 10000)
      --help           this text
    """;

var seed = 42;
var days = 90;
var useModel = true;
var verbose = false;
int? benchmark = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--help" or "-h":
            Console.WriteLine(Usage);
            return 0;
        case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], out var s):
            seed = s;
            i++;
            break;
        case "--days" when i + 1 < args.Length && int.TryParse(args[i + 1], out var d) && d is >= 30 and <= 365:
            days = d;
            i++;
            break;
        case "--verbose":
            verbose = true;
            break;
        case "--no-model":
            useModel = false;
            break;
        case "--benchmark":
            benchmark = i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n > 0 ? n : 10_000;
            if (i + 1 < args.Length && int.TryParse(args[i + 1], out _))
            {
                i++;
            }

            break;
        default:
            Console.Error.WriteLine($"Unknown or invalid option '{args[i]}' (--days takes 30..365).\n\n{Usage}");
            return 2;
    }
}

var registry = InstitutionRegistry.LoadSample();
if (benchmark is { } size)
{
    var result = DetectionHarness.Benchmark(registry, size, seed);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"benchmark: scored {result.Scored} institutions in {result.Total.TotalMilliseconds:0} ms (median of 5: features {result.Features.TotalMilliseconds:0} ms, then peer statistics, model and alerts); model training {result.Training.TotalMilliseconds:0} ms"));
    return 0;
}

var report = DetectionHarness.Run(registry, new HarnessOptions(seed, days, useModel));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"detection harness: seed {seed}, {days} days, {registry.Institutions.Count} institutions, model {(useModel ? report.LastModelVersion ?? "none" : "off")}"));
var cityCase = report.Plan.Cases.Values.First(c => c.Kind == ScenarioKind.CityDegrading);
Console.WriteLine($"planted: city {report.Plan.DegradingCity} degrading from day {cityCase.OnsetDay}; province-wide dip on days {report.Plan.DipStart}–{report.Plan.DipStart + ScenarioPlan.DipDays - 1}");
Console.WriteLine($"{"scenario",-22}{"planted",8}{"found",7}{"false",7}{"recall",8}{"precision",10}{"median days",13}");
foreach (var kind in report.Kinds)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{Name(kind.Kind),-22}{kind.Planted,8}{kind.Detected,7}{kind.FalseAlerts,7}{kind.Recall,8:0.00}{kind.Precision,10:0.00}{Days(kind.MedianDaysToDetect),13}"));
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{"overall",-22}{report.Positives,8}{report.TruePositives,7}{report.FalsePositives,7}{report.Recall,8:0.00}{report.Precision,10:0.00}{Days(report.MedianDaysToDetect),13}"));
Console.WriteLine($"seasonal dip: {report.NegativeInstitutions} unplanted institutions, {report.AlertsOnNegativesDuringDip} alerts on them during or just after the dip");
Console.WriteLine("first alert reason of found cases: " + string.Join(", ", report.FirstReasons.Select(r => $"{r.Key}={r.Value}")));
Console.WriteLine("reasons of false alerts: " + string.Join(", ", report.FalseReasons.Select(r => $"{r.Key}={r.Value}")));
if (verbose)
{
    foreach (var planted in report.Plan.Cases.Values.Where(c => c.Kind != ScenarioKind.CityDegrading).OrderBy(c => c.Kind))
    {
        var found = report.Detections.Where(d => d.Case == planted).Select(d => $"found after {d.Days} days").DefaultIfEmpty("not found").First();
        Console.WriteLine($"  planted {Name(planted.Kind)} at {planted.InstitutionId} from day {planted.OnsetDay}: {found}");
    }

    foreach (var (kind, delays) in report.DaysToDetect)
    {
        Console.WriteLine($"  days to detect, {Name(kind)}: {string.Join(" ", delays)}");
    }

    foreach (var (day, alert) in report.FalseAlerts)
    {
        Console.WriteLine($"  false alert day {day}: {alert.InstitutionId} {alert.Reason} {alert.Severity}: " + string.Join("; ", alert.Explanation.Select(e => e.Text)));
    }
}

return 0;

static string Name(ScenarioKind kind) => kind switch
{
    ScenarioKind.GradualDecline => "gradual-decline",
    ScenarioKind.SuddenDrop => "sudden-drop",
    ScenarioKind.SlowService => "slow-service",
    ScenarioKind.FewRatingsAllBad => "few-ratings-all-bad",
    ScenarioKind.CityDegrading => "city-degrading",
    _ => "seasonal-dip (neg.)",
};

static string Days(double? days) => days is { } d ? d.ToString("0.0", CultureInfo.InvariantCulture) : "-";
