using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Seeding;
using TechMarket.Market.Events;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Features;

/// <summary>
/// The demo market the README's run command starts: matches from the pipeline in every state, and a 百日百场 campaign
/// with held events (final schedules, check-ins, outcomes) and upcoming ones.
/// </summary>
public sealed class DemoMarketTests : IDisposable
{
    private readonly MarketFactory _factory = new(Backend.Sqlite) { Settings = new() { ["Demo:Seed"] = "true" } };

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task TheDemoMarketHasMatchesInEveryStateAndInTheDemoAccountsInboxes()
    {
        _ = _factory.CreateClient();
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
            var states = await db.Matches.AsNoTracking().Select(m => m.State).Distinct().ToListAsync();
            Assert.Equal(Enum.GetValues<MatchState>().Order(), states.Order());

            // Every demo match joins two published demo listings of different organisations.
            var pairs = await db.Matches.AsNoTracking().Select(m => new { m.Need!.IsDemo, Demo2 = m.Achievement!.IsDemo, N = m.Need.OrganisationId, A = m.Achievement.OrganisationId, m.Reasons }).ToListAsync();
            Assert.All(pairs, p => Assert.True(p.IsDemo && p.Demo2 && p.N != p.A));
            Assert.All(pairs, p => Assert.NotEqual("", p.Reasons));
        }

