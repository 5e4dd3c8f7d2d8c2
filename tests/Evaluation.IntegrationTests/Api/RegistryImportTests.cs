using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Evaluation.Domain.Registry;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Xunit;
using static Evaluation.IntegrationTests.Api.IngestionApiTests;

namespace Evaluation.IntegrationTests.Api;

/// <summary>An operator replaces the shipped sample registry with a real one through the admin API.</summary>
public sealed class RegistryImportTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    [Fact]
    public async Task An_import_replaces_the_sample_and_a_bad_file_changes_nothing()
    {
        var sample = ShippedRegistry.Sample.Institutions;
        var kept = sample.Take(30).ToList();
        var renamed = kept[0] with { Name = "导入测试知识产权服务中心", IsSample = false };
        var real = RegistryFile.Write([renamed, .. kept.Skip(1).Select(i => i with { IsSample = false })], "real registry for the test");

        using (var refused = await SendAsync(real, adminKey: "wrong"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        var broken = JsonNode.Parse(real)!;
        broken["institutions"]![1]!["cityCode"] = "449900";
        using (var invalid = await SendAsync(broken.ToJsonString(), RunningSystem.AdminKey))
        {
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
            Assert.Contains("institutions[1].cityCode", await invalid.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        Assert.Equal(sample.Count, await TotalAsync(""));

        using (var imported = await SendAsync(real, RunningSystem.AdminKey))
        {
            Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        }

        // Each silo rereads the registry within seconds of a version change.
        await Eventually(async () => await TotalAsync("") == kept.Count, "the imported registry to be served");
        Assert.Equal(1, await TotalAsync($"&q={Uri.EscapeDataString("导入测试")}"));

        var removed = sample.First(i => !kept.Contains(i));
        using var response = await system.Client.PostAsJsonAsync("/api/v1/evaluations", Batch([Rating("import-gone-1", removed, 5)]), Ct);
        var answer = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal("items[0].institutionId", answer!["results"]![0]!["errors"]![0]!["field"]!.GetValue<string>());
    }

    private async Task<HttpResponseMessage> SendAsync(string file, string adminKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/registry")
        {
            Content = new StringContent(file, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Admin-Key", adminKey);
        return await system.Client.SendAsync(request, Ct);
    }

    private async Task<int> TotalAsync(string query) =>
        (await system.Client.GetFromJsonAsync<JsonObject>($"/api/v1/public/institutions?pageSize=1{query}", Ct))!["total"]!.GetValue<int>();
}
