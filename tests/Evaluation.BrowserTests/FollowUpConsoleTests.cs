using System.Text.Json.Nodes;
using Evaluation.BrowserTests.Infrastructure;
using Evaluation.Contracts.Registry;
using Evaluation.Grains.Registry;
using Microsoft.Playwright;
using Xunit;
using static Evaluation.BrowserTests.ConsoleTests;

namespace Evaluation.BrowserTests;

/// <summary>
/// 差评 follow-ups in Chromium: the officer's queue, the contact reveal and its record, every step to closing, the
/// province's handling figures, an appeal upheld out of the scores, and another city seeing none of it. That
/// another city's officer gets none of the live streams is tested with the alerts (<see cref="ConsoleTests"/>).
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class FollowUpConsoleTests(Portal portal)
{
    private static readonly Institution Institution = ShippedRegistry.Sample.Institutions
        .Last(i => i.Kind == InstitutionKind.TrademarkWorkstation && i.Channels.Count > 0 && i.Services.Count > 0);

    private static string City => Institution.CityCode;

    [Fact]
    public async Task A_real_name_bad_rating_is_called_back_rectified_and_closed_and_an_appealed_one_leaves_the_scores()
    {
        var supervisor = await portal.OpenAsync("/console/login");
        await SignInAsync(supervisor, await portal.TokenAsync("province-supervisor"));
        var before = await HandlingAsync(supervisor);
        var publicBefore = await PublicHandlingAsync();

        await portal.RateAsync(Institution, "fu-done", [1], new JsonObject { ["name"] = "<i>回访对象</i>", ["phone"] = "13800138000" });
        const string done = "fu-done-0";

        // The officer finds it in the queue and reveals the contact: shown in that answer only, never cached.
        var officer = await portal.OpenAsync("/console/login");
        await SignInAsync(officer, await portal.TokenAsync("city-officer", City));
        await Portal.EventuallyAsync(officer, async () => await officer.Locator($"#follow-up-queue tr[data-follow-up='{done}']").CountAsync() == 1,
            "the 差评 in the officer's queue");
        await Wcag.AssertNoViolationsAsync(officer);

        // The queue's filters are a plain GET form: a 不满意 (level 2) filter leaves this 非常不满意 out, level 1 keeps it.
        await officer.Locator("#queue-level").SelectOptionAsync("2");
        await officer.GetByRole(AriaRole.Button, new() { Name = "筛选 Filter" }).ClickAsync();
        await officer.WaitForURLAsync("**queue.level=2**");
        Assert.Equal(0, await officer.Locator($"#follow-up-queue tr[data-follow-up='{done}']").CountAsync());
        await officer.Locator("#queue-level").SelectOptionAsync("1");
        await officer.Locator("#queue-institution").SelectOptionAsync(Institution.Id);
        await officer.GetByRole(AriaRole.Button, new() { Name = "筛选 Filter" }).ClickAsync();
        await officer.WaitForURLAsync("**queue.level=1**");
        await officer.Locator($"#follow-up-queue tr[data-follow-up='{done}'] a").ClickAsync();
        await officer.WaitForURLAsync($"**/console/follow-ups/{done}");
        Assert.Contains("待回访", await officer.Locator("#follow-up-state").InnerTextAsync(), StringComparison.Ordinal);
        var revealed = await officer.RunAndWaitForResponseAsync(
            () => officer.GetByRole(AriaRole.Button, new() { Name = "显示联系方式 Show contact" }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.Contains("handler=Reveal", StringComparison.Ordinal));
        Assert.Contains("no-store", (await revealed.AllHeadersAsync())["cache-control"], StringComparison.Ordinal);
        await officer.Locator("#contact").WaitForAsync();
        Assert.Equal("13800138000", await officer.Locator("#contact-phone").InnerTextAsync());
        Assert.Equal("<i>回访对象</i>", await officer.Locator("#contact-name").InnerTextAsync());
        await officer.GotoAsync($"/console/follow-ups/{done}");
        Assert.DoesNotContain("13800138000", await officer.ContentAsync(), StringComparison.Ordinal);

        await supervisor.ReloadAsync();
        Assert.Contains("city-officer", await supervisor.Locator($"#contact-reveals tr[data-follow-up='{done}']").InnerTextAsync(), StringComparison.Ordinal);

        // A note of blanks passes the browser's check but not the rules: the API's reason is shown, nothing changes.
        await officer.Locator("#note-call-back").FillAsync("   ");
        await officer.GetByRole(AriaRole.Button, new() { Name = "回访核实 Call back", Exact = true }).ClickAsync();
        await officer.GetByRole(AriaRole.Alert).WaitForAsync();
        Assert.Contains("note", await officer.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("待回访", await officer.Locator("#follow-up-state").InnerTextAsync(), StringComparison.Ordinal);

        await officer.Locator("#outcome-call-back").SelectOptionAsync("justified");
        await TakeStepAsync(officer, "call-back", "回访核实 Call back", "已电话回访，评价人反映排队时间过长");
        await TakeStepAsync(officer, "plan", "整改计划 Plan", "增加午间窗口");
        await officer.Locator("#attachment-name-rectify").FillAsync("整改照片.jpg");
        await officer.Locator("#attachment-type-rectify").FillAsync("image/jpeg");
        await officer.Locator("#attachment-size-rectify").FillAsync("51200");
        await officer.Locator("#attachment-sha256-rectify").FillAsync(new string('a', 64));
        await TakeStepAsync(officer, "rectify", "完成整改 Rectify", "午间窗口已开放");
        await TakeStepAsync(officer, "feedback", "反馈评价人 Feedback", "已告知评价人整改情况");
        Assert.Contains("已办结", await officer.Locator("#follow-up-state").InnerTextAsync(), StringComparison.Ordinal);
        var history = await officer.Locator("#follow-up-history").InnerTextAsync();
        Assert.Contains("情况属实", history, StringComparison.Ordinal);
        Assert.Contains("整改照片.jpg（image/jpeg） 51,200 B sha256:aaaaaaaaaaaa…", history, StringComparison.Ordinal);
        Assert.Equal(0, await officer.Locator("form[aria-labelledby^='step-']").CountAsync());
        await Portal.ScreenshotAsync(officer, "console-follow-up");

        // The province's supervision table counts it: one more follow-up, called back and rectified, both on time.
        await Portal.EventuallyAsync(supervisor, async () => (await HandlingAsync(supervisor))["rectified"] == Plus(before["rectified"]),
            "the rectification in the province's handling table");
        var after = await HandlingAsync(supervisor);
        Assert.Equal(Plus(before["followUps"]), after["followUps"]);
        Assert.Equal(Plus(before["calledBack"]), after["calledBack"]);
        Assert.StartsWith("100.0%", after["callBackOnTimeRate"], StringComparison.Ordinal);
        Assert.StartsWith("100.0%", after["rectifiedOnTimeRate"], StringComparison.Ordinal);

        // The city's public read publishes the same figures (SPEC 4.5.2 handling): exactly one more of each, all on time.
        await Portal.EventuallyAsync(supervisor, async () => Count(await PublicHandlingAsync(), "rectified") == Count(publicBefore, "rectified") + 1,
            "the rectification in the city's public handling");
        var publicAfter = await PublicHandlingAsync();
        foreach (var measure in new[] { "followUps", "calledBack", "rectified" })
        {
            Assert.Equal(Count(publicBefore, measure) + 1, Count(publicAfter, measure));
        }

        Assert.Equal(1.0, publicAfter["callBackOnTimeRate"]!.GetValue<double>());
        Assert.Equal(1.0, publicAfter["rectifiedOnTimeRate"]!.GetValue<double>());

        // A second 差评 is appealed by the officer and upheld by the province: it stops counting in the scores.
        await portal.RateAsync(Institution, "fu-appeal", [2]);
        const string appealed = "fu-appeal-0";
        var counted = await EventuallyScoresAsync(s => s.Levels[1] > 0, "the appealed rating in the scores");
        await officer.GotoAsync($"/console/follow-ups/{appealed}");
        await officer.Locator("#attachment-name-appeal").FillAsync("服务记录.pdf");
        await TakeStepAsync(officer, "appeal", "申诉复核 Appeal", "办件记录显示当场办结，评价人误选等级");
        Assert.Contains("申诉复核中", await officer.Locator("#follow-up-state").InnerTextAsync(), StringComparison.Ordinal);

        // The supervisor reads the city's queue but takes no officer's step, and decides from the appeals list.
        await supervisor.GotoAsync($"/console/city?city={City}");
        Assert.Equal(1, await supervisor.Locator($"#follow-up-queue tr[data-follow-up='{appealed}']").CountAsync());
        await supervisor.GotoAsync("/console/province");
        await supervisor.Locator($"#appeals tr[data-follow-up='{appealed}'] a").ClickAsync();
        await supervisor.WaitForURLAsync($"**/console/follow-ups/{appealed}");
        Assert.Equal(0, await supervisor.GetByRole(AriaRole.Button, new() { Name = "显示联系方式 Show contact" }).CountAsync());
        Assert.Equal(0, await supervisor.Locator("#note-call-back, #note-appeal").CountAsync());
        await Wcag.AssertNoViolationsAsync(supervisor);
        await TakeStepAsync(supervisor, "uphold", "申诉成立 Uphold", "核实为误评");
        Assert.Contains("申诉成立已剔除", await supervisor.Locator("#follow-up-state").InnerTextAsync(), StringComparison.Ordinal);
        var excluded = await EventuallyScoresAsync(s => s.Levels[1] == counted.Levels[1] - 1, "the upheld rating out of the scores");
        Assert.Equal(counted.Count - 1, excluded.Count);
        await Portal.EventuallyAsync(supervisor, async () => Count(await PublicHandlingAsync(), "upheld") == Count(publicBefore, "upheld") + 1,
            "the upheld appeal in the city's public handling");
        var publicFinal = await PublicHandlingAsync();
        Assert.Equal(
            (Count(publicBefore, "followUps") + 2, Count(publicBefore, "appealed") + 1),
            (Count(publicFinal, "followUps"), Count(publicFinal, "appealed")));

        // Another city's officer sees neither follow-up: not in the queue, not at the address, not through the API.
        var strangerCity = City == "440100" ? "440300" : "440100";
        var strangerToken = await portal.TokenAsync("city-officer", strangerCity);
        var stranger = await portal.OpenAsync("/console/login");
        await SignInAsync(stranger, strangerToken);
        Assert.Equal(0, await stranger.Locator($"tr[data-follow-up='{done}'], tr[data-follow-up='{appealed}']").CountAsync());
        foreach (var id in new[] { done, appealed })
        {
            Assert.Equal(403, (await stranger.GotoAsync($"/console/follow-ups/{id}"))!.Status);
            var api = await stranger.APIRequest.GetAsync($"/api/v1/follow-ups/{id}", new() { Headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {strangerToken}" } });
            Assert.Equal(403, api.Status);
        }
    }

    private static string Plus(string number) => (long.Parse(number, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The city's 30-day handling in its public read.</summary>
    private async Task<JsonNode> PublicHandlingAsync() =>
        (await portal.GetJsonAsync($"/api/v1/public/cities/{City}"))!["handling"]!["d30"]!;

    private static long Count(JsonNode handling, string measure) => handling[measure]!.GetValue<long>();

    /// <summary>The city's row of the province's handling table, measure by measure as shown.</summary>
    private static async Task<Dictionary<string, string>> HandlingAsync(IPage province)
    {
        var cells = province.Locator($"#handling tr[data-city='{City}'] td[data-measure]");
        var result = new Dictionary<string, string>();
        for (var i = 0; i < await cells.CountAsync(); i++)
        {
            result[(await cells.Nth(i).GetAttributeAsync("data-measure"))!] = (await cells.Nth(i).InnerTextAsync()).Trim();
        }

        return result;
    }

    private async Task<(long Count, long[] Levels)> EventuallyScoresAsync(Func<(long Count, long[] Levels), bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var today = (await portal.GetJsonAsync($"/api/v1/public/institutions/{Institution.Id}"))!["scores"]!["today"]!;
            (long, long[]) scores = (today["count"]!.GetValue<long>(), [.. today["levels"]!.AsArray().Select(n => n!.GetValue<long>())]);
            if (condition(scores))
            {
                return scores;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Gave up waiting for {what}.");
            await Task.Delay(200, Portal.Ct);
        }
    }
}
