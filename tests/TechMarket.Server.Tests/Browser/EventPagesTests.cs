using Microsoft.Playwright;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Browser;

/// <summary>
/// An event in real Chromium: the organiser creates a 专场对接会 and opens registration; a member registers with
/// what it offers and seeks; the organiser approves it; the member sees its place.
/// </summary>
[Collection(BrowserGroup.Name)]
[Trait("Category", "Browser")]
public sealed class EventPagesTests(BrowserFixture chromium)
{
    [Fact]
    public async Task AnOrganiserCreatesAnEventAMemberRegistersAndIsApproved()
    {
        await using var market = BrowserMarket.Start(chromium.Browser);
        var member = await market.NewMemberAsync("宁波甬新模具有限公司");

        var organiser = await market.NewOrganiserAsync();
        await organiser.GotoAsync("/events/new");
        var starts = DateTime.UtcNow.AddHours(8).Date.AddDays(30).AddHours(9);
        await organiser.Locator("select[name=format]").SelectOptionAsync(new SelectOptionValue { Label = "专场对接会" });
        await organiser.Locator("input[name=title]").FillAsync("注塑与模具技术专场对接会");
        await organiser.Locator("textarea[name=theme]").FillAsync("注塑成型、模具冷却与智能制造");
        await organiser.Locator("input[name=fields][value=高端装备]").CheckAsync();
        await organiser.Locator("input[name=startsAt]").FillAsync(starts.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await organiser.Locator("input[name=registrationDeadline]").FillAsync(starts.AddDays(-7).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await organiser.Locator("input[name=venue]").FillAsync("宁波国际会议中心 3 号厅");
        await organiser.Locator("select[name=district]").SelectOptionAsync("鄞州区");
        await organiser.Locator("[data-testid=create-event]").ClickAsync();
        await organiser.WaitForURLAsync("**/events/*?done=*");
        var eventUrl = new Uri(organiser.Url).AbsolutePath;
        await organiser.Locator("[data-testid=open]").ClickAsync();
        await organiser.WaitForURLAsync("**/events/*?done=*");
        var afterOpen = await organiser.Locator("main").InnerTextAsync();

        var page = await market.SignedInAsync(member.Email, member.Password);
        await page.GotoAsync("/events");
        await page.GetByRole(AriaRole.Link, new() { Name = "注塑与模具技术专场对接会" }).ClickAsync();
        await page.Locator("textarea[name=offers]").FillAsync("40 台注塑机的工艺改进需求");
        await page.Locator("textarea[name=seeks]").FillAsync("模具冷却优化方向的高校团队");
        await page.Locator("[data-testid=register]").ClickAsync();
        await page.WaitForURLAsync("**/events/*?done=*");
        var pending = await page.Locator("[data-testid=my-registration]").InnerTextAsync();

        await organiser.GotoAsync(eventUrl);
        var list = await organiser.Locator("[data-testid=registrations]").InnerTextAsync();
        await organiser.Locator("[data-testid=approve]").ClickAsync();
        await organiser.WaitForURLAsync("**/events/*?done=*");
        var places = await organiser.Locator("[data-testid=places]").InnerTextAsync();
        await BrowserMarket.ScreenshotAsync(organiser, "40-event-registrations");

        await page.GotoAsync(eventUrl);
        var approved = await page.Locator("[data-testid=my-registration]").InnerTextAsync();
        await BrowserMarket.ScreenshotAsync(page, "41-event-registered");

        Assert.Contains("报名中", afterOpen, StringComparison.Ordinal);
        Assert.Contains("待审核", pending, StringComparison.Ordinal);
        Assert.Contains("宁波甬新模具有限公司", list, StringComparison.Ordinal);
        Assert.Contains("40 台注塑机的工艺改进需求", list, StringComparison.Ordinal);
        Assert.Contains("已通过 1 / 50 家", places, StringComparison.Ordinal);
        Assert.Contains("已通过", approved, StringComparison.Ordinal);
    }
}
