using Evaluation.Contracts.Grains;
using Evaluation.Contracts.Ingestion;
using Evaluation.Detection;
using Evaluation.Domain.Calendar;
using Evaluation.Domain.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Xunit;

namespace Evaluation.IntegrationTests.Detection;

/// <summary>
/// Detection reads each institution's feature inputs from its city, which computes them from the report it holds
/// and keeps them while that report stays at the same position: a new report must show in the next inputs, and the
/// city's inputs must be those the institution itself computes at the same position.
/// </summary>
public sealed class FeatureInputsTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_city_s_inputs_follow_each_new_report_and_match_the_institution_s_own()
    {
        await using var system = await EvaluationCluster.StartAsync(database, silos: 1);
        var (target, _) = PeerGroups.InDifferentCities(1);
        var city = system.Grains.GetGrain<ICityGrain>(target.CityCode);
        var today = WorkingCalendar.ToLocalDate(DateTimeOffset.UtcNow).ToDateOnly();
        var registry = InstitutionRegistry.LoadSample();

        foreach (var (batch, bad) in new[] { ("first", 3), ("second", 1) })
        {
            var ratings = Enumerable.Range(0, 4).Select(i => ConsistentCutTests.Rating($"inputs-{batch}-{i}", target, i < bad, DateTimeOffset.UtcNow.AddMinutes(-5))).ToList();
            var results = await system.Grains.GetGrain<IIngestGrain>(0).IngestEvaluations(TestSources.Default, ratings);
            Assert.All(results, r => Assert.Equal(ItemStatus.Accepted, r.Status));
        }

        // The institution reports within its report period; the city's inputs then carry the new position.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        Contracts.Detection.FeatureInputs? held;
        while (((await city.GetFeatureInputs(today)).TryGetValue(target.Id, out held) ? held.Position : 0) < 8)
        {
            Assert.True(DateTime.UtcNow < deadline, "the city never held the institution's report of both batches");
            await Task.Delay(100, Ct);
        }

        var own = await system.Grains.GetGrain<IInstitutionGrain>(target.Id).GetFeatureInputsAt(8, today);
        var fromCity = FeatureBuilder.Build(registry, target, held!);
        var fromInstitution = FeatureBuilder.Build(registry, target, own);
        Assert.Equal((8L, 4L), (fromCity[FeatureWindow.Days7].Ratings, fromCity[FeatureWindow.Days7].Bad));
        Assert.Equal(Enum.GetValues<FeatureWindow>().Select(w => fromInstitution[w]), Enum.GetValues<FeatureWindow>().Select(w => fromCity[w]));
        Assert.Equal(fromInstitution.Parts.Items, fromCity.Parts.Items);
        Assert.Equal(fromInstitution.Parts.Channels, fromCity.Parts.Channels);
    }
}
