using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Browser;

/// <summary>The market's whole loop in real Chromium: register, post, submit, review, publish, browse.</summary>
[Collection(BrowserGroup.Name)]
[Trait("Category", "Browser")]
public sealed partial class ListingJourneyTests(BrowserFixture chromium)
{
    [Fact]
    public async Task EnterprisePostsNeedOrganiserPublishesItAndVisitorFindsIt()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        var enterprise = await market.NewVisitorAsync();
        var email = $"boss{Guid.NewGuid():N}@test.cn";
        const string Title = "汽车发动机周边耐高温工程塑料配方";

        await enterprise.GotoAsync("/register");
        await enterprise.Locator("select[name=organisationKind]").SelectOptionAsync("enterprise");
        await enterprise.Locator("input[name=organisationName]").FillAsync("宁波甬新汽配有限公司");
        await enterprise.Locator("input[name=creditCode]").FillAsync(Support.Api.NewCreditCode());
        await enterprise.Locator("select[name=district]").SelectOptionAsync("镇海区");
        await enterprise.GetByLabel("新材料").CheckAsync();
        await enterprise.GetByLabel("高新技术企业").CheckAsync();
        await enterprise.Locator("input[name=displayName]").FillAsync("王经理");
        await enterprise.Locator("input[name=email]").FillAsync(email);
        await enterprise.Locator("input[name=password]").FillAsync(Support.Api.Password);
        await BrowserMarket.ScreenshotAsync(enterprise, "01-register");
        await enterprise.GetByRole(AriaRole.Button, new() { Name = "注册并登录" }).ClickAsync();
        await enterprise.WaitForURLAsync("**/my?welcome=1");
        var who = await enterprise.Locator("[data-testid=who]").InnerTextAsync();

        await enterprise.GetByRole(AriaRole.Link, new() { Name = "发布需求" }).First.ClickAsync();
        await enterprise.WaitForURLAsync("**/needs/new");
        await enterprise.Locator("input[name=Title]").FillAsync("耐高温工程塑料");
        await enterprise.GetByRole(AriaRole.Button, new() { Name = "保存草稿" }).ClickAsync();
        await enterprise.WaitForURLAsync(EditSaved());
        var draftStatus = await enterprise.Locator("[data-testid=status]").First.InnerTextAsync();

        await enterprise.Locator("input[name=Title]").FillAsync(Title);
        await enterprise.Locator("select[name=Field]").SelectOptionAsync("新材料");
        await enterprise.Locator("input[name=Keywords]").FillAsync("工程塑料、耐高温、改性");
        await enterprise.Locator("textarea[name=Summary]").FillAsync("需要一种耐高温、可回收的改性工程塑料配方，用于发动机周边部件的批量生产。");
        await enterprise.Locator("textarea[name=Problem]").FillAsync("现有材料在 150℃ 长期使用后强度下降超过 30%。");
        await enterprise.GetByLabel("技术开发").CheckAsync();
        await enterprise.GetByLabel("技术转让").CheckAsync();
        await BrowserMarket.ScreenshotAsync(enterprise, "02-edit-need");
        await enterprise.SetViewportSizeAsync(390, 844);
        await BrowserMarket.ScreenshotAsync(enterprise, "02-edit-need-phone");
        await enterprise.SetViewportSizeAsync(1280, 900);
        await enterprise.GetByRole(AriaRole.Button, new() { Name = "提交审核" }).ClickAsync();
        await enterprise.WaitForURLAsync("**/edit?saved=submitted");
        var submittedStatus = await enterprise.Locator("[data-testid=status]").First.InnerTextAsync();

        var organiser = await market.NewOrganiserAsync();
        await organiser.GotoAsync("/review");
        var queue = await organiser.Locator("[data-testid=queue]").InnerTextAsync();
        await BrowserMarket.ScreenshotAsync(organiser, "03-review-queue");
        await organiser.Locator("tr", new() { HasText = Title }).GetByRole(AriaRole.Link, new() { Name = "审核" }).ClickAsync();
        await organiser.WaitForURLAsync(ReviewItem());
        await BrowserMarket.ScreenshotAsync(organiser, "04-review-item");
        await organiser.GetByRole(AriaRole.Button, new() { Name = "通过并发布" }).ClickAsync();
        await organiser.WaitForURLAsync("**/review?done=published");
        var queueAfter = await organiser.Locator("main").InnerTextAsync();

