using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Measures;
using Evaluation.Detection;
using Evaluation.Detection.Simulation;
using Evaluation.Domain.Measures;
using Evaluation.Domain.Registry;
using Evaluation.Grains.EventLog;
using Evaluation.Grains.Registry;
using Evaluation.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Serialization;

namespace Evaluation.Benchmarks;

/// <summary>
/// Detection through the live cluster: a registry scaled up to <c>count</c> institutions is imported, each gets
/// <c>days</c> of history straight into the log, the grains replay it as the first pass activates them, and then
/// timed passes of <c>POST /api/v1/detection/runs</c> show what a pass costs once the cluster is warm (the timer
/// runs one a minute). Runs against a database and a system of its own, dropped afterwards.
/// </summary>
internal static class LiveDetection
{
    private const int TimedPasses = 3;
    private const double WorkingSetGoalMiB = 2048;
    private static readonly TimeSpan PassGoal = TimeSpan.FromSeconds(5);

    public static async Task<IReadOnlyList<Figure>> RunAsync(string root, string server, BenchPorts ports, int count, int days, int ratingsPerDay)
    {
        var registry = DetectionHarness.Scale(ShippedRegistry.Sample, count);
        var history = new DetectionHistory(registry.Institutions, days, ratingsPerDay, seed: 42);
        var database = $"eval_bench_detect_{DateTime.UtcNow:yyyyMMddHHmmss}";
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
        await BenchDatabase.CreateAsync(server, database);
        try
        {
            await new SchemaMigrator(connectionString, NullLogger<SchemaMigrator>.Instance).MigrateAsync();

            // The migration keeps 13 months ready; 400 days reach into a 14th in the first days of a month.
            await using (var source = NpgsqlDataSource.Create(connectionString))
            {
                await new EventLogPartitions(source).EnsureAsync(history.Today.AddDays(-days), history.Today);
            }

            var clock = Stopwatch.StartNew();
            var events = await history.CopyAsync(connectionString, done => Console.WriteLine($"bench: detection history {done}"));
            Console.WriteLine($"bench: detection history of {count:N0} institutions × {days} days: {events:N0} events COPYed in {clock.Elapsed.TotalSeconds:0} s");
            return await MeasureAsync(root, connectionString, ports, registry, history, events);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await BenchDatabase.DropAsync(server, database);
        }
    }

    private static async Task<IReadOnlyList<Figure>> MeasureAsync(
        string root, string connectionString, BenchPorts ports, InstitutionRegistry registry, DetectionHistory history, long events)
    {
        var adminKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
        await using var system = await SystemUnderTest.StartAsync(root, connectionString, http, ports, new Dictionary<string, string>
        {
            ["EVAL_ADMIN_KEY"] = adminKey,

            // The development token issuer signs the supervisor's token the run needs; loopback only.
            ["EVAL_DEV_TOKENS"] = "true",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
        });
        await ImportAsync(http, system.ApiUrl, adminKey, registry);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await SupervisorTokenAsync(http, system.ApiUrl));

        // The first pass wakes every city and institution, which replay their history from the log; an attempt that
        // outlasts the call timeout leaves that work going, so it is asked again until one pass answers.
        var cold = Stopwatch.StartNew();
        JsonNode? result;
        while ((result = await TryRunAsync(http, system.ApiUrl)) is null)
        {
            if (cold.Elapsed > TimeSpan.FromMinutes(20))
            {
                throw new TimeoutException("No detection pass answered within 20 minutes of the start.");
            }
        }

        cold.Stop();
        Console.WriteLine($"bench: first detection pass (activation and replay of {events:N0} events) answered after {cold.Elapsed.TotalSeconds:0} s: {result.ToJsonString()}");
        var passes = new List<TimeSpan>();
        for (var pass = 0; pass < TimedPasses; pass++)
        {
            var took = Stopwatch.StartNew();
            result = await TryRunAsync(http, system.ApiUrl) ?? throw new InvalidOperationException("A warm detection pass failed.");
            passes.Add(took.Elapsed);
            Console.WriteLine($"bench: detection pass {pass + 1}: {took.Elapsed.TotalMilliseconds:0} ms, {result.ToJsonString()}");
        }

