using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Evaluation.Detection.Simulation;
using Evaluation.Domain.Registry;

var seedOption = new Option<int>("--seed") { Description = "random seed", HelpName = "N", DefaultValueFactory = _ => 42 };
var seedsOption = new Option<IReadOnlyList<int>?>("--seeds")
{
    Description = "run seeds A to B (e.g. 1..20) and print the table over them",
    HelpName = "A..B",
    CustomParser = result => SeedRange(result.Tokens[0].Value) ?? Refuse<IReadOnlyList<int>>(result, "--seeds takes A..B, at most 1000 seeds"),
};
var daysOption = new Option<int>("--days")
{
    Description = "simulated days after a 30-day warm-up, 30..365",
    HelpName = "N",
    DefaultValueFactory = _ => 90,
    CustomParser = result => int.TryParse(result.Tokens[0].Value, out var d) && d is >= 30 and <= 365 ? d : Refuse<int>(result, "--days takes 30..365"),
};
var noModelOption = new Option<bool>("--no-model") { Description = "rules only, without the ML.NET satisfaction regression (for comparison)" };
var verboseOption = new Option<bool>("--verbose") { Description = "also list every false alert with its explanation (with --seeds: those during or after the dip or a holiday)" };
var benchmarkOption = new Option<int?>("--benchmark")
{
    Description = "time one scoring pass over a registry scaled to N institutions (default 10000)",
    HelpName = "N",
    Arity = ArgumentArity.ZeroOrOne,
    CustomParser = result => result.Tokens.Count == 0 ? 10_000
        : int.TryParse(result.Tokens[0].Value, out var n) && n > 0 ? n : Refuse<int>(result, "--benchmark takes a positive number of institutions"),
};
var command = new RootCommand("""
    detection-harness — measures underperformer detection on simulated traffic.

    Simulates the whole sample registry day by day (no real waiting: aggregates are built directly with the
    Domain's Aggregation), plants cases (gradual decline, sudden drop, slow service with good ratings, few
    ratings but all bad, a whole city degrading, a province-wide seasonal dip that must not alert), runs the
    same detector the silo runs once per simulated day and prints precision, recall and time-to-detect.

    With --seeds it runs many seeds and prints, per scenario, the mean and worst recall and precision over the
    seeds and the distribution of days to detect (every found case of every seed), then the same overall.
    """)
{
    seedOption, seedsOption, daysOption, noModelOption, verboseOption, benchmarkOption,
};

var parsed = command.Parse(args);
if (parsed.Errors.Count > 0)
{
    Console.Error.WriteLine($"detection-harness: {parsed.Errors[0].Message} (see --help)");
    return 2;
}

// --help (or --version) has an action of its own; the harness runs only without one.
if (parsed.Action is not null)
{
    return parsed.Invoke();
}

var seed = parsed.GetValue(seedOption);
var seeds = parsed.GetValue(seedsOption);
var days = parsed.GetValue(daysOption);
var useModel = !parsed.GetValue(noModelOption);
var verbose = parsed.GetValue(verboseOption);
var benchmark = parsed.GetValue(benchmarkOption);

var registry = InstitutionRegistry.LoadSample();
if (benchmark is { } size)
{
    var result = DetectionHarness.Benchmark(registry, size, seed);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"benchmark: scored {result.Scored} institutions in {result.Total.TotalMilliseconds:0} ms (median of 5: features {result.Features.TotalMilliseconds:0} ms, then peer statistics, model and alerts); model training {result.Training.TotalMilliseconds:0} ms"));
    return 0;
}

if (seeds is not null)
{
    var reports = DetectionHarness.RunSeeds(registry, seeds, new HarnessOptions(Days: days, UseModel: useModel), (s, r) =>
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seed {s,3}: precision {r.Precision:0.00} recall {r.Recall:0.00} ({r.TruePositives}/{r.Positives} found, {r.FalsePositives} false); false reasons: {string.Join(", ", r.FalseReasons.Select(f => $"{f.Key}={f.Value}"))}"));
        if (verbose)
        {
            // Which rule raises the alerts counted against the dip and the holidays, and on whom.
            foreach (var (day, alert) in r.FalseAlerts.Where(f => DetectionHarness.AfterDip(r.Plan, f.Day) || DetectionHarness.AfterHoliday(f.Day)))
            {
                var when = DetectionHarness.AfterDip(r.Plan, day) ? $"dip {day - r.Plan.DipStart:+0;-0}" : "holiday";
                Console.WriteLine($"  false alert day {day} ({when}): {alert.InstitutionId} {alert.Reason}: " + string.Join("; ", alert.Explanation.Select(e => e.Text)));
            }
        }
    });
    Console.WriteLine();
    Console.WriteLine($"detection harness: seeds {seeds[0]}..{seeds[^1]} ({seeds.Count}), {days} days, {registry.Institutions.Count} institutions, model {(useModel ? "on" : "off")}");
    Console.Write(SeedTable.Format(reports));
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
Console.WriteLine($"failing service items named in an alert: {report.FailingItemsNamed} of {report.Kind(ScenarioKind.FailingServiceItem).Planted}");
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

static string Name(ScenarioKind kind) => SeedTable.Name(kind);

static string Days(double? days) => SeedTable.Days(days);

static T Refuse<T>(ArgumentResult result, string rule)
{
    result.AddError($"'{result.Tokens[0].Value}' is not accepted: {rule}");
    return default!;
}

static IReadOnlyList<int>? SeedRange(string text)
{
    var parts = text.Split("..");
    return parts.Length == 2 && int.TryParse(parts[0], out var first) && int.TryParse(parts[1], out var last) && first <= last && last - first < 1000
        ? [.. Enumerable.Range(first, last - first + 1)]
        : null;
}
