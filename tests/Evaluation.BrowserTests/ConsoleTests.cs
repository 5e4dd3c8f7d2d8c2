using Evaluation.BrowserTests.Infrastructure;
using Evaluation.Contracts.Registry;
using Evaluation.Grains.Registry;
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
        await Portal.ScreenshotAsync(page, "console-province");

        var officer = await portal.OpenAsync("/console/login");
        await SignInAsync(officer, await portal.TokenAsync("city-officer", institution.CityCode));
        Assert.EndsWith("/console/city", officer.Url, StringComparison.Ordinal);
        Assert.Equal(1, await officer.Locator($"#audits tr[data-audit='{auditId}']").CountAsync());
        await Portal.ScreenshotAsync(officer, "console-city");

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

    private static async Task SignInAsync(IPage page, string token)
    {
        await page.GetByLabel("访问令牌 Token").FillAsync(token);

        // The sign-in ends on a new document whichever way it went; a mark on the old one tells when it has.
        await page.EvaluateAsync("window.signingIn = true");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录 Sign in" }).ClickAsync();
        await page.WaitForFunctionAsync("() => !window.signingIn && document.readyState === 'complete'");
    }
}
