using System.Diagnostics;
using System.Security.Cryptography;

namespace Evaluation.Benchmarks;

/// <summary>
/// The real silo and API processes (the Release builds ops/run uses), started on ports of their own
/// against the benchmark's own database, so a running development system is left alone.
/// </summary>
internal sealed class SystemUnderTest : IAsyncDisposable
{
    public const string SourceKey = "bench-source-key-0001";

    private readonly List<Process> processes = [];
    private Dictionary<string, string> environment = [];

    private SystemUnderTest(string root, string connectionString, BenchPorts ports)
    {
        Root = root;
        ConnectionString = connectionString;
        Ports = ports;
        ApiUrl = new($"http://127.0.0.1:{ports.Api}/");
    }

    private BenchPorts Ports { get; }

    public string Root { get; }

    public string ConnectionString { get; }

    public Uri ApiUrl { get; }

    private const string SiloDll = "silo/bin/Release/net10.0/Evaluation.Silo.dll";

    public Process Silo => processes[0];

    /// <summary>How many silo processes are up (the first plus those added).</summary>
    public int SiloCount { get; private set; } = 1;

    /// <summary>Another silo process joining the cluster through the membership table, on ports of its own.</summary>
    public async Task AddSiloAsync()
    {
        var environment = new Dictionary<string, string>(this.environment)
        {
            ["Evaluation__SiloPort"] = (Ports.Silo + SiloCount).ToString(),
            ["Evaluation__GatewayPort"] = (Ports.Gateway + SiloCount).ToString(),
        };
        Start(SiloDll, environment);
        await WaitForPortAsync(Ports.Gateway + SiloCount, TimeSpan.FromSeconds(90));
        SiloCount++;
    }

    /// <summary>A hard kill and a fresh start: every grain must come back from its checkpoint and the log.</summary>
    public async Task RestartSiloAsync()
    {
        Silo.Kill(entireProcessTree: true);
        await Silo.WaitForExitAsync();
        Silo.Dispose();
        processes.RemoveAt(0);
        Start(SiloDll, environment);
        processes.Insert(0, processes[^1]);
        processes.RemoveAt(processes.Count - 1);
        await WaitForPortAsync(Ports.Gateway, TimeSpan.FromSeconds(90));
    }

    /// <param name="settings">Settings added to (or replacing) the benchmark's own, e.g. an admin key for a registry import.</param>
    public static async Task<SystemUnderTest> StartAsync(string root, string connectionString, HttpClient http, BenchPorts ports, IReadOnlyDictionary<string, string>? settings = null)
    {
        var system = new SystemUnderTest(root, connectionString, ports);
        var environment = new Dictionary<string, string>
        {
            ["EVAL_DB"] = connectionString,
            ["EVAL_CONTACT_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["EVAL_SOURCE_KEY"] = SourceKey,
            ["EVAL_JWT_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),

            // A benchmark measures the system, not the per-client budgets that protect it.
            ["Evaluation__RateLimits__PublicPerMinute"] = "100000000",
            ["Evaluation__RateLimits__IngestionPerMinute"] = "100000000",
            ["Evaluation__ClusterId"] = "bench",
            ["Evaluation__SiloPort"] = ports.Silo.ToString(),
            ["Evaluation__GatewayPort"] = ports.Gateway.ToString(),
            ["Logging__LogLevel__Default"] = "Warning",

            // The published development login and the short bench key are accepted only in Development on loopback.
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        system.environment = environment;
        RefuseIfTaken(ports.Silo, ports.Gateway, ports.Api);
        system.Start(SiloDll, environment);
        await WaitForPortAsync(ports.Gateway, TimeSpan.FromSeconds(90));
        system.Start("client-api/bin/Release/net10.0/Evaluation.ClientApi.dll", environment, "--urls", system.ApiUrl.ToString().TrimEnd('/'));
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                using var ready = await http.GetAsync(new Uri(system.ApiUrl, "health/ready"));
                if (ready.IsSuccessStatusCode)
                {
                    return system;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                // Left running, its processes would hold the ports and refuse the next run.
                await system.DisposeAsync();
                throw new TimeoutException("The system under test did not become ready within 90 s.");
            }

            await Task.Delay(250);
        }
    }

    private void Start(string dll, Dictionary<string, string> environment, params string[] args)
    {
        var path = Path.Combine(Root, dll);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} is missing: build with `dotnet build -c Release` (ops/bench does).");
        }

        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(path)!, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(path);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        processes.Add(process);
    }

    /// <summary>A system left running by an interrupted run would answer instead of ours, with its old data.</summary>
    private static void RefuseIfTaken(params int[] ports)
    {
        var listening = System.Net.NetworkInformation.IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners().Select(e => e.Port).ToHashSet();
        if (ports.Where(listening.Contains).ToList() is { Count: > 0 } taken)
        {
            throw new InvalidOperationException(
                $"Port(s) {string.Join(", ", taken)} are in use, probably by a silo or API of an interrupted benchmark; stop them (e.g. pkill -f Evaluation.Silo.dll) and run again.");
        }
    }

    private static async Task WaitForPortAsync(int port, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(processes))
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }
    }
}

/// <summary>
/// The ports the benchmark's processes listen on: silos from <see cref="Silo"/> and <see cref="Gateway"/> up (one
/// each per silo added), the API on <see cref="Api"/>.
/// </summary>
internal readonly record struct BenchPorts(int Silo, int Gateway, int Api)
{
    public static BenchPorts Default { get; } = new(11311, 30311, 5311);

    /// <summary>Twenty-one ports from <paramref name="first"/>, for a machine whose defaults others use.</summary>
    public static BenchPorts From(int first) => new(first, first + 10, first + 20);
}
