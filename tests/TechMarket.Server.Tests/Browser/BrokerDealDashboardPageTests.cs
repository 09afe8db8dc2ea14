using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TechMarket.Data.Model;
using TechMarket.Market.Contracts;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Browser;

/// <summary>
/// The broker's pipeline, a registration by the registrar and the figures dashboard in real Chromium: the broker
/// claims a match both sides are interested in, moves it on the board and plans a 回访; the registrar registers the
/// seller's contract with a 核定技术交易额; the organiser's dashboard draws its charts and a figure opens the very
/// record behind it.
/// </summary>
[Collection(BrowserGroup.Name)]
[Trait("Category", "Browser")]
public sealed class BrokerDealDashboardPageTests(BrowserFixture chromium)
{
    [Fact]
    public async Task ABrokerWorksTheBoardTheRegistrarRegistersAndTheDashboardDrillsDown()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        var enterprise = await market.NewMemberAsync("宁波甬磁电机有限公司");
        var institute = await market.NewMemberAsync("宁波材料技术研究所", "institute", "陈研究员");
        var need = await market.NewNeedAsync(enterprise, "电机磁钢耐高温改性材料", publish: true);
        var achievement = await market.NewPublishedAchievementAsync(institute, "耐高温改性工程塑料配方", "在 150℃ 长期使用后强度保持率 90% 以上的改性工程塑料配方。");
        var broker = await market.NewMemberWithRoleAsync("李经纪", Roles.Broker);
        var registrar = await market.NewMemberWithRoleAsync("王登记", Roles.Registrar);
        var grains = market.Services.GetRequiredService<IGrainFactory>();
        long adminId;
        await using (var scope = market.Services.CreateAsyncScope())
        {
            adminId = (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(MarketFactory.AdminEmail))!.Id;
        }

        var admin = new Actor(adminId, null, true, true, false);
        var registered = await grains.GetGrain<IBrokerGrain>(broker.Actor.UserId).RegisterAsync(admin, new BrokerRegistration { CertificateNumber = "NBJJR20260001", Level = "中级", District = "鄞州区", Specialties = "新材料", Agency = "宁波技术转移服务中心" });
        Assert.True(registered.IsOk, registered.Message);
        var pair = grains.GetGrain<IMatchGrain>(MatchKey.Of(need.Id, achievement.Id));
        Assert.True((await pair.ExpressInterestAsync(enterprise.Actor, "想了解配方的耐热数据", null)).IsOk);
        Assert.True((await pair.ExpressInterestAsync(institute.Actor, "欢迎来所里看样", null)).IsOk);

        // The broker claims it from the list, moves it to 已联系 and plans a 回访.
        var page = await market.SignedInAsync(broker.Email, broker.Password);
        await page.GotoAsync("/broker");
        var claimable = await page.Locator("[data-testid=claimable]").InnerTextAsync();
        await page.Locator("[data-testid=claimable] button").First.ClickAsync();
        await page.WaitForURLAsync("**/broker?done=*");
        var proposedColumn = await page.Locator("[data-testid=column-proposed]").InnerTextAsync();
        await page.Locator("[data-testid=board] [data-testid=move-stage]").First.SelectOptionAsync("contacted");
        await page.Locator("[data-testid=board] [data-testid=move]").First.ClickAsync();
        await page.WaitForURLAsync("**/broker?done=*");
        var contactedColumn = await page.Locator("[data-testid=column-contacted]").InnerTextAsync();
        await page.Locator("[data-testid=task-form] input[name=note]").FillAsync("电话回访双方，约定到研究所看样时间");
        await page.Locator("[data-testid=add-task]").ClickAsync();
        await page.WaitForURLAsync("**/broker?done=*");
        var tasks = await page.Locator("[data-testid=tasks]").InnerTextAsync();
        await BrowserMarket.ScreenshotAsync(page, "50-broker-pipeline");

        Assert.Contains("电机磁钢耐高温改性材料", claimable, StringComparison.Ordinal);
        Assert.Contains("电机磁钢耐高温改性材料", proposedColumn, StringComparison.Ordinal);
        Assert.Contains("电机磁钢耐高温改性材料", contactedColumn, StringComparison.Ordinal);
        Assert.Contains("约定到研究所看样时间", tasks, StringComparison.Ordinal);
        Assert.Contains("待办", tasks, StringComparison.Ordinal);

        // The seller records its contract and applies; the registrar registers 45 of 50 万元.
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var deal = await grains.GetGrain<IDealDeskGrain>(0).CreateAsync(institute.Actor, new DealDraft
        {
            Title = "耐高温改性工程塑料配方技术转让合同",
            ContractType = "技术转让",
            BuyerOrganisationId = enterprise.Actor.OrganisationId,
            SellerOrganisationId = institute.Actor.OrganisationId,
            AmountWan = 50m,
            SignedOn = today,
            NeedId = need.Id,
            AchievementId = achievement.Id,
        });
        Assert.True(deal.IsOk, deal.Message);
        Assert.True((await grains.GetGrain<IDealGrain>(deal.Value!.Id).ApplyAsync(institute.Actor)).IsOk);

        var desk = await market.SignedInAsync(registrar.Email, registrar.Password);
        await desk.GotoAsync("/deals");
        await desk.Locator("[data-testid=registrar-queue] a").First.ClickAsync();
        await desk.Locator("[data-testid=registered-amount-input]").FillAsync("45");
        await desk.Locator("[data-testid=register]").ClickAsync();
        await desk.WaitForURLAsync("**/deals/*?done=*");
        var number = await desk.Locator("[data-testid=registration-number]").InnerTextAsync();
        var amount = await desk.Locator("[data-testid=registered-amount]").InnerTextAsync();
        await BrowserMarket.ScreenshotAsync(desk, "51-registrar-registered");
        Assert.Matches("^[0-9]{2}3302[0-9]{8}$", number.Trim());
        Assert.Equal("45 万元", amount.Trim());

        // The organiser's dashboard: the charts are drawn (canvas), and 技术交易额 opens the one deal behind it.
        var organiser = await market.NewOrganiserAsync();
        await organiser.GotoAsync("/dashboard");
        await organiser.Locator("#chart-months[data-rendered=true] canvas").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
        var canvases = await organiser.Locator(".chart canvas").CountAsync();
        var total = await organiser.Locator("[data-testid=total-amount] .figure-value").InnerTextAsync();
        await BrowserMarket.ScreenshotAsync(organiser, "52-dashboard");
        await organiser.Locator("[data-testid=total-amount]").ClickAsync();
        await organiser.WaitForURLAsync("**/dashboard/records?figure=amount");
        var value = await organiser.Locator("[data-testid=records-value]").InnerTextAsync();
        var rows = await organiser.Locator("[data-testid=record]").AllInnerTextsAsync();
        await BrowserMarket.ScreenshotAsync(organiser, "53-dashboard-records");

        Assert.True(canvases >= 3, $"{canvases} 个图表");
        Assert.Equal("45", total);
        Assert.Equal("45", value);
        Assert.Contains("耐高温改性工程塑料配方技术转让合同", Assert.Single(rows), StringComparison.Ordinal);
    }
}
