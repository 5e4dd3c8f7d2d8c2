using Npgsql;

namespace Evaluation.IntegrationTests.Infrastructure;

/// <summary>What the event log of a database holds, read directly: the reference for what sources were told.</summary>
public static class LoggedRatings
{
    /// <summary>How many rating rows (kind 0) the log holds per rating id.</summary>
    public static async Task<Dictionary<string, long>> RowsPerIdAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT source_id, count(*) FROM event_log WHERE kind = 0 GROUP BY source_id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, long>();
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = reader.GetInt64(1);
        }

        return rows;
    }
}
