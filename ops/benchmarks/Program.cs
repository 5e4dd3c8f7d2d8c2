using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Evaluation.Benchmarks;
using Evaluation.Detection.Simulation;
using Evaluation.Grains.Registry;
using Evaluation.Grains.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

if (args.Contains("--help"))
{
    Console.WriteLine("""
        ops/bench — end-to-end figures of the real system, each against a baseline measured in the same run.
        Usage: ops/bench [--ratings N] [--history N] [--seconds S] [--out DIR] [detection options]
               ops/bench --soak SECONDS [--rate N] [--out DIR]
               ops/bench --detection-only [detection options] [--out DIR]
          --ratings N   ratings for the ingest comparison (default 100000)
          --history N   logged events of one institution for the recovery figure (default 1000000)
          --seconds S   length of each read and freshness phase (default 15)
          --out DIR     where results.json and results.md go (default ops/benchmarks/results)
          --soak S      instead: a steady run of S seconds at --rate ratings/s (default 500), memory and
                        latencies recorded at the start and the end (results in soak.md / soak.json)
          --detection-only            only the live detection rows (results in detection.md / detection.json)
          --detection-institutions N  institutions of the live detection pass (default 10000)
          --detection-days N          days of logged history each (default 400)
          --detection-ratings-per-day N  mean ratings a day per institution (default 2)
        Needs PostgreSQL (EVAL_DB or the default) and the Release builds; ops/bench provides both.
        Starts its own silo and API on ports 11311/30311/5311 against a fresh database, loopback only.
        """);
    return 0;
}

var ratingsCount = Option("--ratings", 100_000);
var historyCount = Option("--history", 1_000_000);
var phase = TimeSpan.FromSeconds(Option("--seconds", 15));
var soakSeconds = Option("--soak", 0);
var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
var outDir = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault() ?? Path.Combine(root, "ops/benchmarks/results");

var server = Environment.GetEnvironmentVariable("EVAL_DB") is { Length: > 0 } db ? db : "Host=127.0.0.1;Port=5432;Username=evaluation;Password=evaluation;Database=evaluation";
Func<Task<IReadOnlyList<Figure>>> liveDetection = () => LiveDetection.RunAsync(
    root, server, Option("--detection-institutions", 10_000), Option("--detection-days", 400), Option("--detection-ratings-per-day", 2));
if (args.Contains("--detection-only"))
{
    Report([.. await liveDetection()], outDir, "detection");
    return 0;
}

var database = $"eval_bench_{DateTime.UtcNow:yyyyMMddHHmmss}";
var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
await Admin(server, $"CREATE DATABASE {database}");
await new SchemaMigrator(connectionString, NullLogger<SchemaMigrator>.Instance).MigrateAsync();

var figures = new List<Figure>();
using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
var institutions = ShippedRegistry.Sample.Institutions;
var quiet = institutions[0];
var traffic = institutions.Skip(2).ToList();
var workload = new Workload(traffic, seed: 42);
try
{
    await using var system = await SystemUnderTest.StartAsync(root, connectionString, http);
    Console.WriteLine($"bench: system up on {system.ApiUrl} with database {database}");
    if (soakSeconds > 0)
    {
        figures.AddRange(await Soak.RunAsync(system, http, workload, TimeSpan.FromSeconds(soakSeconds), Option("--rate", 500)));
    }
    else
    {
        await MeasureAsync(system);
    }
}
finally
{
    NpgsqlConnection.ClearAllPools();
    await DropAsync(server, database);
}

if (soakSeconds == 0)
{
    // Its own database and system: ten thousand institutions would change every figure above.
    figures.AddRange(await liveDetection());
}

Report(figures, outDir, soakSeconds > 0 ? "soak" : "results");
return 0;

