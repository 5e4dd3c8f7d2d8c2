using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Evaluation.IntegrationTests.Infrastructure;
using Xunit;

namespace Evaluation.IntegrationTests.Api;

/// <summary>
/// The OpenAPI document a client is generated from, read from a running system: every operation is named, says how to
/// authenticate, and documents its problem answers; and what it says about credentials is what the API does.
/// </summary>
public sealed partial class OpenApiDocumentTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_operation_has_a_unique_camel_case_operation_id()
    {
        var ids = (await OperationsAsync()).Select(o => o.Operation["operationId"]?.GetValue<string>()).ToList();

        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.Matches(CamelCase(), id ?? ""));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Every_operation_documents_its_problem_answers_with_the_problem_details_schema()
    {
        var document = await DocumentAsync();
        Assert.NotNull(document["components"]?["schemas"]?["ProblemDetails"]);
        foreach (var (path, method, operation) in Operations(document))
        {
            var problems = operation["responses"]!.AsObject().Where(r => r.Key.StartsWith('4')).ToList();
            Assert.True(problems.Count > 0, $"{method} {path} documents no 4xx");
            Assert.All(problems, r => Assert.Equal(
                "#/components/schemas/ProblemDetails",
                r.Value?["content"]?["application/problem+json"]?["schema"]?["$ref"]?.GetValue<string>()));
            Assert.NotNull(operation["responses"]!["503"]);
        }
    }

    [Fact]
    public async Task The_documented_security_is_what_the_api_asks_of_an_anonymous_caller()
    {
        var document = await DocumentAsync();
        var schemes = document["components"]!["securitySchemes"]!.AsObject().Select(s => s.Key).ToHashSet();
        Assert.Superset(new HashSet<string> { "bearer", "sourceKey", "adminKey" }, schemes);
        using var anonymous = system.AnonymousClient();

        foreach (var (path, method, operation) in Operations(document))
        {
            var security = operation["security"]?.AsArray();
            Assert.True(security is not null, $"{method} {path} states no security (anonymous ones say [])");
            Assert.All(security, requirement => Assert.Subset(schemes, requirement!.AsObject().Select(s => s.Key).ToHashSet()));

            using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), PathParameter().Replace(path, m => Unknown(operation, m.Groups[1].Value)));
            if (method is "post" or "put")
            {
                request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            }

            using var answer = await anonymous.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
            var refused = answer.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
            Assert.True(refused == security.Count > 0, $"{method} {path}: anonymous got {(int)answer.StatusCode}, security {security.ToJsonString()}");
            Assert.True(
                operation["responses"]![((int)answer.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)] is not null,
                $"{method} {path}: anonymous got {(int)answer.StatusCode}, which the document does not list");
        }
    }

    private async Task<JsonObject> DocumentAsync()
    {
        using var anonymous = system.AnonymousClient();
        return JsonNode.Parse(await anonymous.GetStringAsync("/openapi/v1.json", Ct))!.AsObject();
    }

    private async Task<List<(string Path, string Method, JsonObject Operation)>> OperationsAsync() => Operations(await DocumentAsync());

    private static List<(string Path, string Method, JsonObject Operation)> Operations(JsonObject document) =>
        [.. document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(op => op.Key is "get" or "post" or "put" or "delete" or "patch")
            .Select(op => (path.Key, op.Key, op.Value!.AsObject())))];

    [GeneratedRegex("^[a-z][A-Za-z0-9]*$")]
    private static partial Regex CamelCase();

    /// <summary>An id nothing is stored under, in the shape the route accepts (a route constraint answers 404 otherwise).</summary>
    private static string Unknown(JsonObject operation, string parameter) =>
        operation["parameters"]?.AsArray().FirstOrDefault(p => p!["name"]!.GetValue<string>() == parameter)?["schema"]?["format"]?.GetValue<string>() == "uuid"
            ? Guid.NewGuid().ToString()
            : "no-such-id";

    [GeneratedRegex(@"\{([^}]+)\}")]
    private static partial Regex PathParameter();
}
