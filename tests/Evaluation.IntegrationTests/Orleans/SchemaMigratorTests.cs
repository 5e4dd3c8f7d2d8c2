using Evaluation.Grains.Storage;
using Evaluation.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit;

namespace Evaluation.IntegrationTests.Orleans;

public sealed class SchemaMigratorTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly string[] OrleansTables = ["orleansquery", "orleans_membership_version", "orleans_membership", "orleans_storage", "orleans_reminders"];

    // Every key the 10.4.2 clustering, reminder and grain storage providers refuse to start without.
    private static readonly string[] RequiredQueryKeys =
    [
        "GatewaysQueryKey", "MembershipReadRowKey", "MembershipReadAllKey", "InsertMembershipVersionKey",
        "UpdateIAmAlivetimeKey", "InsertMembershipKey", "UpdateMembershipKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey",
        "ReadReminderRowsKey", "ReadRangeRows1Key", "ReadRangeRows2Key", "ReadReminderRowKey",
        "UpsertReminderRowKey", "DeleteReminderRowKey", "DeleteReminderRowsKey",
        "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey",
    ];

    [Fact]
    public async Task Migrating_again_changes_nothing_and_keeps_every_table()
    {
        // The fixture migrated once already; two more rounds, one of them with three silos racing.
        await Migrator().MigrateAsync(TestContext.Current.CancellationToken);
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Migrator().MigrateAsync(TestContext.Current.CancellationToken)));

        Assert.Equal(SchemaMigrator.ScriptNames, await StringsAsync("SELECT name FROM schema_migrations ORDER BY name COLLATE \"C\""));
        foreach (var table in OrleansTables.Append("schema_migrations"))
        {
            Assert.Equal([table], await StringsAsync($"SELECT to_regclass('{table}')::text"));
        }

        Assert.Empty(RequiredQueryKeys.Except(await StringsAsync("SELECT QueryKey FROM OrleansQuery")));
    }

    [Fact]
    public async Task The_orleans_script_can_be_run_again_by_hand()
    {
        Assert.Contains("001_orleans.sql", SchemaMigrator.ScriptNames);
        await using var stream = typeof(SchemaMigrator).Assembly.GetManifestResourceStream("Evaluation.Sql.001_orleans.sql")!;
        var script = await new StreamReader(stream).ReadToEndAsync(TestContext.Current.CancellationToken);

        await ExecuteAsync(script);
        await ExecuteAsync(script);

        Assert.Equal(RequiredQueryKeys.Length.ToString(), (await StringsAsync("SELECT count(*)::text FROM OrleansQuery")).Single());
    }

    [Fact]
    public async Task The_scripts_apply_in_name_order()
    {
        Assert.NotEmpty(SchemaMigrator.ScriptNames);
        var applied = await StringsAsync("SELECT name FROM schema_migrations ORDER BY applied_at, name");
        Assert.Equal(SchemaMigrator.ScriptNames, applied);
    }

    private SchemaMigrator Migrator() => new(database.ConnectionString, NullLogger<SchemaMigrator>.Instance);

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private async Task<List<string>> StringsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var values = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            values.Add(reader.IsDBNull(0) ? "(null)" : reader.GetString(0));
        }

        return values;
    }
}
