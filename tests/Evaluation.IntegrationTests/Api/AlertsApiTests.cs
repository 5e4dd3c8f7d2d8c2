using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Registry;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Xunit;

namespace Evaluation.IntegrationTests.Api;

/// <summary>
/// Detection end to end: ratings through the ingest API, a detection run through the API, the alert on the list
/// with its explanation and on the live stream.
/// </summary>
public sealed class AlertsApiTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_planted_underperformer_is_alerted_with_an_explanation_on_the_list_and_the_stream()
    {
        var (target, peers) = PeerGroups.InDifferentCities(7);
        using var supervisor = await SupervisorAsync();

        // Listening before anything is ingested: whichever run raises the alert, the timer's or ours, it is streamed.
        using var stream = await OpenStreamAsync(supervisor);
        await PlantUnderperformerAsync(system, target, peers);
        var alert = await DetectUntilAlertedAsync(supervisor, target);

        Assert.Equal(target.CityCode, alert["cityCode"]!.GetValue<string>());
        Assert.Equal("open", alert["state"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(alert["modelVersion"]!.GetValue<string>()));
        var lead = alert["explanation"]!.AsArray()[0]!;
        Assert.Equal("badRate", lead["measure"]!.GetValue<string>());
        Assert.Equal(0.5, lead["value"]!.GetValue<double>(), 3);
        Assert.InRange(lead["peerMedian"]!.GetValue<double>(), 0, 0.1);
        Assert.Matches(@"^近(7|30)天差评率 50\.0%，同类机构中位数 \d+\.\d%$", lead["text"]!.GetValue<string>());
        Assert.DoesNotContain(
            (await supervisor.GetFromJsonAsync<JsonObject>("/api/v1/alerts?state=open", Ct))!["items"]!.AsArray(),
            a => peers.Any(p => p.Id == a!["institutionId"]!.GetValue<string>()));

        var streamed = await stream.NextAlertAsync(a => a["id"]!.GetValue<long>() == alert["id"]!.GetValue<long>());
        Assert.Equal(target.Id, streamed["institutionId"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("state=closed", "state")]
    [InlineData("severity=urgent", "severity")]
    [InlineData("kind=noise", "kind")]
    [InlineData("city=guangzhou", "city")]
    [InlineData("pageSize=1000", "pageSize")]
    public async Task A_bad_filter_is_refused_naming_the_parameter(string query, string field)
    {
        using var supervisor = await SupervisorAsync();
        using var response = await supervisor.GetAsync($"/api/v1/alerts?{query}", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal(field, problem!["errors"]!.AsArray()[0]!["field"]!.GetValue<string>());
    }

    /// <summary>Through the ingest API: the target gets half 差评 over the last days, its peers one in thirty.</summary>
    internal static async Task PlantUnderperformerAsync(RunningSystem system, Institution target, IReadOnlyList<Institution> peers)
    {
        var now = DateTimeOffset.UtcNow;
        var items = new List<JsonNode>();
        foreach (var institution in peers.Prepend(target))
        {
            for (var i = 0; i < 30; i++)
            {
                var bad = institution == target ? i % 2 == 0 : i == 0;
                items.Add(IngestionApiTests.Rating($"alert-{institution.Id}-{i}", institution, bad ? 1 : 5, occurredAt: now.AddHours(-2 - (i * 4))));
            }
        }

        var ingest = await system.Client.PostAsJsonAsync("/api/v1/evaluations", IngestionApiTests.Batch(items), Ct);
        var accepted = await ingest.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal(items.Count, accepted!["accepted"]!.GetValue<int>());
    }

    /// <summary>Runs detection through the API until the target's open low-satisfaction alert is listed (the aggregates arrive asynchronously).</summary>
    internal static async Task<JsonObject> DetectUntilAlertedAsync(HttpClient supervisor, Institution target)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            using var run = await supervisor.PostAsync("/api/v1/detection/runs", null, Ct);
            Assert.Equal(HttpStatusCode.OK, run.StatusCode);
            var result = await run.Content.ReadFromJsonAsync<JsonObject>(Ct);
            Assert.Equal(ShippedRegistry.Sample.Institutions.Count, result!["institutionsScored"]!.GetValue<int>());

            var page = await supervisor.GetFromJsonAsync<JsonObject>($"/api/v1/alerts?state=open&city={target.CityCode}&kind=low-satisfaction", Ct);
            if (page!["items"]!.AsArray().Select(a => a!.AsObject()).FirstOrDefault(a => a["institutionId"]!.GetValue<string>() == target.Id) is { } alert)
            {
                return alert;
            }

            await Task.Delay(300, Ct);
        }

        Assert.Fail($"Waited {Patience.TotalSeconds} s for an open alert on {target.Id}.");
        return null!;
    }

    [Fact]
    public async Task The_stream_opens_with_an_event_that_carries_no_alert_so_a_listener_knows_it_is_connected()
    {
        using var supervisor = await SupervisorAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/alerts/stream");
        using var response = await supervisor.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoCache, "a stream is never cached");

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        Assert.Equal("event: waiting", await reader.ReadLineAsync(Ct));
        Assert.Equal("data: ", await reader.ReadLineAsync(Ct));
        Assert.Equal("", await reader.ReadLineAsync(Ct));
    }

    private async Task<HttpClient> SupervisorAsync()
    {
        var client = system.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await system.TokenAsync(Roles.Supervisor));
        return client;
    }

    internal static async Task<AlertStream> OpenStreamAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/alerts/stream");
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new AlertStream(response, new StreamReader(await response.Content.ReadAsStreamAsync(Ct)));
    }

    internal sealed class AlertStream(HttpResponseMessage response, StreamReader reader) : IDisposable
    {
        private string? eventType;

        public async Task<JsonObject> NextAlertAsync(Func<JsonObject, bool> wanted)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(Patience);
            while (await reader.ReadLineAsync(timeout.Token) is { } line)
            {
                if (AlertOf(line) is { } alert && wanted(alert))
                {
                    return alert;
                }
            }

            throw new InvalidOperationException("The alert stream ended without the alert.");
        }

        /// <summary>Every alert the stream brings until it has been quiet for <paramref name="quiet"/>.</summary>
        public async Task<IReadOnlyList<JsonObject>> DrainAsync(TimeSpan quiet)
        {
            var alerts = new List<JsonObject>();
            while (true)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
                timeout.CancelAfter(quiet);
                string? line;
                try
                {
                    line = await reader.ReadLineAsync(timeout.Token);
                }
                catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
                {
                    return alerts;
                }

                if (line is null)
                {
                    return alerts;
                }

                if (AlertOf(line) is { } alert)
                {
                    alerts.Add(alert);
                }
            }
        }

        /// <summary>The alert whose data this line carries; null for any other line, including those of other events (the idle stream's).</summary>
        private JsonObject? AlertOf(string line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventType = line["event: ".Length..];
            }
            else if (line.Length == 0)
            {
                eventType = null;
            }

            return eventType == "alert" && line.StartsWith("data: ", StringComparison.Ordinal) ? JsonNode.Parse(line["data: ".Length..]) as JsonObject : null;
        }

        public void Dispose()
        {
            reader.Dispose();
            response.Dispose();
        }
    }
}