        var visitor = await market.NewVisitorAsync();
        await visitor.GotoAsync("/needs");
        await visitor.Locator("select[name=field]").SelectOptionAsync("新材料");
        await visitor.Locator("select[name=district]").SelectOptionAsync("镇海区");
        await visitor.Locator("input[name=q]").FillAsync("耐高温");
        await visitor.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await visitor.WaitForURLAsync("**/needs?*q=*");
        var results = await visitor.Locator("[data-testid=results]").InnerTextAsync();
        await BrowserMarket.ScreenshotAsync(visitor, "05-browse-needs");
        await visitor.GetByRole(AriaRole.Link, new() { Name = Title }).ClickAsync();
        await visitor.WaitForURLAsync(Detail());
        var detail = await visitor.Locator("main").InnerTextAsync();
        await BrowserMarket.ScreenshotAsync(visitor, "06-need-detail");
        await visitor.SetViewportSizeAsync(390, 844);
        await BrowserMarket.ScreenshotAsync(visitor, "07-need-detail-phone");
        await visitor.GoBackAsync();
        await BrowserMarket.ScreenshotAsync(visitor, "07-browse-needs-phone");
        await visitor.GoForwardAsync();
        await visitor.EmulateMediaAsync(new() { Media = Media.Print });
        await BrowserMarket.ScreenshotAsync(visitor, "07-need-detail-print");
        var printedNavigation = await visitor.Locator("nav.main-nav").IsVisibleAsync();

