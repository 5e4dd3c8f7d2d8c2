using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Evaluation.ClientApi.Apis;
using Evaluation.Contracts.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Xunit;
using static Evaluation.IntegrationTests.Api.IngestionApiTests;

namespace Evaluation.IntegrationTests.Api;

/// <summary>
/// Public pages and reads are served from the host's output cache, yet a new rating shows on them as soon as the
/// grain has it plus at most the cache lifetime of what they show, which is what keeps the freshness goals.
/// </summary>
public sealed partial class PublicCachingTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    [Fact]
    public async Task A_cached_institution_page_shows_a_new_rating_once_its_lifetime_has_passed()
    {
        var institution = Pick(InstitutionKind.TrademarkWindow);
        var page = $"/institutions/{institution.Id}";
        using var reader = system.AnonymousClient();
        var before = await FiveStarsOnPageAsync(reader, page);
        using (var again = await reader.GetAsync(page, Ct))
        {
            Assert.NotNull(again.Headers.Age);
        }

        await PostAsync(Batch([Rating("cache-institution-page", institution, level: 5)]));

        // A query string seen once misses the cache, so this reads the grain itself.
        await Eventually(
            async () => await FiveStarsInApiAsync(reader, $"/api/v1/public/institutions/{institution.Id}?probe={Guid.NewGuid():N}") == before + 1,
            "the rating in the institution grain");
        await Task.Delay(PublicCaching.InstitutionLifetime, Ct);

        Assert.Equal(before + 1, await FiveStarsOnPageAsync(reader, page));
        Assert.Equal(before + 1, await FiveStarsInApiAsync(reader, $"/api/v1/public/institutions/{institution.Id}"));
    }

    [Fact]
    public async Task The_cached_home_page_shows_a_new_rating_in_the_province_once_its_lifetime_has_passed()
    {
        using var reader = system.AnonymousClient();
        var before = await ProvinceOnHomePageAsync(reader);
        await PostAsync(Batch([Rating("cache-home-page", Pick(InstitutionKind.TrademarkWorkstation), level: 4)]));

        // Other ratings may reach the province meanwhile: the page must show at least what the grain had.
        long inGrain = 0;
        await Eventually(
            async () => (inGrain = await ProvinceInApiAsync(reader, $"/api/v1/public/province?probe={Guid.NewGuid():N}")) > before,
            "the rating in the province grain");
        await Task.Delay(PublicCaching.AreaLifetime, Ct);

        Assert.True(await ProvinceOnHomePageAsync(reader) >= inGrain, "the home page should show the province's count once its lifetime has passed");
    }

    [Fact]
    public async Task A_signed_in_reader_is_never_served_from_nor_written_to_the_cache_nor_compressed()
    {
        var institution = Pick(InstitutionKind.InfoOutlet);
        var token = await system.TokenAsync("province-supervisor", name: "cache-staff");
        using var staff = system.AnonymousClient();
        staff.DefaultRequestHeaders.Authorization = new("Bearer", token);
        staff.DefaultRequestHeaders.AcceptEncoding.ParseAdd("gzip");
        foreach (var path in new[] { $"/institutions/{institution.Id}", $"/api/v1/public/institutions/{institution.Id}" })
        {
            for (var i = 0; i < 2; i++)
            {
                using var response = await staff.GetAsync(path, Ct);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Null(response.Headers.Age);
                Assert.Empty(response.Content.Headers.ContentEncoding);
            }

            using var anonymous = system.AnonymousClient();
            anonymous.DefaultRequestHeaders.AcceptEncoding.ParseAdd("gzip");
            using var first = await anonymous.GetAsync(path, Ct);
            Assert.Null(first.Headers.Age);
            Assert.Equal(["gzip"], first.Content.Headers.ContentEncoding);
        }
    }

    private static async Task<long> FiveStarsOnPageAsync(HttpClient reader, string page)
    {
        var html = await reader.GetStringAsync(page, Ct);
        return Number(FiveStarRow().Match(html).Groups["count"].Value);
    }

    private static async Task<long> ProvinceOnHomePageAsync(HttpClient reader) =>
        Number(ProvinceCount().Match(await reader.GetStringAsync("/", Ct)).Groups["count"].Value);

    private static async Task<long> ProvinceInApiAsync(HttpClient reader, string path) =>
        (await reader.GetFromJsonAsync<JsonObject>(path, Ct))!["scores"]!["d30"]!["count"]!.GetValue<long>();

    private static long Number(string shown) => long.Parse(shown.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<long> FiveStarsInApiAsync(HttpClient reader, string path) =>
        (await reader.GetFromJsonAsync<JsonObject>(path, Ct))!["scores"]!["d30"]!["levels"]![4]!.GetValue<long>();

    private async Task PostAsync(JsonObject batch)
    {
        using var response = await system.Client.PostAsJsonAsync("/api/v1/evaluations", batch, Ct);
        var answer = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal(0, answer!["rejected"]!.GetValue<int>());
    }

    [GeneratedRegex("""data-level="5">\s*<th[^>]*>.*?</th>\s*<td class="count">(?<count>[^<]+)</td>""", RegexOptions.Singleline)]
    private static partial Regex FiveStarRow();

    [GeneratedRegex("""<dd id="province-count">(?<count>[^<]+)</dd>""")]
    private static partial Regex ProvinceCount();
}
