using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Evaluation.Contracts.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using Xunit;

namespace Evaluation.BrowserTests.Infrastructure;

/// <summary>The running system served on a loopback port, and a headless Chromium to look at it with.</summary>
public sealed class Portal : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly OnSocket system = new();
    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress => system.Client.BaseAddress!;

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await system.InitializeAsync();
        playwright = await Playwright.CreateAsync();

        // The system Chromium, never a downloaded one; no sandbox because tests run as root.
        Browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        await system.DisposeAsync();
    }

    /// <summary>A fresh page on the portal; <paramref name="width"/> 390 looks like a phone.</summary>
    public async Task<IPage> OpenAsync(string path, int width = 1280, bool javaScript = true)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new() { Width = width, Height = 900 },
            JavaScriptEnabled = javaScript,
            Locale = "zh-CN",
        });
        var page = await context.NewPageAsync();

        // A failing chart says why in the test output rather than only by a missing canvas.
        page.PageError += (_, error) => Console.Error.WriteLine($"Script error on {path}: {error}");
        var response = await page.GotoAsync(path);
        Assert.True(response is { Ok: true }, $"GET {path} answered {response?.Status}");
        return page;
    }

    /// <summary>Posts ratings of the given levels through the ingest API, as a rating source would.</summary>
    public async Task RateAsync(Institution institution, string idPrefix, IEnumerable<int> levels, JsonObject? contact = null)
    {
        var items = new JsonArray([.. levels.Select((level, n) => new JsonObject
        {
            ["id"] = $"{idPrefix}-{n}",
            ["institutionId"] = institution.Id,
            ["serviceItem"] = institution.Services[0],
            ["channel"] = MeasuresName(institution.Channels[0]),
            ["level"] = level,
            ["realName"] = contact is not null,
            ["contact"] = contact?.DeepClone(),
            ["occurredAt"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToOffset(TimeSpan.FromHours(8)).ToString("O"),
        })]);
        using var response = await system.Client.PostAsJsonAsync("/api/v1/evaluations", new JsonObject { ["items"] = items }, Ct);
        var answer = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal(items.Count, answer!["accepted"]!.GetValue<int>());
    }

    public Task<JsonObject?> GetJsonAsync(string path) => system.Client.GetFromJsonAsync<JsonObject>(path, Ct);

    /// <summary>A bearer token from the development issuer, as <c>ops/token</c> gets one.</summary>
    public async Task<string> TokenAsync(string role, string? city = null)
    {
        using var response = await system.Client.PostAsJsonAsync("/api/v1/dev/tokens", new { role, city }, Ct);
        var answer = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.True(response.IsSuccessStatusCode, answer?.ToJsonString());
        return answer!["token"]!.GetValue<string>();
    }

    /// <summary>Posts as the holder of <paramref name="token"/> and answers the JSON body.</summary>
    public async Task<JsonObject> PostAsync(string path, object body, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new("Bearer", token);
        using var response = await system.Client.SendAsync(request, Ct);
        var answer = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.True(response.IsSuccessStatusCode, answer?.ToJsonString());
        return answer!;
    }

    /// <summary>Reloads the page until the condition holds: grains aggregate what was posted a moment after it is acknowledged.</summary>
    public static async Task EventuallyAsync(IPage page, Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Gave up waiting for {what}.");
            await Task.Delay(200, Ct);
            await page.ReloadAsync();
        }
    }

    /// <summary>Saves what the page looks like: into the ignored ops/.state/screenshots, or, for ops/screenshots, into docs/screenshots.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Evaluation.sln")))
        {
            root = root.Parent;
        }

        // A test run writes only to ignored folders; the README's pictures change when someone asks for it.
        Assert.NotNull(root);
        var folder = Environment.GetEnvironmentVariable("EVAL_UPDATE_SCREENSHOTS") == "1"
            ? Path.Combine(root.FullName, "docs", "screenshots")
            : Path.Combine(root.FullName, "ops", ".state", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    private static string MeasuresName(Channel channel) => Evaluation.ClientApi.Application.ContractWords.Word(channel);

    private sealed class OnSocket : RunningSystem
    {
        protected override bool RealSocket => true;
    }
}
