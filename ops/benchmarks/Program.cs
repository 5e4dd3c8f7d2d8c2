using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Evaluation.Benchmarks;
using Evaluation.Contracts.Hosting;
using Evaluation.Detection.Simulation;
using Evaluation.Grains.Registry;
using Evaluation.Grains.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

var ratingsOption = Whole("--ratings", 100_000, "ratings for the ingest comparison");
var historyOption = Whole("--history", 1_000_000, "logged events of one institution for the recovery figure");
var secondsOption = Whole("--seconds", 15, "length of each read and freshness phase");
var soakOption = Whole("--soak", 0, "instead: a steady run of S seconds at --rate ratings/s, memory and latencies recorded at the start and the end (results in soak.md / soak.json)");
var rateOption = Whole("--rate", 500, "ratings per second of --soak");
var portsOption = Whole("--ports", 0, "the silos' ports from P, gateways' from P+10, the API's P+20 (default 11311/30311/5311)");
var onlyOption = new Option<string?>("--only") { Description = "only these rows, comma-separated: ingest, freshness, reads, recovery, scaling, state, detection, live-detection (default: every row)", HelpName = "ROWS" };
var detectionInstitutionsOption = Whole("--detection-institutions", 10_000, "institutions of the live detection pass");
var detectionDaysOption = Whole("--detection-days", 400, "days of logged history each");
var detectionRatingsOption = Whole("--detection-ratings-per-day", 2, "mean ratings a day per institution");
var outOption = new Option<string?>("--out") { Description = "where results.json and results.md go (default ops/benchmarks/results)", HelpName = "DIR" };
var command = new RootCommand("""
    ops/bench — end-to-end figures of the real system, each against a baseline measured in the same run.
    Usage: ops/bench [--ratings N] [--history N] [--seconds S] [--only ROWS] [--ports P] [--out DIR] [--detection-* N]
           ops/bench --soak SECONDS [--rate N] [--out DIR]
    Needs PostgreSQL (EVAL_DB or the default) and the Release builds; ops/bench provides both.
    Starts its own silo and API on ports 11311/30311/5311 (or --ports) against a fresh database, loopback only.
    """)
{
    ratingsOption, historyOption, secondsOption, soakOption, rateOption, portsOption, onlyOption,
    detectionInstitutionsOption, detectionDaysOption, detectionRatingsOption, outOption,
};
var parsed = command.Parse(args);
if (parsed.Errors.Count > 0)
{
    Console.Error.WriteLine($"ops/bench: {parsed.Errors[0].Message} (see --help)");
    return 2;
}

// --help (or --version) has an action of its own; the benchmark runs only without one.
if (parsed.Action is not null)
{
    return parsed.Invoke();
}

var ratingsCount = parsed.GetValue(ratingsOption);
var historyCount = parsed.GetValue(historyOption);
var phase = TimeSpan.FromSeconds(parsed.GetValue(secondsOption));
var soakSeconds = parsed.GetValue(soakOption);
var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
var ports = parsed.GetValue(portsOption) is > 0 and var first ? BenchPorts.From(first) : BenchPorts.Default;
var only = parsed.GetValue(onlyOption)?.Split(',');
var outDir = parsed.GetValue(outOption) ?? Path.Combine(root, "ops/benchmarks/results");

var server = DevelopmentDatabase.FromEnvironment();
Func<Task<IReadOnlyList<Figure>>> liveDetection = () => LiveDetection.RunAsync(
    root, server, ports, parsed.GetValue(detectionInstitutionsOption), parsed.GetValue(detectionDaysOption), parsed.GetValue(detectionRatingsOption));
