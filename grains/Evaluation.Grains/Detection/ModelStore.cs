using Evaluation.Detection;
using Npgsql;

namespace Evaluation.Grains.Detection;

/// <summary>Where trained models are kept between runs and restarts.</summary>
public interface IModelStore
{
    Task SaveAsync(SatisfactionModel model, CancellationToken cancellationToken);

    /// <summary>The most recently trained model, or null before the first training.</summary>
    Task<SatisfactionModel?> LoadLatestAsync(CancellationToken cancellationToken);
}

/// <summary>Models in PostgreSQL (<c>ops/sql/003_detection.sql</c>), as ML.NET model zip bytes.</summary>
public sealed class PostgresModelStore(NpgsqlDataSource dataSource) : IModelStore
{
    public async Task SaveAsync(SatisfactionModel model, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO detection_model (version, trained_at, training_rows, model) VALUES ($1, $2, $3, $4) ON CONFLICT (version) DO NOTHING");
        command.Parameters.AddWithValue(model.Version);
        command.Parameters.AddWithValue(model.TrainedAt.ToUniversalTime());
        command.Parameters.AddWithValue(model.TrainingRows);
        command.Parameters.AddWithValue(model.Save());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<SatisfactionModel?> LoadLatestAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT version, trained_at, training_rows, model FROM detection_model ORDER BY trained_at DESC LIMIT 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return SatisfactionModel.Load(
            reader.GetFieldValue<byte[]>(3),
            reader.GetString(0),
            reader.GetFieldValue<DateTimeOffset>(1),
            reader.GetInt32(2));
    }
}

/// <summary>In-memory mode: models live as long as the silo, like everything else there.</summary>
public sealed class InMemoryModelStore : IModelStore
{
    private (byte[] Zip, SatisfactionModel Model)? latest;

    public Task SaveAsync(SatisfactionModel model, CancellationToken cancellationToken)
    {
        latest = (model.Save(), model);
        return Task.CompletedTask;
    }

    public Task<SatisfactionModel?> LoadLatestAsync(CancellationToken cancellationToken) =>
        Task.FromResult(latest is { } stored
            ? SatisfactionModel.Load(stored.Zip, stored.Model.Version, stored.Model.TrainedAt, stored.Model.TrainingRows)
            : null);
}
