using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Market.Hosting;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Api;

/// <summary>
/// The closed loop over HTTP: need → match → both sides interested → a broker claims it (with a 回访 reminded when
/// due) → a meeting at a campaign's event → outcome 签约 → deal → registration with a 核定交易额 → the amount appears
/// exactly once in the event's, the broker's, the district's and the campaign's figures. A refused registration
/// removes nothing and counts nothing. The broker's undo works on the board and on tasks.
/// </summary>
public abstract class ClosedLoopTests : IDisposable
{
    private readonly ShiftedClock _clock = new();
    private readonly MarketFactory _factory;

    protected ClosedLoopTests(Backend backend) =>
        _factory = new MarketFactory(backend) { Replace = s => s.AddKeyedSingleton<TimeProvider>(MarketClock.Key, _clock) };

    public void Dispose()
    {
        _factory.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task ARegisteredAmountIsCountedOnceEverywhereAndARefusedOneNowhere()
    {
        var (organiser, _) = await Support.Api.NewOrganiserAsync(_factory);
        var (admin, _) = await Support.Api.AdminAsync(_factory);
        var (enterprise, enterpriseAccount) = await Support.Api.NewMemberAsync(_factory);
        var (institute, instituteAccount) = await Support.Api.NewMemberAsync(_factory, "institute");
        var (broker, brokerAccount) = await DealTests.WithRoleAsync(_factory, "agency", Roles.Broker);
        var (other, _) = await DealTests.WithRoleAsync(_factory, "agency", Roles.Broker);
        var (registrar, _) = await DealTests.WithRoleAsync(_factory, "agency", Roles.Registrar);

        // A need and an achievement; both sides say 我感兴趣.
        var need = await Support.Api.PublishAsync(enterprise, admin, "needs", Support.Api.CompleteNeed("钕铁硼磁体晶界扩散降低重稀土用量") with { Field = "磁性材料", Keywords = "钕铁硼、晶界扩散、重稀土" });
        var achievement = await Support.Api.PublishAsync(institute, admin, "achievements", Support.Api.CompleteAchievement());
        Assert.Equal(HttpStatusCode.OK, (await enterprise.PostAsJsonAsync("/api/matches/interest", new { needId = need.Id, achievementId = achievement.Id })).StatusCode);
        var both = await (await institute.PostAsJsonAsync("/api/matches/interest", new { needId = need.Id, achievementId = achievement.Id })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("BothInterested", both.GetProperty("state").GetString());
        var matchId = both.GetProperty("id").GetInt64();

        // The broker finds it among the matches to claim (its field is the broker's specialty) and claims it; a
        // second broker cannot, and a member cannot claim at all.
        var workspace = await broker.GetFromJsonAsync<JsonElement>("/api/broker/workspace");
        Assert.Contains(workspace.GetProperty("claimable").EnumerateArray(), c => c.GetProperty("matchId").GetInt64() == matchId);
        Assert.Equal(HttpStatusCode.Forbidden, (await enterprise.PostAsJsonAsync("/api/matches/claim", new { needId = need.Id, achievementId = achievement.Id })).StatusCode);
        var claimed = await broker.PostAsJsonAsync("/api/matches/claim", new { needId = need.Id, achievementId = achievement.Id });
        Assert.True(claimed.IsSuccessStatusCode, await claimed.Content.ReadAsStringAsync());
        await Support.Api.AssertProblemAsync(await other.PostAsJsonAsync("/api/matches/claim", new { needId = need.Id, achievementId = achievement.Id }), HttpStatusCode.Conflict);
        await Support.Api.AssertProblemAsync(await other.PostAsJsonAsync($"/api/matches/{matchId}/move", new { stage = "contacted" }), HttpStatusCode.Forbidden);

        // On the board: contacted; a mistaken move to 洽谈中 is undone; 已成交 is not a move.
        Assert.Equal("contacted", (await (await broker.PostAsJsonAsync($"/api/matches/{matchId}/move", new { stage = "contacted" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stage").GetString());
        Assert.True((await (await broker.PostAsJsonAsync($"/api/matches/{matchId}/move", new { stage = "negotiating" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("canUndo").GetBoolean());
        Assert.Equal("contacted", (await (await broker.PostAsync($"/api/matches/{matchId}/undo", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stage").GetString());
        await Support.Api.AssertProblemAsync(await broker.PostAsync($"/api/matches/{matchId}/undo", null), HttpStatusCode.Conflict);
        await Support.Api.AssertProblemAsync(await broker.PostAsJsonAsync($"/api/matches/{matchId}/move", new { stage = "deal" }), HttpStatusCode.BadRequest);
        var board = (await broker.GetFromJsonAsync<JsonElement>("/api/broker/workspace")).GetProperty("board");
        Assert.Equal("contacted", Assert.Single(board.EnumerateArray()).GetProperty("stage").GetString());

        // A 回访 due tomorrow reaches the broker's inbox when due, once; a mistaken one is withdrawn (undo).
        var task = await (await broker.PostAsJsonAsync("/api/broker/tasks", new { matchId, dueAt = _clock.GetUtcNow().UtcDateTime.AddDays(1), note = "电话回访双方，确认参加对接会" })).Content.ReadFromJsonAsync<JsonElement>();
        var mistaken = await (await broker.PostAsJsonAsync("/api/broker/tasks", new { matchId, dueAt = _clock.GetUtcNow().UtcDateTime.AddDays(2), note = "录错的回访" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Cancelled", (await (await broker.PostAsync($"/api/broker/tasks/{mistaken.GetProperty("id").GetInt64()}/cancel", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        await using (var db = NewDb())
        {
            Assert.Contains(await db.Reminders.AsNoTracking().Select(r => r.Name).ToListAsync(), n => n == "tasks-due");
        }

        var brokerGrain = _factory.Services.GetRequiredService<IGrainFactory>().GetGrain<TechMarket.Market.Contracts.IBrokerGrain>(brokerAccount.Id);
        Assert.Equal(0, await brokerGrain.SendDueRemindersAsync());
        _clock.SetNow(_clock.GetUtcNow().AddDays(1).AddMinutes(1));
        Assert.Equal(1, await brokerGrain.SendDueRemindersAsync());
        Assert.Equal(0, await brokerGrain.SendDueRemindersAsync());
        var notes = await broker.GetFromJsonAsync<JsonElement>("/api/notifications");
        Assert.Single(notes.EnumerateArray(), n => n.GetProperty("title").GetString()!.StartsWith("回访提醒", StringComparison.Ordinal));
        Assert.Equal("Done", (await (await broker.PostAsJsonAsync($"/api/broker/tasks/{task.GetProperty("id").GetInt64()}/done", new { outcome = "双方确认参会" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        // A meeting at a campaign's event, proposed from the match by the organiser and accepted by both.
        var campaignId = (await (await organiser.PostAsJsonAsync("/api/campaigns", new { name = "2027年百日百场", year = 2027, targetAmountWan = 50000 })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var startsAt = _clock.GetUtcNow().UtcDateTime.Date.AddDays(10).AddHours(1);
        var draft = Support.Api.EventDraft() with { CampaignId = campaignId, StartsAt = startsAt, RegistrationDeadline = startsAt.AddDays(-2), District = "北仑区" };
        var eventId = (await Support.Api.OpenEventAsync(organiser, draft)).GetProperty("id").GetInt64();
        foreach (var (who, listing) in new[] { (enterprise, need.Id), (institute, achievement.Id) })
        {
            var r = await (await who.PostAsJsonAsync($"/api/events/{eventId}/registrations", new { offers = "磁性材料", listingIds = new[] { listing } })).Content.ReadFromJsonAsync<JsonElement>();
            Assert.True((await organiser.PostAsync($"/api/events/{eventId}/registrations/{r.GetProperty("id").GetInt64()}/approve", null)).IsSuccessStatusCode);
        }

        var proposed = await (await organiser.PostAsJsonAsync($"/api/events/{eventId}/proposals", new { })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, proposed.GetProperty("proposed").GetInt32());
        var meeting = Assert.Single((await enterprise.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}/meetings")).EnumerateArray());
        var meetingId = meeting.GetProperty("id").GetInt64();
        Assert.Equal(achievement.Id, meeting.GetProperty("achievementId").GetInt64());
        foreach (var who in new[] { institute, enterprise })
        {
            Assert.Equal(HttpStatusCode.OK, (await who.PostAsJsonAsync($"/api/events/{eventId}/meetings/{meetingId}/answer", new { answer = "Accept" })).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Accepted, (await organiser.PostAsJsonAsync($"/api/events/{eventId}/schedule", new { final = true })).StatusCode);
        for (var i = 0; ; i++)
        {
            var status = await organiser.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}/schedule?statusOnly=true");
            if (!status.GetProperty("running").GetBoolean() && status.GetProperty("completed").GetInt32() > 0)
            {
                break;
            }

            Assert.True(i < 600, "排程 30 秒内没有完成");
            await Task.Delay(50);
        }

        // The day: held, and both sides record 签约, which moves the match to 已成交 on the broker's board.
        _clock.SetNow(new DateTimeOffset(startsAt.AddHours(3), TimeSpan.Zero));
        var ev = await organiser.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}");
        Assert.Equal(HttpStatusCode.OK, (await Support.Api.SendAsync(organiser, HttpMethod.Post, $"/api/events/{eventId}/status", ev.GetProperty("version").GetInt64(), new { status = "Held" })).StatusCode);
        foreach (var who in new[] { enterprise, institute })
        {
            Assert.Equal(HttpStatusCode.OK, (await who.PostAsJsonAsync($"/api/events/{eventId}/meetings/{meetingId}/outcome", new { outcome = "签约" })).StatusCode);
        }

        var card = Assert.Single((await broker.GetFromJsonAsync<JsonElement>("/api/broker/workspace")).GetProperty("board").EnumerateArray());
        Assert.Equal("deal", card.GetProperty("stage").GetString());
        Assert.Contains((await broker.GetFromJsonAsync<JsonElement>("/api/broker/workspace")).GetProperty("events").EnumerateArray(), e => e.GetProperty("id").GetInt64() == eventId);

        // The seller records the contract (the match's broker is credited), applies; the registrar registers 80 of 100.
        var today = DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime.AddHours(8));
        var deal = await (await institute.PostAsJsonAsync("/api/deals", new
        {
            title = "钕铁硼晶界扩散技术许可合同",
            contractType = "技术许可",
            buyerOrganisationId = enterpriseAccount.OrganisationId,
            sellerOrganisationId = instituteAccount.OrganisationId,
            amountWan = 100m,
            signedOn = today,
            needId = need.Id,
            achievementId = achievement.Id,
            meetingId,
        })).Content.ReadFromJsonAsync<JsonElement>();
        var dealId = deal.GetProperty("id").GetInt64();
        Assert.Equal(brokerAccount.Id, Assert.Single(deal.GetProperty("brokerUserIds").EnumerateArray()).GetInt64());
        Assert.Equal(HttpStatusCode.OK, (await institute.PostAsync($"/api/deals/{dealId}/apply", null)).StatusCode);
        var registered = await registrar.PostAsJsonAsync($"/api/deals/{dealId}/register", new { registeredAmountWan = 80m });
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());

        // A second contract of the same meeting is refused registration.
        var second = await (await institute.PostAsJsonAsync("/api/deals", new { title = "磁钢检测技术服务合同", contractType = "技术服务", buyerOrganisationId = enterpriseAccount.OrganisationId, sellerOrganisationId = instituteAccount.OrganisationId, amountWan = 30m, signedOn = today, meetingId, brokerUserIds = new[] { brokerAccount.Id } })).Content.ReadFromJsonAsync<JsonElement>();
        var secondId = second.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await institute.PostAsync($"/api/deals/{secondId}/apply", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await registrar.PostAsJsonAsync($"/api/deals/{secondId}/refuse", new { reason = "合同未约定交付内容" })).StatusCode);

        // 80 appears exactly once in the event's, the broker's, the district's (the seller's: 镇海区) and the campaign's figures.
        var figures = await organiser.GetFromJsonAsync<JsonElement>("/api/figures");
        decimal In(string list, string key) => figures.GetProperty(list).EnumerateArray().Where(b => b.GetProperty("key").GetString() == key).Select(b => b.GetProperty("values").GetProperty("amount").GetDecimal()).Single();
        Assert.Equal(80m, figures.GetProperty("totals").GetProperty("amount").GetDecimal());
        Assert.Equal(1m, figures.GetProperty("totals").GetProperty("deals").GetDecimal());
        Assert.Equal(1m, figures.GetProperty("totals").GetProperty("contracts").GetDecimal());
        Assert.Equal(80m, In("events", eventId.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(80m, In("brokers", brokerAccount.Id.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(80m, In("districts", "镇海区"));
        Assert.Equal(80m, In("fields", "磁性材料"));
        Assert.Equal(80m, figures.GetProperty("districts").EnumerateArray().Sum(b => b.GetProperty("values").GetProperty("amount").GetDecimal()));
        Assert.Equal(80m, figures.GetProperty("months").EnumerateArray().Sum(b => b.GetProperty("values").GetProperty("amount").GetDecimal()));
        var campaign = figures.GetProperty("campaigns").EnumerateArray().Single(c => c.GetProperty("id").GetInt64() == campaignId);
        Assert.Equal(80m, campaign.GetProperty("reached").GetProperty("amountWan").GetDecimal());
        Assert.Equal(1, campaign.GetProperty("reached").GetProperty("deals").GetInt32());
        Assert.Equal(1m, figures.GetProperty("totals").GetProperty("meetings").GetDecimal());
        Assert.Equal(1m, figures.GetProperty("totals").GetProperty("agreements").GetDecimal());
        Assert.Equal(1m, figures.GetProperty("totals").GetProperty("accepted").GetDecimal());

        // The broker's drill-down lists exactly that deal; its reward is 1.5 % of 80.
        var records = await organiser.GetFromJsonAsync<JsonElement>($"/api/figures/records?figure=amount&broker={brokerAccount.Id}");
        Assert.Equal(80m, records.GetProperty("value").GetDecimal());
        Assert.Equal(dealId, Assert.Single(records.GetProperty("rows").EnumerateArray()).GetProperty("id").GetInt64());
        var mine = (await broker.GetFromJsonAsync<JsonElement>("/api/broker/workspace")).GetProperty("deals").EnumerateArray().ToList();
        Assert.Equal(1.2m, mine.Single(d => d.GetProperty("id").GetInt64() == dealId).GetProperty("rewardPerBrokerWan").GetDecimal());
        Assert.Equal("未予登记", mine.Single(d => d.GetProperty("id").GetInt64() == secondId).GetProperty("statusLabel").GetString());

        // The first registration stays as it was.
        var first = await registrar.GetFromJsonAsync<JsonElement>($"/api/deals/{dealId}");
        Assert.Equal(80m, first.GetProperty("registeredAmountWan").GetDecimal());
        Assert.Equal("已登记", first.GetProperty("statusLabel").GetString());
    }

    [Fact]
    public async Task TheSupplyDemandAlarmGivesTheFieldsBrokersOneMiningTaskEach()
    {
        var (organiser, _) = await Support.Api.NewOrganiserAsync(_factory);
        var (admin, _) = await Support.Api.AdminAsync(_factory);
        var (institute, _) = await Support.Api.NewMemberAsync(_factory, "institute");
        var (member, account) = await Support.Api.NewMemberAsync(_factory, "agency");
        member.Dispose();
        Assert.True((await admin.PostAsJsonAsync("/api/admin/brokers", new { userId = account.Id, certificateNumber = "NBJJR2026SD01", level = "高级", district = "镇海区", specialties = "绿色石化、节能环保" })).IsSuccessStatusCode);
        var (broker, _) = await Support.Api.SignInAsync(_factory, account.Email, Support.Api.Password);
        var (elsewhere, _) = await DealTests.WithRoleAsync(_factory, "agency", Roles.Broker);

        // Five published 绿色石化 achievements and no need: achievements outnumber needs beyond the ratio.
        for (var i = 0; i < 5; i++)
        {
            await Support.Api.PublishAsync(institute, admin, "achievements", Support.Api.CompleteAchievement($"乙烯裂解炉节能技术{i}") with { Field = "绿色石化" });
        }

        var balance = await organiser.GetFromJsonAsync<JsonElement>("/api/figures/balance");
        var field = balance.EnumerateArray().Single(b => b.GetProperty("field").GetString() == "绿色石化");
        Assert.Equal("supply", field.GetProperty("alarm").GetString());
        Assert.Equal(5, field.GetProperty("achievements").GetInt32());

        // The check gives the one broker of that field a mining task, once; the other broker gets none.
        Assert.Equal(1, (await (await organiser.PostAsync("/api/figures/balance/check", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("created").GetInt32());
        Assert.Equal(0, (await (await organiser.PostAsync("/api/figures/balance/check", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("created").GetInt32());
        var task = Assert.Single((await broker.GetFromJsonAsync<JsonElement>("/api/broker/workspace")).GetProperty("tasks").EnumerateArray());
        Assert.Equal("Mining", task.GetProperty("kind").GetString());
        Assert.Equal("绿色石化", task.GetProperty("field").GetString());
        Assert.Contains("挖掘技术需求", task.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Contains((await broker.GetFromJsonAsync<JsonElement>("/api/notifications")).EnumerateArray(), n => n.GetProperty("title").GetString() == "新的挖掘任务：绿色石化");
        Assert.Empty((await elsewhere.GetFromJsonAsync<JsonElement>("/api/broker/workspace")).GetProperty("tasks").EnumerateArray());

        // Once done, the next check raises a new one; a member cannot run the check.
        Assert.Equal(HttpStatusCode.OK, (await broker.PostAsJsonAsync($"/api/broker/tasks/{task.GetProperty("id").GetInt64()}/done", new { outcome = "走访三家石化企业，整理需求两条" })).StatusCode);
        Assert.Equal(1, (await (await organiser.PostAsync("/api/figures/balance/check", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("created").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, (await institute.PostAsync("/api/figures/balance/check", null)).StatusCode);

        // The daily check is a durable reminder.
        await using var db = NewDb();
        Assert.Contains("balance-daily", await db.Reminders.AsNoTracking().Select(r => r.Name).ToListAsync());
    }

    private MarketDb NewDb() => _factory.Services.CreateScope().ServiceProvider.GetRequiredService<MarketDb>();
}

public sealed class ClosedLoopTestsOnSqlite() : ClosedLoopTests(Backend.Sqlite);

[Trait("Category", "Postgres")]
public sealed class ClosedLoopTestsOnPostgres() : ClosedLoopTests(Backend.Postgres);
