using System.Net;
using System.Net.Sockets;
using Npgsql;
using Xunit;

namespace Evaluation.IntegrationTests.Infrastructure;

/// <summary>
/// A highly available PostgreSQL of the test's own: a pg_auto_failover monitor, a primary and a synchronous standby,
/// run by the operators' script (ops/pg/ha-cluster) in a throw-away directory on loopback ports 6000-6099.
/// Tests that need it call <see cref="Require"/> first: it skips them, with the reason, where pg_autoctl
/// cannot run (no package, not root), except under CI, where a missing formation is a failure.
/// </summary>
public sealed class HaPostgres : IAsyncLifetime
{
    private static readonly Lock PortLock = new();
    private static int nextBase = 6010;

    private readonly string directory = Path.Combine(Path.GetTempPath(), $"eval-ha-{Guid.NewGuid():N}");
    private string? unavailable;
    private int portBase;

    /// <summary>
    /// Superuser connection to either node, whichever is primary; give it to <see cref="PostgresDatabase"/>. The pool
    /// is kept small (the nodes allow 100 connections) and a host found down or read-only is looked at again after a
    /// second rather than the default ten, so the clients find the new primary as soon as it is promoted.
    /// </summary>
    public string Server =>
        $"Host=127.0.0.1:{portBase + 1},127.0.0.1:{portBase + 2};Target Session Attributes=primary;Host Recheck Seconds=1;" +
        "Username=postgres;Database=postgres;Timeout=5;Command Timeout=15;Maximum Pool Size=10";

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists("/usr/bin/pg_autoctl"))
        {
            unavailable = "pg_autoctl is not installed (apt-get install postgresql-15-auto-failover; ops/test does)";
        }
        else if (Environment.UserName != "root")
        {
            unavailable = "pg_autoctl runs as the postgres user, which takes root to switch to";
        }

        if (unavailable is not null)
        {
            return;
        }

        portBase = FreePortBase();
        Directory.CreateDirectory(directory);
        await StartAsync();
    }

    /// <summary>Skips the calling test when there is no formation (never under CI, where it fails instead).</summary>
    public void Require()
    {
        if (unavailable is null)
        {
            return;
        }

        Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"CI must run the high-availability tests: {unavailable}");
        Assert.Skip(unavailable);
    }

    /// <summary>Starts what is not running (a crashed node rejoins as standby) and waits for a primary with its synchronous standby.</summary>
    public Task StartAsync() => ScriptAsync("start", "--quick-failover");

    /// <summary>Kills the primary's whole pg_autoctl process tree, as losing its machine would.</summary>
    public Task CrashPrimaryAsync() => ScriptAsync("crash");

    /// <summary>A planned switchover: the standby becomes primary, the old primary its standby.</summary>
    public Task SwitchOverAsync() => ScriptAsync("failover");

    public async Task<int> PrimaryPortAsync() => int.Parse(await ScriptAsync("primary"), System.Globalization.CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        if (unavailable is not null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await ScriptAsync("stop").ContinueWith(_ => { }, TaskScheduler.Default);
        Directory.Delete(directory, recursive: true);
    }

    private Task<string> ScriptAsync(params string[] command) =>
        OpsScript.RunAsync("pg/ha-cluster", null, [command[0], directory, "--port-base", portBase.ToString(System.Globalization.CultureInfo.InvariantCulture), .. command[1..]]);

    /// <summary>Three free consecutive ports in 6000-6099, never the same base twice in one test run.</summary>
    private static int FreePortBase()
    {
        lock (PortLock)
        {
            for (; nextBase + 2 < 6100; nextBase += 10)
            {
                if (Enumerable.Range(nextBase, 3).All(Free))
                {
                    var found = nextBase;
                    nextBase += 10;
                    return found;
                }
            }
        }

        throw new InvalidOperationException("No three free ports in 6000-6099 for a pg_auto_failover formation.");
    }

    private static bool Free(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
