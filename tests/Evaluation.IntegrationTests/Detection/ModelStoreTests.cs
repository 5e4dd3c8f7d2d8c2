using Evaluation.Detection;
using Evaluation.Detection.Simulation;
using Evaluation.Domain.Registry;
using Evaluation.Grains.Detection;
using Evaluation.Grains.Storage;
using Evaluation.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit;

namespace Evaluation.IntegrationTests.Detection;

/// <summary>Trained models survive a restart: what one store saved, a new store on the same database loads and scores alike.</summary>
public sealed class ModelStoreTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task The_latest_model_is_loaded_back_with_its_version_and_scores_the_same()
    {
        var ct = TestContext.Current.CancellationToken;
        await new SchemaMigrator(database.ConnectionString, NullLogger<SchemaMigrator>.Instance).MigrateAsync(ct);
        var registry = InstitutionRegistry.LoadSample();
        var simulation = new TrafficSimulation(registry, seed: 3, days: 30, plantScenarios: false);
        for (var day = -TrafficSimulation.WarmUpDays; day < 0; day++)
        {
            simulation.SimulateDay(day);
        }

        var rows = DetectionPass.Features(registry, simulation.Aggregates, TrafficSimulation.DateOf(-1));
        var trainedAt = new DateTimeOffset(2026, 3, 1, 23, 0, 0, TimeSpan.FromHours(8));
        var older = SatisfactionModel.Train(rows, DetectionSettings.Default, trainedAt.AddDays(-1))!;
        var latest = SatisfactionModel.Train(rows, DetectionSettings.Default, trainedAt)!;

        await using (var writer = NpgsqlDataSource.Create(database.ConnectionString))
        {
            var store = new PostgresModelStore(writer);
            await store.SaveAsync(older, ct);
            await store.SaveAsync(latest, ct);
        }

        await using var reader = NpgsqlDataSource.Create(database.ConnectionString);
        var loaded = await new PostgresModelStore(reader).LoadLatestAsync(ct);

        Assert.NotNull(loaded);
        Assert.Equal(latest.Version, loaded.Version);
        Assert.Equal(trainedAt, loaded.TrainedAt);
        Assert.Equal(latest.TrainingRows, loaded.TrainingRows);
        Assert.Equal(latest.Predict(rows), loaded.Predict(rows));
    }
}
