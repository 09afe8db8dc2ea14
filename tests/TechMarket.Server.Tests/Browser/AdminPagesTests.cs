using Microsoft.Playwright;
using TechMarket.Market.Contracts;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Browser;

/// <summary>
/// The admin pages walked through by the admin: find a user and give a role, filter the audit log down to that
/// change, register the user as a broker and correct the entry, and approve an organisation's pending name, after
/// which its published listing shows the new name.
/// </summary>
[Collection(BrowserGroup.Name)]
[Trait("Category", "Browser")]
public sealed class AdminPagesTests(BrowserFixture chromium)
{
    [Fact]
    public async Task TheAdminSetsARoleFiltersTheAuditLogRegistersABrokerAndApprovesAPendingName()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        var institute = await market.NewMemberAsync("宁波材料技术研究所", "institute", "陈教授");
        var achievement = await market.NewPublishedAchievementAsync(institute, "高导热氮化铝陶瓷基板", "氮化铝粉体低温烧结，热导率 170 W/(m·K)。");
        var agent = await market.NewMemberAsync("宁波甬江技术转移中心", "agency", "周经理");

        // The institute asks for a new name, through its organisation's grain as the API would.
        var grain = market.Grains.GetGrain<IOrganisationGrain>(institute.Actor.OrganisationId!.Value);
        var asked = await grain.UpdateProfileAsync(institute.Actor, 1, new OrganisationChange { Name = "宁波材料技术与工程研究所" });
        Assert.True(asked.IsOk, asked.Message);

        var admin = await market.NewOrganiserAsync();
        Assert.Equal("管理", await admin.GetByTestId("nav-admin").InnerTextAsync());
        await admin.GetByTestId("nav-admin").ClickAsync();
        await admin.WaitForURLAsync("**/admin/users");

