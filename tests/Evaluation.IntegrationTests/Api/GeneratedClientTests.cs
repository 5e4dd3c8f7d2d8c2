using System.Text.Json;
using System.Text.Json.Nodes;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Registry;
using Evaluation.GeneratedClient;
using Evaluation.GeneratedClient.Api.V1.Evaluations;
using Evaluation.GeneratedClient.Models;
using Evaluation.IntegrationTests.Infrastructure;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Xunit;

namespace Evaluation.IntegrationTests.Api;

/// <summary>
/// The C# client Kiota generates from the OpenAPI document (tests/Evaluation.GeneratedClient, generated at build from
/// its openapi.json) against a running system: the document is the one the API serves now, and the client alone is
/// enough to send ratings as a source, read them back publicly, and list alerts as a supervisor.
/// </summary>
public sealed class GeneratedClientTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The committed document, which the client is generated from and ops/test lints.</summary>
    public static string DocumentPath => Path.Combine(OpsScript.RepositoryRoot(), "tests", "Evaluation.GeneratedClient", "openapi.json");

    [Fact]
    public async Task The_client_is_generated_from_the_document_the_api_serves()
    {
        using var anonymous = system.AnonymousClient();
        var served = JsonNode.Parse(await anonymous.GetStringAsync("/openapi/v1.json", Ct))!.AsObject();

        // ops/generate-client asks for the served document this way; every other run checks the committed one is current.
        if (Environment.GetEnvironmentVariable("EVAL_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(DocumentPath, served.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", Ct);
        }

        var committed = JsonNode.Parse(await File.ReadAllTextAsync(DocumentPath, Ct))!.AsObject();
        Assert.True(
            JsonNode.DeepEquals(WithoutServers(served), WithoutServers(committed)),
            $"{DocumentPath} is not the document the API serves: run ops/generate-client and commit the result.");
    }

    [Fact]
    public async Task A_source_posts_ratings_the_public_reads_them_and_a_supervisor_lists_alerts()
    {
        var institution = IngestionApiTests.Pick(Contracts.Registry.InstitutionKind.ComprehensiveCentre);
        using var http = system.AnonymousClient();
        var source = Client(http, new ApiKeyAuthenticationProvider(RunningSystem.SourceKey, "X-Api-Key", ApiKeyAuthenticationProvider.KeyLocation.Header));

        var batch = new EvaluationsPostRequestBody { Items = [Rating("kiota-1", institution, 5), Rating("kiota-2", institution, 2), Rating("kiota-3", institution, 9)] };
        var answer = await source.Api.V1.Evaluations.PostAsync(batch, cancellationToken: Ct);

        Assert.Equal((2, 0, 1), (answer!.Accepted, answer.Duplicates, answer.Rejected));
        var refused = Assert.Single(answer.Results!, r => r.Status == ItemStatus.Rejected);
        Assert.Equal(("kiota-3", "items[2].level"), (refused.Id, Assert.Single(refused.Errors!).Field));

        // Public reads need no credentials; the ratings are aggregated a moment after they are acknowledged.
        var reader = Client(http, new AnonymousAuthenticationProvider());
        var deadline = DateTime.UtcNow + Patience;
        InstitutionDetailDto? page;
        while ((page = await reader.Api.V1.Public.Institutions[institution.Id].GetAsync(cancellationToken: Ct))!.Daily!.Sum(d => d.Count) != 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the two accepted ratings never showed on the institution");
            await Task.Delay(200, Ct);
        }

        Assert.Equal(institution.Name, page.Name);

        // The test system's development issuer stands in for the sign-in a supervisor's tool would use.
        var issued = await reader.Api.V1.Dev.Tokens.PostAsync(new DevTokenRequest { Role = Roles.Supervisor }, cancellationToken: Ct);
        var supervisor = Client(http, new BaseBearerTokenAuthenticationProvider(new StaticToken(issued!.Token!)));
        var alerts = await supervisor.Api.V1.Alerts.GetAsync(r => r.QueryParameters = new() { City = institution.CityCode, PageSize = 10 }, Ct);
        Assert.NotNull(alerts!.Items);
        Assert.All(alerts.Items, a => Assert.Equal(institution.CityCode, a.CityCode));

        // A source key is no staff credential: the refusal arrives as the document's typed problem.
        var problem = await Assert.ThrowsAsync<ProblemDetails>(() => source.Api.V1.Alerts.GetAsync(cancellationToken: Ct));
        Assert.Equal(401, problem.Status);
    }

    // Kiota sends an API key over https only, as a source would in production; the in-process test server takes either scheme.
    private static EvaluationApiClient Client(HttpClient http, IAuthenticationProvider credentials) =>
        new(new HttpClientRequestAdapter(credentials, httpClient: http) { BaseUrl = "https://localhost" });

    private static EvaluationsPostRequestBody_items Rating(string id, Institution institution, int level) => new()
    {
        Id = id,
        InstitutionId = institution.Id,
        ServiceItem = institution.Services[0],
        Channel = TrafficGenerator.ChannelName(institution.Channels[0]),
        Level = level,
        OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-1).ToOffset(TimeSpan.FromHours(8)),
    };

    // The server URL is the test host's, whichever that is; everything else must match.
    private static JsonObject WithoutServers(JsonObject document)
    {
        var copy = document.DeepClone().AsObject();
        copy.Remove("servers");
        return copy;
    }

    /// <summary>A token issued once, as a supervisor's sign-in would hand it over.</summary>
    private sealed class StaticToken(string token) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new();

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(token);
    }
}
