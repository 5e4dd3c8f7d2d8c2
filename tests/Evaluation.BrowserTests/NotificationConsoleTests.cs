using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Evaluation.BrowserTests.Infrastructure;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using Xunit;

namespace Evaluation.BrowserTests;

/// <summary>The notification settings page in Chromium: an officer subscribes a webhook, reads the delivery log, redelivers.</summary>
[Collection(PortalCollection.Name)]
public sealed class NotificationConsoleTests(Portal portal)
{
    [Fact]
    public async Task An_officer_subscribes_a_webhook_sees_it_delivered_and_redelivers_it_with_the_same_id()
    {
        await using var receiver = new WebhookReceiver();
        await receiver.StartAsync();
        var institution = ShippedRegistry.Sample.Institutions.First(i => i.CityCode == "440400");
        var page = await portal.OpenAsync("/console/login");
        await ConsoleTests.SignInAsync(page, await portal.TokenAsync("city-officer", institution.CityCode));
        await page.GetByRole(AriaRole.Link, new() { Name = "通知设置 Notification settings" }).ClickAsync();
        Assert.EndsWith("/console/notifications", page.Url, StringComparison.Ordinal);

        await page.GetByLabel("地址 Address").FillAsync(receiver.Url);
        await page.GetByRole(AriaRole.Button, new() { Name = "订阅 Subscribe" }).ClickAsync();
        var secret = await page.Locator("#subscription-secret").InnerTextAsync();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        var row = page.Locator("#subscriptions tbody tr").Filter(new() { HasText = receiver.Url });
        Assert.Contains(institution.CityCode, await row.InnerTextAsync(), StringComparison.Ordinal);

        // To the delivery log (a plain GET, so waiting by reloading never posts the form again).
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await portal.PostAsync("/api/v1/audits", new { institutionId = institution.Id, reason = "抽查 spot check" }, await portal.TokenAsync("province-supervisor"));
        await Portal.EventuallyAsync(page, () => Task.FromResult(!receiver.Received.IsEmpty), "the audit.opened delivery");
        var first = receiver.Received.First();
        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), first.Body)), first.Signature);

        var delivery = page.Locator("#delivery-log tbody tr").Filter(new() { HasText = first.Delivery! });
        await Portal.EventuallyAsync(page, async () => await delivery.CountAsync() == 1
            && (await delivery.Locator(".delivery-state").InnerTextAsync()).Contains("delivered", StringComparison.Ordinal), "the delivery log to show it delivered");
        await delivery.GetByRole(AriaRole.Button, new() { Name = "重新投递 Redeliver" }).ClickAsync();
        await Portal.EventuallyAsync(page, () => Task.FromResult(receiver.Received.Count >= 2), "the redelivery");
        Assert.All(receiver.Received, hook => Assert.Equal(first.Delivery, hook.Delivery));
        Assert.Equal("audit.opened", JsonNode.Parse(receiver.Received.Last().Body)!["type"]!.GetValue<string>());
        await Portal.ScreenshotAsync(page, "console-notifications");
    }
}
