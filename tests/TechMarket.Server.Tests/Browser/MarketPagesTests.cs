using Microsoft.Playwright;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Browser;

/// <summary>The shell around the listings: home page, demo marking, header and sign-out.</summary>
[Collection(BrowserGroup.Name)]
[Trait("Category", "Browser")]
public sealed class MarketPagesTests(BrowserFixture chromium)
{
    [Fact]
    public async Task MarksDemoListingsWithABadgeAndShowsTheDemoBanner()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        var member = await market.NewMemberAsync("宁波示例新材料有限公司");
        var demo = await market.NewNeedAsync(member, "示例：稀土永磁材料回收工艺", publish: true);
        var real = await market.NewNeedAsync(member, "真实：注塑件翘曲变形分析", publish: true);
        var visitor = await market.NewVisitorAsync();
        await visitor.GotoAsync("/");
        var bannersBefore = await visitor.Locator(".demo-banner").CountAsync();

        await market.MarkDemoAsync(demo.Id);
        await visitor.GotoAsync("/");
        var banner = await visitor.Locator(".demo-banner").InnerTextAsync();
        await BrowserMarket.ScreenshotAsync(visitor, "12-home-demo");
        await visitor.GotoAsync("/needs");
        var demoItem = visitor.Locator(".listing-item", new() { HasText = demo.Title });
        var realItem = visitor.Locator(".listing-item", new() { HasText = real.Title });
        var demoBadges = await demoItem.Locator(".badge.demo").CountAsync();
        var realBadges = await realItem.Locator(".badge.demo").CountAsync();
        await visitor.GotoAsync($"/needs/{demo.Id}");
        var detailBadge = await visitor.Locator(".listing-detail .badge.demo").InnerTextAsync();

        Assert.Equal(0, bannersBefore);
        Assert.Contains("示例数据", banner, StringComparison.Ordinal);
        Assert.Equal(1, demoBadges);
        Assert.Equal(0, realBadges);
        Assert.Equal("示例数据", detailBadge);
    }

    [Fact]
    public async Task SignsOutFromTheHeader()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        var member = await market.NewMemberAsync("宁波高新区智能传感有限公司");
        var page = await market.SignedInAsync(member.Email, member.Password);
        await page.GotoAsync("/my");
        var who = await page.Locator("[data-testid=who]").InnerTextAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "退出" }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        var header = await page.Locator(".who").InnerTextAsync();
        await page.GotoAsync("/my");
        var afterwards = new Uri(page.Url).AbsolutePath;

        Assert.Equal("张工 · 宁波高新区智能传感有限公司", who);
        Assert.Contains("登录", header, StringComparison.Ordinal);
        Assert.Equal("/login", afterwards);
    }

    [Fact]
    public async Task RegistrationShowsTheServicesErrorsNextToTheFields()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        var page = await market.NewVisitorAsync();

        await page.GotoAsync("/register");
        await page.Locator("input[name=organisationName]").FillAsync("宁波测试科技有限公司");
        await page.Locator("input[name=creditCode]").FillAsync("91330200MA2AAAAAA0");
        await page.Locator("input[name=displayName]").FillAsync("李");
        await page.Locator("input[name=email]").FillAsync("not-an-email");
        await page.Locator("input[name=password]").FillAsync("short");
        await page.GetByRole(AriaRole.Button, new() { Name = "注册并登录" }).ClickAsync();
        await page.Locator(".field-error[data-field=creditCode]").WaitForAsync();
        var errors = await page.Locator(".field-error").AllInnerTextsAsync();
        var keptName = await page.Locator("input[name=organisationName]").InputValueAsync();
        await BrowserMarket.ScreenshotAsync(page, "14-register-errors");

        Assert.Contains("统一社会信用代码无效：应为 18 位，且校验位正确", errors);
        Assert.Contains("姓名应为 2 到 50 个字符", errors);
        Assert.Contains("请填写有效的电子邮箱", errors);
        Assert.Contains("密码须为 8 到 128 位，且同时包含字母和数字", errors);
        Assert.Contains(errors, e => e.StartsWith("请选择所在区县市", StringComparison.Ordinal));
        Assert.Equal("宁波测试科技有限公司", keptName);
    }

    [Fact]
    public async Task PagesThroughPublishedNeedsKeepingTheFilters()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        var member = await market.NewMemberAsync("宁波前湾汽车零部件有限公司");
        for (var i = 1; i <= 23; i++)
        {
            await market.NewNeedAsync(member, $"轻量化底盘件需求 {i:00}", publish: true);
        }

        await market.NewNeedAsync(member, "其他需求：焊接机器人视觉纠偏", publish: true);
        var visitor = await market.NewVisitorAsync();

        await visitor.GotoAsync("/needs?q=%E8%BD%BB%E9%87%8F%E5%8C%96");
        var firstPage = await visitor.Locator(".listing-item").CountAsync();
        var pager = await visitor.Locator(".pager").InnerTextAsync();
        await visitor.GetByRole(AriaRole.Link, new() { Name = "下一页" }).ClickAsync();
        await visitor.WaitForURLAsync("**page=2");
        var secondPage = await visitor.Locator(".listing-item").AllInnerTextsAsync();
        var keptQuery = await visitor.Locator("input[name=q]").InputValueAsync();

        Assert.Equal(20, firstPage);
        Assert.Contains("第 1 / 2 页（共 23 条）", pager, StringComparison.Ordinal);
        Assert.Equal(3, secondPage.Count);
        Assert.All(secondPage, item => Assert.Contains("轻量化底盘件需求", item, StringComparison.Ordinal));
        Assert.Equal("轻量化", keptQuery);
    }
}
