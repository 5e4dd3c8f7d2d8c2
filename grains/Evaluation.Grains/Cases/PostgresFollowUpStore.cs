using Evaluation.Contracts.Cases;
using Npgsql;
using NpgsqlTypes;

namespace Evaluation.Grains.Cases;

/// <summary>Follow-ups in the <c>follow_up</c> table (ops/sql/005_follow_up.sql).</summary>
public sealed class PostgresFollowUpStore(NpgsqlDataSource dataSource) : IFollowUpStore
{
    // Mirrors FollowUpRules.IsOverdue: past the deadline of the stage the city is in.
    private const string OverdueSql = "coalesce((state = 0 AND call_back_deadline < $4) OR (state = 1 AND rectify_deadline < $4), false)";

    private const string MatchingSql = $"""
        FROM follow_up
        WHERE city_code = $1 AND ($2::smallint IS NULL OR state = $2) AND ($3::boolean IS NULL OR {OverdueSql} = $3)
        """;

    public async Task<StoredFollowUp?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT document::text, opening::text, contact_sealed FROM follow_up WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var contact = reader.IsDBNull(2) ? null : reader.GetFieldValue<byte[]>(2);
        return new StoredFollowUp(FollowUpDocuments.ReadFollowUp(reader.GetString(0)), FollowUpDocuments.ReadOpening(reader.GetString(1), contact));
    }

    public async Task<bool> SaveAsync(FollowUp next, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE follow_up SET state = $2, rectify_deadline = $3, revision = $4, document = $5
            WHERE id = $1 AND revision = $4 - 1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = next.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = (short)next.State });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)next.RectifyDeadline?.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = next.History.Count });
        command.Parameters.Add(new NpgsqlParameter { Value = FollowUpDocuments.Write(next), NpgsqlDbType = NpgsqlDbType.Jsonb });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<FollowUpPage> QueryAsync(FollowUpQuery query, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var batch = dataSource.CreateBatch();
        var page = new NpgsqlBatchCommand($"""SELECT document::text {MatchingSql} ORDER BY opened_at DESC, id COLLATE "C" LIMIT $5 OFFSET $6""");
        var count = new NpgsqlBatchCommand($"SELECT count(*) {MatchingSql}");
        foreach (var command in new[] { page, count })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = query.CityCode });
            command.Parameters.Add(new NpgsqlParameter { Value = query.State is { } state ? (short)state : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Smallint });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Overdue ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Boolean });
            command.Parameters.Add(new NpgsqlParameter { Value = now.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            batch.BatchCommands.Add(command);
        }

        page.Parameters.Add(new NpgsqlParameter { Value = query.PageSize });
        page.Parameters.Add(new NpgsqlParameter { Value = (long)(query.Page - 1) * query.PageSize });
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var items = new List<FollowUp>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(FollowUpDocuments.ReadFollowUp(reader.GetString(0)));
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new FollowUpPage(items, (int)reader.GetInt64(0), query.Page, query.PageSize);
    }
}
