using Evaluation.Contracts.Cases;
using Npgsql;
using NpgsqlTypes;

namespace Evaluation.Grains.Cases;

/// <summary>Follow-ups in the <c>follow_up</c> table and contact reveals in <c>contact_reveal</c> (ops/sql/005, 007).</summary>
public sealed class PostgresFollowUpStore(NpgsqlDataSource dataSource) : IFollowUpStore
{
    // Mirrors FollowUp.IsOverdueAt: due_at is the deadline of the stage the follow-up is in.
    private const string MatchingSql = """
        FROM follow_up
        WHERE ($1::text IS NULL OR city_code = $1) AND ($2::smallint IS NULL OR state = $2)
          AND ($3::boolean IS NULL OR coalesce(due_at < $4, false) = $3)
          AND ($5::text IS NULL OR institution_id = $5) AND ($6::text IS NULL OR service_item = $6)
          AND ($7::smallint IS NULL OR channel = $7) AND ($8::smallint IS NULL OR level = $8)
          AND (NOT $9 OR state IN (0, 1, 2, 5))
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

    public async Task<bool> SaveAsync(FollowUp next, int overRevision, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE follow_up SET state = $2, rectify_deadline = $3, revision = $4, document = $5, due_at = $6, overdue_noted = $7
            WHERE id = $1 AND revision = $8
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = next.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = (short)next.State });
        command.Parameters.Add(Time(next.RectifyDeadline));
        command.Parameters.Add(new NpgsqlParameter { Value = next.History.Count });
        command.Parameters.Add(new NpgsqlParameter { Value = FollowUpDocuments.Write(next), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(Time(next.DueAt));
        command.Parameters.Add(new NpgsqlParameter { Value = next.OverdueNoted });
        command.Parameters.Add(new NpgsqlParameter { Value = overRevision });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<FollowUpPage> QueryAsync(string? cityCode, FollowUpFilter filter, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var order = filter.Order == FollowUpOrder.DueSoonest
            ? """due_at NULLS LAST, opened_at, id COLLATE "C" """
            : """opened_at DESC, id COLLATE "C" """;
        await using var batch = dataSource.CreateBatch();
        var page = new NpgsqlBatchCommand($"SELECT document::text {MatchingSql} ORDER BY {order} LIMIT $10 OFFSET $11");
        var count = new NpgsqlBatchCommand($"SELECT count(*) {MatchingSql}");
        foreach (var command in new[] { page, count })
        {
            command.Parameters.Add(Text(cityCode));
            command.Parameters.Add(new NpgsqlParameter { Value = filter.State is { } state ? (short)state : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Smallint });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)filter.Overdue ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Boolean });
            command.Parameters.Add(Time(now));
            command.Parameters.Add(Text(filter.InstitutionId));
            command.Parameters.Add(Text(filter.ServiceItem));
            command.Parameters.Add(new NpgsqlParameter { Value = filter.Channel is { } channel ? (short)channel : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Smallint });
            command.Parameters.Add(new NpgsqlParameter { Value = filter.Level is { } level ? (short)level : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Smallint });
            command.Parameters.Add(new NpgsqlParameter { Value = filter.OpenOnly });
            batch.BatchCommands.Add(command);
        }

        page.Parameters.Add(new NpgsqlParameter { Value = filter.PageSize });
        page.Parameters.Add(new NpgsqlParameter { Value = (long)(filter.Page - 1) * filter.PageSize });
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var items = new List<FollowUp>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(FollowUpDocuments.ReadFollowUp(reader.GetString(0)));
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new FollowUpPage(items, (int)reader.GetInt64(0), filter.Page, filter.PageSize);
    }

    public async Task RecordRevealAsync(ContactReveal reveal, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO contact_reveal (follow_up_id, city_code, institution_id, actor, role, revealed_at) VALUES ($1, $2, $3, $4, $5, $6)
            """);
        foreach (var value in new[] { reveal.FollowUpId, reveal.CityCode, reveal.InstitutionId, reveal.Actor, reveal.Role })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        command.Parameters.Add(Time(reveal.At));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ContactRevealPage> QueryRevealsAsync(string? cityCode, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var batch = dataSource.CreateBatch();
        var rows = new NpgsqlBatchCommand("""
            SELECT follow_up_id, city_code, institution_id, actor, role, revealed_at FROM contact_reveal
            WHERE $1::text IS NULL OR city_code = $1 ORDER BY id DESC LIMIT $2 OFFSET $3
            """);
        var count = new NpgsqlBatchCommand("SELECT count(*) FROM contact_reveal WHERE $1::text IS NULL OR city_code = $1");
        rows.Parameters.Add(Text(cityCode));
        rows.Parameters.Add(new NpgsqlParameter { Value = pageSize });
        rows.Parameters.Add(new NpgsqlParameter { Value = (long)(page - 1) * pageSize });
        count.Parameters.Add(Text(cityCode));
        batch.BatchCommands.Add(rows);
        batch.BatchCommands.Add(count);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var items = new List<ContactReveal>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new ContactReveal(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5)));
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new ContactRevealPage(items, (int)reader.GetInt64(0), page, pageSize);
    }

    public async Task<IReadOnlyList<string>> OverdueUnnotedAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id FROM follow_up WHERE state IN (0, 1) AND due_at < $1 AND NOT overdue_noted ORDER BY due_at LIMIT $2
            """);
        command.Parameters.Add(Time(now));
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public async Task<IReadOnlyList<FollowUp>> RectifiedOrDecidedSinceAsync(
        string cityCode, string? institutionId, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        // Steps 4 and 5 are FollowUpStep.Uphold and Dismiss; the document is the FollowUp as System.Text.Json writes it.
        await using var command = dataSource.CreateCommand("""
            SELECT document::text FROM follow_up
            WHERE city_code = $1 AND ($2::text IS NULL OR institution_id = $2)
              AND ((document->>'RectifiedAt')::timestamptz >= $3
                OR EXISTS (SELECT 1 FROM jsonb_array_elements(document->'History') h
                           WHERE (h->>'Step')::int IN (4, 5) AND (h->>'At')::timestamptz >= $3))
            """);
        command.Parameters.Add(Text(cityCode));
        command.Parameters.Add(Text(institutionId));
        command.Parameters.Add(Time(since));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<FollowUp>();
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(FollowUpDocuments.ReadFollowUp(reader.GetString(0)));
        }

        return result;
    }

    public async Task<IReadOnlyList<OverdueFollowUps>> OverdueByInstitutionAsync(DateTimeOffset dueBefore, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT institution_id, city_code, count(*), min(due_at) FROM follow_up
            WHERE state IN (0, 1) AND due_at < $1 GROUP BY institution_id, city_code ORDER BY institution_id
            """);
        command.Parameters.Add(Time(dueBefore));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<OverdueFollowUps>();
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new OverdueFollowUps(reader.GetString(0), reader.GetString(1), (int)reader.GetInt64(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return result;
    }

    public async Task<IReadOnlyList<SealedContact>> ContactsNotUnderKeyAsync(string keyId, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, contact_sealed FROM follow_up
            WHERE contact_sealed IS NOT NULL AND contact_key_id IS DISTINCT FROM $1 ORDER BY id COLLATE "C" LIMIT $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = keyId });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var contacts = new List<SealedContact>();
        while (await reader.ReadAsync(cancellationToken))
        {
            contacts.Add(new SealedContact(reader.GetString(0), reader.GetFieldValue<byte[]>(1)));
        }

        return contacts;
    }

    public async Task<bool> ResealContactAsync(SealedContact current, byte[] replacement, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("UPDATE follow_up SET contact_sealed = $3 WHERE id = $1 AND contact_sealed = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = current.FollowUpId });
        command.Parameters.Add(new NpgsqlParameter { Value = current.Sealed });
        command.Parameters.Add(new NpgsqlParameter { Value = replacement });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<int> EraseContactsAsync(DateTimeOffset closedBefore, CancellationToken cancellationToken = default)
    {
        // state 3 closed, 4 excluded: the two ends of a follow-up, both stamped with ClosedAt.
        await using var command = dataSource.CreateCommand("""
            UPDATE follow_up SET contact_sealed = NULL
            WHERE contact_sealed IS NOT NULL AND state IN (3, 4) AND (document->>'ClosedAt')::timestamptz < $1
            """);
        command.Parameters.Add(Time(closedBefore));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Time(DateTimeOffset? value) =>
        new() { Value = (object?)value?.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };
}