var figures = new List<Figure>();
using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
var institutions = ShippedRegistry.Sample.Institutions;
var quiet = institutions[0];
var probe = institutions[1];
var traffic = institutions.Skip(2).ToList();
var workload = new Workload(traffic, seed: 42);
var database = $"eval_bench_{DateTime.UtcNow:yyyyMMddHHmmss}";
var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
if (soakSeconds > 0 || only is null || only.Any(row => row != "live-detection"))
{
    await BenchDatabase.CreateAsync(server, database);
    await new SchemaMigrator(connectionString, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
    try
    {
        await using var system = await SystemUnderTest.StartAsync(root, connectionString, http, ports);
        Console.WriteLine($"bench: system up on {system.ApiUrl} with database {database}");
        if (soakSeconds > 0)
        {
            figures.AddRange(await Soak.RunAsync(system, http, workload, TimeSpan.FromSeconds(soakSeconds), parsed.GetValue(rateOption)));
        }
        else
        {
            await MeasureAsync(system);
        }
    }
    finally
    {
        NpgsqlConnection.ClearAllPools();
        await BenchDatabase.DropAsync(server, database);
    }
}

if (soakSeconds == 0 && Runs("live-detection"))
{
    // Its own database and system: ten thousand institutions would change every figure above.
    figures.AddRange(await liveDetection());
}

// A partial run writes a file of its own, so the full results stay whole.
Report(figures, outDir, soakSeconds > 0 ? "soak" : only is null ? "results" : string.Join('-', only));
return 0;

async Task MeasureAsync(SystemUnderTest system)
{
    // A warm-up that activates every institution and compiles the hot paths, so each figure is the steady state a
    // running system has.
    await Workload.PostAllAsync(http, system.ApiUrl, workload.Ratings(10_000, "warm-up"));
    var ingestRate = Runs("ingest") ? await IngestAsync(system) : 2_000;
    if (Runs("freshness"))
    {
        await FreshnessFiguresAsync(system, ingestRate / 2);
    }

    if (Runs("reads"))
    {
        await ReadsAsync(system);
    }

    if (Runs("recovery"))
    {
        await RecoveryAsync(system);
    }

    if (Runs("scaling"))
    {
        await ScalingAsync(system);
    }

    if (Runs("state"))
    {
        StateFigures(system);
    }

    if (Runs("detection"))
    {
        // 7. Detection: one scoring pass over a registry scaled up from the sample (features, peers, model, alerts).
        var detection = DetectionHarness.Benchmark(ShippedRegistry.Sample, 10_000, seed: 42);
        figures.Add(new($"detection: score {detection.Scored:N0} institutions (ms)", $"{detection.Total.TotalMilliseconds:0}", "", "", "< 1000", detection.Total < TimeSpan.FromSeconds(1)));
    }
}

bool Runs(string row) => only is null || only.Contains(row);

// 1. Durable ingest through the API vs raw binary COPY of the same rows; the ingest rate is returned for freshness.
async Task<double> IngestAsync(SystemUnderTest system)
{
    var ratings = workload.Ratings(ratingsCount, "bench");
    var copy = await Timing.TimeAsync(() => Workload.CopyAsync(connectionString, ratings));
    Console.WriteLine($"bench: COPY {ratingsCount / copy.TotalSeconds:0}/s");
    var ingest = await Timing.TimeAsync(() => Workload.PostAllAsync(http, system.ApiUrl, ratings));
    var copyRate = ratingsCount / copy.TotalSeconds;
    var ingestRate = ratingsCount / ingest.TotalSeconds;
    figures.Add(new("durable ingest (ratings/s, batches of 1000, 4 in flight)", $"{ingestRate:0}", $"COPY {copyRate:0}", $"{ingestRate / copyRate:0.00}", "≥ 0.5 of COPY", ingestRate / copyRate >= 0.5));
    Console.WriteLine($"bench: ingest {ingestRate:0}/s, COPY {copyRate:0}/s");

    // 1b. Where the gap lies: the log's own append (key claim, numbering, insert) without HTTP and grains.
    var direct = workload.Ratings(ratingsCount, "bench-log");
    var append = await Timing.TimeAsync(() => Workload.AppendThroughLogAsync(connectionString, direct));
    var appendRate = ratingsCount / append.TotalSeconds;
    figures.Add(new("log append alone (ratings/s, same batching, no HTTP or grains)", $"{appendRate:0}", $"COPY {copyRate:0}", $"{appendRate / copyRate:0.00}", "", null));
    Console.WriteLine($"bench: log append alone {appendRate:0}/s");
    return ingestRate;
}

// 2. Freshness from acknowledgement to visibility, while ingesting at half the peak rate.
async Task FreshnessFiguresAsync(SystemUnderTest system, double backgroundRate)
{
    var (toInstitution, toCity, toProvince) = await FreshnessAsync(system.ApiUrl, probe, backgroundRate);
    figures.Add(new("freshness institution p50 / p99 (ms)", $"{toInstitution.Percentile(0.5):0} / {toInstitution.Percentile(0.99):0}", "", "", "p99 ≤ 1000", toInstitution.Percentile(0.99) <= 1000));
    figures.Add(new("freshness city p50 / p99 (ms)", $"{toCity.Percentile(0.5):0} / {toCity.Percentile(0.99):0}", "", "", "", null));
    figures.Add(new("freshness province p50 / p99 (ms)", $"{toProvince.Percentile(0.5):0} / {toProvince.Percentile(0.99):0}", "", "", "p99 ≤ 2000", toProvince.Percentile(0.99) <= 2000));
}

// 3. Public reads and pages vs a trivial endpoint of the same server.
async Task ReadsAsync(SystemUnderTest system)
{
    // A first short load warms the reader's connections and the server's hot paths, so they do not inflate the baseline.
    await Timing.LoadAsync(() => Get(system.ApiUrl, "health/live"), 8, TimeSpan.FromSeconds(3));
    var trivial = await Timing.LoadAsync(() => Get(system.ApiUrl, "health/live"), 8, phase);
    // Public answers and pages are cached in the API host for as long as their freshness goal allows (PublicCaching:
    // institution 0.5 s, areas 1 s); a query string seen once bypasses that cache, which shows what a read costs when
    // it has to go to the grains.
    var uncached = 0L;
    var county = institutions.First(i => i.CountyCode is not null).CountyCode;
    var reads = new Read[]
    {
        new("institution", () => $"api/v1/public/institutions/{probe.Id}"),
        new("city", () => $"api/v1/public/cities/{probe.CityCode}"),
        new("province", () => "api/v1/public/province"),
        new("cities", () => "api/v1/public/cities"),
        new("institution, uncached", () => $"api/v1/public/institutions/{probe.Id}?bench={Interlocked.Increment(ref uncached)}", Cached: false),
        new("province, uncached", () => $"api/v1/public/province?bench={Interlocked.Increment(ref uncached)}", Cached: false),
        new("page /", () => "", MinPerSecond: 10_000),
        new("page city", () => $"cities/{probe.CityCode}", MinPerSecond: 10_000),
        new("page institution", () => $"institutions/{probe.Id}", MinPerSecond: 10_000),
        new("page institutions of a city", () => $"institutions?city={probe.CityCode}"),
        new("page county", () => $"counties/{county}"),
    };
    foreach (var read in reads)
    {
        var load = await Timing.LoadAsync(() => Get(system.ApiUrl, read.Path()), 8, phase);
        var ratio = load.Latencies.Percentile(0.99) / trivial.Latencies.Percentile(0.99);
        // What the public is served is the cached answer; the uncached rows show the cost of the one grain call a
        // miss makes, once per key and lifetime, and carry no goal of their own.
        var goal = read.Cached ? "p99 ≤ 3× trivial" + (read.MinPerSecond > 0 ? $", ≥ {read.MinPerSecond:N0} req/s" : "") : "";
        bool? met = read.Cached ? ratio <= 3 && load.PerSecond >= read.MinPerSecond : null;
        figures.Add(new(
            $"read {read.Name}: p50 / p99 ms, req/s",
            $"{load.Latencies.Percentile(0.5):0.0} / {load.Latencies.Percentile(0.99):0.0}, {load.PerSecond:0}",
            $"trivial {trivial.Latencies.Percentile(0.5):0.0} / {trivial.Latencies.Percentile(0.99):0.0}, {trivial.PerSecond:0}",
            $"p99 ×{ratio:0.0}",
            goal,
            met));
    }
}

// 5. Ingest with 1, 2 and 4 silos on this machine, to show how the cluster scales (same API host, same database).
async Task ScalingAsync(SystemUnderTest system)
{
    var single = 0.0;
    foreach (var silos in new[] { 1, 2, 4 })
    {
        while (system.SiloCount < silos)
        {
            await system.AddSiloAsync();
        }

        // Let the new silos join and the API host learn their gateways before measuring.
        await Task.Delay(TimeSpan.FromSeconds(silos == 1 ? 0 : 10));
        var batch = workload.Ratings(ratingsCount / 5, $"scale-{silos}");
        var took = await Timing.TimeAsync(() => Workload.PostAllAsync(http, system.ApiUrl, batch));
        var rate = batch.Count / took.TotalSeconds;
        single = silos == 1 ? rate : single;
        figures.Add(new($"ingest with {silos} silo(s) (ratings/s)", $"{rate:0}", silos == 1 ? "" : $"1 silo {single:0}", silos == 1 ? "" : $"{rate / single:0.00}", "", null));
    }
}

// 4. Recovery of an institution with a long history: its first read replays the whole log.
async Task RecoveryAsync(SystemUnderTest system)
{
    // The silo is killed first, so the institution has no checkpoint of that history and must replay all of it.
    await Workload.AppendHistoryAsync(connectionString, quiet, historyCount);
    await system.RestartSiloAsync();
    var recovery = await Timing.TimeAsync(async () =>
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (await TryCount(system.ApiUrl, $"api/v1/public/institutions/{quiet.Id}", "d90") != historyCount && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    });
    figures.Add(new($"recovery after a silo kill: institution with {historyCount:N0} logged events readable (s)", $"{recovery.TotalSeconds:0.00}", "", "", "≤ 2", recovery <= TimeSpan.FromSeconds(2)));
}

// 6. Memory of the silo with every institution active, and what one busy institution's state weighs as stored.
void StateFigures(SystemUnderTest system)
{
    system.Silo.Refresh();
    figures.Add(new($"silo working set with {institutions.Count} institutions active (MiB)", $"{system.Silo.WorkingSet64 / (1024.0 * 1024):0}", "", "", "", null));
    var (stored, heap) = StateBytes.PerInstitution(400, 60);
    figures.Add(new("state of one busy institution grain as stored: 400 days × 60 events over 20 service items (KiB)", $"{stored / 1024.0:0}", "", "", "≤ 1024", stored <= 1024 * 1024));
    figures.Add(new("the same institution's aggregate on the heap (KiB)", $"{heap / 1024.0:0}", "", "", "", null));
}

static async Task Get(Uri api, string path)
{
    using var response = await Shared.Reader.GetAsync(new Uri(api, path));
    response.EnsureSuccessStatusCode();
}

async Task<(Latencies Institution, Latencies City, Latencies Province)> FreshnessAsync(Uri api, Evaluation.Contracts.Registry.Institution probe, double backgroundRate)
{
    using var stop = new CancellationTokenSource(phase);
    var background = Task.Run(async () =>
    {
        var n = 0;
        while (!stop.IsCancellationRequested)
        {
            var clock = Stopwatch.StartNew();
            await Workload.PostAsync(http, api, workload.Ratings(500, $"fresh-bg-{n++}"));
            var pause = TimeSpan.FromSeconds(500 / backgroundRate) - clock.Elapsed;
            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause);
            }
        }
    });

    var (institution, city, province) = (new Latencies(), new Latencies(), new Latencies());
    var probes = new Workload([probe], seed: 7);
    var round = 0;
    while (!stop.IsCancellationRequested)
    {
        var before = (await Count(api, $"api/v1/public/institutions/{probe.Id}"), await Count(api, $"api/v1/public/cities/{probe.CityCode}"), await Count(api, "api/v1/public/province"));
        var one = probes.Ratings(1, $"fresh-probe-{round++}");
        await Workload.PostAsync(http, api, one);
        var acknowledged = Stopwatch.StartNew();
        var seen = (Institution: false, City: false, Province: false);
        while (!(seen.Institution && seen.City && seen.Province) && acknowledged.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (!seen.Institution && await Count(api, $"api/v1/public/institutions/{probe.Id}") > before.Item1)
            {
                institution.Add(acknowledged.Elapsed);
                seen.Institution = true;
            }

            if (!seen.City && await Count(api, $"api/v1/public/cities/{probe.CityCode}") > before.Item2)
            {
                city.Add(acknowledged.Elapsed);
                seen.City = true;
            }

            if (!seen.Province && await Count(api, "api/v1/public/province") > before.Item3)
            {
                province.Add(acknowledged.Elapsed);
                seen.Province = true;
            }
        }
    }

    await background;
    return (institution, city, province);
}

