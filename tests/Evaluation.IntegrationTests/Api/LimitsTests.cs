using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Evaluation.Contracts.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Xunit;
using static Evaluation.IntegrationTests.Api.IngestionApiTests;

namespace Evaluation.IntegrationTests.Api;

/// <summary>
/// Rate, concurrency and size limits over a real loopback socket (the server's own body limit, the client's
/// address): each test starts its own API host with the limit it needs, on one shared cluster.
/// </summary>
public sealed class LimitsTests(LimitsTests.OnSocket system) : IClassFixture<LimitsTests.OnSocket>
{
    private static readonly Institution Institution = Pick(InstitutionKind.ComprehensiveCentre);

    [Fact]
    public async Task A_source_is_limited_by_its_name_and_wrong_keys_spend_only_their_address_budget()
    {
        await using var api = system.CreateApi(new Dictionary<string, string> { ["Evaluation:RateLimits:IngestionPerMinute"] = "2" });
        using var impostor = Client(api, RunningSystem.SourceKey + "-wrong");
        using var source = Client(api, RunningSystem.SourceKey);

        for (var i = 0; i < 2; i++)
        {
            await ExpectAsync(HttpStatusCode.Unauthorized, impostor, Rating($"limits-wrong-{i}", Institution, level: 5));
        }

        await ExpectAsync(HttpStatusCode.TooManyRequests, impostor, Rating("limits-wrong-2", Institution, level: 5));
        for (var i = 0; i < 2; i++)
        {
            await ExpectAsync(HttpStatusCode.OK, source, Rating($"limits-source-{i}", Institution, level: 5));
        }

        await ExpectAsync(HttpStatusCode.TooManyRequests, source, Rating("limits-source-2", Institution, level: 5));
    }

