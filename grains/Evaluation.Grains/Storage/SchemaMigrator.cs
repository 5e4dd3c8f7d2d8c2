using Microsoft.Extensions.Logging;
using Npgsql;

namespace Evaluation.Grains.Storage;

/// <summary>
/// Brings a database up to the schema in <c>ops/sql</c>: applies each embedded
/// <c>Evaluation.Sql.NNN_name.sql</c> not yet listed in <c>schema_migrations</c>, in name order,
/// each in its own transaction together with its <c>schema_migrations</c> row.
/// </summary>
public sealed partial class SchemaMigrator(string connectionString, ILogger<SchemaMigrator> logger)
{
    private const string ResourcePrefix = "Evaluation.Sql.";

    // Any constant works as long as every silo uses the same one; this spells "EvalMigr".
    private const long AdvisoryLockKey = 0x4576_616C_4D69_6772;

    /// <summary>The scripts this build carries, in the order they apply (e.g. <c>001_orleans.sql</c>).</summary>
    public static IReadOnlyList<string> ScriptNames { get; } =
    [
        .. typeof(SchemaMigrator).Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => name[ResourcePrefix.Length..])
            .Order(StringComparer.Ordinal),
    ];

    public Task MigrateAsync(CancellationToken ct = default) => MigrateAsync(ScriptNames.Count, ct);

    /// <summary>
    /// Applies the pending scripts up to and including <paramref name="lastScript"/> only, so a test can
    /// fill the schema a later migration starts from and then run <see cref="MigrateAsync(CancellationToken)"/>.
    /// </summary>
    public Task MigrateThroughAsync(string lastScript, CancellationToken ct = default)
    {
        var count = ScriptNames.ToList().IndexOf(lastScript) + 1;
        return count > 0
            ? MigrateAsync(count, ct)
            : throw new ArgumentException($"This build carries no migration {lastScript}.", nameof(lastScript));
    }

    private async Task MigrateAsync(int scriptCount, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);

        // Silos starting together queue here; the later ones then find nothing left to apply.
        await ExecuteAsync(connection, "SELECT pg_advisory_lock(@key)", ct, ("key", AdvisoryLockKey));
        try
        {
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    name       text PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, ct);

            var applied = await AppliedAsync(connection, ct);
            var pending = ScriptNames.Take(scriptCount).Where(name => !applied.Contains(name)).ToList();
            foreach (var name in pending)
            {
                await ApplyAsync(connection, name, ct);
            }

            LogMigrated(logger, connection.Database, pending.Count, ScriptNames.Count);
        }
        finally
        {
            // Not cancellable: a cancelled migration must still let the next silo in.
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None, ("key", AdvisoryLockKey));
        }
    }

    private async Task ApplyAsync(NpgsqlConnection connection, string name, CancellationToken ct)
    {
        var script = ReadScript(name);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var command = new NpgsqlCommand(script, connection, transaction))
        {
            // Schema changes on big tables may take long; the caller cancels through ct if needed.
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync(ct);
        }

        await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (name) VALUES (@name)", connection, transaction))
        {
            record.Parameters.AddWithValue("name", name);
            await record.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        LogApplied(logger, name, connection.Database);
    }

    private static async Task<HashSet<string>> AppliedAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT name FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static string ReadScript(string name)
    {
        using var stream = typeof(SchemaMigrator).Assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException($"Embedded migration {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (parameterName, value) in parameters)
        {
            command.Parameters.AddWithValue(parameterName, value);
        }

        await command.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Script} to database {Database}")]
    private static partial void LogApplied(ILogger logger, string script, string database);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Database} is up to date: applied {Applied} of {Known} migrations now")]
    private static partial void LogMigrated(ILogger logger, string database, int applied, int known);
}
