using Evaluation.Contracts.Hosting;
using Evaluation.Grains.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit;

namespace Evaluation.IntegrationTests.Infrastructure;

/// <summary>
/// A fresh, fully migrated database of its own for a test class: <c>IClassFixture&lt;PostgresDatabase&gt;</c>,
/// then use <see cref="ConnectionString"/>. Created on the server named by <c>EVAL_DB</c> (or the
/// local default) and dropped afterwards, so test classes never see each other's rows.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    private readonly string server;

    public PostgresDatabase()
        : this(SharedServer)
    {
    }

    /// <param name="server">A connection string to any database of the server (e.g. a <see cref="PrivatePostgres"/>).</param>
    internal PostgresDatabase(string server)
    {
        this.server = server;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = DatabaseName }.ConnectionString;
    }

    /// <summary>The connection string tests are pointed at; its role needs CREATEDB (ops/pg/ensure-postgres grants it).</summary>
    public static string SharedServer => DevelopmentDatabase.FromEnvironment();

    public string DatabaseName { get; } = $"eval_test_{Guid.NewGuid():N}";

    /// <summary>Connects to this fixture's database, with the server, role and options of the server given.</summary>
    public string ConnectionString { get; }

    /// <summary>Migrate only up to and including this script, to give a later migration data of the schema it starts from; all by default.</summary>
    public string? MigratedThrough { get; init; }

    /// <summary>Creates and fills the database instead (given its name), e.g. by restoring a backup into it; it is migrated already.</summary>
    public Func<string, Task>? CreateWith { get; init; }

    public async ValueTask InitializeAsync()
    {
        if (CreateWith is { } create)
        {
            await create(DatabaseName);
            return;
        }

        await OnServerAsync($"CREATE DATABASE \"{DatabaseName}\"");
        var migrator = new SchemaMigrator(ConnectionString, NullLogger<SchemaMigrator>.Instance);
        await (MigratedThrough is { } last ? migrator.MigrateThroughAsync(last) : migrator.MigrateAsync());
    }

    public async ValueTask DisposeAsync()
    {
        // Idle pooled connections would otherwise be killed under us and surface later as errors.
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        try
        {
            await OnServerAsync($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)");
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            // FORCE refuses to end a process of another role, such as an autovacuum worker busy in the database,
            // unless the test role may signal backends. A plain drop makes autovacuum give way (it waits up to 5 s),
            // once this role's own sessions are gone.
            await OnServerAsync($"""
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE datname = '{DatabaseName}' AND usename = current_user AND pid <> pg_backend_pid()
                """);
            await OnServerAsync($"DROP DATABASE IF EXISTS \"{DatabaseName}\"");
        }
    }

    private async Task OnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
