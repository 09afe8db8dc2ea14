using TechMarket.Data.Model;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Browser;

/// <summary>揭榜挂帅 in real Chromium: an institute member finds the challenge in the list and claims a place (抢榜).</summary>
[Collection(BrowserGroup.Name)]
[Trait("Category", "Browser")]
public sealed class ChallengePagesTests(BrowserFixture chromium)
{
    [Fact]
    public async Task AnInstituteMemberClaimsAPlaceFromTheChallengePage()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        var owner = await market.NewMemberAsync("宁波甬海水务科技有限公司");
        var member = await market.NewMemberAsync("宁波膜材料研究院", "institute");
        var challenge = await market.NewChallengeAsync(owner, "反渗透膜抗污染改性", ChallengeRule.FirstCome, 2);

        var institute = await market.SignedInAsync(member.Email, member.Password);
        await institute.GotoAsync("/challenges");
        await institute.Locator("[data-testid=challenges]").GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "反渗透膜抗污染改性" }).ClickAsync();
        await institute.WaitForURLAsync($"**/challenges/{challenge.NeedId}");
        await institute.Locator("[data-testid=apply-form] textarea[name=plan]").FillAsync("采用两性离子接枝提高膜表面亲水性");
        await institute.Locator("[data-testid=apply-form] button[type=submit]").ClickAsync();
        await institute.WaitForURLAsync("**/challenges/*?applied=*");
        var applied = await institute.Locator("[data-testid=applied]").InnerTextAsync();
        var applications = await institute.Locator("[data-testid=applications]").InnerTextAsync();
        await BrowserMarket.ScreenshotAsync(institute, "60-challenge-claimed");
        var formLeft = await institute.Locator("[data-testid=apply-form]").CountAsync();

        Assert.Equal("抢榜成功：到达顺序第 1 位", applied);
        Assert.Contains("宁波膜材料研究院", applications, StringComparison.Ordinal);
        Assert.Contains("抢榜成功", applications, StringComparison.Ordinal);
        Assert.Equal(0, formLeft);
    }
}
