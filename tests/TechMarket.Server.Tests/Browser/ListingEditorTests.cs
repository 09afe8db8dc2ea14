using Microsoft.Playwright;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Browser;

/// <summary>The post/edit form: drafts kept in the browser, stale edits refused, other organisations kept out.</summary>
[Collection(BrowserGroup.Name)]
[Trait("Category", "Browser")]
public sealed class ListingEditorTests(BrowserFixture chromium)
{
    [Fact]
    public async Task RestoresTheUnsavedDraftAfterTheTabIsClosed()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        var member = await market.NewMemberAsync("宁波北仑港机装备有限公司");
        var first = await market.SignedInAsync(member.Email, member.Password);
        const string Title = "港口起重机远程故障诊断";

        await first.GotoAsync("/needs/new");
        await first.Locator("input[name=Title]").FillAsync(Title);
        await first.Locator("textarea[name=Summary]").FillAsync("希望对岸桥起重机的主要部件进行在线监测和故障预警。");
        await first.GetByLabel("技术服务").CheckAsync();
        await first.CloseAsync();
        var second = await first.Context.NewPageAsync();
        await second.GotoAsync("/needs/new");
        await second.Locator("[data-testid=draft-restored]").WaitForAsync();
        var restoredTitle = await second.Locator("input[name=Title]").InputValueAsync();
        var restoredSummary = await second.Locator("textarea[name=Summary]").InputValueAsync();
        var restoredMode = await second.GetByLabel("技术服务").IsCheckedAsync();
        await BrowserMarket.ScreenshotAsync(second, "09-draft-restored");
        await second.GetByRole(AriaRole.Button, new() { Name = "保存草稿" }).ClickAsync();
        await second.WaitForURLAsync("**/edit?saved=draft");
        var third = await first.Context.NewPageAsync();
        await third.GotoAsync("/needs/new");
        var afterSave = await third.Locator("input[name=Title]").InputValueAsync();
        var noticesAfterSave = await third.Locator("[data-testid=draft-restored]").CountAsync();

