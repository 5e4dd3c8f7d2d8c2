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
    private readonly int port = LoopbackPorts.Free();

    /// <summary>Superuser connection to the server's default database; give it to <see cref="PostgresDatabase"/>.</summary>
    public string Server => $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=5;Command Timeout=15";

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(directory);
        await Commands.RunAsync("chown", "postgres", directory);
        await AsPostgresAsync("initdb", "-D", Data, "-A", "trust", "-U", "postgres", "--no-sync");
        if (AlsoListenOn is { } address)
        {
            // Hosts in network namespaces of the test's own reach the server on the bridge; nothing else can.
            await File.AppendAllTextAsync(Path.Combine(Data, "pg_hba.conf"), $"host all all {address}/24 trust\n");
        }

        await StartAsync();
    }

    /// <summary>A second address the server listens on besides 127.0.0.1 (a bridge of the test's own), set before it starts.</summary>
    public string? AlsoListenOn { get; init; }

    public int Port => port;

    // Every silo holds pools for the log and for each Orleans provider; a paused or restarted one keeps its
    // connections until the server notices, so several hosts need more than the default 100.
    private const int MaxConnections = 400;

    public Task StartAsync() =>
        AsPostgresAsync("pg_ctl", "-D", Data, "-l", Path.Combine(directory, "log"), "-w", "-o", $"-p {port} -k {directory} -c listen_addresses={ListenAddresses} -c max_connections={MaxConnections} -c fsync=off", "start");

    private string ListenAddresses => AlsoListenOn is { } address ? $"127.0.0.1,{address}" : "127.0.0.1";

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
        Commands.RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(Binaries, tool), .. args]);

}
