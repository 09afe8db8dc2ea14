using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Browser;

/// <summary>The review queue is for organisers and admins only.</summary>
[Collection(BrowserGroup.Name)]
[Trait("Category", "Browser")]
public sealed class ReviewQueuePageTests(BrowserFixture chromium)
{
    [Fact]
    public async Task RefusesTheReviewQueueToAPlainMember()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        var member = await market.NewMemberAsync("宁波象山海洋食品有限公司");
        var need = await market.NewNeedAsync(member, "海产品低温保鲜技术", submit: true);
        var page = await market.SignedInAsync(member.Email, member.Password);

        var queue = await page.GotoAsync("/review");
        var queueText = await page.Locator("main").InnerTextAsync();
        var item = await page.GotoAsync($"/review/{need.Id}");
        var navigation = await page.Locator("nav.main-nav").InnerTextAsync();

        Assert.Equal(403, queue!.Status);
        Assert.Contains("无权访问", queueText, StringComparison.Ordinal);
        Assert.Equal(403, item!.Status);
        Assert.DoesNotContain("审核队列", navigation, StringComparison.Ordinal);
        Assert.Contains("我的信息", navigation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendsAnonymousVisitorsToTheLoginPageAndBack()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        var page = await market.NewVisitorAsync();

        await page.GotoAsync("/review");
        var loginUrl = page.Url;
        await page.Locator("input[name=email]").FillAsync(MarketFactory.AdminEmail);
        await page.Locator("input[name=password]").FillAsync(MarketFactory.AdminPassword);
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/review");
        var heading = await page.Locator("h1").InnerTextAsync();

        Assert.EndsWith("/login?returnUrl=%2Freview", loginUrl, StringComparison.Ordinal);
        Assert.Equal("审核队列", heading);
    }
}
