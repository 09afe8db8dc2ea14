using Microsoft.Playwright;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Browser;

/// <summary>The browse page as a search page: relevance, highlights on the original text, facets, sorting.</summary>
[Collection(BrowserGroup.Name)]
[Trait("Category", "Browser")]
public sealed class SearchPageTests(BrowserFixture chromium)
{
    [Fact]
    public async Task VisitorSearchesAndSeesHighlightedMatchesAndFieldFacets()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        var member = await market.NewMemberAsync("宁波慈溪塑料有限公司");
        var match = await market.NewNeedAsync(member, "耐高温改性工程塑料配方开发", publish: true);
        await market.NewNeedAsync(member, "车间照明节能改造方案", publish: true);
        var visitor = await market.NewVisitorAsync();

        await visitor.GotoAsync("/needs");
        await visitor.Locator("input[name=q]").FillAsync("改性塑料");
        await visitor.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await visitor.Locator("[data-testid=search-summary]").WaitForAsync();
        var summary = await visitor.Locator("[data-testid=search-summary]").InnerTextAsync();
        var titles = await visitor.Locator(".listing-item .item-title").AllInnerTextsAsync();
        var marks = await visitor.Locator(".listing-item mark").AllInnerTextsAsync();
        var facets = await visitor.Locator("[data-testid=facets]").InnerTextAsync();
        await BrowserMarket.ScreenshotAsync(visitor, "21-search");

        Assert.Contains("检索到", summary, StringComparison.Ordinal);
        Assert.Equal(match.Title, titles[0]);
        // Both share the helper's summary text; the one whose title matches ranks first.
        Assert.Equal(2, titles.Count);
        Assert.Contains(marks, m => m.Contains("改性", StringComparison.Ordinal) || m.Contains("塑料", StringComparison.Ordinal));
        Assert.Contains("新材料（2）", facets, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchBoxSuggestsTitlesAsTheVisitorTypes()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        var member = await market.NewMemberAsync("宁波余姚光电有限公司");
        await market.NewNeedAsync(member, "红外光学镜头镀膜工艺", publish: true);
        var visitor = await market.NewVisitorAsync();

        await visitor.GotoAsync("/needs");
        await visitor.Locator("input[name=q]").PressSequentiallyAsync("红外");
        await visitor.Locator("#q-suggestions option").First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var options = await visitor.Locator("#q-suggestions option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)");

        Assert.Contains("红外光学镜头镀膜工艺", options);
    }

    [Fact]
    public async Task HostileTextIsJustText()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        var visitor = await market.NewVisitorAsync();

        var response = await visitor.GotoAsync("/needs?q=" + Uri.EscapeDataString("<script>alert(1)</script> NEAR( \"*"));
        var empty = await visitor.Locator(".empty").InnerTextAsync();
        var value = await visitor.Locator("input[name=q]").InputValueAsync();

        Assert.Equal(200, response!.Status);
        Assert.Contains("没有符合条件的技术需求", empty, StringComparison.Ordinal);
        Assert.Equal("<script>alert(1)</script> NEAR( \"*", value);
    }
}
