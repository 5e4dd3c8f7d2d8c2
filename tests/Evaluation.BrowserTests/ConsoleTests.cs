using Evaluation.BrowserTests.Infrastructure;
using Evaluation.Contracts.Registry;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using Xunit;

namespace Evaluation.BrowserTests;

/// <summary>The staff consoles in Chromium: signing in with the project's tokens, and each role seeing only its part.</summary>
[Collection(PortalCollection.Name)]
public sealed class ConsoleTests(Portal portal)
{
    [Fact]
    public async Task A_supervisor_signs_in_and_sees_every_audit_an_officer_sees_only_their_citys()
    {
        var institution = ShippedRegistry.Sample.Institutions.First(i => i.Kind == InstitutionKind.ComprehensiveCentre && i.CityCode == "440300");
        var supervisor = await portal.TokenAsync("province-supervisor");
        var audit = await portal.PostAsync("/api/v1/audits", new { institutionId = institution.Id, reason = "差评率高于同类机构 <script>" }, supervisor);
        var auditId = audit["id"]!.GetValue<string>();

        var page = await portal.OpenAsync("/console/province");
        Assert.EndsWith("/console/login", page.Url, StringComparison.Ordinal);
        await SignInAsync(page, supervisor);
        Assert.EndsWith("/console/province", page.Url, StringComparison.Ordinal);
        var row = page.Locator($"#audits tr[data-audit='{auditId}']");
        Assert.Contains(institution.Name, await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("<script>", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(21, await page.Locator("#city-ranking tbody tr").CountAsync());

        var officer = await portal.OpenAsync("/console/login");
        await SignInAsync(officer, await portal.TokenAsync("city-officer", institution.CityCode));
        Assert.EndsWith("/console/city", officer.Url, StringComparison.Ordinal);
        Assert.Equal(1, await officer.Locator($"#audits tr[data-audit='{auditId}']").CountAsync());

        // An officer of another city sees neither this audit nor the province's console, whatever the address says.
        var stranger = await portal.OpenAsync("/console/login");
        await SignInAsync(stranger, await portal.TokenAsync("city-officer", "440100"));
        Assert.Equal(0, await stranger.Locator($"tr[data-audit='{auditId}']").CountAsync());
        await stranger.GotoAsync($"/console/city?city={institution.CityCode}");
        Assert.StartsWith("广州市", await stranger.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await stranger.Locator($"tr[data-audit='{auditId}']").CountAsync());
        Assert.Equal(403, (await stranger.GotoAsync("/console/province"))!.Status);

        await stranger.GotoAsync("/console/city");
        await stranger.GetByRole(AriaRole.Button, new() { Name = "退出 Sign out" }).ClickAsync();
        await stranger.WaitForURLAsync("**/console/login");
        await stranger.GotoAsync("/console/city");
        Assert.EndsWith("/console/login", stranger.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_alert_arrives_live_and_its_audit_goes_from_opening_to_verified_across_both_consoles()
    {
        var (target, peers) = PeerGroups.InDifferentCities(7);
        var supervisorToken = await portal.TokenAsync("province-supervisor");

        // Both consoles are open before anything is planted: the alert must reach them without a reload.
        var province = await portal.OpenAsync("/console/login");
        await SignInAsync(province, supervisorToken);
        var officer = await portal.OpenAsync("/console/login");
        await SignInAsync(officer, await portal.TokenAsync("city-officer", target.CityCode));
        foreach (var console in new[] { province, officer })
        {
            await console.Locator("#alerts-status[data-connected='true']").WaitForAsync();
            await console.EvaluateAsync("window.neverReloaded = true");
        }

        await portal.RateAsync(target, "live-target", Enumerable.Range(0, 30).Select(i => i % 2 == 0 ? 1 : 5));
        foreach (var peer in peers)
        {
            await portal.RateAsync(peer, $"live-{peer.Id}", Enumerable.Range(0, 30).Select(i => i == 0 ? 1 : 5));
        }

        var alertRow = $"#alerts tr[data-institution='{target.Id}']";
        await DetectUntilShownAsync(province, alertRow, supervisorToken);
        await officer.Locator(alertRow).WaitForAsync();
        foreach (var console in new[] { province, officer })
        {
            Assert.True(await console.EvaluateAsync<bool>("window.neverReloaded === true"), "The console reloaded to show the alert.");
        }

        var alert = province.Locator(alertRow);
        Assert.Contains(target.Name, await alert.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("差评率", await alert.Locator("ul.explanation").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await officer.Locator($"{alertRow} form").CountAsync());
        await alert.Locator("summary").ClickAsync();
        await Wcag.AssertNoViolationsAsync(province);
        await Portal.ScreenshotAsync(province, "console-province");

        // The supervisor opens the audit from the alert; the alert leaves the open list, the case takes over.
        await alert.GetByRole(AriaRole.Button, new() { Name = "立案督查 Open an audit" }).ClickAsync();
        await province.WaitForURLAsync("**/console/audits/*");
        var auditId = province.Url[(province.Url.LastIndexOf('/') + 1)..];
        Assert.Contains("已立案", await province.Locator("#audit-state").InnerTextAsync(), StringComparison.Ordinal);

        // The officer, in a context of their own, analyses, plans and submits evidence.
        await officer.GotoAsync($"/console/audits/{auditId}");
        await Wcag.AssertNoViolationsAsync(officer);
        await TakeStepAsync(officer, "analysis", "原因分析 Analysis", "窗口人手不足，高峰期排队过长 <b>");
        await TakeStepAsync(officer, "rectification", "整改方案 Rectification plan", "增设两个窗口，推行预约办理");
        await officer.Locator("#attachment-name").FillAsync("整改报告.pdf");
        await officer.Locator("#attachment-type").FillAsync("application/pdf");
        await officer.Locator("#attachment-size").FillAsync("24680");
        await TakeStepAsync(officer, "submission", "提交整改材料 Submission", "已增设窗口，排队时间降至 10 分钟");
        Assert.Contains("已提交待核查", await officer.Locator("#audit-state").InnerTextAsync(), StringComparison.Ordinal);
        var history = await officer.Locator("#audit-history").InnerTextAsync();
        Assert.Contains("整改报告.pdf", history, StringComparison.Ordinal);
        Assert.Contains("<b>", history, StringComparison.Ordinal);
        Assert.Equal(0, await officer.GetByRole(AriaRole.Button, new() { Name = "核查通过 Verification" }).CountAsync());

        await province.ReloadAsync();
        await TakeStepAsync(province, "verification", "核查通过 Verification", "现场核查属实");
        Assert.Contains("已核查办结", await province.Locator("#audit-state").InnerTextAsync(), StringComparison.Ordinal);
        await Portal.ScreenshotAsync(province, "console-audit");

        await province.GotoAsync("/console/province");
        Assert.Contains("已核查办结", await province.Locator($"#audits tr[data-audit='{auditId}']").InnerTextAsync(), StringComparison.Ordinal);
        await officer.GotoAsync("/console/city");
        Assert.Contains("已核查办结", await officer.Locator($"#audits tr[data-audit='{auditId}']").InnerTextAsync(), StringComparison.Ordinal);
        await Portal.ScreenshotAsync(officer, "console-city");

        // An officer of another city sees neither the alert nor the case, not even at its address.
        var stranger = await portal.OpenAsync("/console/login");
        await SignInAsync(stranger, await portal.TokenAsync("city-officer", target.CityCode == "440100" ? "440300" : "440100"));
        Assert.Equal(0, await stranger.Locator($"tr[data-audit='{auditId}'], {alertRow}").CountAsync());
        Assert.Equal(403, (await stranger.GotoAsync($"/console/audits/{auditId}"))!.Status);
        Assert.Equal(403, (await stranger.GotoAsync($"/console/alerts/stream?city={target.CityCode}"))!.Status);
    }

    [Fact]
    public async Task A_supervisor_dismisses_an_alert_with_a_reason_and_forms_without_the_antiforgery_token_are_refused()
    {
        var (target, peers) = PeerGroups.InDifferentCities(7, group: 1);
        var supervisorToken = await portal.TokenAsync("province-supervisor");
        var province = await portal.OpenAsync("/console/login");
        await SignInAsync(province, supervisorToken);
        await portal.RateAsync(target, "dismiss-target", Enumerable.Range(0, 30).Select(i => i % 2 == 0 ? 1 : 5));
        foreach (var peer in peers)
        {
            await portal.RateAsync(peer, $"dismiss-{peer.Id}", Enumerable.Range(0, 30).Select(i => i == 0 ? 1 : 5));
        }

        var alertRow = $"#alerts tr[data-institution='{target.Id}']";
        await DetectUntilShownAsync(province, alertRow, supervisorToken);
        var alertId = await province.Locator(alertRow).GetAttributeAsync("data-alert");

        // The form's own token is all that makes a post count: the same post without it is refused.
        var forged = await province.APIRequest.PostAsync("/console/province?handler=DismissAlert", new()
        {
            Form = province.APIRequest.CreateFormData().Set("alertId", alertId!).Set("reason", "forged"),
        });
        Assert.Equal(400, forged.Status);

        // A reason of blanks passes the browser's check but not the grain's: the refusal is shown, the alert stays.
        await province.Locator($"{alertRow} summary").ClickAsync();
        await province.Locator($"#dismiss-{alertId}").FillAsync("   ");
        await province.Locator(alertRow).GetByRole(AriaRole.Button, new() { Name = "不予处理 Dismiss" }).ClickAsync();
        await province.GetByRole(AriaRole.Alert).WaitForAsync();
        Assert.Equal(1, await province.Locator(alertRow).CountAsync());

        await province.Locator($"{alertRow} summary").ClickAsync();
        await province.Locator($"#dismiss-{alertId}").FillAsync("节假日前后样本偏少，已电话核实");
        await province.Locator(alertRow).GetByRole(AriaRole.Button, new() { Name = "不予处理 Dismiss" }).ClickAsync();
        await province.WaitForURLAsync("**/console/province");
        Assert.Equal(0, await province.GetByRole(AriaRole.Alert).CountAsync());
        Assert.Equal(0, await province.Locator(alertRow).CountAsync());
    }

    [Fact]
    public async Task Something_that_is_not_a_token_is_refused_and_a_forged_one_signs_no_one_in()
    {
        var page = await portal.OpenAsync("/console/login");
        await page.GetByLabel("访问令牌 Token").FillAsync("not a token");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录 Sign in" }).ClickAsync();
        await page.GetByRole(AriaRole.Alert).WaitForAsync();

        // Well formed, but signed with another key: the API's bearer scheme rejects it, so the console does too.
        var real = await portal.TokenAsync("province-supervisor");
        var forged = real[..(real.LastIndexOf('.') + 1)] + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        await SignInAsync(page, forged);
        Assert.EndsWith("/console/login", page.Url, StringComparison.Ordinal);
    }

    /// <summary>Runs detection as the API's clients do until the row shows on the open page (ratings are aggregated a moment after they are acknowledged).</summary>
    private async Task DetectUntilShownAsync(IPage page, string row, string supervisorToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await page.Locator(row).CountAsync() == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The alert never showed on the open console.");
            await portal.PostAsync("/api/v1/detection/runs", new { }, supervisorToken);
            await Task.Delay(500, Portal.Ct);
        }
    }

    /// <summary>Fills the step's note and submits its form; the page comes back with the case as it now stands.</summary>
    internal static async Task TakeStepAsync(IPage page, string step, string button, string note)
    {
        await page.Locator($"#note-{step}").FillAsync(note);
        await page.EvaluateAsync("window.stepping = true");
        await page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
        await page.WaitForFunctionAsync("() => !window.stepping && document.readyState === 'complete'");
        Assert.Equal(0, await page.GetByRole(AriaRole.Alert).CountAsync());
    }

    internal static async Task SignInAsync(IPage page, string token)
    {
        await page.GetByLabel("访问令牌 Token").FillAsync(token);

        // The sign-in ends on a new document whichever way it went; a mark on the old one tells when it has.
        await page.EvaluateAsync("window.signingIn = true");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录 Sign in" }).ClickAsync();
        await page.WaitForFunctionAsync("() => !window.signingIn && document.readyState === 'complete'");
    }
}
