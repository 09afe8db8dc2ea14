using System.Text;
using Microsoft.Playwright;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Browser;

/// <summary>Batch import from a file with its row report, and the export links of the lists.</summary>
[Collection(BrowserGroup.Name)]
[Trait("Category", "Browser")]
public sealed class ImportExportPageTests(BrowserFixture chromium)
{
    private const string Header = "名称,领域,需求描述,关键词,合作方式,主要问题";

    [Fact]
    public async Task MemberImportsAFileAndSeesEachBadRowWithItsReason()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        var member = await market.NewMemberAsync("宁波北仑模具有限公司");
        var page = await market.SignedInAsync(member.Email, member.Password);
        var csv = string.Join("\n", Header,
            "模具热处理变形控制,高端装备,需要控制大型模具热处理后的变形量,模具,技术开发,变形超差",
            "压铸件气孔检测,火星农业,需要在线检测压铸件内部气孔的方法,压铸,技术服务,漏检率高");

        await page.GotoAsync("/import");
        await page.Locator("input[name=file]").SetInputFilesAsync(new FilePayload { Name = "needs.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.Locator("input[name=mode][value=valid]").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "导入" }).ClickAsync();
        var summary = await page.Locator("[data-testid=import-summary]").InnerTextAsync();
        var errors = await page.Locator("[data-testid=import-errors] li").AllInnerTextsAsync();
        await BrowserMarket.ScreenshotAsync(page, "20-import-report");
        await page.GotoAsync("/my");
        var mine = await page.Locator("[data-testid=my-needs]").InnerTextAsync();

        Assert.Contains("已导入 1 行为草稿", summary, StringComparison.Ordinal);
        Assert.StartsWith("行 3，字段 领域：", Assert.Single(errors), StringComparison.Ordinal);
        Assert.Contains("模具热处理变形控制", mine, StringComparison.Ordinal);
        Assert.DoesNotContain("压铸件气孔检测", mine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllOrNothingImportOfABadFileWritesNothing()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        var member = await market.NewMemberAsync("宁波镇海化工有限公司");
        var page = await market.SignedInAsync(member.Email, member.Password);
        var csv = string.Join("\n", Header,
            "催化剂寿命延长,绿色石化,需要延长加氢催化剂的使用寿命,催化剂,技术开发,失活快",
            "废水深度处理,节能环保,需要高盐废水的深度处理工艺,废水,技术开发,");

        await page.GotoAsync("/import");
        await page.Locator("input[name=file]").SetInputFilesAsync(new FilePayload { Name = "needs.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.GetByRole(AriaRole.Button, new() { Name = "导入" }).ClickAsync();
        var summary = await page.Locator("[data-testid=import-summary]").InnerTextAsync();
        await page.GotoAsync("/my");
        var mine = await page.Locator("[data-testid=my-needs]").InnerTextAsync();

        Assert.Contains("未导入任何数据", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("催化剂寿命延长", mine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportLinksDownloadTheFilteredPublishedListAndTheOrganisationsOwn()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        var member = await market.NewMemberAsync("宁波江北新材料有限公司");
        await market.NewNeedAsync(member, "耐高温改性塑料配方", publish: true);
        await market.NewNeedAsync(member, "尚未提交的草稿需求");
        var page = await market.SignedInAsync(member.Email, member.Password);

        await page.GotoAsync("/needs?field=新材料");
        var publishedHref = await page.Locator("[data-testid=exports] a", new() { HasText = "CSV" }).GetAttributeAsync("href");
        var published = await page.Context.APIRequest.GetAsync(market.BaseUrl + publishedHref);
        var publishedText = Encoding.UTF8.GetString(await published.BodyAsync());
        await page.GotoAsync("/my");
        var mineHref = await page.Locator("[data-testid=my-needs] .exports a", new() { HasText = "CSV" }).GetAttributeAsync("href");
        var mine = await page.Context.APIRequest.GetAsync(market.BaseUrl + mineHref);
        var mineText = Encoding.UTF8.GetString(await mine.BodyAsync());

        Assert.Equal("/api/needs/export?field=新材料&format=csv", Uri.UnescapeDataString(publishedHref!));
        Assert.Contains("耐高温改性塑料配方", publishedText, StringComparison.Ordinal);
        Assert.DoesNotContain("尚未提交的草稿需求", publishedText, StringComparison.Ordinal);
        Assert.Equal(200, mine.Status);
        Assert.Contains("尚未提交的草稿需求", mineText, StringComparison.Ordinal);
    }
}
