using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace Evaluation.IntegrationTests.Infrastructure;

/// <summary>What the API tests of staff work share: signed-in clients, follow-up steps, and waiting for aggregates.</summary>
public static class StaffWork
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A client of the system carrying a development token of <paramref name="role"/> (and city).</summary>
    public static async Task<HttpClient> StaffClientAsync(this RunningSystem system, string role, string? city)
    {
        var client = system.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await system.TokenAsync(role, city));
        return client;
    }

    /// <summary>Takes one follow-up step through the API and checks the state it leads to.</summary>
    public static async Task StepAsync(HttpClient client, string id, string step, string note, string expectedState)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/follow-ups/{id}/{step}", new { note }, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{step}: {(int)response.StatusCode} {text}");
        Assert.Equal(expectedState, JsonNode.Parse(text)!["state"]!.GetValue<string>());
    }

    /// <summary>
    /// Polls until <paramref name="probe"/> holds; aggregates and reports arrive asynchronously. A minute is far
    /// more than any of them takes on a loaded machine; only a failing test waits that long.
    /// </summary>
    public static async Task EventuallyAsync(Func<Task<bool>> probe, string what)
    {
        var patience = TimeSpan.FromSeconds(60);
        var deadline = DateTime.UtcNow + patience;
        while (!await probe())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Waited {patience.TotalSeconds} s for {what}.");
            await Task.Delay(150, Ct);
        }
    }
}
