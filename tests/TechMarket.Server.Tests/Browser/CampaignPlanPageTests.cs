using Microsoft.Extensions.DependencyInjection;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Browser;

/// <summary>
/// Campaign planning in real Chromium: a member declares interest from the campaign's page; the organiser computes
/// the plan, sees the line with its reason, and confirms it; the member finds itself registered and approved.
/// </summary>
[Collection(BrowserGroup.Name)]
[Trait("Category", "Browser")]
public sealed class CampaignPlanPageTests(BrowserFixture chromium)
{
    [Fact]
    public async Task AMemberDeclaresInterestAndTheOrganisersPlanRegistersIt()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        long campaignId, eventId;
        await using (var scope = market.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
            var now = DateTime.UtcNow;
            var campaign = new Campaign { Name = "2027年宁波百日百场", Year = 2027, TargetEvents = 100, CreatedAt = now, UpdatedAt = now, Version = 1 };
            db.Campaigns.Add(campaign);
            await db.SaveChangesAsync();
            var ev = new MarketEvent
            {
                CampaignId = campaign.Id,
                Format = EventFormat.Bilateral,
                Status = EventStatus.Open,
                Title = "磁性材料产业专场对接会",
                Theme = "钕铁硼永磁材料与电机应用",
                Fields = "磁性材料",
                StartsAt = now.Date.AddDays(20).AddHours(5),
                Venue = "宁波新材料国际创新中心",
                District = "镇海区",
                Capacity = 30,
                Tables = 10,
                SlotMinutes = 20,
                SlotCount = 8,
                RegistrationDeadline = now.Date.AddDays(15),
                CreatedAt = now,
                UpdatedAt = now,
                Version = 1,
            };
            db.Events.Add(ev);
            await db.SaveChangesAsync();
            (campaignId, eventId) = (campaign.Id, ev.Id);
        }

        var member = await market.NewMemberAsync("宁波甬磁科技有限公司");
        var page = await market.SignedInAsync(member.Email, member.Password);
        await page.GotoAsync("/events");
        await page.Locator("[data-testid=campaign-plan-link]").ClickAsync();
        await page.Locator("input[name=field][value=磁性材料]").CheckAsync();
        await page.Locator("[data-testid=max-events]").FillAsync("1");
        await page.Locator("textarea[name=seeks]").FillAsync("晶界扩散降重稀土工艺");
        await page.Locator("[data-testid=declare-interest]").ClickAsync();
        await page.WaitForURLAsync("**/plan?done=*");
        var declared = await page.Locator("[data-testid=my-interest]").InnerTextAsync();

        var organiser = await market.NewOrganiserAsync();
        await organiser.GotoAsync($"/campaigns/{campaignId}/plan");
        var interests = await organiser.Locator("[data-testid=interests]").InnerTextAsync();
        await organiser.Locator("[data-testid=compute-plan]").ClickAsync();
        await organiser.WaitForURLAsync("**/plan?done=*");
        var computed = await organiser.Locator("[data-testid=done]").InnerTextAsync();
        var line = await organiser.Locator("[data-testid=plan-line]").InnerTextAsync();
        await BrowserMarket.ScreenshotAsync(organiser, "46-campaign-plan");
        await organiser.Locator("[data-testid=confirm-plan]").ClickAsync();
        await organiser.WaitForURLAsync("**/plan?done=*");
        var confirmed = await organiser.Locator("[data-testid=done]").InnerTextAsync();

        await page.GotoAsync($"/campaigns/{campaignId}/plan");
        var mine = await page.Locator("[data-testid=my-lines]").InnerTextAsync();
        await page.GotoAsync($"/events/{eventId}");
        var registration = await page.Locator("[data-testid=my-registration]").InnerTextAsync();

        Assert.Contains("已意向报名", declared, StringComparison.Ordinal);
        Assert.Contains("宁波甬磁科技有限公司", interests, StringComparison.Ordinal);
        Assert.Contains("磁性材料", interests, StringComparison.Ordinal);
        Assert.Contains("为 1 家意向单位安排了 1 个场次名额", computed, StringComparison.Ordinal);
        Assert.Contains("领域契合：磁性材料", line, StringComparison.Ordinal);
        Assert.Contains("拟安排", line, StringComparison.Ordinal);
        Assert.Contains("已按分配方案报名 1 个场次名额", confirmed, StringComparison.Ordinal);
        Assert.Contains("已报名", mine, StringComparison.Ordinal);
        Assert.Contains("已通过", registration, StringComparison.Ordinal);
    }
}