        foreach (var email in new[] { "enterprise@demo.techmarket", "institute@demo.techmarket" })
        {
            var (http, _) = await Support.Api.SignInAsync(_factory, email, DemoMarket.Password);
            var inbox = await http.GetFromJsonAsync<JsonElement>("/api/matches/inbox");
            Assert.NotEmpty(inbox.EnumerateArray());
        }
    }

    [Fact]
    public async Task TheDemoMarketHoldsBrokersWorkDealsAndRegisteredAndRefusedContracts()
    {
        _ = _factory.Server;
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
            var deals = await db.Deals.AsNoTracking().ToListAsync();
            Assert.True(deals.Count >= 4, $"{deals.Count} 份示例合同");
            Assert.All(deals, d => Assert.True(d.IsDemo));
            Assert.Contains(deals, d => d.Status == DealStatus.Registered && d.RegistrationNumber!.Length == 14 && d.RegisteredAmountWan <= d.AmountWan);
            Assert.Contains(deals, d => d.Status == DealStatus.Refused && d.DecisionNote.Length > 0);
            Assert.Contains(deals, d => d.Status == DealStatus.Applied);
            Assert.Contains(deals, d => d.EventId != null && d.MeetingId != null);
            Assert.Equal(deals.Count(d => d.RegistrationNumber != null), deals.Select(d => d.RegistrationNumber).Where(n => n != null).Distinct().Count());
        }

        // The demo broker's workspace has a pipeline, tasks, a mined need and credited deals; the registrar has a queue.
        var (broker, _) = await Support.Api.SignInAsync(_factory, "broker@demo.techmarket", DemoMarket.Password);
        var workspace = await broker.GetFromJsonAsync<JsonElement>("/api/broker/workspace");
        Assert.True(workspace.GetProperty("board").GetArrayLength() >= 3);
        Assert.True(workspace.GetProperty("board").EnumerateArray().Select(c => c.GetProperty("stage").GetString()).Distinct().Count() >= 3);
        Assert.Contains(workspace.GetProperty("tasks").EnumerateArray(), t => t.GetProperty("status").GetString() == "Open");
        Assert.Contains(workspace.GetProperty("mined").EnumerateArray(), n => n.GetProperty("consentAt").ValueKind != JsonValueKind.Null);
        Assert.NotEmpty(workspace.GetProperty("deals").EnumerateArray());
        Assert.Contains("data-testid=\"board\"", await broker.GetStringAsync("/broker"), StringComparison.Ordinal);
        var (registrar, _) = await Support.Api.SignInAsync(_factory, "registrar@demo.techmarket", DemoMarket.Password);
        Assert.Contains("data-testid=\"registrar-queue\"", await registrar.GetStringAsync("/deals"), StringComparison.Ordinal);

        // The organiser's dashboard counts them.
        var (organiser, _) = await Support.Api.SignInAsync(_factory, "organiser@demo.techmarket", DemoMarket.Password);
        var figures = await organiser.GetFromJsonAsync<JsonElement>("/api/figures");
        Assert.True(figures.GetProperty("totals").GetProperty("amount").GetDecimal() > 0);
        Assert.True(figures.GetProperty("totals").GetProperty("mined").GetDecimal() > 0);
    }

    [Fact]
    public async Task TheDemoMarketHoldsACampaignWithHeldSchedulesCheckInsAndOutcomes()
    {
        var anonymous = _factory.CreateClient();
        var now = DateTime.UtcNow;
        long pastId;
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
            var campaign = await db.Campaigns.AsNoTracking().SingleAsync();
            Assert.True(campaign.IsDemo);
            Assert.Equal(DemoEvents.CampaignName, campaign.Name);
            Assert.Equal((100, 2000, 3000, 300, 80, 50000m), (campaign.TargetEvents, campaign.TargetParticipants, campaign.TargetMeetings, campaign.TargetAgreements, campaign.TargetDeals, campaign.TargetAmountWan));
            var events = await db.Events.AsNoTracking().Where(e => e.CampaignId == campaign.Id).ToListAsync();
            Assert.All(events, e => Assert.True(e.IsDemo));
            var past = events.Where(e => e.Format == EventFormat.Bilateral && e.Status == EventStatus.Held).ToList();
            Assert.InRange(past.Count, 2, 3);
            Assert.Contains(events, e => e.Format is EventFormat.OpenDay or EventFormat.Roadshow && e.Status == EventStatus.Held && e.StartsAt < now);
            var instituteOrg = await db.Users.AsNoTracking().Where(u => u.NormalizedEmail == "INSTITUTE@DEMO.TECHMARKET").Select(u => u.OrganisationId).SingleAsync();
            pastId = await db.EventRegistrations.AsNoTracking().Where(r => r.OrganisationId == instituteOrg && r.Status == RegistrationStatus.Approved && past.Select(e => e.Id).Contains(r.EventId)).Select(r => r.EventId).FirstAsync();

            var members = await db.Users.AsNoTracking().Where(u => u.OrganisationId != null).ToDictionaryAsync(u => u.Id, u => u.OrganisationId!.Value);
            var orgs = await db.Organisations.AsNoTracking().ToDictionaryAsync(o => o.Id);
            var outcomes = new List<MeetingOutcome>();
            foreach (var ev in past)
            {
                Assert.True(ev.StartsAt < now);
                Assert.Equal(ScheduleKind.Final, ev.ScheduleKind);
                Assert.StartsWith("已安排", ev.ScheduleSummary, StringComparison.Ordinal);
                var regs = await db.EventRegistrations.AsNoTracking().Where(r => r.EventId == ev.Id).ToListAsync();
                var approved = regs.Where(r => r.Status == RegistrationStatus.Approved).ToList();
                Assert.All(approved, r => Assert.Matches("^[0-9]{6}$", r.CheckInCode));
                Assert.Equal(approved.Count, approved.Select(r => r.CheckInCode).Distinct().Count());
                Assert.All(regs, r => Assert.Equal(r.OrganisationId, members[r.UserId]));
                Assert.All(regs, r => Assert.True(orgs[r.OrganisationId].IsDemo));
                Assert.InRange(approved.Count(r => r.NoShow), 1, 2);
                Assert.All(approved, r => Assert.Equal(r.NoShow, r.CheckedInAt is null));

                var meetings = await db.EventMeetings.AsNoTracking().Where(m => m.EventId == ev.Id).ToListAsync();
                var placed = meetings.Where(m => m.Slot is not null).ToList();
                Assert.True(placed.Count >= 8, $"{ev.Title}: {placed.Count} placed");
                Assert.All(placed, m =>
                {
                    Assert.Equal(MeetingStatus.Accepted, m.Status);
                    Assert.InRange(m.Slot!.Value, 0, ev.SlotCount - 1);
                    Assert.InRange(m.Table!.Value, 0, ev.Tables - 1);
                });
                Assert.Equal(placed.Count, placed.Select(m => (m.Slot, m.Table)).Distinct().Count());
                var seats = placed.SelectMany(m => new[] { (m.Slot, m.RequesterId), (m.Slot, m.TargetId) }).ToList();
                Assert.Equal(seats.Count, seats.Distinct().Count());
                var absent = approved.Where(r => r.NoShow).Select(r => r.Id).ToHashSet();
                Assert.DoesNotContain(placed, m => absent.Contains(m.RequesterId) || absent.Contains(m.TargetId));
                Assert.All(meetings.Where(m => m.Status == MeetingStatus.Accepted && m.Slot is null), m => Assert.NotEqual("", m.UnplacedReason));

                // Each meeting joins an enterprise and an institute, on a need of the one and an achievement of the other.
                var byId = approved.ToDictionary(r => r.Id);
                Assert.True(meetings.Count(m => m.NeedId is not null && m.AchievementId is not null) * 10 >= meetings.Count * 9);
                foreach (var m in meetings.Where(m => m.NeedId is not null && m.AchievementId is not null))
                {
                    var kinds = new[] { orgs[byId[m.RequesterId].OrganisationId].Kind, orgs[byId[m.TargetId].OrganisationId].Kind }.Order().ToArray();
                    Assert.Equal([OrganisationKind.Enterprise, OrganisationKind.Institute], kinds);
                    var enterprise = new[] { m.RequesterId, m.TargetId }.Select(id => byId[id].OrganisationId).Single(o => orgs[o].Kind == OrganisationKind.Enterprise);
                    var institute = new[] { m.RequesterId, m.TargetId }.Select(id => byId[id].OrganisationId).Single(o => orgs[o].Kind == OrganisationKind.Institute);
                    Assert.Equal(enterprise, await db.Needs.AsNoTracking().Where(n => n.Id == m.NeedId).Select(n => n.OrganisationId).SingleAsync());
                    Assert.Equal(institute, await db.Achievements.AsNoTracking().Where(a => a.Id == m.AchievementId).Select(a => a.OrganisationId).SingleAsync());
                }

                Assert.True(placed.Count(m => m.RequesterOutcome != MeetingOutcome.None || m.TargetOutcome != MeetingOutcome.None) * 10 >= placed.Count * 7);
                outcomes.AddRange(placed.Select(m => new[] { m.RequesterOutcome, m.TargetOutcome }.Where(o => o != MeetingOutcome.None).DefaultIfEmpty().Min()));
            }

            Assert.InRange(outcomes.Count(o => o == MeetingOutcome.Contracted), 1, 2);
            Assert.Contains(MeetingOutcome.NotHeld, outcomes);
            Assert.True(outcomes.Count(o => o == MeetingOutcome.Possible) > outcomes.Count(o => o == MeetingOutcome.Intention));
            Assert.True(outcomes.Count(o => o == MeetingOutcome.Intention) >= 2);
            Assert.True(outcomes.Count(o => o == MeetingOutcome.NoInterest) >= 2);

            // Upcoming: a 专场对接会 taking registrations and requests without a schedule, and a 揭榜挂帅发布会.
            var upcoming = events.Where(e => e.Status == EventStatus.Open).ToList();
            Assert.All(upcoming, e => Assert.True(e.RegistrationDeadline > now && e.StartsAt > e.RegistrationDeadline));
            Assert.Contains(upcoming, e => e.Format == EventFormat.ChallengeLaunch);
            var open = upcoming.Single(e => e.Format == EventFormat.Bilateral);
            Assert.Equal(ScheduleKind.None, open.ScheduleKind);
            var openRegs = await db.EventRegistrations.AsNoTracking().Where(r => r.EventId == open.Id).ToListAsync();
            Assert.Contains(openRegs, r => r.Status == RegistrationStatus.Approved);
            Assert.Contains(openRegs, r => r.Status == RegistrationStatus.Pending);
            var openMeetings = await db.EventMeetings.AsNoTracking().Where(m => m.EventId == open.Id).ToListAsync();
            Assert.Contains(openMeetings, m => m.Status == MeetingStatus.Requested);
            Assert.Contains(openMeetings, m => m.Status == MeetingStatus.Accepted);
            Assert.All(openMeetings, m => Assert.Null(m.Slot));

            // Organisations have declared interest in the campaign (意向报名) in the open events' fields, none of them
            // registered there yet, for the organisers' plan.
            var interests = await db.CampaignInterests.AsNoTracking().ToListAsync();
            Assert.InRange(interests.Count, 4, 24);
            Assert.All(interests, i => Assert.True(i.IsDemo && i.Status == InterestStatus.Active && i.MaxEvents >= 1));
            Assert.All(interests, i => Assert.Contains(upcoming, e => e.Fields == i.Fields));
            Assert.DoesNotContain(interests, i => openRegs.Any(r => r.OrganisationId == i.OrganisationId));

            // The shared lists: achievements to promote and the demo's challenges, all published.
            var shared = await db.CampaignListings.AsNoTracking().Include(c => c.Listing).ToListAsync();
            Assert.Contains(shared, c => c.Listing is Achievement);
            Assert.Contains(shared, c => c.Listing is Need { IsChallenge: true });
            Assert.All(shared, c => Assert.Equal(ListingStatus.Published, c.Listing!.Status));

            // Seeding again adds nothing.
            Assert.Equal(0, await DemoEvents.SeedAsync(db, now));
            Assert.Single(await db.Campaigns.AsNoTracking().ToListAsync());
        }

        // The campaign's progress counts them; the pages open.
        var progress = (await anonymous.GetFromJsonAsync<JsonElement>("/api/campaigns")).EnumerateArray().Single().GetProperty("reached");
        Assert.True(progress.GetProperty("meetings").GetInt32() > progress.GetProperty("agreements").GetInt32());
        Assert.True(progress.GetProperty("agreements").GetInt32() >= progress.GetProperty("deals").GetInt32());
        Assert.InRange(progress.GetProperty("deals").GetInt32(), 1, 2);
        // The contracts signed at its held events were registered by the demo registrar (DemoDeals): counted once.
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
            var registered = (await db.Deals.AsNoTracking().Where(d => d.Status == DealStatus.Registered && d.EventId != null).Select(d => d.RegisteredAmountWan).ToListAsync()).Sum();
            Assert.True(registered > 0);
            Assert.Equal(registered, progress.GetProperty("amountWan").GetDecimal());
        }

        Assert.Contains(DemoEvents.CampaignName, System.Net.WebUtility.HtmlDecode(await anonymous.GetStringAsync("/events")), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await anonymous.GetAsync($"/events/{pastId}")).StatusCode);
        var (demoInstitute, _) = await Support.Api.SignInAsync(_factory, "institute@demo.techmarket", DemoMarket.Password);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await demoInstitute.GetAsync($"/events/{pastId}")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await demoInstitute.GetAsync($"/api/events/{pastId}/agenda")).StatusCode);

        // The demo organiser plans the interested organisations over the open events on the demo's own text.
        var (organiser, _) = await Support.Api.SignInAsync(_factory, "organiser@demo.techmarket", DemoMarket.Password);
        var campaignId = (await anonymous.GetFromJsonAsync<JsonElement>("/api/campaigns")).EnumerateArray().Single().GetProperty("id").GetInt64();
        var planned = await organiser.PostAsync($"/api/campaigns/{campaignId}/plan", null);
        Assert.True(planned.IsSuccessStatusCode, await planned.Content.ReadAsStringAsync());
        var lines = (await organiser.GetFromJsonAsync<JsonElement>($"/api/campaigns/{campaignId}/plan")).GetProperty("lines").EnumerateArray().ToList();
        Assert.True(lines.Count >= 4, $"{lines.Count} lines");
        // Each line says why: a field in common, or a partner the matching pipeline found among the event's other side.
        Assert.All(lines, l => Assert.Matches("领域契合|可对接", l.GetProperty("reason").GetString()!));
        Assert.True(lines.Count(l => l.GetProperty("reason").GetString()!.Contains("领域契合", StringComparison.Ordinal)) * 2 > lines.Count);
        Assert.Contains(lines, l => l.GetProperty("reason").GetString()!.Contains("可对接", StringComparison.Ordinal));
        Assert.Contains("data-testid=\"plan-line\"", await organiser.GetStringAsync($"/campaigns/{campaignId}/plan"), StringComparison.Ordinal);
    }
}
