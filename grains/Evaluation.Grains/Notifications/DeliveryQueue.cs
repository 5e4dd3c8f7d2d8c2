using Npgsql;
using NpgsqlTypes;

namespace Evaluation.Grains.Notifications;

/// <summary>A subscription a worker holds for a while; nobody else delivers to it meanwhile.</summary>
public sealed record LeasedSubscription(string Id, string? Url, string? Email, byte[]? SecretSealed);

/// <summary>The oldest pending delivery of a subscription, with its event; Due and Expired are by the database's clock.</summary>
public sealed record DueDelivery(
    Guid Id, string EventId, string Type, string CityCode, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt, string Data, int Attempts, bool Due, bool Expired);

/// <summary>An e-mail subscription whose digest is due, and the window it covers: events recorded after Since up to Until.</summary>
public sealed record DueDigest(string Id, string Email, string? CityCode, IReadOnlyList<string> Events, DateTimeOffset Since, DateTimeOffset Until);

/// <summary>What one attempt did.</summary>
public sealed record AttemptResult(bool Delivered, int? Status, string? Error, int DurationMs);

/// <summary>
/// The delivery side of the outbox. Work is leased per subscription (FOR UPDATE SKIP LOCKED, a lease that lapses),
/// so several silos share the work without two of them delivering to one subscription, and one subscription's
/// deliveries go out one at a time in the order their events committed: only the oldest pending one is tried.
/// All times are the database's, so silos with drifting clocks agree.
/// </summary>
public sealed class DeliveryQueue(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<LeasedSubscription>> LeaseAsync(string owner, TimeSpan lease, int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE notification_subscription s SET lease_owner = $1, lease_until = clock_timestamp() + $2
            WHERE s.id IN (
                SELECT c.id FROM notification_subscription c
                WHERE (c.lease_until IS NULL OR c.lease_until < clock_timestamp())
                  AND (SELECT d.next_attempt_at FROM notification_delivery d
                       WHERE d.subscription_id = c.id AND d.state = 0 ORDER BY d.seq LIMIT 1) <= clock_timestamp()
                ORDER BY c.lease_until NULLS FIRST, c.id LIMIT $3 FOR UPDATE SKIP LOCKED)
            RETURNING s.id, s.url, s.email, s.secret_sealed
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = owner });
        command.Parameters.Add(new NpgsqlParameter { Value = lease, NpgsqlDbType = NpgsqlDbType.Interval });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var leased = new List<LeasedSubscription>();
        while (await reader.ReadAsync(ct))
        {
            leased.Add(new LeasedSubscription(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetFieldValue<byte[]>(3)));
        }

        return leased;
    }

    public async Task<DueDelivery?> HeadAsync(string subscriptionId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT d.id, d.event_id, e.type, e.city_code, e.occurred_at, e.recorded_at, e.data::text, d.attempts,
                d.next_attempt_at <= clock_timestamp(), d.give_up_at <= clock_timestamp()
            FROM notification_delivery d JOIN notification_event e ON e.id = d.event_id
            WHERE d.subscription_id = $1 AND d.state = 0 ORDER BY d.seq LIMIT 1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = subscriptionId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new DueDelivery(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.GetString(6), reader.GetInt32(7), reader.GetBoolean(8), reader.GetBoolean(9))
            : null;
    }

    /// <summary>Logs the attempt and moves the delivery on: delivered, or due again after <paramref name="retryIn"/>.</summary>
    public async Task RecordAsync(Guid deliveryId, AttemptResult attempt, TimeSpan retryIn, CancellationToken ct)
    {
        await using var batch = dataSource.CreateBatch();
        var log = new NpgsqlBatchCommand("""
            INSERT INTO notification_attempt (delivery_id, attempted_at, status, error, duration_ms) VALUES ($1, clock_timestamp(), $2, $3, $4)
            """);
        log.Parameters.Add(new NpgsqlParameter { Value = deliveryId });
        log.Parameters.Add(new NpgsqlParameter { Value = (object?)attempt.Status ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        log.Parameters.Add(new NpgsqlParameter { Value = (object?)attempt.Error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        log.Parameters.Add(new NpgsqlParameter { Value = attempt.DurationMs });
        var move = new NpgsqlBatchCommand("""
            UPDATE notification_delivery SET attempts = attempts + 1,
                state = CASE WHEN $2 THEN 1 ELSE 0 END,
                delivered_at = CASE WHEN $2 THEN clock_timestamp() END,
                next_attempt_at = CASE WHEN $2 THEN next_attempt_at ELSE clock_timestamp() + $3 END
            WHERE id = $1
            """);
        move.Parameters.Add(new NpgsqlParameter { Value = deliveryId });
        move.Parameters.Add(new NpgsqlParameter { Value = attempt.Delivered });
        move.Parameters.Add(new NpgsqlParameter { Value = retryIn, NpgsqlDbType = NpgsqlDbType.Interval });
        batch.BatchCommands.Add(log);
        batch.BatchCommands.Add(move);
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Dead-letters a delivery that was not delivered by its deadline; the subscription's next one goes ahead.</summary>
    public async Task GiveUpAsync(Guid deliveryId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("UPDATE notification_delivery SET state = 2 WHERE id = $1 AND state = 0");
        command.Parameters.Add(new NpgsqlParameter { Value = deliveryId });
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task ReleaseAsync(string subscriptionId, string owner)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE notification_subscription SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = subscriptionId });
        command.Parameters.Add(new NpgsqlParameter { Value = owner });
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    public async Task<IReadOnlyList<DueDigest>> LeaseDigestsAsync(TimeSpan period, TimeSpan lease, int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE notification_subscription s SET digest_lease_until = clock_timestamp() + $2
            WHERE s.id IN (
                SELECT c.id FROM notification_subscription c
                WHERE c.email IS NOT NULL AND coalesce(c.digest_through, c.created_at) + $1 <= clock_timestamp()
                  AND (c.digest_lease_until IS NULL OR c.digest_lease_until < clock_timestamp())
                ORDER BY c.id LIMIT $3 FOR UPDATE SKIP LOCKED)
            RETURNING s.id, s.email, s.city_code, s.events, coalesce(s.digest_through, s.created_at), clock_timestamp()
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = period, NpgsqlDbType = NpgsqlDbType.Interval });
        command.Parameters.Add(new NpgsqlParameter { Value = lease, NpgsqlDbType = NpgsqlDbType.Interval });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var due = new List<DueDigest>();
        while (await reader.ReadAsync(ct))
        {
            due.Add(new DueDigest(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetFieldValue<string[]>(3), reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5)));
        }

        return due;
    }

    /// <summary>The events a digest covers: of its types and city, recorded in its window, oldest first.</summary>
    public async Task<IReadOnlyList<DueDelivery>> DigestEventsAsync(DueDigest digest, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, type, city_code, occurred_at, recorded_at, data::text FROM notification_event
            WHERE type = ANY ($1) AND ($2::text IS NULL OR city_code = $2) AND recorded_at > $3 AND recorded_at <= $4
            ORDER BY recorded_at, id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = digest.Events.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)digest.CityCode ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = digest.Since.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = digest.Until.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var events = new List<DueDelivery>();
        while (await reader.ReadAsync(ct))
        {
            events.Add(new DueDelivery(Guid.Empty, reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5), 0, true, false));
        }

        return events;
    }

    public async Task DigestSentAsync(DueDigest digest)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE notification_subscription SET digest_through = $2, digest_lease_until = NULL WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = digest.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = digest.Until.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
