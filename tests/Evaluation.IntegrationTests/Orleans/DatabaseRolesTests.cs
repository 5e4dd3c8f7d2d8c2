using Evaluation.Grains.Storage;
using Evaluation.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit;

namespace Evaluation.IntegrationTests.Orleans;

/// <summary>
/// The roles of ops/sql/009_roles.sql on a server of the test's own (roles are server-wide): migrations run as
/// the schema owner; members of evaluation_api and evaluation_silo get data rights only.
/// </summary>
public sealed class DatabaseRolesTests : IAsyncLifetime
{
    private const string Database = "evaluation_roles";
    private readonly PrivatePostgres server = new();

    public async ValueTask InitializeAsync()
    {
        await server.InitializeAsync();
        await ExecuteAsync(server.Server, "CREATE ROLE schema_owner LOGIN CREATEROLE");
        await ExecuteAsync(server.Server, $"CREATE DATABASE {Database} OWNER schema_owner");
        await new SchemaMigrator(As("schema_owner"), NullLogger<SchemaMigrator>.Instance).MigrateAsync();

        // What a deployment does: login roles that are members of the group roles the migration made.
        await ExecuteAsync(server.Server, "CREATE ROLE api_login LOGIN IN ROLE evaluation_api");
        await ExecuteAsync(server.Server, "CREATE ROLE silo_login LOGIN IN ROLE evaluation_silo");
    }

    [Fact]
    public async Task The_API_role_reads_the_membership_and_keeps_its_keys_but_changes_nothing_else()
    {
        var api = As("api_login");
        await ExecuteAsync(api, "SELECT count(*) FROM orleans_membership");
        await ExecuteAsync(api, "INSERT INTO data_protection_key (name, xml) VALUES ('k', '<key/>')");
        await ExecuteAsync(api, "INSERT INTO revoked_token (token_id, expires_at) VALUES ('t', now() + interval '1 hour')");
        await ExecuteAsync(api, "DELETE FROM revoked_token WHERE expires_at < now()");
        await ExecuteAsync(api, "INSERT INTO monthly_report (sha256, month, scope, format, content) VALUES ('h', date '2026-10-01', '440000', 'csv', '\\x00')");
        await ExecuteAsync(api, "SELECT content FROM monthly_report WHERE sha256 = 'h'");

        await AssertRefusedAsync(api, "CREATE TABLE intruder (id int)");
        await AssertRefusedAsync(api, "DELETE FROM event_log");
        await AssertRefusedAsync(api, "SELECT count(*) FROM follow_up");
        await AssertRefusedAsync(api, "SELECT count(*) FROM orleans_storage");
        await AssertRefusedAsync(api, "DELETE FROM monthly_report");
        await AssertRefusedAsync(api, "UPDATE monthly_report SET content = '\\x01'");
    }

    [Fact]
    public async Task The_silo_role_appends_to_the_log_and_adds_partitions_but_has_no_DDL()
    {
        var silo = As("silo_login");
        Assert.Equal(true, await ScalarAsync(silo, "SELECT has_table_privilege('event_log', 'INSERT')"));
        Assert.Equal(true, await ScalarAsync(silo, "SELECT has_table_privilege('follow_up', 'UPDATE')"));
        await ExecuteAsync(silo, "SELECT count(*) FROM event_log");
        await ExecuteAsync(silo, "SELECT ensure_event_log_partitions(date '2031-01-01', date '2031-02-01')");

        await AssertRefusedAsync(silo, "CREATE TABLE intruder (id int)");
        await AssertRefusedAsync(silo, "DROP TABLE follow_up");
        await AssertRefusedAsync(silo, "DELETE FROM event_log");
        await AssertRefusedAsync(silo, "SELECT count(*) FROM data_protection_key");
        await AssertRefusedAsync(silo, "SELECT count(*) FROM revoked_token");
        await AssertRefusedAsync(silo, "SELECT count(*) FROM monthly_report");
        await AssertRefusedAsync(silo, "UPDATE contact_reveal SET actor = 'x'");
    }

    private string As(string role) =>
        new NpgsqlConnectionStringBuilder(server.Server) { Username = role, Database = Database, Pooling = false }.ConnectionString;

    private static async Task AssertRefusedAsync(string connectionString, string sql)
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connectionString, sql));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    private static async Task ExecuteAsync(string connectionString, string sql) => await ScalarAsync(connectionString, sql);

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync() => await server.DisposeAsync();
}
