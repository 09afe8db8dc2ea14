using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Market.Contracts;
using TechMarket.Server.Features.Events;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Api;

/// <summary>
/// Campaign planning over HTTP: organisations declare interest in a campaign, the organiser's plan assigns them to
/// the open events within capacity, dates (one event a day) and each one's maximum, with the highest total affinity
/// (checked against a brute force over the same affinities); undo before confirming; confirming registers them.
/// </summary>
public abstract class CampaignPlanningTests(Backend backend) : IDisposable
{
    private readonly MarketFactory _factory = new(backend);

    public void Dispose()
    {
        _factory.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task InterestedOrganisationsAreAssignedToTheCampaignsEventsOptimallyAndRegisteredOnConfirmation()
    {
        var (organiser, _) = await Support.Api.NewOrganiserAsync(_factory);
        var anonymous = _factory.CreateClient();
        var campaign = await (await organiser.PostAsJsonAsync("/api/campaigns", new { name = "2027年百日百场", year = 2027, targetEvents = 100 })).Content.ReadFromJsonAsync<JsonElement>();
        var campaignId = campaign.GetProperty("id").GetInt64();

        // Three open events over two days (two on the second day), and a closed one the plan must not use.
        var day1 = DateTime.UtcNow.Date.AddDays(30).AddHours(1);
        var day2 = day1.AddDays(1);
        async Task<long> EventAsync(string title, string[] fields, DateTime startsAt, int capacity, string district = "鄞州区")
        {
            var body = Support.Api.EventDraft(capacity) with { Title = title, Fields = fields, StartsAt = startsAt, District = district, CampaignId = campaignId };
            return (await Support.Api.OpenEventAsync(organiser, body)).GetProperty("id").GetInt64();
        }

        var materials1 = await EventAsync("磁性材料专场对接会", ["新材料"], day1, 2, "镇海区");
        var manufacturing = await EventAsync("高端装备专场对接会", ["高端装备"], day2, 3);
        var materials2 = await EventAsync("新材料成果路演对接会", ["新材料"], day2, 3);
        var closed = await EventAsync("已截止的新材料对接会", ["新材料"], day2.AddDays(1), 5);
        var closedView = await anonymous.GetFromJsonAsync<JsonElement>($"/api/events/{closed}");
        Assert.Equal(HttpStatusCode.OK, (await Support.Api.SendAsync(organiser, HttpMethod.Post, $"/api/events/{closed}/status", closedView.GetProperty("version").GetInt64(), new { status = "Closed" })).StatusCode);

        // Five organisations declare interest.
        var (a, accountA) = await Support.Api.NewMemberAsync(_factory);
        var (b, accountB) = await Support.Api.NewMemberAsync(_factory);
        var (c, accountC) = await Support.Api.NewMemberAsync(_factory, "institute");
        var (d, accountD) = await Support.Api.NewMemberAsync(_factory);
        var (e, accountE) = await Support.Api.NewMemberAsync(_factory, "institute");
        var d1 = DateOnly.FromDateTime(day1.AddHours(8));
        var declared = new (HttpClient Http, object Body)[]
        {
            (a, new { fields = new[] { "新材料" }, maxEvents = 2, offers = "钕铁硼磁钢年需求 300 吨", seeks = "晶界扩散降重稀土工艺" }),
            (b, new { fields = new[] { "新材料" }, maxEvents = 2, availableDates = new[] { d1 } }),
            (c, new { fields = new[] { "新材料", "高端装备" }, maxEvents = 3, offers = "磁性材料与电机控制团队" }),
            (d, new { fields = new[] { "高端装备" }, maxEvents = 1 }),
            (e, new { fields = new[] { "生命健康" }, maxEvents = 1 }),
        };
        foreach (var (http, body) in declared)
        {
            var put = await http.PutAsJsonAsync($"/api/campaigns/{campaignId}/interests/mine", body);
            Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        }

        // Declaring again changes the interest, never a second row; bad input is refused in Chinese.
        Assert.Equal(HttpStatusCode.OK, (await a.PutAsJsonAsync($"/api/campaigns/{campaignId}/interests/mine", new { fields = new[] { "新材料" }, maxEvents = 2, offers = "钕铁硼磁钢年需求 300 吨", seeks = "晶界扩散降重稀土工艺" })).StatusCode);
        var zero = await Support.Api.AssertProblemAsync(await a.PutAsJsonAsync($"/api/campaigns/{campaignId}/interests/mine", new { maxEvents = 0 }), HttpStatusCode.BadRequest);
        Assert.Contains("最多参加场次", zero.GetRawText(), StringComparison.Ordinal);
        await Support.Api.AssertProblemAsync(await a.PutAsJsonAsync($"/api/campaigns/{campaignId}/interests/mine", new { fields = new[] { "炼金术" }, maxEvents = 1 }), HttpStatusCode.BadRequest);
        await Support.Api.AssertProblemAsync(await a.PutAsJsonAsync($"/api/campaigns/{campaignId}/interests/mine", new { maxEvents = 1, listingIds = new[] { 999999L } }), HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsJsonAsync($"/api/campaigns/{campaignId}/interests/mine", new { maxEvents = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.PutAsJsonAsync("/api/campaigns/987654/interests/mine", new { maxEvents = 1 })).StatusCode);

        // Only organisers plan; members see their own interest only.
        await Support.Api.AssertProblemAsync(await a.PostAsync($"/api/campaigns/{campaignId}/plan", null), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/campaigns/{campaignId}/plan")).StatusCode);
        var own = await a.GetFromJsonAsync<JsonElement>($"/api/campaigns/{campaignId}/plan");
        Assert.Equal(accountA.OrganisationId, Assert.Single(own.GetProperty("interests").EnumerateArray()).GetProperty("organisationId").GetInt64());

        // The affinities the server plans on, then the plan.
        List<CampaignAffinity> affinities;
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            affinities = await scope.ServiceProvider.GetRequiredService<CampaignPlanning>().AffinitiesAsync(campaignId, CancellationToken.None);
        }

        var planned = await organiser.PostAsync($"/api/campaigns/{campaignId}/plan", null);
        Assert.True(planned.StatusCode == HttpStatusCode.OK, await planned.Content.ReadAsStringAsync());
        var result = await planned.Content.ReadFromJsonAsync<JsonElement>();
        var plan = await organiser.GetFromJsonAsync<JsonElement>($"/api/campaigns/{campaignId}/plan");
        var lines = plan.GetProperty("lines").EnumerateArray().Select(l => (
            Id: l.GetProperty("id").GetInt64(), Org: l.GetProperty("organisationId").GetInt64(), Event: l.GetProperty("eventId").GetInt64(),
            Score: l.GetProperty("score").GetDouble(), Status: l.GetProperty("status").GetString())).ToList();
        Assert.Equal(5, plan.GetProperty("interests").GetArrayLength());
        Assert.All(lines, l => Assert.Equal("Planned", l.Status));

        // Nothing at the closed event, nobody over capacity, over its maximum, twice on a day, or on a day it cannot come.
        var capacity = new Dictionary<long, int> { [materials1] = 2, [manufacturing] = 3, [materials2] = 3 };
        var dayOf = new Dictionary<long, DateTime> { [materials1] = day1, [manufacturing] = day2, [materials2] = day2 };
        var max = new Dictionary<long, int> { [accountA.OrganisationId!.Value] = 2, [accountB.OrganisationId!.Value] = 2, [accountC.OrganisationId!.Value] = 3, [accountD.OrganisationId!.Value] = 1, [accountE.OrganisationId!.Value] = 1 };
        Assert.DoesNotContain(lines, l => l.Event == closed);
        Assert.All(lines.GroupBy(l => l.Event), g => Assert.True(g.Count() <= capacity[g.Key]));
        Assert.All(lines.GroupBy(l => l.Org), g => Assert.True(g.Count() <= max[g.Key]));
        Assert.All(lines.GroupBy(l => (l.Org, dayOf[l.Event])), g => Assert.Single(g));
        Assert.DoesNotContain(lines, l => l.Org == accountB.OrganisationId && l.Event != materials1);
        Assert.DoesNotContain(lines, l => l.Org == accountE.OrganisationId);
        Assert.DoesNotContain(lines, l => l.Org == accountD.OrganisationId && l.Event != manufacturing);

        // The total is the best any assignment of the same affinities reaches (brute force over every subset).
        var interests = plan.GetProperty("interests").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetInt64(), i => i.GetProperty("organisationId").GetInt64());
        var arcs = affinities.Where(x => interests[x.InterestId] != accountB.OrganisationId || x.EventId == materials1).ToList();
        Assert.InRange(arcs.Count, 4, 16);
        double best = 0;
        for (var mask = 0; mask < 1 << arcs.Count; mask++)
        {
            var chosen = Enumerable.Range(0, arcs.Count).Where(i => (mask & (1 << i)) != 0).Select(i => arcs[i]).ToList();
            var ok = chosen.GroupBy(x => x.EventId).All(g => g.Count() <= capacity[g.Key])
                && chosen.GroupBy(x => interests[x.InterestId]).All(g => g.Count() <= max[g.Key])
                && chosen.GroupBy(x => (x.InterestId, dayOf[x.EventId])).All(g => g.Count() == 1);
            if (ok)
            {
                best = Math.Max(best, chosen.Sum(x => x.Score));
            }
        }

        Assert.True(best > 0);
        Assert.Equal(best, lines.Sum(l => l.Score), 6);
        Assert.Equal(best, result.GetProperty("totalScore").GetDouble(), 6);
        Assert.Contains("暂未安排", result.GetProperty("summary").GetString(), StringComparison.Ordinal);

        // Undo one line before confirming; then confirm: the rest are registered, approved at once with a code.
        var undone = lines.First(l => l.Org == accountA.OrganisationId);
        Assert.Equal(HttpStatusCode.OK, (await organiser.DeleteAsync($"/api/campaigns/{campaignId}/plan/{undone.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await organiser.DeleteAsync($"/api/campaigns/{campaignId}/plan/{undone.Id}")).StatusCode);
        await Support.Api.AssertProblemAsync(await a.PostAsync($"/api/campaigns/{campaignId}/plan/confirm", null), HttpStatusCode.Forbidden);
        var confirmed = await organiser.PostAsync($"/api/campaigns/{campaignId}/plan/confirm", null);
        Assert.True(confirmed.StatusCode == HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());
        Assert.Equal(lines.Count - 1, (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("assigned").GetInt32());
        Assert.Equal(HttpStatusCode.Conflict, (await organiser.PostAsync($"/api/campaigns/{campaignId}/plan/confirm", null)).StatusCode);

        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
            var registrations = await db.EventRegistrations.AsNoTracking().Where(r => capacity.Keys.Contains(r.EventId)).ToListAsync();
            var expected = lines.Where(l => l.Id != undone.Id).Select(l => (l.Org, l.Event)).Order().ToList();
            Assert.Equal(expected, registrations.Select(r => (r.OrganisationId, r.EventId)).Order().ToList());
            Assert.All(registrations, r => Assert.Equal(RegistrationStatus.Approved, r.Status));
            Assert.All(registrations, r => Assert.Matches("^[0-9]{6}$", r.CheckInCode));
            var aRegistration = registrations.FirstOrDefault(r => r.OrganisationId == accountA.OrganisationId);
            if (aRegistration is not null)
            {
                Assert.Equal("钕铁硼磁钢年需求 300 吨", aRegistration.Offers);
                Assert.Equal(accountA.Id, aRegistration.UserId);
            }

            var lineRows = await db.CampaignAssignments.AsNoTracking().Where(x => x.CampaignId == campaignId).ToListAsync();
            Assert.All(lineRows.Where(x => x.Id != undone.Id), x => Assert.Equal(AssignmentStatus.Registered, x.Status));
            Assert.All(lineRows.Where(x => x.Id != undone.Id), x => Assert.Equal(registrations.Single(r => r.OrganisationId == interests[x.InterestId] && r.EventId == x.EventId).Id, x.RegistrationId));
            Assert.Equal(AssignmentStatus.Dropped, lineRows.Single(x => x.Id == undone.Id).Status);
            var notified = await db.Notifications.AsNoTracking().Where(n => n.Title.StartsWith("已为您报名")).Select(n => n.UserId).ToListAsync();
            Assert.Contains(lines.First(l => l.Id != undone.Id).Org, await db.Users.AsNoTracking().Where(u => notified.Contains(u.Id)).Select(u => u.OrganisationId!.Value).ToListAsync());
            Assert.Contains(await db.AuditLog.AsNoTracking().Where(x => x.EntityType == "CampaignAssignment").Select(x => x.UserId).ToListAsync(), u => u != null);
            Assert.NotEmpty(await db.AuditLog.AsNoTracking().Where(x => x.EntityType == "CampaignInterest" && x.UserId == accountA.Id).ToListAsync());
        }

        // Planning again keeps the registered pairs out, and withdrawing an interest drops what was only planned.
        var again = await organiser.PostAsync($"/api/campaigns/{campaignId}/plan", null);
        Assert.True(again.StatusCode == HttpStatusCode.OK, await again.Content.ReadAsStringAsync());
        var replanned = (await organiser.GetFromJsonAsync<JsonElement>($"/api/campaigns/{campaignId}/plan")).GetProperty("lines").EnumerateArray()
            .Where(l => l.GetProperty("status").GetString() == "Planned").ToList();
        var registeredPairs = lines.Where(l => l.Id != undone.Id).Select(l => (l.Org, l.Event)).ToHashSet();
        Assert.DoesNotContain(replanned, l => registeredPairs.Contains((l.GetProperty("organisationId").GetInt64(), l.GetProperty("eventId").GetInt64())));
        Assert.Contains(replanned, l => l.GetProperty("id").GetInt64() != undone.Id && l.GetProperty("organisationId").GetInt64() == accountA.OrganisationId);
        Assert.Equal(HttpStatusCode.OK, (await a.DeleteAsync($"/api/campaigns/{campaignId}/interests/mine")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.DeleteAsync($"/api/campaigns/{campaignId}/interests/mine")).StatusCode);
        var afterWithdrawal = (await organiser.GetFromJsonAsync<JsonElement>($"/api/campaigns/{campaignId}/plan")).GetProperty("lines").EnumerateArray();
        Assert.DoesNotContain(afterWithdrawal, l => l.GetProperty("organisationId").GetInt64() == accountA.OrganisationId && l.GetProperty("status").GetString() == "Planned");

        // The pages: the organiser's plan, and a member's own result.
        var page = WebUtility.HtmlDecode(await organiser.GetStringAsync($"/campaigns/{campaignId}/plan"));
        Assert.Contains("场次分配方案", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"plan-line\"", page, StringComparison.Ordinal);
        Assert.Contains("领域契合：新材料", page, StringComparison.Ordinal);
        var memberPage = WebUtility.HtmlDecode(await c.GetStringAsync($"/campaigns/{campaignId}/plan"));
        Assert.Contains("data-testid=\"my-lines\"", memberPage, StringComparison.Ordinal);
        Assert.Contains("已报名", memberPage, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"plan\"", memberPage, StringComparison.Ordinal);
        var anonymousPage = WebUtility.HtmlDecode(await anonymous.GetStringAsync($"/campaigns/{campaignId}/plan"));
        Assert.Contains("登录</a>后以本机构名义意向报名", anonymousPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCampaignsSharedListsHoldPublishedAchievementsAndChallengesOnly()
    {
        var (organiser, _) = await Support.Api.NewOrganiserAsync(_factory);
        var (admin, _) = await Support.Api.AdminAsync(_factory);
        var (enterprise, _) = await Support.Api.NewMemberAsync(_factory);
        var (institute, _) = await Support.Api.NewMemberAsync(_factory, "institute");
        var anonymous = _factory.CreateClient();
        var campaignId = (await (await organiser.PostAsJsonAsync("/api/campaigns", new { name = "2027年百日百场", year = 2027 })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var achievement = await Support.Api.PublishAsync(institute, admin, "achievements", Support.Api.CompleteAchievement());
        var plainNeed = await Support.Api.PublishAsync(enterprise, admin, "needs", Support.Api.CompleteNeed());
        var challenge = await ChallengeTests.PublishedChallengeNeedAsync(enterprise, admin, "高温密封材料揭榜挂帅");
        var draft = await Support.Api.CreateAsync(institute, "achievements", Support.Api.CompleteAchievement("草稿成果"));

        Assert.Equal(HttpStatusCode.OK, (await organiser.PostAsJsonAsync($"/api/campaigns/{campaignId}/listings", new { listingId = achievement.Id, note = "重点推介" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await organiser.PostAsJsonAsync($"/api/campaigns/{campaignId}/listings", new { listingId = challenge.Id })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await organiser.PostAsJsonAsync($"/api/campaigns/{campaignId}/listings", new { listingId = achievement.Id })).StatusCode);
        await Support.Api.AssertProblemAsync(await organiser.PostAsJsonAsync($"/api/campaigns/{campaignId}/listings", new { listingId = plainNeed.Id }), HttpStatusCode.BadRequest);
        await Support.Api.AssertProblemAsync(await organiser.PostAsJsonAsync($"/api/campaigns/{campaignId}/listings", new { listingId = draft.Id }), HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.Forbidden, (await institute.PostAsJsonAsync($"/api/campaigns/{campaignId}/listings", new { listingId = achievement.Id })).StatusCode);

        var lists = await anonymous.GetFromJsonAsync<JsonElement>($"/api/campaigns/{campaignId}/listings");
        var promoted = Assert.Single(lists.GetProperty("achievements").EnumerateArray());
        Assert.Equal(achievement.Id, promoted.GetProperty("listingId").GetInt64());
        Assert.Equal("重点推介", promoted.GetProperty("note").GetString());
        var carried = Assert.Single(lists.GetProperty("challenges").EnumerateArray());
        Assert.Equal(challenge.Id, carried.GetProperty("listingId").GetInt64());
        Assert.Equal(JsonValueKind.Number, carried.GetProperty("bountyWan").ValueKind);
        var page = WebUtility.HtmlDecode(await anonymous.GetStringAsync($"/campaigns/{campaignId}/plan"));
        Assert.Contains(achievement.Title, page, StringComparison.Ordinal);
        Assert.Contains("高温密封材料揭榜挂帅", page, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await organiser.DeleteAsync($"/api/campaigns/{campaignId}/listings/{achievement.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await organiser.DeleteAsync($"/api/campaigns/{campaignId}/listings/{achievement.Id}")).StatusCode);
        Assert.Empty((await anonymous.GetFromJsonAsync<JsonElement>($"/api/campaigns/{campaignId}/listings")).GetProperty("achievements").EnumerateArray());
    }
}

public sealed class CampaignPlanningTestsOnSqlite() : CampaignPlanningTests(Backend.Sqlite);

[Trait("Category", "Postgres")]
public sealed class CampaignPlanningTestsOnPostgres() : CampaignPlanningTests(Backend.Postgres);
