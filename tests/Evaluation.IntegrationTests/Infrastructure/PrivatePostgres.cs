using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Xunit;

namespace Evaluation.IntegrationTests.Infrastructure;

/// <summary>
/// A PostgreSQL server of the test's own (Debian's binaries, a throw-away data directory, a free port),
/// so a fault test can stop and restart the database without disturbing the tests that share the
/// machine's server.
/// </summary>
public sealed class PrivatePostgres : IAsyncLifetime
{
    private const string Binaries = "/usr/lib/postgresql/15/bin";
    private readonly string directory = Path.Combine(Path.GetTempPath(), $"eval-pg-{Guid.NewGuid():N}");
    private readonly int port = FreePort();

    /// <summary>Superuser connection to the server's default database; give it to <see cref="PostgresDatabase"/>.</summary>
    public string Server => $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=5;Command Timeout=15";

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(directory);
        await RunAsync("chown", "postgres", directory);
        await AsPostgresAsync("initdb", "-D", Data, "-A", "trust", "-U", "postgres", "--no-sync");
        await StartAsync();
    }

    public Task StartAsync() =>
        AsPostgresAsync("pg_ctl", "-D", Data, "-l", Path.Combine(directory, "log"), "-w", "-o", $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off", "start");

    /// <summary>Stops the server the way a crash would: no checkpoint, every connection cut.</summary>
    public Task CrashAsync() => AsPostgresAsync("pg_ctl", "-D", Data, "-m", "immediate", "-w", "stop");

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await AsPostgresAsync("pg_ctl", "-D", Data, "-m", "immediate", "-w", "stop").ContinueWith(_ => { }, TaskScheduler.Default);
        Directory.Delete(directory, recursive: true);
    }

    private string Data => Path.Combine(directory, "data");

    private static Task AsPostgresAsync(string tool, params string[] args) =>
        RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(Binaries, tool), .. args]);

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {error}{output}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
