using Evaluation.Contracts.Grains;
using Evaluation.Domain.Measures;
using Evaluation.Grains.Areas;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Xunit;

namespace Evaluation.IntegrationTests.Durability;

/// <summary>
/// The province asks its cities for their sums when it is read, and a city answers with its sum only when it
/// changed since the one the province holds: the province still shows every acknowledged rating, and a city
/// that was rebuilt (another activation) is never taken for an unchanged one.
/// </summary>
public sealed class ProvinceRollupTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task The_province_read_after_ingest_equals_the_log_and_a_city_sends_its_sum_only_when_it_changed()
    {
        await using var system = await EvaluationCluster.StartAsync(database, silos: 1);
        var sample = ShippedRegistry.Sample.Institutions;
        var first = sample[0];
        var other = sample.First(i => i.CityCode != first.CityCode);
        var traffic = new TrafficGenerator([first, other], seed: 1130) { ResendShare = 0 };
        var ingest = system.Grains.GetGrain<IIngestGrain>(0);
        await ingest.IngestEvaluations(TestSources.Default, traffic.Evaluations(40, DateTimeOffset.UtcNow));

        var province = system.Grains.GetGrain<IProvinceGrain>(ProvinceGrain.Key);
        var everyone = sample.ToDictionary(i => i.Id, _ => ProvinceGrain.Key);
        await WaitUntilAsync(async () =>
        {
            var expected = await LogRecomputation.ByAreaAsync(database.ConnectionString, everyone);
            return Aggregation.Differences(expected[ProvinceGrain.Key], await province.GetAggregate()).Count == 0;
        }, "the province's sum equals the SQL recomputation of the log");

        var city = system.Grains.GetGrain<ICityGrain>(first.CityCode);
        var held = await city.GetRollup();
        Assert.Null(await city.GetRollupIfChanged(held.Stamp));
        Assert.NotNull(await city.GetRollupIfChanged(held.Stamp with { Activation = Guid.NewGuid() }));
        Assert.NotNull(await city.GetRollupIfChanged(null));

        // One more rating of the city's institution: the city's next answer is a newer sum, which the province shows.
        var before = (await system.Grains.GetGrain<IInstitutionGrain>(first.Id).GetAggregate()).Position;
        await ingest.IngestEvaluations(TestSources.Default, new TrafficGenerator([first], seed: 1131) { ResendShare = 0 }.Evaluations(1, DateTimeOffset.UtcNow));
        CityRollup? changed = null;
        await WaitUntilAsync(async () => (changed = await city.GetRollupIfChanged(held.Stamp)) is not null, "the city's sum changes after the rating");
        Assert.True(changed!.Version > held.Version);
        Assert.Equal(held.Activation, changed.Activation);
        Assert.True((await system.Grains.GetGrain<IInstitutionGrain>(first.Id).GetAggregate()).Position > before);
        await WaitUntilAsync(async () =>
        {
            var expected = await LogRecomputation.ByAreaAsync(database.ConnectionString, everyone);
            return Aggregation.Differences(expected[ProvinceGrain.Key], await province.GetAggregate()).Count == 0;
        }, "the province shows the new rating");
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(100);
        }
    }
}
