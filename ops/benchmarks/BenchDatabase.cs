using Npgsql;

namespace Evaluation.Benchmarks;

/// <summary>Creates and drops the databases a run measures against, through the server's admin connection.</summary>
internal static class BenchDatabase
{
    private const int DropAttempts = 5;

    public static Task CreateAsync(string server, string database) => ExecuteAsync(server, $"CREATE DATABASE {database}");

    /// <summary>
    /// A failed drop must not hide the run's results or its own error. A plain drop first: PostgreSQL stops an
    /// autovacuum worker on the database itself, which <c>WITH (FORCE)</c> may not do for a role that is not
    /// the worker's; FORCE only for sessions a stopped silo may have left behind.
    /// </summary>
    public static async Task DropAsync(string server, string database)
    {
        for (var attempt = 1; attempt <= DropAttempts; attempt++)
        {
            var force = attempt % 2 == 0 ? " WITH (FORCE)" : "";
            try
            {
                await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {database}{force}");
                return;
            }
            catch (PostgresException ex) when (attempt < DropAttempts)
            {
                Console.Error.WriteLine($"bench: dropping {database}{force} failed ({ex.MessageText}); retrying");
                await Task.Delay(TimeSpan.FromSeconds(3));
            }
            catch (PostgresException ex)
            {
                Console.Error.WriteLine($"bench: could not drop {database} ({ex.MessageText}); drop it by hand");
            }
        }
    }

    private static async Task ExecuteAsync(string server, string sql)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