        Assert.Equal(Title, restoredTitle);
        Assert.StartsWith("希望对岸桥起重机", restoredSummary, StringComparison.Ordinal);
        Assert.True(restoredMode);
        Assert.Equal("", afterSave);
        Assert.Equal(0, noticesAfterSave);
    }

    [Fact]
    public async Task DiscardingTheRestoredDraftBringsBackTheSavedValues()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        var member = await market.NewMemberAsync("宁波慈溪家电科技有限公司");
        var need = await market.NewNeedAsync(member, "小家电电机降噪方案");
        var first = await market.SignedInAsync(member.Email, member.Password);

        await first.GotoAsync($"/needs/{need.Id}/edit");
        await first.Locator("input[name=Title]").FillAsync("未保存的新名称");
        await first.CloseAsync();
        var second = await first.Context.NewPageAsync();
        await second.GotoAsync($"/needs/{need.Id}/edit");
        await second.Locator("[data-testid=draft-restored]").WaitForAsync();
        var restored = await second.Locator("input[name=Title]").InputValueAsync();
        await second.Locator("[data-testid=draft-discard]").ClickAsync();
        var discarded = await second.Locator("input[name=Title]").InputValueAsync();
        var stored = await second.EvaluateAsync<string?>($"localStorage.getItem('techmarket.draft.need:{need.Id}')");

        Assert.Equal("未保存的新名称", restored);
        Assert.Equal("小家电电机降噪方案", discarded);
        Assert.Null(stored);
    }

    [Fact]
    public async Task StaleEditShowsTheConflictMessageInsteadOfOverwriting()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        var member = await market.NewMemberAsync("宁波江北新材料有限公司");
        var need = await market.NewNeedAsync(member, "石墨烯导热膜量产工艺");
        var alice = await market.SignedInAsync(member.Email, member.Password);
        var bob = await market.SignedInAsync(member.Email, member.Password);

        await alice.GotoAsync($"/needs/{need.Id}/edit");
        await bob.GotoAsync($"/needs/{need.Id}/edit");
        await bob.Locator("input[name=Title]").FillAsync("石墨烯导热膜量产工艺（乙修改）");
        await bob.GetByRole(AriaRole.Button, new() { Name = "保存草稿" }).ClickAsync();
        await bob.WaitForURLAsync("**/edit?saved=draft");
        await alice.Locator("input[name=Title]").FillAsync("石墨烯导热膜量产工艺（甲修改）");
        var response = await alice.RunAndWaitForResponseAsync(
            () => alice.GetByRole(AriaRole.Button, new() { Name = "保存草稿" }).ClickAsync(),
            r => r.Request.Method == "POST");
        await alice.Locator("[data-testid=error]").WaitForAsync();
        var error = await alice.Locator("[data-testid=error]").InnerTextAsync();
        var kept = await alice.Locator("input[name=Title]").InputValueAsync();
        await BrowserMarket.ScreenshotAsync(alice, "10-stale-edit");
        await alice.Locator("[data-testid=reload-latest]").ClickAsync();
        await alice.Locator("[data-testid=draft-restored]").WaitForAsync();
        var restoredOverLatest = await alice.Locator("input[name=Title]").InputValueAsync();
        var latestVersion = await alice.Locator("form[data-autosave] input[name=Version]").InputValueAsync();

        Assert.Equal(409, response.Status);
        Assert.Contains("已被他人修改", error, StringComparison.Ordinal);
        Assert.Equal("石墨烯导热膜量产工艺（甲修改）", kept);
        Assert.Equal("石墨烯导热膜量产工艺（乙修改）", (await market.FindAsync(need.Id))!.Title);
        Assert.Equal("石墨烯导热膜量产工艺（甲修改）", restoredOverLatest);
        Assert.Equal("2", latestVersion);
    }

    [Fact]
    public async Task MemberCannotOpenTheEditPageOfAnotherOrganisationsListing()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        var owner = await market.NewMemberAsync("宁波余姚光电有限公司");
        var published = await market.NewNeedAsync(owner, "红外镜头自动调焦算法", publish: true);
        var draft = await market.NewNeedAsync(owner, "光学镀膜良率提升");
        var stranger = await market.NewMemberAsync("宁波奉化园艺科技有限公司");
        var page = await market.SignedInAsync(stranger.Email, stranger.Password);

        var denied = await page.GotoAsync($"/needs/{published.Id}/edit");
        var deniedText = await page.Locator("main").InnerTextAsync();
        await BrowserMarket.ScreenshotAsync(page, "11-denied");
        var hidden = await page.GotoAsync($"/needs/{draft.Id}/edit");
        var hiddenText = await page.Locator("main").InnerTextAsync();

        Assert.Equal(403, denied!.Status);
        Assert.Contains("无权访问", deniedText, StringComparison.Ordinal);
        Assert.DoesNotContain("红外镜头自动调焦算法", deniedText, StringComparison.Ordinal);
        Assert.Equal(404, hidden!.Status);
        Assert.DoesNotContain("光学镀膜良率提升", hiddenText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShowsTheServicesErrorsInChineseNextToTheFields()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        var institute = await market.NewMemberAsync("宁波材料技术研究院", kind: "institute");
        var page = await market.SignedInAsync(institute.Email, institute.Password);

        await page.GotoAsync("/achievements/new");
        await page.Locator("input[name=Title]").FillAsync("高性能钕铁硼磁体晶界扩散技术");
        await page.Locator("input[name=Keywords]").FillAsync("钕铁硼、晶界扩散、重稀土、矫顽力");
        await page.Locator("input[name=PriceWan]").FillAsync("三百万");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交审核" }).ClickAsync();
        await page.Locator("[data-testid=error]").WaitForAsync();
        var priceError = await page.Locator(".field-error[data-field=priceWan]").InnerTextAsync();
        await page.Locator("input[name=PriceWan]").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交审核" }).ClickAsync();
        await page.Locator(".field-error[data-field=keywords]").WaitForAsync();
        var keywordError = await page.Locator(".field-error[data-field=keywords]").InnerTextAsync();
        await page.Locator("input[name=Keywords]").FillAsync("钕铁硼、晶界扩散、矫顽力");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交审核" }).ClickAsync();
        await page.Locator(".field-error[data-field=field]").WaitForAsync();
        var message = await page.Locator("[data-testid=error]").InnerTextAsync();
        var fieldError = await page.Locator(".field-error[data-field=field]").InnerTextAsync();
        var modeError = await page.Locator(".field-error[data-field=transferModes]").InnerTextAsync();
        var action = await page.Locator("form[data-autosave]").GetAttributeAsync("action");
        var summaryError = await page.Locator(".field-error[data-field=summary]").InnerTextAsync();
        var status = await page.Locator("[data-testid=status]").First.InnerTextAsync();
        await BrowserMarket.ScreenshotAsync(page, "13-achievement-errors");

        Assert.Equal("请填写数字（单位：万元），面议请留空", priceError);
        Assert.Equal("成果关键词最多 3 个（当前 4 个）", keywordError);
        Assert.StartsWith("草稿已保存，但还有必填项未完成", message, StringComparison.Ordinal);
        Assert.Equal("请选择领域", fieldError);
        Assert.Equal("请至少选择一种合作方式", modeError);
        Assert.Equal("请填写成果简介", summaryError);
        Assert.Equal("草稿", status);
        Assert.Matches(@"^/achievements/\d+/edit$", action);
    }

    [Fact]
    public async Task WithdrawsAPublishedNeedAndDeletesADraft()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        var member = await market.NewMemberAsync("宁波鄞州模具有限公司");
        var published = await market.NewNeedAsync(member, "大型压铸模具寿命提升", publish: true);
        var draft = await market.NewNeedAsync(member, "模具钢热处理变形控制");
        var page = await market.SignedInAsync(member.Email, member.Password);

        await page.GotoAsync($"/needs/{published.Id}/edit");
        await page.GetByRole(AriaRole.Button, new() { Name = "撤回" }).ClickAsync();
        await page.WaitForURLAsync("**/edit?saved=withdrawn");
        var withdrawn = await page.Locator("[data-testid=status]").First.InnerTextAsync();
        await page.GotoAsync($"/needs/{draft.Id}/edit");
        await page.GetByRole(AriaRole.Button, new() { Name = "删除草稿" }).ClickAsync();
        await page.WaitForURLAsync("**/my?deleted=1");
        var mine = await page.Locator("[data-testid=my-needs]").InnerTextAsync();
        var visitor = await market.NewVisitorAsync();
        await visitor.GotoAsync("/needs");
        var browse = await visitor.Locator("main").InnerTextAsync();

        Assert.Equal("已撤回", withdrawn);
        Assert.Contains(published.Title, mine, StringComparison.Ordinal);
        Assert.DoesNotContain(draft.Title, mine, StringComparison.Ordinal);
        Assert.Null(await market.FindAsync(draft.Id));
        Assert.DoesNotContain(published.Title, browse, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditingAPublishedNeedSendsItBackToReview()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        var member = await market.NewMemberAsync("宁波东钱湖文旅装备有限公司");
        var need = await market.NewNeedAsync(member, "游船电动化改造方案", publish: true);
        var page = await market.SignedInAsync(member.Email, member.Password);

        await page.GotoAsync($"/needs/{need.Id}/edit");
        await page.Locator("input[name=BudgetWan]").FillAsync("80");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存修改并重新提交审核" }).ClickAsync();
        await page.WaitForURLAsync("**/edit?saved=submitted");
        var status = await page.Locator("[data-testid=status]").First.InnerTextAsync();
        var buttons = await page.Locator("form[data-autosave] .form-actions button").AllInnerTextsAsync();
        var visitor = await market.NewVisitorAsync();
        await visitor.GotoAsync("/needs");
        var browse = await visitor.Locator("main").InnerTextAsync();

        Assert.Equal("待审核", status);
        Assert.Equal(["保存修改"], buttons);
        Assert.DoesNotContain(need.Title, browse, StringComparison.Ordinal);
        Assert.Equal(80m, (await market.FindAsync(need.Id))!.BudgetWan);
    }
}
