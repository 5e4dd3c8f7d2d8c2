using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Evaluation.Contracts.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Xunit;
using static Evaluation.IntegrationTests.Api.IngestionApiTests;

namespace Evaluation.IntegrationTests.Api;

/// <summary>The public read API: the figures for known data, the published lists, and never personal data.</summary>
public sealed class PublicApiTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    [Fact]
    public async Task Known_ratings_give_the_exact_measures_on_institution_city_and_province()
    {
        var institution = Pick(InstitutionKind.BrandGuidanceStation);
        var levels = new[] { 5, 5, 4, 1 };
        await PostAsync(Batch(levels.Select((level, i) => Rating($"pub-known-{i}", institution, level))));

        await Eventually(async () => (await GetAsync($"/api/v1/public/institutions/{institution.Id}"))["scores"]!["today"]!["count"]!.GetValue<long>() == 4, "the institution's four ratings");
        var today = (await GetAsync($"/api/v1/public/institutions/{institution.Id}"))["scores"]!["today"]!;
        Assert.Equal([1L, 0, 0, 1, 2], today["levels"]!.AsArray().Select(n => n!.GetValue<long>()));
        Assert.Equal(0.75, today["goodRate"]!.GetValue<double>(), 9);
        Assert.Equal(0.25, today["badRate"]!.GetValue<double>(), 9);
        Assert.Equal(68.75, today["satisfaction"]!.GetValue<double>(), 9);
        Assert.False(today["ranked"]!.GetValue<bool>());
        var interval = today["interval"]!.AsArray().Select(n => n!.GetValue<double>()).ToArray();
        Assert.True(interval[0] <= 68.75 && 68.75 <= interval[1]);

        await Eventually(async () => (await GetAsync($"/api/v1/public/cities/{institution.CityCode}"))["scores"]!["today"]!["count"]!.GetValue<long>() >= 4, "the city's count");
        await Eventually(async () => (await GetAsync("/api/v1/public/province"))["scores"]!["today"]!["count"]!.GetValue<long>() >= 4, "the province's count");
    }

    [Fact]
    public async Task The_province_ranks_all_21_cities_and_tracks_the_plan_targets()
    {
        var province = await GetAsync("/api/v1/public/province");
        Assert.Equal("440000", province["code"]!.GetValue<string>());
        Assert.Equal(21, province["rankings"]!.AsArray().Count);
        Assert.Contains(province["planTargets"]!.AsArray(), t => t!["code"]!.GetValue<string>() == "info-outlets");
        foreach (var window in new[] { "today", "d7", "d30", "d90" })
        {
            Assert.NotNull(province["scores"]![window]);
        }

        foreach (var field in new[] { "completed", "backlog", "onTimeRate", "handlingP50Hours", "handlingP90Hours", "evaluationRate" })
        {
            Assert.True(province["service"]!.AsObject().ContainsKey(field), $"service.{field} is part of the contract");
        }

        var cities = await GetAsync("/api/v1/public/cities");
        Assert.Equal(21, cities["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_city_list_shows_each_city_with_the_figures_of_its_own_page()
    {
        var institution = Pick(InstitutionKind.InfoOutlet);
        await PostAsync(Batch(new[] { 5, 2, 4 }.Select((level, i) => Rating($"pub-list-{i}", institution, level))));

        // The list is computed by the province from the sums its cities report; once the reports are in, a city's
        // entry holds exactly what its own page holds, window by window.
        await Eventually(async () =>
        {
            var listed = (await GetAsync("/api/v1/public/cities"))["items"]!.AsArray()
                .Single(c => c!["code"]!.GetValue<string>() == institution.CityCode)!["scores"]!;
            var own = (await GetAsync($"/api/v1/public/cities/{institution.CityCode}"))["scores"]!;
            return listed["today"]!["count"]!.GetValue<long>() >= 3 && JsonNode.DeepEquals(listed, own);
        }, "the listed city's scores equal to its page's");
    }

    [Fact]
    public async Task A_city_lists_its_institutions_ranked_and_an_unknown_city_is_404()
    {
        var city = await GetAsync("/api/v1/public/cities/440100");
        Assert.Equal("广州市", city["name"]!.GetValue<string>());
        Assert.True(city["rankings"]!.AsArray().Count >= 2);
        Assert.All(city["rankings"]!.AsArray(), r => Assert.False(string.IsNullOrEmpty(r!["peerGroup"]!.GetValue<string>())));

        using var missing = await system.Client.GetAsync("/api/v1/public/cities/449999", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Institutions_are_searched_by_city_and_kind_a_page_at_a_time()
    {
        var page = await GetAsync("/api/v1/public/institutions?city=440300&kind=info-outlet&pageSize=5");
        var items = page["items"]!.AsArray();
        Assert.InRange(items.Count, 1, 5);
        Assert.All(items, i =>
        {
            Assert.Equal("440300", i!["cityCode"]!.GetValue<string>());
            Assert.Equal("info-outlet", i["kind"]!.GetValue<string>());
        });
        Assert.True(page["total"]!.GetValue<int>() >= items.Count);

        using var badKind = await system.Client.GetAsync("/api/v1/public/institutions?kind=shop", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
        Assert.Contains("kind", await badKind.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var badSize = await system.Client.GetAsync("/api/v1/public/institutions?pageSize=500", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badSize.StatusCode);
    }

    [Fact]
    public async Task An_institution_publishes_its_address_phone_channels_and_services_with_time_limits()
    {
        var institution = Pick(InstitutionKind.TrademarkWorkstation);
        var page = await GetAsync($"/api/v1/public/institutions/{institution.Id}");
        Assert.Equal(institution.Address, page["address"]!.GetValue<string>());
        Assert.Equal(institution.Phone, page["phone"]!.GetValue<string>());
        Assert.Equal(institution.Services.Count, page["services"]!.AsArray().Count);
        Assert.All(page["services"]!.AsArray(), s => Assert.True(s!["timeLimit"]!["value"]!.GetValue<int>() > 0));

        var items = await GetAsync("/api/v1/public/service-items");
        Assert.True(items["total"]!.GetValue<int>() >= 20);

        using var missing = await system.Client.GetAsync("/api/v1/public/institutions/no-such-id", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task No_public_response_carries_a_raters_contact_details()
    {
        var institution = Pick(InstitutionKind.ComprehensiveCentre);
        var rating = Rating("pub-private-1", institution, level: 1);
        rating["realName"] = true;
        rating["contact"] = new JsonObject { ["name"] = "隐私测试人", ["phone"] = "13912345678" };
        await PostAsync(Batch([rating]));

        await Eventually(async () => (await GetAsync($"/api/v1/public/institutions/{institution.Id}"))["scores"]!["today"]!["count"]!.GetValue<long>() >= 1, "the rating");
        foreach (var path in new[] { $"/api/v1/public/institutions/{institution.Id}", $"/api/v1/public/cities/{institution.CityCode}", "/api/v1/public/province", "/api/v1/public/cities", $"/api/v1/public/institutions?city={institution.CityCode}" })
        {
            var body = await system.Client.GetStringAsync(path, Ct);
            Assert.DoesNotContain("13912345678", body, StringComparison.Ordinal);
            Assert.DoesNotContain("隐私测试人", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Health_and_the_OpenAPI_document_are_served()
    {
        using var ready = await system.Client.GetAsync("/health/ready", Ct);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var openApi = await system.Client.GetStringAsync("/openapi/v1.json", Ct);
        Assert.Contains("/api/v1/evaluations", openApi, StringComparison.Ordinal);
        Assert.Contains("/api/v1/public/institutions/{id}", openApi, StringComparison.Ordinal);
    }

    private async Task<JsonObject> GetAsync(string path) => (await system.Client.GetFromJsonAsync<JsonObject>(path, Ct))!;

    private async Task PostAsync(JsonObject batch)
    {
        using var response = await system.Client.PostAsJsonAsync("/api/v1/evaluations", batch, Ct);
        var answer = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal(0, answer!["rejected"]!.GetValue<int>());
    }
}