static async Task<long> Count(Uri api, string path, string window = "d30")
{
    var page = JsonNode.Parse(await Shared.Client.GetStringAsync(new Uri(api, path)))!;
    return page["scores"]![window]!["count"]!.GetValue<long>();
}

// While the cluster re-forms after the kill, reads may fail; that time is part of the recovery.
static async Task<long?> TryCount(Uri api, string path, string window)
{
    try
    {
        return await Count(api, path, window);
    }
    catch (HttpRequestException)
    {
        return null;
    }
}

static Option<int> Whole(string name, int fallback, string description) => new(name)
{
    Description = description,
    HelpName = "N",
    DefaultValueFactory = _ => fallback,
    CustomParser = result => int.TryParse(result.Tokens[0].Value, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : Refuse(result, name),
};

static int Refuse(ArgumentResult result, string name)
{
    result.AddError($"{name} takes a whole number, not '{result.Tokens[0].Value}'");
    return 0;
}

static void Report(List<Figure> figures, string outDir, string name)
{
    var markdown = new StringBuilder();
    markdown.AppendLine($"# Benchmark results ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores)");
    markdown.AppendLine();
    markdown.AppendLine("| figure | value | baseline (same run) | ratio | goal | met |");
    markdown.AppendLine("|---|---|---|---|---|---|");
    foreach (var f in figures)
    {
        markdown.AppendLine($"| {f.Name} | {f.Value} | {f.Baseline} | {f.Ratio} | {f.Goal} | {f.Met switch { true => "yes", false => "no", null => "" }} |");
    }

    Directory.CreateDirectory(outDir);
    File.WriteAllText(Path.Combine(outDir, $"{name}.md"), markdown.ToString());
    File.WriteAllText(Path.Combine(outDir, $"{name}.json"), JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine();
    Console.Write(markdown);
}

/// <summary>One public read of the benchmark: cached reads carry the goal, uncached ones are shown for their cost.</summary>
internal sealed record Read(string Name, Func<string> Path, bool Cached = true, int MinPerSecond = 0);

/// <summary>One pooled client for the read loops, so connection set-up is not what gets measured.</summary>
internal static class Shared
{
    public static readonly HttpClient Client = new() { Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>
    /// Reads public answers as browsers and HTTP libraries ask for them, compressed (a page is some 60 KB of HTML, the
    /// city list 300 KB of JSON), and takes the bytes without unpacking them: a reader unpacks on its own machine, and
    /// here that would spend the server's two cores on the client's work.
    /// </summary>
    public static readonly HttpClient Reader = new(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None })
    {
        Timeout = TimeSpan.FromMinutes(2),
        DefaultRequestHeaders = { AcceptEncoding = { new("br"), new("gzip") } },
    };
}
