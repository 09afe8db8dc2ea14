using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TechMarket.Market.Contracts;
using TechMarket.Market.Hosting;
using TechMarket.Server.Tests.Api;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Browser;

/// <summary>
/// A whole 专场对接会 in real Chromium: an organiser creates it in a campaign and opens it; 20 participants register
/// and are approved; requests and the organiser's proposals are made and accepted; the final schedule is run;
/// agendas are printed and exported as .ics (read back by the test's own parser); participants check in; outcomes
/// are recorded; the campaign's progress moves. Clicks where a person would click; the other 18 participants' steps
/// go through the same grain calls the pages post to.
/// </summary>
[Collection(BrowserGroup.Name)]
[Trait("Category", "Browser")]
public sealed class WholeEventTests(BrowserFixture chromium)
{
    [Fact]
    public async Task AnEventRunsFromCreationToOutcomesInTheBrowser()
    {
        var clock = new ShiftedClock();
        await using var market = BrowserMarket.Start(chromium.Browser, clock);
        var grains = market.Grains;
        var admin = new Actor(1, null, isReviewer: true, isAdmin: true, isBroker: false);
        var campaign = await grains.GetGrain<IEventDeskGrain>(0).CreateCampaignAsync(admin, new CampaignDraft { Name = "2027年百日百场（测试）", Year = 2027, TargetEvents = 100, TargetParticipants = 2000, TargetMeetings = 3000 });
        Assert.True(campaign.IsOk);

        // 10 enterprises and 10 institutes; E1 brings a need and I1 an achievement that fits it.
        var enterprises = new List<Member>();
        var institutes = new List<Member>();
        for (var i = 0; i < 10; i++)
        {
            enterprises.Add(await market.NewMemberAsync($"宁波测试制造{i:D2}有限公司"));
            institutes.Add(await market.NewMemberAsync($"宁波测试研究院{i:D2}", "institute", "李老师"));
        }

        var need = await market.NewNeedAsync(enterprises[1], "注塑件翘曲变形的工艺参数优化", submit: true, publish: true);
        await market.NewPublishedAchievementAsync(institutes[1], "注塑成型工艺参数智能优化与翘曲变形控制技术", "面向注塑件翘曲变形和缩痕，基于模流分析优化保压压力与冷却时间等工艺参数。");

        // The organiser creates the event in the campaign and opens it.
        var organiser = await market.NewOrganiserAsync();
        await organiser.GotoAsync("/events/new");
        var starts = DateTime.UtcNow.AddHours(8).Date.AddDays(30).AddHours(9);
        await organiser.Locator("select[name=format]").SelectOptionAsync(new SelectOptionValue { Label = "专场对接会" });
        await organiser.Locator("select[name=campaignId]").SelectOptionAsync(new SelectOptionValue { Label = "2027年百日百场（测试）" });
        await organiser.Locator("input[name=title]").FillAsync("新材料与智能制造专场对接会");
        await organiser.Locator("textarea[name=theme]").FillAsync("注塑成型、模具与新材料");
        await organiser.Locator("input[name=startsAt]").FillAsync(starts.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
        await organiser.Locator("input[name=registrationDeadline]").FillAsync(starts.AddDays(-7).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
        await organiser.Locator("input[name=venue]").FillAsync("宁波国际会议中心 3 号厅");
        await organiser.Locator("select[name=district]").SelectOptionAsync("鄞州区");
        await organiser.Locator("[data-testid=create-event]").ClickAsync();

        // A refusal comes back to the form with its message: wait for either, and show the page if it was refused.
        await organiser.WaitForURLAsync(u => u.Contains("done=", StringComparison.Ordinal) || u.Contains("error=", StringComparison.Ordinal), new() { Timeout = 90000 });
        Assert.True(organiser.Url.Contains("done=", StringComparison.Ordinal), await organiser.Locator("main").InnerTextAsync());
        var eventUrl = new Uri(organiser.Url).AbsolutePath;
        var id = long.Parse(eventUrl.Split('/')[^1], CultureInfo.InvariantCulture);
        await organiser.Locator("[data-testid=open]").ClickAsync();
        await organiser.WaitForURLAsync("**/events/*?done=*");
        await organiser.GotoAsync("/events");
        var progressBefore = await organiser.Locator("[data-testid=campaign]").InnerTextAsync();

        // Two participants register in the browser, 18 through the grain; the organiser approves two by clicking.
        var e0 = await market.SignedInAsync(enterprises[0].Email, enterprises[0].Password);
        var i0 = await market.SignedInAsync(institutes[0].Email, institutes[0].Password);
        foreach (var page in new[] { e0, i0 })
        {
            await page.GotoAsync(eventUrl);
            await page.Locator("textarea[name=offers]").FillAsync("参加对接");
            await page.Locator("[data-testid=register]").ClickAsync();
            await page.WaitForURLAsync("**/events/*?done=*");
        }

        var ev = grains.GetGrain<IEventGrain>(id);
        foreach (var m in enterprises.Skip(1).Concat(institutes.Skip(1)))
        {
            Assert.True((await ev.RegisterAsync(m.Actor, new RegistrationDraft { Offers = "参会" })).IsOk);
        }

        await organiser.GotoAsync(eventUrl);
        for (var k = 0; k < 2; k++)
        {
            await organiser.Locator("[data-testid=approve]").First.ClickAsync();
            await organiser.WaitForURLAsync("**/events/*?done=*");
        }

        await using (var scope = market.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TechMarket.Data.MarketDb>();
            foreach (var r in db.EventRegistrations.Where(r => r.EventId == id && r.Status == TechMarket.Data.Model.RegistrationStatus.Pending).Select(r => r.Id).ToList())
            {
                Assert.True((await ev.DecideAsync(admin, r, true, null)).IsOk);
            }
        }

        var regs = (await Registrations(market, id)).ToDictionary(r => r.OrganisationId, r => r.Id);

        // E0 asks I0 in the browser and I0 accepts there; the others ask three institutes each and are accepted.
        await e0.GotoAsync(eventUrl);
        await e0.Locator("[data-testid=request-target]").SelectOptionAsync(regs[institutes[0].Actor.OrganisationId!.Value].ToString(CultureInfo.InvariantCulture));
        await e0.Locator("input[name=message]").FillAsync("想了解贵院的模流分析服务");
        await e0.Locator("[data-testid=request]").ClickAsync();
        await e0.WaitForURLAsync("**/events/*?done=*");
        await i0.GotoAsync(eventUrl);
        await i0.Locator("[data-testid=accept]").ClickAsync();
        await i0.WaitForURLAsync("**/events/*?done=*");
        var i0Meetings = await i0.Locator("[data-testid=meetings]").InnerTextAsync();
        for (var e = 0; e < 10; e++)
        {
            for (var j = 1; j <= 3; j++)
            {
                var inst = institutes[(e + j) % 10];
                var asked = await ev.RequestMeetingAsync(enterprises[e].Actor, new MeetingRequestDraft { TargetRegistrationId = regs[inst.Actor.OrganisationId!.Value] });
                if (asked.IsOk)
                {
                    Assert.True((await ev.AnswerMeetingAsync(inst.Actor, asked.Value!.Id, "Accept", null, null)).IsOk);
                }
            }
        }

        // The organiser's proposals from the matching scores; both sides of E1 × I1 accept.
        var board = await market.SignedInAsync(MarketFactory.AdminEmail, MarketFactory.AdminPassword);
        await board.GotoAsync($"/events/{id}/schedule");
        await board.Locator("[data-testid=propose-meetings]").ClickAsync();
        await board.WaitForURLAsync("**/schedule?done=*");
        var proposedText = await board.Locator("[data-testid=done]").InnerTextAsync();
        var e1Reg = regs[enterprises[1].Actor.OrganisationId!.Value];
        var i1Reg = regs[institutes[1].Actor.OrganisationId!.Value];
        var proposal = (await ev.RequestMeetingAsync(enterprises[1].Actor, new MeetingRequestDraft { TargetRegistrationId = i1Reg })).Status;
        long proposalId;
        await using (var scope = market.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TechMarket.Data.MarketDb>();
            proposalId = db.EventMeetings.Single(m => m.EventId == id && m.Origin == TechMarket.Data.Model.MeetingOrigin.Organiser && m.RequesterId == e1Reg && m.TargetId == i1Reg).Id;
        }

        Assert.True((await ev.AnswerMeetingAsync(institutes[1].Actor, proposalId, "Accept", null, null)).IsOk);
        var bothAccepted = (await ev.AnswerMeetingAsync(enterprises[1].Actor, proposalId, "Accept", null, null)).Value!.Status;

        // The final schedule, computed in the background; the board refreshes itself until it is done.
        await board.Locator("[data-testid=run-final]").ClickAsync();
        await board.WaitForURLAsync("**/schedule?done=*");
        // The board refreshes itself while the run is under way; the test reloads it itself instead, so that no
        // refresh lands in the middle of a read.
        var status = "";
        for (var i = 0; i < 120 && (status.Length == 0 || status.Contains("正在排程…", StringComparison.Ordinal)); i++)
        {
            await Task.Delay(250);
            await board.GotoAsync($"/events/{id}/schedule");
            status = await board.Locator("[data-testid=schedule-status]").InnerTextAsync();
        }

        var grid = await board.Locator("[data-testid=grid]").InnerTextAsync();
        await BrowserMarket.ScreenshotAsync(board, "42-event-schedule");

        // E0's agenda: printed (print media, then a PDF) and exported as .ics.
        await e0.GotoAsync($"/events/{id}/agenda");
        var lines = await e0.Locator("[data-testid=agenda-line]").CountAsync();
        await e0.EmulateMediaAsync(new() { Media = Media.Print });
        var printButtonHidden = !await e0.Locator("[data-testid=print]").IsVisibleAsync();
        var pdf = await e0.PdfAsync();
        await e0.EmulateMediaAsync(new() { Media = Media.Screen });
        await BrowserMarket.ScreenshotAsync(e0, "43-event-agenda");
        var download = await e0.RunAndWaitForDownloadAsync(() => e0.Locator("[data-testid=ics]").ClickAsync());
        var ics = await File.ReadAllTextAsync((await download.PathAsync())!);
        var calendar = IcsReader.Events(ics);
        var agendaText = await e0.Locator("[data-testid=agenda]").InnerTextAsync();

        // The day: the organiser checks E0 in by its code, I0 from the list, and records a no-show.
        clock.SetNow(new DateTimeOffset(starts.AddHours(-8).AddMinutes(5), TimeSpan.Zero));
        await e0.GotoAsync(eventUrl);
        var code = await e0.Locator("[data-testid=checkin-code]").InnerTextAsync();
        await board.GotoAsync($"/events/{id}/schedule");
        await board.Locator("[data-testid=checkin-code-input]").FillAsync(code);
        await board.Locator("[data-testid=checkin-by-code]").ClickAsync();
        await board.WaitForURLAsync("**/schedule?done=*");
        var checkedIn = await board.Locator("[data-testid=done]").InnerTextAsync();
        await board.Locator("[data-testid=participant]", new() { HasText = "宁波测试研究院00" }).Locator("[data-testid=checkin-one]").ClickAsync();
        await board.WaitForURLAsync("**/schedule?done=*");
        await board.Locator("[data-testid=participant]", new() { HasText = "宁波测试研究院09" }).Locator("[data-testid=no-show]").ClickAsync();
        await board.WaitForURLAsync("**/schedule?done=*");
        var checkin = await board.Locator("[data-testid=checkin]").InnerTextAsync();

        // Outcomes: E0 and I0 record theirs on their agendas.
        foreach (var (page, outcome) in new[] { (e0, "达成意向"), (i0, "有合作可能") })
        {
            await page.GotoAsync($"/events/{id}/agenda");
            var line = page.Locator("[data-testid=agenda-line]", new() { HasText = page == e0 ? "宁波测试研究院00" : "宁波测试制造00有限公司" });
            await line.Locator("[data-testid=outcome]").SelectOptionAsync(new SelectOptionValue { Label = outcome });
            await line.Locator("[data-testid=record-outcome]").ClickAsync();
            await page.WaitForURLAsync("**/agenda?done=*");
        }

        var e0Agenda = await e0.Locator("[data-testid=agenda]").InnerTextAsync();
        await organiser.GotoAsync("/events");
        var progressAfter = await organiser.Locator("[data-testid=campaign]").InnerTextAsync();

        Assert.Contains("宁波测试制造00有限公司", i0Meetings, StringComparison.Ordinal);
        Assert.Contains("已接受", i0Meetings, StringComparison.Ordinal);
        Assert.Contains("推荐了", proposedText, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, ToHttp(proposal));
        Assert.Equal("Accepted", bothAccepted);
        Assert.Contains("正式日程", status, StringComparison.Ordinal);
        Assert.Contains("已安排", status, StringComparison.Ordinal);
        Assert.Contains("宁波测试制造00有限公司 × 宁波测试研究院00", grid, StringComparison.Ordinal);
        Assert.True(lines >= 4, $"E0 has {lines} meetings on its agenda");
        Assert.True(printButtonHidden);
        Assert.True(pdf.Length > 1000 && pdf[0] == (byte)'%' && pdf[1] == (byte)'P');
        Assert.Equal(lines, calendar.Count);
        Assert.All(calendar, e => Assert.Contains("号桌", e["SUMMARY"], StringComparison.Ordinal));
        Assert.Contains(calendar, e => e["SUMMARY"].Contains("宁波测试研究院00", StringComparison.Ordinal));
        Assert.Contains("签到码", agendaText, StringComparison.Ordinal);
        Assert.Equal(6, code.Trim().Length);
        Assert.Contains("宁波测试制造00有限公司已签到", checkedIn, StringComparison.Ordinal);
        Assert.Contains("签到（2 / 20）", checkin, StringComparison.Ordinal);
        Assert.Contains("缺席", checkin, StringComparison.Ordinal);
        Assert.Contains("达成意向", e0Agenda, StringComparison.Ordinal);
        Assert.Contains("参加单位：0 /", progressBefore, StringComparison.Ordinal);
        Assert.Contains("参加单位：20 /", progressAfter, StringComparison.Ordinal);
        _ = need;
    }

    private static System.Net.HttpStatusCode ToHttp(OpStatus status) => status switch
    {
        OpStatus.Conflict => System.Net.HttpStatusCode.Conflict,
        OpStatus.Ok => System.Net.HttpStatusCode.OK,
        _ => System.Net.HttpStatusCode.BadRequest,
    };

    private static async Task<List<RegistrationView>> Registrations(BrowserMarket market, long id)
    {
        await using var scope = market.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TechMarket.Data.MarketDb>();
        return [.. db.EventRegistrations.Where(r => r.EventId == id).ToList().Select(r => TechMarket.Market.Events.EventRules.View(r, null))];
    }
}
