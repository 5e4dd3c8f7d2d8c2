using System.Text.Json.Nodes;
using Evaluation.BrowserTests.Infrastructure;
using Evaluation.Contracts.Registry;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using Xunit;

namespace Evaluation.BrowserTests;

/// <summary>The public portal in Chromium: the figures of known ratings, live updates, search, and no personal data.</summary>
[Collection(PortalCollection.Name)]
public sealed class PublicPortalTests(Portal portal)
{
    [Fact]
    public async Task The_institution_page_shows_the_exact_figures_of_known_ratings_and_a_new_rating_shows_up()
    {
        var institution = Pick(InstitutionKind.BrandGuidanceStation, 0);
        var contact = new JsonObject { ["name"] = "<b>秘密评价人</b>", ["phone"] = "13912345678" };
        await portal.RateAsync(institution, "web-known", [5, 5, 4, 1], contact);

        var page = await portal.OpenAsync($"/institutions/{institution.Id}");
        var today = page.Locator("#scores tr[data-window='today']");
        await Portal.EventuallyAsync(page, async () => await today.Locator(".count").InnerTextAsync() == "4", "the four ratings on the page");

        Assert.Equal("75.0%", await today.Locator(".good-rate").InnerTextAsync());
        Assert.Equal("25.0%", await today.Locator(".bad-rate").InnerTextAsync());
        Assert.Equal("0 (0.0%)", await today.Locator(".verified").InnerTextAsync()); // none names a service record
        Assert.Contains("评价数量不足", await today.Locator(".smoothed").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(["2", "1", "0", "0", "1"], await page.Locator("#levels tbody .count").AllInnerTextsAsync());
        Assert.Equal(institution.Address, await page.Locator("#address").InnerTextAsync());
        Assert.Equal(institution.Phone, await page.Locator("#phone").InnerTextAsync());
        Assert.Equal(institution.Services.Count, await page.Locator("#service-items tbody tr").CountAsync());
        Assert.Contains("工作日", await page.Locator("#service-items .time-limit").First.InnerTextAsync(), StringComparison.Ordinal);

        // The rater's contact went in with the ratings; it never comes out on a public page.
        var html = await page.ContentAsync();
        Assert.DoesNotContain("秘密评价人", html, StringComparison.Ordinal);
        Assert.DoesNotContain("13912345678", html, StringComparison.Ordinal);

        await portal.RateAsync(institution, "web-more", [2]);
        await Portal.EventuallyAsync(page, async () => await today.Locator(".count").InnerTextAsync() == "5", "the fifth rating on the page");
        Assert.Equal("60.0%", await today.Locator(".good-rate").InnerTextAsync());
        Assert.Equal("40.0%", await today.Locator(".bad-rate").InnerTextAsync());

        // Scripts draw the trend table as a chart; the table itself stays, one row a day, today's last.
        await page.Locator(".chart canvas").WaitForAsync();
        var detail = await portal.GetJsonAsync($"/api/v1/public/institutions/{institution.Id}");
        var days = page.Locator("table[data-chart='trend'] tbody tr");
        Assert.Equal(detail!["daily"]!.AsArray().Count, await days.CountAsync());
        Assert.Equal("5", await days.Last.Locator("td").First.GetAttributeAsync("data-value"));
        await Portal.ScreenshotAsync(page, "institution");
    }

    [Fact]
    public async Task The_province_page_ranks_all_cities_and_shows_plan_targets_and_reads_without_javascript()
    {
        // A city no other test rates in, so its figures are exactly these six ratings.
        var others = new[] { Pick(InstitutionKind.BrandGuidanceStation, 0), Pick(InstitutionKind.TrademarkWindow, 0) }.Select(i => i.CityCode);
        var institution = ShippedRegistry.Sample.Institutions.First(i =>
            i.Kind == InstitutionKind.ComprehensiveCentre && i.Services.Count > 0 && i.Channels.Count > 0 && !others.Contains(i.CityCode));
        await portal.RateAsync(institution, "web-province", [5, 4, 4, 3, 1, 5]);

        var page = await portal.OpenAsync("/");
        Assert.Equal(21, await page.Locator("#city-ranking tbody tr").CountAsync());
        var city = page.Locator($"#city-ranking tr[data-city='{institution.CityCode}']");
        await Portal.EventuallyAsync(page, async () => await city.Locator(".count").InnerTextAsync() == "6", "the city's six ratings");
        Assert.Equal("66.7%", await city.Locator(".good-rate").InnerTextAsync());

        var province = await portal.GetJsonAsync("/api/v1/public/province");
        var targets = province!["planTargets"]!.AsArray();
        Assert.Equal(targets.Count, await page.Locator("#plan-targets tbody tr").CountAsync());
        Assert.True(targets.Count > 0);
        await Portal.ScreenshotAsync(page, "province");

        var phone = await portal.OpenAsync("/", width: 390);
        await Portal.ScreenshotAsync(phone, "province-phone");

        var plain = await portal.OpenAsync("/", javaScript: false);
        Assert.Equal(21, await plain.Locator("#city-ranking tbody tr").CountAsync());
        Assert.Equal(0, await plain.Locator(".chart canvas").CountAsync());

        // Keyboard users reach the content first.
        await plain.Keyboard.PressAsync("Tab");
        Assert.Equal("skip", await plain.EvaluateAsync<string>("document.activeElement.className"));
    }

    [Fact]
    public async Task The_city_page_ranks_its_institutions_by_peer_group()
    {
        var institution = Pick(InstitutionKind.TrademarkWindow, 0);
        await portal.RateAsync(institution, "web-city", [5, 5, 5]);

        var page = await portal.OpenAsync($"/cities/{institution.CityCode}");
        var row = page.Locator($"table[data-peer-group='trademark-window'] tr[data-institution='{institution.Id}']");
        await Portal.EventuallyAsync(page, async () => await row.CountAsync() == 1 && await row.Locator(".count").InnerTextAsync() == "3", "the institution's three ratings in the city ranking");

        var city = await portal.GetJsonAsync($"/api/v1/public/cities/{institution.CityCode}");
        Assert.Equal(city!["name"]!.GetValue<string>(), (await page.Locator("h1").InnerTextAsync()).Split(' ')[0]);
        var groups = city["rankings"]!.AsArray().Select(r => r!["peerGroup"]!.GetValue<string>()).Distinct().Count();
        Assert.Equal(groups, await page.Locator("table[data-peer-group]").CountAsync());
        await Portal.ScreenshotAsync(page, "city");

        Assert.Equal(404, (await page.GotoAsync("/cities/449999"))!.Status);
    }

    [Fact]
    public async Task The_county_institution_and_city_pages_show_the_service_item_tables()
    {
        // An institution no other test rates: its own table shows exactly these ratings; its county and city
        // (which other tests may rate in) show what the public API publishes for them.
        var institution = ShippedRegistry.Sample.Institutions.First(i =>
            i.Kind == InstitutionKind.TrademarkWorkstation && i.CountyCode is not null && i.Services.Count > 0 && i.Channels.Count > 0
            && !PlantedByConsoleTests.Contains(i.Id));
        var item = institution.Services[0];
        await portal.RateAsync(institution, "web-items", [5, 4, 1]);

        var own = await portal.OpenAsync($"/institutions/{institution.Id}");
        var row = own.Locator($"#service-items-d30 tr[data-item='{item}']");
        await Portal.EventuallyAsync(own, async () => await row.CountAsync() == 1 && await row.Locator(".count").InnerTextAsync() == "3", "the three ratings in the item's row");
        Assert.Equal("66.7%", await row.Locator(".good-rate").InnerTextAsync());
        Assert.Equal("33.3%", await row.Locator(".bad-rate").InnerTextAsync());
        Assert.Contains("评价数量不足", await row.Locator(".smoothed").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("1", await row.Locator(".follow-ups").InnerTextAsync());
        Assert.Equal(4, await own.Locator("details.service-items").CountAsync());

        foreach (var (path, api) in new[]
        {
            ($"/counties/{institution.CountyCode}", $"/api/v1/public/counties/{institution.CountyCode}/service-items"),
            ($"/cities/{institution.CityCode}", $"/api/v1/public/cities/{institution.CityCode}/service-items"),
            ("/", "/api/v1/public/province/service-items"),
        })
        {
            var page = await portal.OpenAsync(path);
            var itemRow = page.Locator($"#service-items-d30 tr[data-item='{item}']");
            await Portal.EventuallyAsync(page, async () => await itemRow.CountAsync() == 1 && int.Parse(await itemRow.Locator(".count").InnerTextAsync()) >= 3, $"{path}'s row of {item}");
            var published = (await portal.GetJsonAsync(api))!["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
            Assert.Equal(published.Select(i => i["serviceItem"]!.GetValue<string>()), await page.Locator("#service-items-d30 tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.item)"));
            var d30 = published.Single(i => i["serviceItem"]!.GetValue<string>() == item)["scores"]!["d30"]!;
            await Portal.EventuallyAsync(page, async () => await itemRow.Locator(".count").InnerTextAsync() == d30["count"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture), $"{path} to show the published count");
            if (path.StartsWith("/counties/", StringComparison.Ordinal))
            {
                Assert.Contains(ShippedRegistry.Sample.FindItem(item)!.Name, await itemRow.Locator("th").InnerTextAsync(), StringComparison.Ordinal);
                await page.Locator("details[data-window='d90'] summary").ClickAsync();
                Assert.True(await page.Locator($"#service-items-d90 tr[data-item='{item}']").IsVisibleAsync());
                await Portal.ScreenshotAsync(page, "county");
            }
        }

        // The province page also shows the plan's four regions.
        var province = await portal.OpenAsync("/", javaScript: false);
        Assert.Equal(["pearl-river-delta", "east", "west", "north"], await province.Locator("#regions tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.region)"));
    }

    [Fact]
    public async Task Search_filters_by_city_and_kind_finds_by_name_and_pages()
    {
        var institution = Pick(InstitutionKind.InfoOutlet, 0);
        var page = await portal.OpenAsync("/institutions");
        var everyone = ShippedRegistry.Sample.Institutions.Count;
        Assert.Contains($"共 {everyone} 家", await page.Locator("#result-count").InnerTextAsync(), StringComparison.Ordinal);

        await page.Locator("a[rel='next']").ClickAsync();
        await page.WaitForURLAsync("**page=2**");
        var pages = (everyone + 19) / 20;
        Assert.Contains($"第 2 / {pages} 页", await page.Locator("#result-count").InnerTextAsync(), StringComparison.Ordinal);

        await page.GotoAsync("/institutions");
        await page.GetByLabel("城市 City").SelectOptionAsync(institution.CityCode);
        await page.GetByLabel("类型 Kind").SelectOptionAsync("info-outlet");
        await page.GetByRole(AriaRole.Button, new() { Name = "查询 Search" }).ClickAsync();
        var expected = ShippedRegistry.Sample.Institutions.Count(i => i.CityCode == institution.CityCode && i.Kind == InstitutionKind.InfoOutlet);
        Assert.Contains($"共 {expected} 家", await page.Locator("#result-count").InnerTextAsync(), StringComparison.Ordinal);
        Assert.All(await page.Locator("#results tbody tr td:nth-child(2)").AllInnerTextsAsync(), kind => Assert.Equal("信息公共服务网点", kind));
        await Portal.ScreenshotAsync(page, "search");

        await page.GotoAsync("/institutions");
        await page.GetByLabel("关键词 Keyword").FillAsync(institution.Name);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/institutions?**");
        await page.GetByRole(AriaRole.Link, new() { Name = institution.Name, Exact = true }).ClickAsync();
        Assert.EndsWith($"/institutions/{institution.Id}", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_typed_into_the_search_is_shown_encoded_and_never_run()
    {
        var page = await portal.OpenAsync("/institutions?q=" + Uri.EscapeDataString("<img src=x onerror=\"document.title='pwned'\">"));
        Assert.Contains("共 0 家", await page.Locator("#result-count").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("img").CountAsync());
        Assert.NotEqual("pwned", await page.TitleAsync());
        Assert.StartsWith("<img", await page.GetByLabel("关键词 Keyword").InputValueAsync(), StringComparison.Ordinal);
    }

    /// <summary>The console tests plant underperformers and their peers in the same shared system; stay clear of them.</summary>
    private static readonly HashSet<string> PlantedByConsoleTests = [.. new[] { 0, 1 }
        .Select(group => PeerGroups.InDifferentCities(7, group))
        .SelectMany(g => g.Peers.Append(g.Target))
        .Select(i => i.Id)];

    private static Institution Pick(InstitutionKind kind, int skip) =>
        ShippedRegistry.Sample.Institutions
            .Where(i => i.Kind == kind && i.Channels.Count > 0 && i.Services.Count > 0 && !PlantedByConsoleTests.Contains(i.Id))
            .Skip(skip)
            .First();
}