        Assert.Contains("王经理", who, StringComparison.Ordinal);
        Assert.Contains("宁波甬新汽配有限公司", who, StringComparison.Ordinal);
        Assert.Equal("草稿", draftStatus);
        Assert.Equal("待审核", submittedStatus);
        Assert.Contains(Title, queue, StringComparison.Ordinal);
        Assert.Contains("已通过审核并公开发布", queueAfter, StringComparison.Ordinal);
        Assert.Contains("审核队列为空", queueAfter, StringComparison.Ordinal);
        Assert.Contains(Title, results, StringComparison.Ordinal);
        Assert.Contains(Title, detail, StringComparison.Ordinal);
        Assert.Contains("宁波甬新汽配有限公司", detail, StringComparison.Ordinal);
        Assert.Contains("面议", detail, StringComparison.Ordinal);
        Assert.Contains("技术转让、技术开发", detail, StringComparison.Ordinal);
        Assert.Contains("150℃", detail, StringComparison.Ordinal);
        Assert.Contains("已发布", detail, StringComparison.Ordinal);
        Assert.False(printedNavigation);
    }

    [Fact]
    public async Task ReturnedNeedShowsTheReviewersReasonsToItsOwner()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        var owner = await market.NewMemberAsync("宁波海曙精密机械有限公司");
        var need = await market.NewNeedAsync(owner, "精密轴承磨削工艺优化", submit: true);
        var organiser = await market.NewOrganiserAsync();
        const string Reason = "请补充预期技术指标，并写明预算或注明面议。";

        await organiser.GotoAsync($"/review/{need.Id}");
        await organiser.GetByRole(AriaRole.Button, new() { Name = "退回" }).ClickAsync();
        await organiser.Locator(".field-error[data-field=note]").WaitForAsync();
        var missingReason = await organiser.Locator(".field-error[data-field=note]").InnerTextAsync();
        await organiser.Locator("textarea[name=note]").FillAsync(Reason);
        await organiser.GetByRole(AriaRole.Button, new() { Name = "退回" }).ClickAsync();
        await organiser.WaitForURLAsync("**/review?done=returned");
        var ownerPage = await market.SignedInAsync(owner.Email, owner.Password);
        await ownerPage.GotoAsync("/my");
        var myNote = await ownerPage.Locator("[data-testid=review-note]").InnerTextAsync();
        var myStatus = await ownerPage.Locator("[data-testid=my-needs] .status").InnerTextAsync();
        await BrowserMarket.ScreenshotAsync(ownerPage, "08-my-returned");
        await ownerPage.GotoAsync($"/needs/{need.Id}/edit");
        var editNote = await ownerPage.Locator("[data-testid=review-note]").InnerTextAsync();

        Assert.Equal("退回时请写明原因", missingReason);
        Assert.Contains(Reason, myNote, StringComparison.Ordinal);
        Assert.Equal("已退回", myStatus);
        Assert.Contains(Reason, editNote, StringComparison.Ordinal);
        Assert.Equal("Returned", (await market.FindAsync(need.Id))!.Status);
    }

    [Fact]
    public async Task InstituteListsAnAchievementThatVisitorsFindByMaturity()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        var institute = await market.NewMemberAsync("宁波先进制造研究院", kind: "institute");
        var page = await market.SignedInAsync(institute.Email, institute.Password);
        const string Title = "协作机器人力控打磨系统";

        await page.GotoAsync("/achievements/new");
        await page.Locator("input[name=Title]").FillAsync(Title);
        await page.Locator("select[name=Field]").SelectOptionAsync("智能机器人");
        await page.Locator("input[name=Keywords]").FillAsync("力控、打磨、协作机器人");
        await page.Locator("textarea[name=Summary]").FillAsync("基于六维力传感器的恒力打磨控制，适用于卫浴、汽车零部件的曲面抛光。");
        await page.Locator("select[name=Maturity]").SelectOptionAsync("中试");
        await page.Locator("select[name=Trl]").SelectOptionAsync("6");
        await page.Locator("textarea[name=IntellectualProperty]").FillAsync("发明专利 ZL202110000000.1");
        await page.GetByLabel("技术许可").CheckAsync();
        await page.Locator("input[name=PriceWan]").FillAsync("120");
        await page.GetByLabel("支持先用后转").CheckAsync();
        await page.Locator("input[name=ContactPhone]").FillAsync("0574-87000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交审核" }).ClickAsync();
        await page.WaitForURLAsync("**/edit?saved=submitted");
        var id = long.Parse(AchievementId().Match(page.Url).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        await market.PublishAsync(id);
        var visitor = await market.NewVisitorAsync();
        await visitor.GotoAsync("/achievements?maturity=%E4%B8%AD%E8%AF%95");
        var pilot = await visitor.Locator("main").InnerTextAsync();
        await visitor.GotoAsync("/achievements?maturity=%E5%AE%9E%E9%AA%8C%E5%AE%A4");
        var laboratory = await visitor.Locator("main").InnerTextAsync();
        await visitor.GotoAsync($"/achievements/{id}");
        var detail = await visitor.Locator("main").InnerTextAsync();
        await BrowserMarket.ScreenshotAsync(visitor, "15-achievement-detail");

        Assert.Contains(Title, pilot, StringComparison.Ordinal);
        Assert.DoesNotContain(Title, laboratory, StringComparison.Ordinal);
        Assert.Contains("120 万元", detail, StringComparison.Ordinal);
        Assert.Contains("TRL 6", detail, StringComparison.Ordinal);
        Assert.Contains("中试", detail, StringComparison.Ordinal);
        Assert.Contains("ZL202110000000.1", detail, StringComparison.Ordinal);
        Assert.Contains("先用后转\n支持", detail, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"/achievements/(\d+)/edit")]
    private static partial Regex AchievementId();

    [GeneratedRegex(@"/needs/\d+/edit\?saved=draft$")]
    private static partial Regex EditSaved();

    [GeneratedRegex(@"/review/\d+$")]
    private static partial Regex ReviewItem();

    [GeneratedRegex(@"/needs/\d+$")]
    private static partial Regex Detail();
}
