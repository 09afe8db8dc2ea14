using System.Globalization;
using Microsoft.Playwright;
using TechMarket.Data.Model;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Browser;

/// <summary>
/// 揭榜挂帅 in real Chromium: an institute member finds the challenge in the list and claims a place (抢榜); and the
/// whole flow from 发榜 to the milestones, each step taken on the pages by the one whose step it is.
/// </summary>
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
        await institute.Locator("[data-testid=challenges]").GetByRole(AriaRole.Link, new() { Name = "反渗透膜抗污染改性" }).ClickAsync();
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

    [Fact]
    public async Task AChallengeGoesFromSetUpToItsMilestonesInTheBrowser()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        var owner = await market.NewMemberAsync("宁波甬江新材料有限公司");
        var member = await market.NewMemberAsync("宁波膜材料研究院", "institute");
        var expert = await market.NewMemberWithRoleAsync("李评审", Roles.Broker);
        var needId = await market.NewChallengeNeedAsync(owner, "高盐废水零排放膜分离");
        var page = $"/challenges/{needId}";

        // Opening yesterday at 09:30 Beijing time, so the institute may apply at once; stored as 01:30 UTC.
        var beijingDay = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(-1);
        var opensAt = beijingDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(90).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        // 发榜: from the need's page to the setup form.
        var ownerPage = await market.SignedInAsync(owner.Email, owner.Password);
        await ownerPage.GotoAsync($"/needs/{needId}");
        await ownerPage.Locator("[data-testid=challenge-links]").GetByRole(AriaRole.Link, new() { Name = "发榜设置" }).ClickAsync();
        await ownerPage.WaitForURLAsync($"**/challenges/{needId}/setup");
        var form = ownerPage.Locator("[data-testid=setup-form]");
        await form.Locator("input[name=rule][value=Open]").CheckAsync();
        await form.Locator("input[name=places]").FillAsync("1");
        await form.Locator("input[name=opensAt]").FillAsync(opensAt + "T09:30");
        await form.Locator("textarea[name=requirements]").FillAsync("具备中试条件，有高盐废水处理项目经验");
        await form.GetByLabel("李评审（技术经纪人）").CheckAsync();
        await form.Locator("[data-testid=save-setup]").ClickAsync();
        await ownerPage.WaitForURLAsync($"**/challenges/{needId}?done=*");
        var setUp = await ownerPage.Locator("[data-testid=done]").InnerTextAsync();
        var shownOpensAt = await ownerPage.Locator("[data-testid=opens-at]").InnerTextAsync();
        var reviewers = await ownerPage.Locator("[data-testid=reviewers]").InnerTextAsync();
        var stored = await market.ChallengeAsync(needId);

        // 截止揭榜 before anyone applied is refused, and the refusal is shown on the page.
        await ownerPage.Locator("[data-testid=close]").ClickAsync();
        await ownerPage.WaitForURLAsync($"**/challenges/{needId}?error=*");
        var closeRefused = await ownerPage.Locator("[data-testid=error]").InnerTextAsync();

        // 揭榜 by the institute.
        var institute = await market.SignedInAsync(member.Email, member.Password);
        await institute.GotoAsync(page);
        await institute.Locator("[data-testid=apply-form] textarea[name=plan]").FillAsync("纳滤与反渗透组合工艺，浓水蒸发结晶");
        await institute.Locator("[data-testid=apply-form] button[type=submit]").ClickAsync();
        await institute.WaitForURLAsync("**/challenges/*?applied=*");
        var applied = await institute.Locator("[data-testid=applied]").InnerTextAsync();

        // 截止揭榜 by the owner.
        await ownerPage.GotoAsync(page);
        await ownerPage.Locator("[data-testid=close]").ClickAsync();
        await ownerPage.WaitForURLAsync($"**/challenges/{needId}?done=*");
        var closed = await ownerPage.Locator("[data-testid=done]").InnerTextAsync();
        var statusAfterClose = await ownerPage.Locator("[data-testid=challenge-status]").InnerTextAsync();

        // 评榜 by the assigned reviewer, who may score but not award.
        var reviewer = await market.SignedInAsync(expert.Email, expert.Password);
        await reviewer.GotoAsync(page);
        var candidate = reviewer.Locator("[data-testid=candidate][data-organisation='宁波膜材料研究院']");
        await candidate.Locator("input[name=score]").FillAsync("86");
        await candidate.Locator("textarea[name=comment]").FillAsync("方案可行，建议先做中试");
        await candidate.GetByRole(AriaRole.Button, new() { Name = "提交评分" }).ClickAsync();
        await reviewer.WaitForURLAsync($"**/challenges/{needId}?done=*");
        var scored = await reviewer.Locator("[data-testid=done]").InnerTextAsync();
        var average = await candidate.Locator("[data-testid=average]").InnerTextAsync();
        var reviews = await candidate.Locator("[data-testid=reviews]").InnerTextAsync();
        var reviewerAwardForms = await reviewer.Locator("[data-testid=award-form]").CountAsync();

        // 定榜 by an organiser, who sees the average score on the button.
        var organiser = await market.NewOrganiserAsync();
        await organiser.GotoAsync(page);
        var award = organiser.Locator("[data-testid=candidate][data-organisation='宁波膜材料研究院'] [data-testid=award-form] button");
        var awardLabel = await award.InnerTextAsync();
        await award.ClickAsync();
        await organiser.WaitForURLAsync($"**/challenges/{needId}?done=*");
        var awarded = await organiser.Locator("[data-testid=done]").InnerTextAsync();
        var awardedTo = await organiser.Locator("[data-testid=awarded]").InnerTextAsync();
        var statusAfterAward = await organiser.Locator("[data-testid=challenge-status]").InnerTextAsync();
        var applications = await organiser.Locator("[data-testid=applications]").InnerTextAsync();

        // Milestones after 定榜: the owner adds one and marks it done.
        await ownerPage.GotoAsync(page);
        await ownerPage.Locator("[data-testid=milestone-form] input[name=title]").FillAsync("中试验证");
        await ownerPage.Locator("[data-testid=milestone-form] input[name=dueDate]").FillAsync(due);
        await ownerPage.Locator("[data-testid=milestone-form] button[type=submit]").ClickAsync();
        await ownerPage.WaitForURLAsync($"**/challenges/{needId}?done=*");
        var added = await ownerPage.Locator("[data-testid=done]").InnerTextAsync();
        var milestoneAdded = await ownerPage.Locator("[data-testid=milestones]").InnerTextAsync();
        await ownerPage.Locator("[data-testid=milestones]").GetByRole(AriaRole.Button, new() { Name = "完成" }).ClickAsync();
        await ownerPage.WaitForURLAsync($"**/challenges/{needId}?done=*");
        await ownerPage.Locator("[data-testid=done]").GetByText("节点已完成").WaitForAsync();
        var completed = await ownerPage.Locator("[data-testid=done]").InnerTextAsync();
        var milestoneDone = await ownerPage.Locator("[data-testid=milestones]").InnerTextAsync();
        var doneButtonsLeft = await ownerPage.Locator("[data-testid=milestones]").GetByRole(AriaRole.Button, new() { Name = "完成" }).CountAsync();
        await BrowserMarket.ScreenshotAsync(ownerPage, "61-challenge-milestone-done");

        Assert.Equal("已发榜：公开揭榜，1 个名额", setUp);
        Assert.Equal($"{opensAt} 09:30（北京时间）", shownOpensAt);
        Assert.Equal(new DateTime(beijingDay.Year, beijingDay.Month, beijingDay.Day, 1, 30, 0, DateTimeKind.Utc), stored.OpensAt);
        Assert.Equal(new[] { expert.Actor.UserId }, stored.ReviewerUserIds);
        Assert.Equal("李评审", reviewers);
        Assert.Equal("还没有可评审的揭榜申请，不能截止揭榜", closeRefused);
        Assert.Equal("已提交：到达顺序第 1 位", applied);
        Assert.Equal("已截止揭榜，进入评榜", closed);
        Assert.Equal("评榜中", statusAfterClose);
        Assert.Equal("评分已提交：86 分", scored);
        Assert.Equal("86", average);
        Assert.Contains("李评审：86 分，方案可行，建议先做中试", reviews, StringComparison.Ordinal);
        Assert.Equal(0, reviewerAwardForms);
        Assert.Equal("定榜：宁波膜材料研究院 中榜（平均分 86）", awardLabel);
        Assert.Equal("已定榜：中榜单位 宁波膜材料研究院", awarded);
        Assert.Equal("宁波膜材料研究院", awardedTo);
        Assert.Equal("已定榜", statusAfterAward);
        Assert.Contains("中榜", applications, StringComparison.Ordinal);
        Assert.Equal("已添加节点：中试验证", added);
        Assert.Contains($"中试验证 · 计划 {due} · 进行中", milestoneAdded, StringComparison.Ordinal);
        Assert.Equal("节点已完成：中试验证", completed);
        Assert.Contains($"中试验证 · 计划 {due} · 已完成", milestoneDone, StringComparison.Ordinal);
        Assert.Equal(0, doneButtonsLeft);
    }
}