    [Fact]
    public async Task Behind_a_known_proxy_each_client_has_its_own_budget_and_an_unknown_peer_cannot_pick_one()
    {
        await using var behindProxy = system.CreateApi(new Dictionary<string, string>
        {
            ["Evaluation:RateLimits:PublicPerMinute"] = "1",
            ["Evaluation:ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
            ["Evaluation:ForwardedHeaders:KnownProxies:1"] = "::1",
        });
        using var proxied = behindProxy.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(proxied, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await ReadAsync(proxied, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(proxied, "203.0.113.2"));

        await using var direct = system.CreateApi(new Dictionary<string, string> { ["Evaluation:RateLimits:PublicPerMinute"] = "1" });
        using var client = direct.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(client, "203.0.113.3"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await ReadAsync(client, "203.0.113.4"));
    }

    [Fact]
    public async Task Portal_pages_are_served_from_cache_and_count_against_the_public_budget_but_consoles_are_not_cached()
    {
        await using var api = system.CreateApi(new Dictionary<string, string> { ["Evaluation:RateLimits:PublicPerMinute"] = "3" });
        using var client = api.CreateClient();
        using var first = await client.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var second = await client.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.True(second.Headers.Age is not null, "the second / should come from the output cache (Age header)");
        using var other = await client.GetAsync("/institutions?q=" + Guid.NewGuid().ToString("N"), Ct);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Null(other.Headers.Age);
        using var refused = await client.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);

        for (var i = 0; i < 2; i++)
        {
            using var login = await client.GetAsync("/console/login", Ct);
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            Assert.Null(login.Headers.Age);
        }
    }

    [Fact]
    public async Task Past_the_ingestion_concurrency_limit_a_batch_is_turned_away_with_retry_after()
    {
        await using var api = system.CreateApi(new Dictionary<string, string> { ["Evaluation:RateLimits:IngestionConcurrency"] = "1" });
        using var client = Client(api, RunningSystem.SourceKey);

        // Thirty batches at once against one permit and no queue: at least one must be turned away.
        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(async b =>
        {
            var batch = Batch(Enumerable.Range(0, 100).Select(i => Rating($"limits-burst-{b}-{i}", Institution, level: 4)));
            using var response = await client.PostAsJsonAsync("/api/v1/evaluations", batch, Ct);
            return (response.StatusCode, RetryAfter: response.Headers.RetryAfter?.Delta, response.Content.Headers.ContentType?.MediaType);
        }));

        var refused = answers.Where(a => a.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, r => Assert.True(r.RetryAfter > TimeSpan.Zero && r.MediaType == "application/problem+json", $"{r}"));
        Assert.All(answers.Except(refused), a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_gets_413_while_it_is_read()
    {
        using var client = Client(system.CreateApi(), RunningSystem.SourceKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/evaluations")
        {
            Content = new PaddedContent(Evaluation.ClientApi.Apis.IngestionApi.MaxBodyBytes + (1024 * 1024)),
        };
        request.Headers.TransferEncodingChunked = true;
        using var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Batch too large", JsonNode.Parse(text)!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_property_given_twice_rejects_the_item_with_the_field_named()
    {
        var item = Rating("limits-duplicate", Institution, level: 5).ToJsonString();
        var json = "{\"items\":[" + item[..^1] + ",\"level\":1}]}";
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await system.Client.PostAsync("/api/v1/evaluations", content, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var result = JsonNode.Parse(text)!["results"]![0]!;
        Assert.Equal("rejected", result["status"]!.GetValue<string>());
        Assert.Contains(result["errors"]!.AsArray(), e => e!["field"]!.GetValue<string>() == "items[0].level"
            && e["message"]!.GetValue<string>().Contains("duplicate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task One_person_holds_at_most_five_alert_streams()
    {
        await using var api = system.CreateApi();
        var token = await system.TokenAsync("province-supervisor", name: "limits-streams");
        var open = new List<HttpResponseMessage>();
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        try
        {
            for (var i = 0; i < 5; i++)
            {
                var response = await client.GetAsync("/api/v1/alerts/stream", HttpCompletionOption.ResponseHeadersRead, Ct);
                open.Add(response);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            using var sixth = await client.GetAsync("/api/v1/alerts/stream", HttpCompletionOption.ResponseHeadersRead, Ct);
            Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
        }
        finally
        {
            open.ForEach(r => r.Dispose());
        }
    }

    [Fact]
    public async Task An_alert_stream_ends_when_the_callers_token_expires()
    {
        await using var api = system.CreateApi(new Dictionary<string, string> { ["Evaluation:Jwt:DevTokenLifetime"] = "00:00:03" });
        using var client = api.CreateClient();
        using var issued = await client.PostAsJsonAsync("/api/v1/dev/tokens", new { role = "province-supervisor", name = "limits-expiry" }, Ct);
        issued.EnsureSuccessStatusCode();
        var token = JsonNode.Parse(await issued.Content.ReadAsStringAsync(Ct))!["token"]!.GetValue<string>();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);

        using var stream = await client.GetAsync("/api/v1/alerts/stream", HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);

        // A generous bound only so a stream that never ends fails the test instead of hanging it.
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        bound.CancelAfter(TimeSpan.FromSeconds(50));
        await stream.Content.ReadAsStringAsync(bound.Token);
    }

    private static HttpClient Client(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> api, string key)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static async Task ExpectAsync(HttpStatusCode expected, HttpClient client, JsonObject item)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/evaluations", Batch([item]), Ct);
        Assert.True(response.StatusCode == expected, $"{item["id"]}: expected {(int)expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
    }

    private static async Task<HttpStatusCode> ReadAsync(HttpClient client, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/public/service-items");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request, Ct);
        return response.StatusCode;
    }

    public sealed class OnSocket : RunningSystem
    {
        protected override bool RealSocket => true;
    }

    /// <summary>A chunked batch padded with whitespace to <paramref name="size"/> bytes, written as it is sent.</summary>
    private sealed class PaddedContent(long size) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync("{\"items\":["u8.ToArray());
            var spaces = Encoding.ASCII.GetBytes(new string(' ', 64 * 1024));
            for (long written = 0; written < size; written += spaces.Length)
            {
                await stream.WriteAsync(spaces);
            }

            await stream.WriteAsync("]}"u8.ToArray());
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
