using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Evaluation.Contracts.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;
using static Evaluation.IntegrationTests.Api.IngestionApiTests;

namespace Evaluation.IntegrationTests.Api;

/// <summary>
/// Several API hosts in front of one cluster, one of them restarted between a send and its retry:
/// a batch sent through different hosts, at once or after a restart, still counts once, and a console
/// form's antiforgery token protected by one host is read by another.
/// </summary>
public sealed class ApiHostRestartTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    [Fact]
    public async Task A_console_form_token_protected_by_one_API_host_is_read_by_another_from_the_shared_key_ring()
    {
        await using var first = system.CreateApi();
        await using var second = system.CreateApi();
        var written = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("antiforgery").Protect("form of an officer");

        Assert.Equal("form of an officer", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("antiforgery").Unprotect(written));
        await using var connection = new NpgsqlConnection(system.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var keys = new NpgsqlCommand("SELECT count(*) FROM data_protection_key", connection);
        Assert.True((long)(await keys.ExecuteScalarAsync(TestContext.Current.CancellationToken))! >= 1, "the key ring is kept in PostgreSQL");
    }

    [Fact]
    public async Task A_batch_resent_through_another_or_a_restarted_API_host_counts_once()
    {
        var institution = Pick(InstitutionKind.InfoOutlet);
        var batch = Batch(Enumerable.Range(0, 100).Select(i => Rating($"hosts-{i}", institution, level: 4)));

        var first = system.CreateApi();
        var second = system.CreateApi();
        var answers = await Task.WhenAll(SendAsync(first, batch), SendAsync(second, batch));
        Assert.Equal(100, answers.Sum(a => a["accepted"]!.GetValue<int>()));

        // The source timed out on the first host, which then restarts; the retry reaches the new process.
        await first.DisposeAsync();
        await using var restarted = system.CreateApi();
        var retry = await SendAsync(restarted, batch);
        Assert.Equal(0, retry["accepted"]!.GetValue<int>());
        Assert.Equal(100, retry["duplicates"]!.GetValue<int>());
        await second.DisposeAsync();

        await Eventually(async () =>
        {
            var page = await system.Client.GetFromJsonAsync<JsonObject>($"/api/v1/public/institutions/{institution.Id}", Ct);
            return page!["scores"]!["today"]!["count"]!.GetValue<long>() == 100;
        }, "exactly 100 ratings on the institution");
    }

    private static async Task<JsonObject> SendAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> api, JsonObject batch)
    {
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", RunningSystem.SourceKey);
        using var response = await client.PostAsJsonAsync("/api/v1/evaluations", batch.DeepClone(), Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
    }
}