        system.Silo.Refresh();
        var workingSet = system.Silo.WorkingSet64 / (1024.0 * 1024);
        var peak = system.Silo.PeakWorkingSet64 / (1024.0 * 1024);
        var slowest = passes.Max();
        var scored = result["institutionsScored"]?.GetValue<int>() ?? 0;
        var (aggregates, inputs) = PayloadBytes(history);
        var label = $"{registry.Institutions.Count:N0} live institutions × {history.Days} days ({events:N0} events)";
        return
        [
            new($"detection pass over {label}: slowest of {TimedPasses} warm passes (ms)", $"{slowest.TotalMilliseconds:0}",
                $"first pass with activation and replay {cold.Elapsed.TotalSeconds:0} s", $"scored {scored:N0}", "< 5000", slowest < PassGoal && scored == registry.Institutions.Count),
            new("detection pass: bytes a pass collects from the grains, Orleans-serialized (MiB)", $"{inputs / (1024.0 * 1024):0.0}",
                $"whole aggregates {aggregates / (1024.0 * 1024):0.0}", $"{(double)inputs / aggregates:0.000}", "", null),
            new($"detection pass: silo working set with {registry.Institutions.Count:N0} institutions active (MiB)", $"{workingSet:0}",
                $"peak {peak:0}", "", "< 2048", workingSet < WorkingSetGoalMiB),
        ];
    }

    /// <summary>
    /// What a pass moves between grains, weighed with Orleans' own serializer: each institution's aggregate as the
    /// grains hold it after replay (service items kept 90 days), and the feature inputs computed from it.
    /// </summary>
    private static (long Aggregates, long Inputs) PayloadBytes(DetectionHistory history)
    {
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        long aggregates = 0, inputs = 0;
        for (var i = 0; i < history.Institutions.Count; i++)
        {
            var data = new AggregateData();
            var position = 0L;
            foreach (var e in history.EventsOf(i))
            {
                Aggregation.Apply(data, e);
                position = e.Position;
            }

            Aggregation.PruneServiceItemsBefore(data, MeasureSettings.Default.FirstRetainedServiceItemDay(history.Today));
            aggregates += serializer.SerializeToArray(new PositionedAggregate(data, position)).Length;
            inputs += serializer.SerializeToArray(FeatureBuilder.Inputs(data, history.Today, position)).Length;
        }

        return (aggregates, inputs);
    }

    private static async Task ImportAsync(HttpClient http, Uri api, string adminKey, InstitutionRegistry registry)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(api, "api/v1/admin/registry"))
        {
            Content = new StringContent(RegistryFile.Write(registry.Institutions, null), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Admin-Key", adminKey);
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The registry import was refused: {await response.Content.ReadAsStringAsync()}");
        }

        // Every silo's registry cache rechecks the version within 5 s; the last institution is known once it has.
        var last = registry.Institutions[^1].Id;
        var waited = Stopwatch.StartNew();
        while (true)
        {
            using var probe = await http.GetAsync(new Uri(api, $"api/v1/public/institutions/{last}"));
            if (probe.IsSuccessStatusCode)
            {
                Console.WriteLine($"bench: registry of {registry.Institutions.Count:N0} institutions imported and known after {waited.Elapsed.TotalSeconds:0} s");
                return;
            }

            if (waited.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException($"The imported registry was not known within 10 minutes (last answer {(int)probe.StatusCode}).");
            }

            await Task.Delay(500);
        }
    }

    private static async Task<string> SupervisorTokenAsync(HttpClient http, Uri api)
    {
        using var response = await http.PostAsJsonAsync(new Uri(api, "api/v1/dev/tokens"), new { role = "province-supervisor", name = "bench" });
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["token"]!.GetValue<string>();
    }

    private static async Task<JsonNode?> TryRunAsync(HttpClient http, Uri api)
    {
        using var response = await http.PostAsync(new Uri(api, "api/v1/detection/runs"), null);
        if (!response.IsSuccessStatusCode)
        {
            Console.WriteLine($"bench: detection pass answered {(int)response.StatusCode}; asking again");
            return null;
        }

        return JsonNode.Parse(await response.Content.ReadAsStringAsync());
    }
}
