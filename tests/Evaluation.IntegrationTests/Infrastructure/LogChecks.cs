using Npgsql;
using Xunit;

namespace Evaluation.IntegrationTests.Infrastructure;

/// <summary>What the sources were told against what the log holds: every acknowledged item once, nothing else.</summary>
public static class LogChecks
{
    /// <summary>
    /// Acknowledged items (as "kind:source:id", 0 rating, 1 open record, 2 completed record; ids are unique per source)
    /// compared with the log's items whose id starts with <paramref name="idPrefix"/>. <paramref name="mayBeLogged"/>: items
    /// whose answer was lost or a duplicate that an earlier, failed attempt may have logged.
    /// </summary>
    public static async Task<LogComparison> CompareAsync(
        string connectionString, IReadOnlySet<string> acknowledged, string idPrefix, IReadOnlySet<string>? mayBeLogged = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT kind, source, source_id, count(*) FROM event_log WHERE kind IN (0, 1, 2) AND starts_with(source_id, $1) GROUP BY kind, source, source_id", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = idPrefix });
        await using var reader = await command.ExecuteReaderAsync();
        var logged = new HashSet<string>();
        var doubled = new List<string>();
        while (await reader.ReadAsync())
        {
            var item = $"{reader.GetInt16(0)}:{reader.GetString(1)}:{reader.GetString(2)}";
            logged.Add(item);
            if (reader.GetInt64(3) != 1)
            {
                doubled.Add(item);
            }
        }

        // A re-sent open of an already completed record is acknowledged as a duplicate and never logged as open.
        var missing = acknowledged.Where(a => !logged.Contains(a) && !(a.StartsWith("1:", StringComparison.Ordinal) && logged.Contains("2:" + a[2..]))).ToList();
        return new LogComparison(missing, doubled, [.. logged.Where(l => !acknowledged.Contains(l) && mayBeLogged?.Contains(l) != true)]);
    }

    public static async Task AssertLoggedOnceAsync(
        string connectionString, IReadOnlySet<string> acknowledged, string idPrefix, IReadOnlySet<string>? mayBeLogged = null)
    {
        var comparison = await CompareAsync(connectionString, acknowledged, idPrefix, mayBeLogged);
        Assert.True(comparison.Doubled.Count == 0, $"{comparison.Doubled.Count} items are in the log more than once, e.g. {string.Join(", ", comparison.Doubled.Take(5))}");
        Assert.True(comparison.Missing.Count == 0, $"{comparison.Missing.Count} acknowledged items are not in the log, e.g. {string.Join(", ", comparison.Missing.Take(5))}");
        Assert.True(comparison.Unacknowledged.Count == 0, $"the log holds {comparison.Unacknowledged.Count} items that were never acknowledged, e.g. {string.Join(", ", comparison.Unacknowledged.Take(5))}");
    }
}

/// <summary>Acknowledged but not logged (lost), logged more than once (double-counted), logged but never acknowledged.</summary>
public sealed record LogComparison(IReadOnlyList<string> Missing, IReadOnlyList<string> Doubled, IReadOnlyList<string> Unacknowledged);
