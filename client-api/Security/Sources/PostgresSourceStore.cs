using Npgsql;

namespace Evaluation.ClientApi.Security.Sources;

/// <summary>The <c>source</c> table, read whole (a province has tens of sources, not thousands).</summary>
public sealed class PostgresSourceStore(NpgsqlDataSource dataSource) : ISourceStore
{
    private const string Columns = """
        name, key_hash, previous_key_hash, previous_valid_until, cities, institutions, channels, per_minute,
        created_at, rotated_at, revoked_at
        """;

    public async Task<IReadOnlyList<SourceRecord>> AllAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM source ORDER BY name");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var sources = new List<SourceRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            sources.Add(new SourceRecord(
                reader.GetString(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetFieldValue<string[]>(4),
                reader.GetFieldValue<string[]>(5),
                reader.GetFieldValue<string[]>(6),
                reader.IsDBNull(7) ? null : reader.GetInt32(7),
                reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
                reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10)));
        }

        return sources;
    }

    public async Task<bool> CreateAsync(SourceRecord source, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO source ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (name) DO NOTHING
            """);
        Bind(command, source);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> UpdateAsync(SourceRecord source, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE source SET key_hash = $2, previous_key_hash = $3, previous_valid_until = $4, cities = $5, institutions = $6,
                channels = $7, per_minute = $8, created_at = $9, rotated_at = $10, revoked_at = $11
            WHERE name = $1
            """);
        Bind(command, source);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static void Bind(NpgsqlCommand command, SourceRecord s)
    {
        object?[] values =
        [
            s.Name, s.KeyHash, s.PreviousKeyHash, s.PreviousValidUntil?.UtcDateTime, s.Cities.ToArray(), s.Institutions.ToArray(),
            s.Channels.ToArray(), s.PerMinute, s.CreatedAt.UtcDateTime, s.RotatedAt?.UtcDateTime, s.RevokedAt?.UtcDateTime,
        ];
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
    }
}
