using Evaluation.Contracts.Notifications;
using Npgsql;
using NpgsqlTypes;

namespace Evaluation.Grains.Notifications;

/// <summary>Subscriptions and their delivery logs in PostgreSQL (ops/sql/010_notifications.sql).</summary>
public sealed class SubscriptionStore(NpgsqlDataSource dataSource)
{
    private const string ViewSql = """
        SELECT s.id, s.url, s.email, s.events, s.city_code, s.created_by, s.created_at,
            count(d.id) FILTER (WHERE d.state = 0), count(d.id) FILTER (WHERE d.state = 1), count(d.id) FILTER (WHERE d.state = 2)
        FROM notification_subscription s LEFT JOIN notification_delivery d ON d.subscription_id = s.id
        """;

    public async Task CreateAsync(string id, NewSubscription request, byte[]? secretSealed, string createdBy, string createdRole)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO notification_subscription (id, url, email, events, city_code, secret_sealed, created_by, created_role, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, clock_timestamp())
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(Text(request.Url));
        command.Parameters.Add(Text(request.Email));
        command.Parameters.Add(new NpgsqlParameter { Value = request.Events.Distinct().ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(Text(request.CityCode));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)secretSealed ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter { Value = createdBy });
        command.Parameters.Add(new NpgsqlParameter { Value = createdRole });
        await command.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyList<SubscriptionView>> ListAsync(string? cityCode, string? id = null)
    {
        await using var command = dataSource.CreateCommand($"""
            {ViewSql} WHERE ($1::text IS NULL OR s.city_code = $1) AND ($2::text IS NULL OR s.id = $2)
            GROUP BY s.id ORDER BY s.created_at, s.id
            """);
        command.Parameters.Add(Text(cityCode));
        command.Parameters.Add(Text(id));
        await using var reader = await command.ExecuteReaderAsync();
        var views = new List<SubscriptionView>();
        while (await reader.ReadAsync())
        {
            views.Add(new SubscriptionView(reader.GetString(0), Nullable(reader, 1), Nullable(reader, 2), reader.GetFieldValue<string[]>(3),
                Nullable(reader, 4), reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6),
                (int)reader.GetInt64(7), (int)reader.GetInt64(8), (int)reader.GetInt64(9)));
        }

        return views;
    }

    /// <summary>Deletes the subscription with its deliveries and their attempts; the events stay for the others.</summary>
    public async Task<bool> DeleteAsync(string id)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM notification_subscription WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return await command.ExecuteNonQueryAsync() == 1;
    }

    public async Task<DeliveryPage> DeliveriesAsync(string subscriptionId, int page, int pageSize)
    {
        await using var batch = dataSource.CreateBatch();
        var rows = new NpgsqlBatchCommand("""
            SELECT d.id, d.event_id, e.type, e.occurred_at, d.state, d.attempts, d.next_attempt_at, d.delivered_at,
                coalesce((SELECT jsonb_agg(jsonb_build_object('at', a.attempted_at, 'status', a.status, 'error', a.error, 'ms', a.duration_ms)
                                  ORDER BY a.id)
                          FROM notification_attempt a WHERE a.delivery_id = d.id), '[]')::text
            FROM notification_delivery d JOIN notification_event e ON e.id = d.event_id
            WHERE d.subscription_id = $1 ORDER BY d.seq DESC LIMIT $2 OFFSET $3
            """);
        rows.Parameters.Add(new NpgsqlParameter { Value = subscriptionId });
        rows.Parameters.Add(new NpgsqlParameter { Value = pageSize });
        rows.Parameters.Add(new NpgsqlParameter { Value = (long)(page - 1) * pageSize });
        var count = new NpgsqlBatchCommand("SELECT count(*) FROM notification_delivery WHERE subscription_id = $1");
        count.Parameters.Add(new NpgsqlParameter { Value = subscriptionId });
        batch.BatchCommands.Add(rows);
        batch.BatchCommands.Add(count);
        await using var reader = await batch.ExecuteReaderAsync();
        var items = new List<DeliveryView>();
        while (await reader.ReadAsync())
        {
            var attempts = System.Text.Json.Nodes.JsonNode.Parse(reader.GetString(8))!.AsArray()
                .Select(a => new DeliveryAttempt(a!["at"]!.GetValue<DateTimeOffset>(), a["status"]?.GetValue<int>(), a["error"]?.GetValue<string>(), a["ms"]!.GetValue<int>()))
                .ToList();
            items.Add(new DeliveryView(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                (DeliveryState)reader.GetInt16(4), reader.GetInt32(5), reader.GetFieldValue<DateTimeOffset>(6),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7), attempts));
        }

        await reader.NextResultAsync();
        await reader.ReadAsync();
        return new DeliveryPage(items, (int)reader.GetInt64(0), page, pageSize);
    }

    public async Task<bool> RedeliverAsync(string subscriptionId, Guid deliveryId, TimeSpan deadLetterAfter)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE notification_delivery SET state = 0, next_attempt_at = clock_timestamp(), give_up_at = clock_timestamp() + $3
            WHERE id = $1 AND subscription_id = $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = deliveryId });
        command.Parameters.Add(new NpgsqlParameter { Value = subscriptionId });
        command.Parameters.Add(new NpgsqlParameter { Value = deadLetterAfter, NpgsqlDbType = NpgsqlDbType.Interval });
        return await command.ExecuteNonQueryAsync() == 1;
    }

    private static string? Nullable(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };
}
