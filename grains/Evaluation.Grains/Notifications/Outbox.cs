using Npgsql;
using NpgsqlTypes;

namespace Evaluation.Grains.Notifications;

/// <summary>
/// Writes events into the outbox (<c>notification_event</c>) on the caller's connection and transaction, and in the
/// same statement one delivery per subscription that wants it (ops/sql/010_notifications.sql), so an event commits,
/// or is lost, exactly with the state change that caused it. An event id seen before is skipped with its deliveries.
/// E-mail subscriptions get a delivery only for immediate events; the rest reach them in the digest.
/// </summary>
public static class Outbox
{
    private const string InsertSql = """
        WITH incoming AS (
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::boolean[], $6::jsonb[])
                WITH ORDINALITY AS x (id, type, city_code, occurred_at, immediate, data, ord)),
        fresh AS (
            INSERT INTO notification_event (id, type, city_code, occurred_at, immediate, data)
                SELECT id, type, city_code, occurred_at, immediate, data FROM incoming ORDER BY ord
                ON CONFLICT (id) DO NOTHING
                RETURNING id, type, city_code, immediate)
        INSERT INTO notification_delivery (id, subscription_id, event_id, next_attempt_at, give_up_at)
            SELECT gen_random_uuid(), s.id, f.id, clock_timestamp(), clock_timestamp() + $7
            FROM fresh f JOIN incoming i USING (id)
                JOIN notification_subscription s ON f.type = ANY (s.events)
                    AND (s.city_code IS NULL OR s.city_code = f.city_code) AND (s.url IS NOT NULL OR f.immediate)
            ORDER BY i.ord, s.id
        """;

    public static async Task AddAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<NotificationEvent> events,
        TimeSpan deadLetterAfter, CancellationToken cancellationToken = default)
    {
        if (events.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(InsertSql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Id).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Type).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.CityCode).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = events.Select(e => e.OccurredAt.UtcDateTime).ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz,
        });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Immediate).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Data).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = deadLetterAfter, NpgsqlDbType = NpgsqlDbType.Interval });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
