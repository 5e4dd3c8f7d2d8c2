using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Evaluation.Contracts.Registry;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Xunit;

namespace Evaluation.IntegrationTests.Api;

/// <summary>The ingest endpoints over HTTP against the real cluster and PostgreSQL.</summary>
public sealed class IngestionApiTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    internal static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_batch_is_accepted_a_resent_batch_is_duplicate_and_the_rating_shows_on_the_institution()
    {
        var institution = Pick(InstitutionKind.ComprehensiveCentre);
        var batch = Batch(Enumerable.Range(0, 3).Select(i => Rating($"api-dup-{i}", institution, level: 5)));

        var first = await PostAsync("/api/v1/evaluations", batch);
        Assert.Equal(3, first["accepted"]!.GetValue<int>());
        Assert.All(first["results"]!.AsArray(), r => Assert.Equal("accepted", r!["status"]!.GetValue<string>()));

        var again = await PostAsync("/api/v1/evaluations", batch);
        Assert.Equal(0, again["accepted"]!.GetValue<int>());
        Assert.Equal(3, again["duplicates"]!.GetValue<int>());

        await Eventually(async () =>
        {
            var page = await system.Client.GetFromJsonAsync<JsonObject>($"/api/v1/public/institutions/{institution.Id}", Ct);
            return page!["scores"]!["today"]!["count"]!.GetValue<long>() == 3;
        }, "the three ratings to show in the institution's today count");
    }

    [Fact]
    public async Task The_same_batch_sent_concurrently_is_counted_once()
    {
        var institution = Pick(InstitutionKind.TrademarkWorkstation);
        var batch = Batch(Enumerable.Range(0, 200).Select(i => Rating($"api-race-{i}", institution, level: 3)));

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostAsync("/api/v1/evaluations", batch.DeepClone().AsObject())));

        Assert.Equal(200, answers.Sum(a => a["accepted"]!.GetValue<int>()));
        Assert.Equal(600, answers.Sum(a => a["duplicates"]!.GetValue<int>()));
        await Eventually(async () =>
        {
            var page = await system.Client.GetFromJsonAsync<JsonObject>($"/api/v1/public/institutions/{institution.Id}", Ct);
            return page!["scores"]!["today"]!["count"]!.GetValue<long>() == 200;
        }, "exactly 200 ratings on the institution");
    }

    [Fact]
    public async Task Each_bad_item_is_rejected_with_its_field_and_the_good_items_are_still_accepted()
    {
        var institution = Pick(InstitutionKind.InfoOutlet);
        var items = new JsonArray
        {
            Rating("api-mixed-good", institution, level: 4),
            Rating("api-mixed-level", institution, level: 9),
            Rating("api-mixed-unknown", institution, level: 3, institutionId: "no-such-institution"),
            Rating("api-mixed-future", institution, level: 3, occurredAt: DateTimeOffset.UtcNow.AddHours(2)),
            Rating("api-mixed-type", institution, level: 3, levelNode: JsonValue.Create("five")),
            JsonValue.Create(42),
        };

        var answer = await PostAsync("/api/v1/evaluations", new JsonObject { ["items"] = items });

        Assert.Equal(1, answer["accepted"]!.GetValue<int>());
        Assert.Equal(5, answer["rejected"]!.GetValue<int>());
        var results = answer["results"]!.AsArray();
        Assert.Equal("accepted", results[0]!["status"]!.GetValue<string>());
        AssertRejected(results[1]!, "items[1].level");
        AssertRejected(results[2]!, "items[2].institutionId");
        AssertRejected(results[3]!, "items[3].occurredAt");
        AssertRejected(results[4]!, "items[4].level");
        AssertRejected(results[5]!, "items[5]");
    }

    [Fact]
    public async Task A_completed_service_record_counts_once_and_leaves_the_backlog()
    {
        var institution = Pick(InstitutionKind.TrademarkWindow);
        var accepted = DateTimeOffset.UtcNow.AddHours(-3);
        var open = ServiceRecord("api-rec-1", institution, accepted, completedAt: null);
        var done = ServiceRecord("api-rec-1", institution, accepted, completedAt: accepted.AddHours(2));

        Assert.Equal(1, (await PostAsync("/api/v1/service-records", Batch([open])))["accepted"]!.GetValue<int>());
        Assert.Equal(1, (await PostAsync("/api/v1/service-records", Batch([done])))["accepted"]!.GetValue<int>());
        Assert.Equal(1, (await PostAsync("/api/v1/service-records", Batch([done.DeepClone()])))["duplicates"]!.GetValue<int>());

        await Eventually(async () =>
        {
            var page = await system.Client.GetFromJsonAsync<JsonObject>($"/api/v1/public/institutions/{institution.Id}", Ct);
            var service = page!["service"]!;
            return service["completed"]!.GetValue<long>() == 1 && service["backlog"]!.GetValue<long>() == 0;
        }, "one completed record and an empty backlog");
    }

    [Theory]
    [InlineData("{ not json", "Malformed JSON")]
    [InlineData("[1, 2]", "Not a batch")]
    [InlineData("{ \"items\": [] }", "Not a batch")]
    [InlineData("{ \"items\": \"x\" }", "Not a batch")]
    public async Task A_body_that_is_not_a_batch_gets_400_problem_details(string body, string title)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await system.Client.PostAsync("/api/v1/evaluations", content, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal(title, problem!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task More_than_five_thousand_items_are_refused_whole()
    {
        var institution = Pick(InstitutionKind.ComprehensiveCentre);
        var body = Batch(Enumerable.Range(0, 5001).Select(i => Rating($"api-big-{i}", institution, level: 5)));
        using var response = await system.Client.PostAsJsonAsync("/api/v1/evaluations", body, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("5000", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_source_key_nothing_is_ingested()
    {
        var institution = Pick(InstitutionKind.ComprehensiveCentre);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/evaluations")
        {
            Content = JsonContent.Create(Batch([Rating("api-nokey", institution, level: 5)])),
        };
        request.Headers.Add("X-Api-Key", "wrong-key");
        using var response = await system.Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    internal static Institution Pick(InstitutionKind kind) =>
        ShippedRegistry.Sample.Institutions.First(i => i.Kind == kind && i.Channels.Count > 0 && i.Services.Count > 0);

    internal static JsonObject Batch(IEnumerable<JsonNode> items) => new() { ["items"] = new JsonArray([.. items]) };

    internal static JsonObject Rating(
        string id, Institution institution, int level, string? institutionId = null, DateTimeOffset? occurredAt = null, JsonNode? levelNode = null) => new()
        {
            ["id"] = id,
            ["institutionId"] = institutionId ?? institution.Id,
            ["serviceItem"] = institution.Services[0],
            ["channel"] = TrafficGenerator.ChannelName(institution.Channels[0]),
            ["level"] = levelNode ?? level,
            ["occurredAt"] = (occurredAt ?? DateTimeOffset.UtcNow.AddMinutes(-1)).ToOffset(TimeSpan.FromHours(8)).ToString("O"),
        };

    internal static JsonObject ServiceRecord(string id, Institution institution, DateTimeOffset acceptedAt, DateTimeOffset? completedAt)
    {
        var record = new JsonObject
        {
            ["id"] = id,
            ["institutionId"] = institution.Id,
            ["serviceItem"] = institution.Services[0],
            ["channel"] = TrafficGenerator.ChannelName(institution.Channels[0]),
            ["acceptedAt"] = acceptedAt.ToString("O"),
        };
        if (completedAt is { } done)
        {
            record["completedAt"] = done.ToString("O");
        }

        return record;
    }

    private async Task<JsonObject> PostAsync(string path, JsonObject body)
    {
        using var response = await system.Client.PostAsJsonAsync(path, body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static void AssertRejected(JsonNode result, string field)
    {
        Assert.Equal("rejected", result["status"]!.GetValue<string>());
        var errors = result["errors"]!.AsArray();
        Assert.Contains(errors, e => e!["field"]!.GetValue<string>() == field && e["message"]!.GetValue<string>().Length > 5);
    }

    internal static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Gave up waiting for {what}.");
            await Task.Delay(100, Ct);
        }
    }
}