async Task MeasureAsync(SystemUnderTest system)
{

    // 1. Durable ingest through the API vs raw binary COPY of the same rows, after a warm-up that activates
    // every institution and compiles the hot paths, so the figure is the steady state a running system has.
    await Workload.PostAllAsync(http, system.ApiUrl, workload.Ratings(10_000, "warm-up"));
    var ratings = workload.Ratings(ratingsCount, "bench");
    var copy = await Timing.TimeAsync(() => Workload.CopyAsync(connectionString, ratings));
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

    // 2. Freshness from acknowledgement to visibility, while ingesting at half the peak rate.
    var probe = institutions[1];
    var (toInstitution, toCity, toProvince) = await FreshnessAsync(system.ApiUrl, probe, ingestRate / 2);
    figures.Add(new("freshness institution p50 / p99 (ms)", $"{toInstitution.Percentile(0.5):0} / {toInstitution.Percentile(0.99):0}", "", "", "p99 ≤ 1000", toInstitution.Percentile(0.99) <= 1000));
    figures.Add(new("freshness city p50 / p99 (ms)", $"{toCity.Percentile(0.5):0} / {toCity.Percentile(0.99):0}", "", "", "", null));
    figures.Add(new("freshness province p50 / p99 (ms)", $"{toProvince.Percentile(0.5):0} / {toProvince.Percentile(0.99):0}", "", "", "p99 ≤ 2000", toProvince.Percentile(0.99) <= 2000));

    // 3. Public reads vs a trivial endpoint of the same server.
    var trivial = await Timing.LoadAsync(() => Get(system.ApiUrl, "health/live"), 8, phase);
    // Public answers are cached for half a second in the API host; a query string seen once bypasses that cache,
    // which shows what a read costs when it has to go to the grains.
    var uncached = 0L;
    var reads = new (string Name, Func<string> Path)[]
    {
        ("institution", () => $"api/v1/public/institutions/{probe.Id}"),
        ("province", () => "api/v1/public/province"),
        ("institution, uncached", () => $"api/v1/public/institutions/{probe.Id}?bench={Interlocked.Increment(ref uncached)}"),
        ("province, uncached", () => $"api/v1/public/province?bench={Interlocked.Increment(ref uncached)}"),
    };
    foreach (var (name, path) in reads)
    {
        var read = await Timing.LoadAsync(() => Get(system.ApiUrl, path()), 8, phase);
        var ratio = read.Latencies.Percentile(0.99) / trivial.Latencies.Percentile(0.99);
        figures.Add(new(
            $"read {name}: p50 / p99 ms, req/s",
            $"{read.Latencies.Percentile(0.5):0.0} / {read.Latencies.Percentile(0.99):0.0}, {read.PerSecond:0}",
            $"trivial {trivial.Latencies.Percentile(0.5):0.0} / {trivial.Latencies.Percentile(0.99):0.0}, {trivial.PerSecond:0}",
            $"p99 ×{ratio:0.0}",
            "p99 ≤ 3× trivial",
            ratio <= 3));
    }

    // 4. Recovery of an institution with a long history: its first read replays the whole log.
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
    figures.Add(new($"recovery after a silo kill: institution with {historyCount:N0} logged events readable (s)", $"{recovery.TotalSeconds:0.00}", "", "", "", null));

    // 5. Ingest with 1, 2 and 4 silos on this machine, to show how the cluster scales (same API host, same database).
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

    // 6. Memory of the silo with every institution active, and what one institution's state weighs.
    system.Silo.Refresh();
    figures.Add(new($"silo working set with {institutions.Count} institutions active (MiB)", $"{system.Silo.WorkingSet64 / (1024.0 * 1024):0}", "", "", "", null));
    figures.Add(new("state of one busy institution grain: 400 days × 60 events over 20 service items (KiB)", $"{StateBytes.PerInstitution(400, 60) / 1024.0:0}", "", "", "", null));

    // 7. Detection: one scoring pass over a registry scaled up from the sample (features, peers, model, alerts).
    var detection = DetectionHarness.Benchmark(ShippedRegistry.Sample, 10_000, seed: 42);
    figures.Add(new($"detection: score {detection.Scored:N0} institutions (ms)", $"{detection.Total.TotalMilliseconds:0}", "", "", "< 1000", detection.Total < TimeSpan.FromSeconds(1)));
}

static async Task Get(Uri api, string path)
{
    using var response = await Shared.Client.GetAsync(new Uri(api, path));
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

// A failed drop must not hide the run's own error; autovacuum may still hold the database for a moment.
static async Task DropAsync(string server, string database)
{
    for (var attempt = 1; ; attempt++)
    {
        try
        {
            await Admin(server, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            return;
        }
        catch (PostgresException ex) when (attempt < 5)
        {
            Console.Error.WriteLine($"bench: dropping {database} failed ({ex.MessageText}); retrying");
            await Task.Delay(TimeSpan.FromSeconds(3));
        }
        catch (PostgresException ex)
        {
            Console.Error.WriteLine($"bench: could not drop {database} ({ex.MessageText}); drop it by hand");
            return;
        }
    }
}

static async Task Admin(string server, string sql)
{
    await using var connection = new NpgsqlConnection(server);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}

int Option(string name, int fallback) =>
    args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

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

/// <summary>One pooled client for the read loops, so connection set-up is not what gets measured.</summary>
internal static class Shared
{
    public static readonly HttpClient Client = new() { Timeout = TimeSpan.FromMinutes(2) };
}