        // Users: search by name, give the agent the registrar role.
        await admin.Locator("input[name=q]").FillAsync("周经理");
        await admin.GetByRole(AriaRole.Button, new() { Name = "搜索" }).ClickAsync();
        var row = admin.Locator($"tr[data-user='{agent.Actor.UserId}']");
        Assert.Equal(1, await admin.Locator("table[data-testid=users] tbody tr").CountAsync());
        Assert.Contains("宁波甬江技术转移中心", await row.InnerTextAsync(), StringComparison.Ordinal);
        await row.Locator("input[value=Registrar]").CheckAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await admin.WaitForURLAsync("**/admin/users?q=*done=*");
        Assert.Contains("角色已保存：登记员", await admin.GetByTestId("done").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("登记员", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await row.Locator("input[value=Registrar]").IsCheckedAsync());
        await BrowserMarket.ScreenshotAsync(admin, "admin-users");

        // Audit: from the user's row to the records of that user, then filtered to role changes today.
        await admin.GotoAsync("/admin/audit");
        await admin.Locator("select[name=entityType]").SelectOptionAsync("User");
        await admin.Locator("input[name=entityId]").FillAsync(agent.Actor.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await admin.Locator("input[name=action]").FillAsync("roles");
        var today = DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await admin.Locator("input[name=from]").FillAsync(today);
        await admin.Locator("input[name=to]").FillAsync(today);
        await admin.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await admin.WaitForURLAsync("**/admin/audit?*action=roles*");
        var audit = admin.Locator("table[data-testid=audit] tbody tr");
        Assert.Equal(1, await audit.CountAsync());
        var auditText = await audit.InnerTextAsync();
        Assert.Contains("设置角色", auditText, StringComparison.Ordinal);
        Assert.Contains("Registrar", auditText, StringComparison.Ordinal);
        await BrowserMarket.ScreenshotAsync(admin, "admin-audit");
        await admin.GotoAsync("/admin/audit?from=2026-12-02&to=2026-12-01");
        Assert.Contains("起始日期不能晚于结束日期", await admin.GetByTestId("error").InnerTextAsync(), StringComparison.Ordinal);

        // Brokers: register the agent by e-mail, then correct the district.
        await admin.GotoAsync("/admin/brokers");
        var register = admin.GetByTestId("broker-register");
        await register.Locator("input[name=user]").FillAsync(agent.Email);
        await register.Locator("input[name=certificateNumber]").FillAsync("NB2026-0815");
        await register.Locator("select[name=level]").SelectOptionAsync("中级");
        await register.Locator("input[name=agency]").FillAsync("宁波甬江技术转移中心");
        await register.Locator("select[name=district]").SelectOptionAsync("北仑区");
        await register.Locator("input[name=specialties]").FillAsync("新材料、先进制造");
        await register.GetByRole(AriaRole.Button, new() { Name = "办理备案" }).ClickAsync();
        await admin.WaitForURLAsync("**/admin/brokers?done=*");
        Assert.Contains("已备案：周经理", await admin.GetByTestId("done").InnerTextAsync(), StringComparison.Ordinal);
        var broker = admin.Locator($"tr[data-broker='{agent.Actor.UserId}']");
        Assert.Contains("北仑区", await broker.InnerTextAsync(), StringComparison.Ordinal);
        await broker.GetByRole(AriaRole.Link, new() { Name = "更正" }).ClickAsync();
        var edit = admin.GetByTestId("broker-edit");
        Assert.Equal("NB2026-0815", await edit.Locator("input[name=certificateNumber]").InputValueAsync());
        await edit.Locator("select[name=district]").SelectOptionAsync("镇海区");
        await edit.GetByRole(AriaRole.Button, new() { Name = "保存更正" }).ClickAsync();
        await admin.WaitForURLAsync("**/admin/brokers?done=*");
        Assert.Contains("镇海区", await admin.Locator($"tr[data-broker='{agent.Actor.UserId}']").InnerTextAsync(), StringComparison.Ordinal);
        await BrowserMarket.ScreenshotAsync(admin, "admin-brokers");

        // Organisations: the pending name; the public page still shows the old one until approval.
        var visitor = await market.NewVisitorAsync();
        await visitor.GotoAsync($"/achievements/{achievement.Id}");
        var before = await visitor.Locator("main").InnerTextAsync();
        Assert.Contains("宁波材料技术研究所", before, StringComparison.Ordinal);
        Assert.DoesNotContain("宁波材料技术与工程研究所", before, StringComparison.Ordinal);

        await admin.GetByRole(AriaRole.Link, new() { Name = "机构审核" }).ClickAsync();
        await admin.WaitForURLAsync("**/admin/organisations");
        var org = admin.Locator($"tr[data-organisation='{institute.Actor.OrganisationId}']");
        Assert.Contains("申请改为 宁波材料技术与工程研究所", await org.InnerTextAsync(), StringComparison.Ordinal);
        await BrowserMarket.ScreenshotAsync(admin, "admin-organisations-pending");
        await org.GetByRole(AriaRole.Button, new() { Name = "通过", Exact = true }).ClickAsync();
        await admin.WaitForURLAsync("**/admin/organisations?done=*");
        Assert.Contains("已通过名称变更：宁波材料技术与工程研究所", await admin.GetByTestId("done").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("没有待审核的名称变更", await admin.Locator("main").InnerTextAsync(), StringComparison.Ordinal);

        await admin.GotoAsync("/admin/organisations?show=all");
        org = admin.Locator($"tr[data-organisation='{institute.Actor.OrganisationId}']");
        await org.GetByRole(AriaRole.Button, new() { Name = "核验通过", Exact = true }).ClickAsync();
        await admin.WaitForURLAsync("**/admin/organisations?show=all&done=*");
        Assert.Contains("已核验", await admin.Locator($"tr[data-organisation='{institute.Actor.OrganisationId}']").InnerTextAsync(), StringComparison.Ordinal);
        await BrowserMarket.ScreenshotAsync(admin, "admin-organisations-verified");

        // The public page shows the approved name (the page cache was cleared by the approval), and no price
        // guidance yet: there are no comparable registered deals.
        await visitor.GotoAsync($"/achievements/{achievement.Id}");
        Assert.Contains("宁波材料技术与工程研究所", await visitor.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("可比成交不足，暂不提供参考价", await visitor.GetByTestId("price-guidance").InnerTextAsync(), StringComparison.Ordinal);
        await BrowserMarket.ScreenshotAsync(visitor, "achievement-price-guidance-hidden");

        // Three comparable registered deals (新材料, 技术许可, 中试 or a neighbouring stage): the range appears, to a
        // visitor of a fresh browser profile (another visitor's page may still be in the 60 s page cache).
        foreach (var (amount, stage) in new[] { (80m, Data.Model.Maturity.PilotScale), (120m, Data.Model.Maturity.SmallTrial), (300m, Data.Model.Maturity.Industrialised) })
        {
            await Api.AdminTests.ArrangeDealAsync(market.Services, institute.Actor.UserId, institute.Actor.OrganisationId!.Value, agent.Actor.UserId, agent.Actor.OrganisationId!.Value,
                "新材料", Data.Model.TransferModes.Licence, stage, Data.Model.DealStatus.Registered, amount);
        }

        var signedIn = await market.SignedInAsync(agent.Email, agent.Password);
        await signedIn.GotoAsync($"/achievements/{achievement.Id}");
        var guidance = signedIn.GetByTestId("price-guidance");
        Assert.Equal(("80 万元", "120 万元", "300 万元"), (await guidance.GetByTestId("price-min").InnerTextAsync(), await guidance.GetByTestId("price-median").InnerTextAsync(), await guidance.GetByTestId("price-max").InnerTextAsync()));
        Assert.Contains("依据 3 笔可比的已登记技术合同", await guidance.InnerTextAsync(), StringComparison.Ordinal);
        await BrowserMarket.ScreenshotAsync(signedIn, "achievement-price-guidance");

        // A plain member is refused the admin pages and sees no 管理 link.
        var member = await market.SignedInAsync(institute.Email, institute.Password);
        Assert.Equal(0, await member.GetByTestId("nav-admin").CountAsync());
        Assert.Equal(403, (await member.GotoAsync("/admin/users"))!.Status);
        Assert.Equal(403, (await member.GotoAsync("/admin/organisations"))!.Status);
    }
}
