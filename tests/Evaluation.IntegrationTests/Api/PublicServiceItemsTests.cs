using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Evaluation.Contracts.Registry;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Xunit;
using static Evaluation.IntegrationTests.Api.IngestionApiTests;

namespace Evaluation.IntegrationTests.Api;

/// <summary>
/// The breakdowns through the public API: per service item (with the worst items) and per channel over every window,
/// for an institution, its county, city and region and the province, from ratings counted by hand.
/// </summary>
public sealed class PublicServiceItemsTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Service_items_and_channels_give_the_exact_counts_and_the_worst_item_first()
    {
        // An institution with a county, two service items and two channels: 20 bad ratings of its first item on its
        // first channel, 20 good ones of its second item on its second channel, and one more good one two weeks ago.
        var institution = ShippedRegistry.Sample.Institutions.First(i => i.CountyCode is not null && i.Services.Count >= 2 && i.Channels.Count >= 2);
        var (bad, good) = (institution.Services[0], institution.Services[1]);
        var (first, second) = (TrafficGenerator.ChannelName(institution.Channels[0]), TrafficGenerator.ChannelName(institution.Channels[1]));
        var ratings = new List<JsonNode>();
        for (var i = 0; i < 20; i++)
        {
            ratings.Add(Item(Rating($"items-bad-{i}", institution, level: 1), bad, first));
            ratings.Add(Item(Rating($"items-good-{i}", institution, level: 5), good, second));
        }

        ratings.Add(Item(Rating("items-good-old", institution, level: 4, occurredAt: DateTimeOffset.UtcNow.AddDays(-14)), good, second));
        using (var posted = await system.Client.PostAsJsonAsync("/api/v1/evaluations", Batch(ratings), Ct))
        {
            Assert.Equal(41, (await posted.Content.ReadFromJsonAsync<JsonObject>(Ct))!["accepted"]!.GetValue<int>());
        }

        var region = MeasuresName(ShippedRegistry.Sample.Divisions.RegionOf(institution.CityCode)!.Value);
        foreach (var path in new[]
        {
            $"/api/v1/public/institutions/{institution.Id}", $"/api/v1/public/counties/{institution.CountyCode}",
            $"/api/v1/public/cities/{institution.CityCode}", $"/api/v1/public/regions/{region}", "/api/v1/public/province",
        })
        {
            await Eventually(async () => Counts(await GetAsync($"{path}/service-items"), good) == "20/20/21/21", $"{path}'s counts of {good}");
            var items = await GetAsync($"{path}/service-items");
            Assert.Equal("20/20/20/20", Counts(items, bad));
            var badItem = ItemOf(items, bad);
            Assert.Equal(ShippedRegistry.Sample.FindItem(bad)!.Name, badItem["name"]!.GetValue<string>());
            Assert.Equal(0.0, badItem["scores"]!["d30"]!["satisfaction"]!.GetValue<double>());
            Assert.Equal(20, badItem["handling"]!["d7"]!["followUps"]!.GetValue<long>());
            Assert.Equal(0, badItem["service"]!["d30"]!["completed"]!.GetValue<long>());
            Assert.Null(badItem["service"]!["d30"]!["backlog"]);

            // 20 ratings over 30 days are enough to rank; the bad item is the worst, ranked below the good one.
            var worst = items["worst"]!.AsArray();
            Assert.Equal(bad, worst[0]!["id"]!.GetValue<string>());
            Assert.Equal(2, worst[0]!["rank"]!.GetValue<int>());
            Assert.Equal(good, worst[1]!["id"]!.GetValue<string>());

            var channels = await GetAsync($"{path}/channels");
            var channel = channels["channels"]!.AsArray().Single(c => c!["part"]!.GetValue<string>() == second)!;
            Assert.Equal([20L, 20, 21, 21], new[] { "today", "d7", "d30", "d90" }.Select(w => channel["scores"]![w]!["count"]!.GetValue<long>()));
            Assert.NotEmpty(channels["domains"]!.AsArray());
        }

        foreach (var unknown in new[]
        {
            "/api/v1/public/institutions/no-such-id/service-items", "/api/v1/public/counties/449999/service-items",
            "/api/v1/public/cities/449999/channels", "/api/v1/public/regions/south/service-items",
        })
        {
            using var missing = await system.Client.GetAsync(unknown, Ct);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }
    }

    private static JsonObject Item(JsonObject rating, string serviceItem, string channel)
    {
        rating["serviceItem"] = serviceItem;
        rating["channel"] = channel;
        return rating;
    }

    private static string MeasuresName(Region region) => Evaluation.ClientApi.Application.ContractWords.Word(region);

    private static JsonObject ItemOf(JsonObject answer, string code) =>
        answer["items"]!.AsArray().Single(i => i!["serviceItem"]!.GetValue<string>() == code)!.AsObject();

    /// <summary>The item's rating counts today/d7/d30/d90, or "none" while the area does not list it yet.</summary>
    private static string Counts(JsonObject answer, string code) =>
        answer["items"]!.AsArray().Any(i => i!["serviceItem"]!.GetValue<string>() == code)
            ? string.Join('/', new[] { "today", "d7", "d30", "d90" }.Select(w => ItemOf(answer, code)["scores"]![w]!["count"]!.GetValue<long>()))
            : "none";

    private async Task<JsonObject> GetAsync(string path) => (await system.Client.GetFromJsonAsync<JsonObject>(path, Ct))!;
}
