using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Serialization;
using Orleans.Storage;

namespace Evaluation.Grains.Notifications;

/// <summary>
/// Grain storage for the states whose changes people are notified of (the alert book, audit cases; those with an
/// <see cref="INotificationSource{T}"/>): it writes the state into <c>notifying_grain_state</c> and the events the
/// change causes into the outbox in ONE PostgreSQL transaction, so a silo that dies at any moment leaves either both
/// or neither. The events are found by comparing the state being written with the state committed before, read under
/// a row lock in the same transaction, so the grains themselves are unchanged. Every other state passes through to
/// the ADO.NET provider. A state written before this storage existed is read from the ADO.NET provider once and
/// moves here on its next write.
/// </summary>
internal sealed class NotifyingGrainStorage(IGrainStorage inner, IServiceProvider services) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private const string VersionPrefix = "n";

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (services.GetService<INotificationSource<T>>() is null)
        {
            await inner.ReadStateAsync(stateName, grainId, grainState);
            return;
        }

        await using var command = DataSource.CreateCommand("SELECT version, payload FROM notifying_grain_state WHERE grain_key = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = Key(stateName, grainId) });
        await using var reader = await command.ExecuteReaderAsync();
        if (await reader.ReadAsync())
        {
            grainState.State = Serializer.Deserialize<T>(reader.GetFieldValue<byte[]>(1));
            grainState.ETag = VersionPrefix + reader.GetInt64(0);
            grainState.RecordExists = true;
            return;
        }

        await inner.ReadStateAsync(stateName, grainId, grainState);
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (services.GetService<INotificationSource<T>>() is not { } source)
        {
            await inner.WriteStateAsync(stateName, grainId, grainState);
            return;
        }

        var key = Key(stateName, grainId);
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        long? version = null;
        var before = default(T);
        await using (var read = new NpgsqlCommand("SELECT version, payload FROM notifying_grain_state WHERE grain_key = $1 FOR UPDATE", connection, transaction))
        {
            read.Parameters.Add(new NpgsqlParameter { Value = key });
            await using var reader = await read.ExecuteReaderAsync();
            if (await reader.ReadAsync())
            {
                version = reader.GetInt64(0);
                before = Serializer.Deserialize<T>(reader.GetFieldValue<byte[]>(1));
            }
        }

        var expected = grainState.ETag is { } etag && etag.StartsWith(VersionPrefix, StringComparison.Ordinal) ? long.Parse(etag[1..], System.Globalization.CultureInfo.InvariantCulture) : (long?)null;
        if (version != expected)
        {
            throw new InconsistentStateException($"The state {key} changed meanwhile.", grainState.ETag ?? "", version is null ? "" : VersionPrefix + version);
        }

        if (version is null)
        {
            // Never written here: what the ADO.NET provider holds (if anything) is what the events are measured against.
            var legacy = new GrainState<T>();
            await inner.ReadStateAsync(stateName, grainId, legacy);
            before = legacy.RecordExists ? legacy.State : default;
        }

        var next = (version ?? 0) + 1;
        await using (var write = new NpgsqlCommand("""
            INSERT INTO notifying_grain_state (grain_key, version, payload, written_at) VALUES ($1, $2, $3, clock_timestamp())
            ON CONFLICT (grain_key) DO UPDATE SET version = excluded.version, payload = excluded.payload, written_at = excluded.written_at
                WHERE notifying_grain_state.version = $2 - 1
            """, connection, transaction))
        {
            write.Parameters.Add(new NpgsqlParameter { Value = key });
            write.Parameters.Add(new NpgsqlParameter { Value = next });
            write.Parameters.Add(new NpgsqlParameter { Value = Serializer.SerializeToArray(grainState.State) });
            if (await write.ExecuteNonQueryAsync() != 1)
            {
                throw new InconsistentStateException($"The state {key} was written meanwhile.", grainState.ETag ?? "", "");
            }
        }

        await Outbox.AddAsync(connection, transaction, source.Changes(before, grainState.State!), services.GetRequiredService<NotificationSettings>().DeadLetterAfter);
        await transaction.CommitAsync();
        grainState.ETag = VersionPrefix + next;
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (services.GetService<INotificationSource<T>>() is not null)
        {
            await using var command = DataSource.CreateCommand("DELETE FROM notifying_grain_state WHERE grain_key = $1");
            command.Parameters.Add(new NpgsqlParameter { Value = Key(stateName, grainId) });
            await command.ExecuteNonQueryAsync();
        }

        await inner.ClearStateAsync(stateName, grainId, grainState);
    }

    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    private NpgsqlDataSource DataSource => services.GetRequiredService<NpgsqlDataSource>();

    private Serializer Serializer => services.GetRequiredService<Serializer>();

    private static string Key(string stateName, GrainId grainId) => $"{grainId}/{stateName}";
}
