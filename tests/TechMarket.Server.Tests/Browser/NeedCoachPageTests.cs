using Microsoft.Playwright;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Browser;

/// <summary>需求完善度 in the need form: the score and hints follow the typing; suggestions fill the form.</summary>
[Collection(BrowserGroup.Name)]
[Trait("Category", "Browser")]
public sealed class NeedCoachPageTests(BrowserFixture chromium)
{
    private static Task<int> ScoreAsync(IPage page) =>
        page.EvaluateAsync<int>("() => parseInt(document.querySelector('[data-testid=coach-score]').textContent, 10) || 0");

    private static Task WaitForScoreAboveAsync(IPage page, int score) =>
        page.WaitForFunctionAsync($"() => (parseInt(document.querySelector('[data-testid=coach-score]').textContent, 10) || 0) > {score}");

    [Fact]
    public async Task TypingRaisesTheScoreRemovesHintsAndSuggestionsFillTheForm()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        var institute = await market.NewMemberAsync("宁波材料研究院", "institute");
        await market.NewPublishedAchievementAsync(institute, "耐高温改性工程塑料", "玻纤增强改性工程塑料，长期耐温 150℃，用于汽车发动机周边部件。");
        await market.NewPublishedAchievementAsync(institute, "可回收改性聚酰胺配方", "可回收的改性聚酰胺工程塑料配方，耐热老化。");
        await market.NewPublishedAchievementAsync(institute, "工程塑料耐热老化改性技术", "提高工程塑料在高温下长期使用的强度保持率。");
        var member = await market.NewMemberAsync("宁波汽车零部件有限公司");
        var page = await market.SignedInAsync(member.Email, member.Password);

        await page.GotoAsync("/needs/new");
        await page.Locator("[data-testid=coach-score]").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex(@"\d+ 分") }).WaitForAsync();
        var empty = await ScoreAsync(page);
        var problemHintAtFirst = await page.Locator("[data-testid=coach-hints] li[data-field=problem]").CountAsync();

        await page.Locator("input[name=Title]").FillAsync("发动机周边部件用耐高温工程塑料");
        await page.Locator("textarea[name=Summary]").FillAsync("需要一种耐高温、可回收的改性工程塑料配方，用于汽车发动机周边部件，替代进口材料。");
        await page.Locator("textarea[name=Problem]").FillAsync("现有工程塑料部件在 150℃ 长期使用后强度下降明显，开裂导致每年索赔约 50 万元，进口材料价格又太高。");
        await page.Locator("[data-testid=coach-hints] li[data-field=problem]").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await WaitForScoreAboveAsync(page, empty);
        var withProblem = await ScoreAsync(page);

        var keyword = page.Locator("[data-testid=coach-keyword]").First;
        await keyword.WaitForAsync();
        var suggested = await keyword.InnerTextAsync();
        await keyword.ClickAsync();
        var keywords = await page.Locator("input[name=Keywords]").InputValueAsync();
        await WaitForScoreAboveAsync(page, withProblem);
        var withKeyword = await ScoreAsync(page);
        var suggestedAgain = await page.Locator("[data-testid=coach-keyword]").AllInnerTextsAsync();

        var field = page.Locator("[data-testid=coach-field-choice]");
        await field.WaitForAsync();
        var fieldText = await field.InnerTextAsync();
        await field.ClickAsync();
        var chosen = await page.Locator("select[name=Field]").InputValueAsync();
        await WaitForScoreAboveAsync(page, withKeyword);
        await page.Locator("[data-testid=coach-field-choice]").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await BrowserMarket.ScreenshotAsync(page, "20-need-coach");

        Assert.Equal(0, empty);
        Assert.Equal(1, problemHintAtFirst);
        Assert.True(withProblem >= 25, $"score after the problem: {withProblem}");
        Assert.Equal(suggested, keywords);
        Assert.True(withKeyword > withProblem);
        Assert.DoesNotContain(suggested, suggestedAgain);
        Assert.Equal("新材料", fieldText);
        Assert.Equal("新材料", chosen);
    }
}
