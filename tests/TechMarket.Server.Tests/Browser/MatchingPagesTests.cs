using Microsoft.Playwright;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Browser;

/// <summary>
/// Matching in real Chromium: the enterprise sees suggested achievements with reasons on its need and says
/// 我感兴趣; the institute finds it in its inbox and accepts; both then see each other's contacts.
/// </summary>
[Collection(BrowserGroup.Name)]
[Trait("Category", "Browser")]
public sealed class MatchingPagesTests(BrowserFixture chromium)
{
    [Fact]
    public async Task EnterpriseShowsInterestInstituteAcceptsAndBothSeeContacts()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        var enterpriseMember = await market.NewMemberAsync("宁波甬新汽配有限公司");
        var instituteMember = await market.NewMemberAsync("宁波材料技术研究所", "institute");
        var need = await market.NewNeedAsync(enterpriseMember, "发动机周边耐高温工程塑料配方", publish: true);
        var achievement = await market.NewPublishedAchievementAsync(instituteMember, "耐高温改性工程塑料配方及制备技术",
            "通过共混改性提高工程塑料的耐高温性能，150℃ 长期使用强度保持率超过 85%，可用于汽车发动机周边部件。");

        var enterprise = await market.SignedInAsync(enterpriseMember.Email, enterpriseMember.Password);
        await enterprise.GotoAsync($"/needs/{need.Id}");
        var suggestion = enterprise.Locator($"[data-testid=suggestion][data-id='{achievement.Id}']");
        await suggestion.WaitForAsync();
        var reasons = await suggestion.Locator("[data-testid=reasons]").InnerTextAsync();
        await BrowserMarket.ScreenshotAsync(enterprise, "30-need-suggestions");
        await suggestion.Locator("summary").ClickAsync();
        await suggestion.Locator("textarea[name=message]").FillAsync("希望了解配方的中试条件和许可方式");
        await suggestion.Locator("[data-testid=interest]").ClickAsync();
        await enterprise.WaitForURLAsync("**/needs/*?match=interest");
        var afterInterest = await enterprise.Locator("[data-testid=suggestions]").InnerTextAsync();

        var institute = await market.SignedInAsync(instituteMember.Email, instituteMember.Password);
        await institute.GotoAsync("/inbox");
        var inbox = await institute.Locator("[data-testid=inbox]").InnerTextAsync();
        await BrowserMarket.ScreenshotAsync(institute, "31-inbox");
        await institute.Locator("[data-testid=inbox-item]").First.Locator("[data-testid=accept]").ClickAsync();
        await institute.WaitForURLAsync("**/inbox?match=interest");
        await BrowserMarket.ScreenshotAsync(institute, "31-inbox-accepted");
        await institute.Locator("[data-testid=my-matches]").GetByRole(AriaRole.Link, new() { Name = "双方有意向" }).ClickAsync();
        await institute.WaitForURLAsync("**/matches/*");
        var contactsForInstitute = await institute.Locator("[data-testid=contacts]").InnerTextAsync();
        await BrowserMarket.ScreenshotAsync(institute, "32-match-contacts");

        await enterprise.GotoAsync("/inbox");
        await enterprise.Locator("[data-testid=my-matches]").GetByRole(AriaRole.Link, new() { Name = "双方有意向" }).ClickAsync();
        var contactsForEnterprise = await enterprise.Locator("[data-testid=contacts]").InnerTextAsync();

        var visitor = await market.NewVisitorAsync();
        await visitor.GotoAsync($"/achievements/{achievement.Id}");
        var anonymousDetail = await visitor.Locator("main").InnerTextAsync();

        Assert.Contains("共同技术要点", reasons, StringComparison.Ordinal);
        Assert.Contains("工程塑料", reasons, StringComparison.Ordinal);
        Assert.Contains("已表达合作意向", afterInterest, StringComparison.Ordinal);
        Assert.Contains("宁波甬新汽配有限公司", inbox, StringComparison.Ordinal);
        Assert.Contains("希望了解配方的中试条件和许可方式", inbox, StringComparison.Ordinal);
        Assert.Contains("0574-88888888", contactsForInstitute, StringComparison.Ordinal);
        Assert.Contains("0574-87600000", contactsForEnterprise, StringComparison.Ordinal);
        Assert.DoesNotContain("0574-87600000", anonymousDetail, StringComparison.Ordinal);
        Assert.Contains("登录后可见", anonymousDetail, StringComparison.Ordinal);
    }
}
