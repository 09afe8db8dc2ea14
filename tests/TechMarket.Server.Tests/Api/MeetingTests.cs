using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Market.Events;
using TechMarket.Market.Hosting;
using TechMarket.Scheduling;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Api;

/// <summary>
/// Meetings at a 专场对接会 over HTTP: requests with accept, decline and another time; the organiser's proposals from
/// the matching scores; the schedule computed in the background and compared with the engine's own result; the final
/// schedule's incremental changes, reminders, the day (check-in, no-show, walk-in) and outcomes moving the match.
/// </summary>
public abstract class MeetingTests : IDisposable
{
    private readonly ShiftedClock _clock = new();
    private readonly MarketFactory _factory;

    protected MeetingTests(Backend backend)
    {
        _factory = new MarketFactory(backend) { Replace = s => s.AddKeyedSingleton<TimeProvider>(MarketClock.Key, _clock) };
    }

    public void Dispose()
    {
        _factory.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task AnEventGoesFromRequestsToOutcomes()
    {
        var (organiser, _) = await Support.Api.NewOrganiserAsync(_factory);
        var (admin, _) = await Support.Api.AdminAsync(_factory);
        var ev = await Support.Api.OpenEventAsync(organiser);
        var id = ev.GetProperty("id").GetInt64();
        var startsAt = ev.GetProperty("startsAt").GetDateTime();

        var (a, _) = await Support.Api.NewMemberAsync(_factory);
        var (b, _) = await Support.Api.NewMemberAsync(_factory);
        var (c, _) = await Support.Api.NewMemberAsync(_factory);
        var (x, _) = await Support.Api.NewMemberAsync(_factory, "institute");
        var (y, _) = await Support.Api.NewMemberAsync(_factory, "institute");
        var (z, _) = await Support.Api.NewMemberAsync(_factory, "institute");
        var (outsider, _) = await Support.Api.NewMemberAsync(_factory);

        // C brings a need, Z an achievement that fits it: the organiser's proposal comes from their match.
        var need = await PublishAsync(c, admin, "needs", Support.Api.CompleteNeed("注塑件翘曲变形的工艺参数优化"));
        var achievement = await PublishAsync(z, admin, "achievements", Support.Api.CompleteAchievement("注塑成型工艺参数智能优化与翘曲变形控制技术") with
        {
            Summary = "面向注塑件翘曲变形和缩痕，基于模流分析优化保压压力与冷却时间等工艺参数，不良率显著降低。",
            Keywords = "注塑、翘曲、工艺参数优化",
            Field = "高端装备",
        });
        var reg = new Dictionary<HttpClient, long>();
        foreach (var (member, listing) in new[] { (a, (long?)null), (b, null), (c, need), (x, null), (y, null), (z, achievement) })
        {
            var registered = await member.PostAsJsonAsync($"/api/events/{id}/registrations", new { offers = "参会", listingIds = listing is { } l ? new[] { l } : Array.Empty<long>(), unavailableSlots = member == y ? new[] { 0 } : Array.Empty<int>() });
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
            reg[member] = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
            Assert.Equal(HttpStatusCode.OK, (await organiser.PostAsync($"/api/events/{id}/registrations/{reg[member]}/approve", null)).StatusCode);
        }

        // Only approved participants ask; one open request per pair.
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.PostAsJsonAsync($"/api/events/{id}/meetings", new { targetRegistrationId = reg[x] })).StatusCode);
        var ax = await MeetingAsync(await a.PostAsJsonAsync($"/api/events/{id}/meetings", new { targetRegistrationId = reg[x], message = "想了解模流分析服务" }), HttpStatusCode.Created);
        await Support.Api.AssertProblemAsync(await x.PostAsJsonAsync($"/api/events/{id}/meetings", new { targetRegistrationId = reg[a] }), HttpStatusCode.Conflict);
        await Support.Api.AssertProblemAsync(await a.PostAsJsonAsync($"/api/events/{id}/meetings/{ax}/answer", new { answer = "Accept" }), HttpStatusCode.Conflict);
        await Support.Api.AssertProblemAsync(await outsider.PostAsJsonAsync($"/api/events/{id}/meetings/{ax}/answer", new { answer = "Accept" }), HttpStatusCode.Forbidden);

        // X proposes the fourth slot; A accepts it, which pins the meeting there.
        Assert.Equal(HttpStatusCode.OK, (await x.PostAsJsonAsync($"/api/events/{id}/meetings/{ax}/answer", new { answer = "Propose", slot = 3, note = "上午前三轮已排满" })).StatusCode);
        var accepted = await (await a.PostAsJsonAsync($"/api/events/{id}/meetings/{ax}/answer", new { answer = "Accept" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Accepted", accepted.GetProperty("status").GetString());
        Assert.Equal(3, accepted.GetProperty("pinSlot").GetInt32());

        // B is declined by X and accepted by Y.
        var bx = await MeetingAsync(await b.PostAsJsonAsync($"/api/events/{id}/meetings", new { targetRegistrationId = reg[x] }), HttpStatusCode.Created);
        Assert.Equal("Declined", (await (await x.PostAsJsonAsync($"/api/events/{id}/meetings/{bx}/answer", new { answer = "Decline", note = "方向不符" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var by = await MeetingAsync(await b.PostAsJsonAsync($"/api/events/{id}/meetings", new { targetRegistrationId = reg[y] }), HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.OK, (await y.PostAsJsonAsync($"/api/events/{id}/meetings/{by}/answer", new { answer = "Accept" })).StatusCode);

        // The organiser's proposals: C × Z from the matching pipeline; both must accept.
        var proposed = await (await organiser.PostAsJsonAsync($"/api/events/{id}/proposals", new { perEnterprise = 3 })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(proposed.GetProperty("proposed").GetInt32() >= 1, proposed.ToString());
        var cMeetings = (await c.GetFromJsonAsync<JsonElement>($"/api/events/{id}/meetings")).EnumerateArray().ToList();
        var cz = cMeetings.Single(m => m.GetProperty("targetId").GetInt64() == reg[z]);
        Assert.Equal("Organiser", cz.GetProperty("origin").GetString());
        Assert.Equal(need, cz.GetProperty("needId").GetInt64());
        Assert.Equal(achievement, cz.GetProperty("achievementId").GetInt64());
        var czId = cz.GetProperty("id").GetInt64();
        Assert.Equal("Requested", (await (await z.PostAsJsonAsync($"/api/events/{id}/meetings/{czId}/answer", new { answer = "Accept" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal("Accepted", (await (await c.PostAsJsonAsync($"/api/events/{id}/meetings/{czId}/answer", new { answer = "Accept" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(MatchState.MeetingRequested, await MatchStateAsync(need, achievement));

        // Proposals for other pairs the pipeline found are declined, so only the three accepted meetings count.
        foreach (var m in (await organiser.GetFromJsonAsync<JsonElement>($"/api/events/{id}/meetings")).EnumerateArray().Where(m => m.GetProperty("status").GetString() == "Requested"))
        {
            Assert.Equal(HttpStatusCode.OK, (await organiser.PostAsync($"/api/events/{id}/meetings/{m.GetProperty("id").GetInt64()}/cancel", null)).StatusCode);
        }

        // The preliminary schedule runs in the background; the organiser polls.
        Assert.Equal(HttpStatusCode.Forbidden, (await a.PostAsJsonAsync($"/api/events/{id}/schedule", new { final = false })).StatusCode);
        var board = await RunScheduleAsync(organiser, id, final: false);
        Assert.Equal("Preliminary", board.GetProperty("status").GetProperty("kind").GetString());
        var placed = board.GetProperty("slots").EnumerateArray().SelectMany(s => s.GetProperty("meetings").EnumerateArray()).ToList();
        Assert.Equal(3, placed.Count);
        Assert.Empty(board.GetProperty("unplaced").EnumerateArray());
        Assert.Equal(3, placed.Single(m => m.GetProperty("id").GetInt64() == ax).GetProperty("slot").GetInt32());
        Assert.NotEqual(0, placed.Single(m => m.GetProperty("id").GetInt64() == by).GetProperty("slot").GetInt32());

        // The final schedule registers the day-before and hour-before reminders, durable in the reminder table.
        await RunScheduleAsync(organiser, id, final: true);
        await using (var db = NewDb())
        {
            var names = await db.Reminders.AsNoTracking().Where(r => r.GrainId.Contains("event")).Select(r => r.Name).ToListAsync();
            Assert.Contains("day-before", names);
            Assert.Contains("hour-before", names);
        }

        // A late acceptance goes in without moving anyone.
        var before = await PlacesAsync(id);
        var bz = await MeetingAsync(await b.PostAsJsonAsync($"/api/events/{id}/meetings", new { targetRegistrationId = reg[z] }), HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.OK, (await z.PostAsJsonAsync($"/api/events/{id}/meetings/{bz}/answer", new { answer = "Accept" })).StatusCode);
        Assert.Equal(3, before.Count);
        var after = await PlacesAsync(id);
        Assert.NotNull(after[bz].Slot);
        Assert.All(before, kv => Assert.Equal(kv.Value, after[kv.Key]));

        // Agendas: JSON, and .ics read back by a parser written here (not Ical.Net, which wrote it).
        var agenda = await b.GetFromJsonAsync<JsonElement>($"/api/events/{id}/agenda");
        Assert.Equal(2, agenda.GetProperty("lines").GetArrayLength());
        var ics = await b.GetAsync($"/api/events/{id}/agenda.ics");
        Assert.Equal("text/calendar", ics.Content.Headers.ContentType!.MediaType);
        var events = IcsReader.Events(await ics.Content.ReadAsStringAsync());
        Assert.Equal(2, events.Count);
        foreach (var line in agenda.GetProperty("lines").EnumerateArray())
        {
            Assert.Contains(events, e => e["DTSTART"] == line.GetProperty("startsAt").GetDateTime().ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture)
                && e["SUMMARY"].Contains(line.GetProperty("partnerName").GetString()!, StringComparison.Ordinal));
        }

        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/events/{id}/agenda.ics")).StatusCode);

        // The printable agenda page: an organiser's malformed ?registration= is an unknown registration, never a 500.
        Assert.Equal(HttpStatusCode.OK, (await organiser.GetAsync($"/events/{id}/agenda?registration={agenda.GetProperty("registrationId").GetInt64()}")).StatusCode);
        foreach (var bad in new[] { "abc", "99999999999999999999", "1.5", "-1" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await organiser.GetAsync($"/events/{id}/agenda?registration={bad}")).StatusCode);
        }

        // A member outside the event sees neither the participants (nor their check-in codes) nor the free places.
        var peek = await outsider.GetFromJsonAsync<JsonElement>($"/api/events/{id}/schedule");
        Assert.Empty(peek.GetProperty("participants").EnumerateArray());
        Assert.All(peek.GetProperty("slots").EnumerateArray(), s => Assert.Empty(s.GetProperty("freeParticipants").EnumerateArray()));
        Assert.Empty(peek.GetProperty("slots").EnumerateArray().SelectMany(s => s.GetProperty("meetings").EnumerateArray()));
        Assert.False((await outsider.GetFromJsonAsync<JsonElement>($"/api/events/{id}/schedule?statusOnly=true")).GetProperty("running").GetBoolean());
        Assert.Single(IcsReader.Events(await _factory.CreateClient().GetStringAsync($"/api/events/{id}/calendar.ics")));

        // The day before: one notice per member of every approved organisation, once.
        var grain = _factory.Services.GetRequiredService<IGrainFactory>().GetGrain<TechMarket.Market.Contracts.IEventGrain>(id);
        _clock.SetNow(new DateTimeOffset(startsAt.AddHours(-23), TimeSpan.Zero));
        Assert.Equal(6, await grain.SendDueRemindersAsync());
        Assert.Equal(0, await grain.SendDueRemindersAsync());
        await using (var db = NewDb())
        {
            Assert.Equal(6, await db.Notifications.CountAsync(n => n.Title.StartsWith("活动提醒")));
            Assert.DoesNotContain("day-before", await db.Reminders.AsNoTracking().Select(r => r.Name).ToListAsync());
        }

        // The day: check-in by code and from the list; Y does not come, so B × Y is dropped; a walk-in at a free place.
        _clock.SetNow(new DateTimeOffset(startsAt.AddMinutes(5), TimeSpan.Zero));
        var code = (await a.GetFromJsonAsync<JsonElement>($"/api/events/{id}/agenda")).GetProperty("checkInCode").GetString();
        Assert.Equal(6, code!.Length);
        await Support.Api.AssertProblemAsync(await organiser.PostAsJsonAsync($"/api/events/{id}/checkin", new { code = "000000x" }), HttpStatusCode.NotFound);
        Assert.NotNull((await (await organiser.PostAsJsonAsync($"/api/events/{id}/checkin", new { code })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checkedInAt").GetString());
        Assert.Equal(HttpStatusCode.OK, (await organiser.PostAsJsonAsync($"/api/events/{id}/checkin", new { registrationId = reg[x] })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await a.PostAsJsonAsync($"/api/events/{id}/checkin", new { registrationId = reg[b] })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await organiser.PostAsJsonAsync($"/api/events/{id}/registrations/{reg[y]}/no-show", new { noShow = true })).StatusCode);
        Assert.Null((await PlacesAsync(id))[by].Slot);
        var free = (await organiser.GetFromJsonAsync<JsonElement>($"/api/events/{id}/schedule")).GetProperty("slots").EnumerateArray()
            .First(s => s.GetProperty("freeParticipants").EnumerateArray().Select(p => p.GetInt64()).ToHashSet().IsSupersetOf([reg[a], reg[c]]));
        var walkIn = new { requesterRegistrationId = reg[a], targetRegistrationId = reg[c], slot = free.GetProperty("slot").GetInt32(), table = free.GetProperty("freeTables")[0].GetInt32() };
        Assert.Equal(HttpStatusCode.Created, (await organiser.PostAsJsonAsync($"/api/events/{id}/walk-ins", walkIn)).StatusCode);
        await Support.Api.AssertProblemAsync(await organiser.PostAsJsonAsync($"/api/events/{id}/walk-ins", walkIn with { requesterRegistrationId = reg[b], targetRegistrationId = reg[x] }), HttpStatusCode.Conflict);

        // Outcomes from both sides; the lower one moves the match (达成意向 and 签约 → 商谈中) and labels it for the ranker.
        await Support.Api.AssertProblemAsync(await c.PostAsJsonAsync($"/api/events/{id}/meetings/{czId}/outcome", new { outcome = "很好" }), HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.OK, (await c.PostAsJsonAsync($"/api/events/{id}/meetings/{czId}/outcome", new { outcome = "达成意向" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await z.PostAsJsonAsync($"/api/events/{id}/meetings/{czId}/outcome", new { outcome = "签约" })).StatusCode);
        Assert.Equal(MatchState.Negotiating, await MatchStateAsync(need, achievement));
        Assert.Equal(2, TechMarket.Market.Matching.MatchTraining.Label(new Match { State = MatchState.Negotiating }));
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.PostAsJsonAsync($"/api/events/{id}/meetings/{czId}/outcome", new { outcome = "签约" })).StatusCode);

        await using (var db = NewDb())
        {
            Assert.Contains(await db.AuditLog.Where(l => l.EntityType == "EventMeeting").Select(l => l.Action).ToListAsync(), a => a.StartsWith("status:", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task TheMarketsScheduleIsTheEnginesOnTheSameInput()
    {
        // 8 enterprises × 8 institutes, 5 slots, 3 tables: more requests than places, so the selection matters.
        var (organiser, _) = await Support.Api.NewOrganiserAsync(_factory);
        var ev = await Support.Api.OpenEventAsync(organiser, Support.Api.EventDraft() with { Tables = 3, SlotCount = 5 });
        var id = ev.GetProperty("id").GetInt64();
        var rng = new Random(11);
        await using (var db = NewDb())
        {
            var orgs = new List<Organisation>();
            for (var i = 0; i < 16; i++)
            {
                orgs.Add(new Organisation { Name = $"对比测试单位{i:D2}", Kind = i < 8 ? OrganisationKind.Enterprise : OrganisationKind.Institute, CreditCode = Support.Api.NewCreditCode(), CreatedAt = DateTime.UtcNow });
            }

            db.Organisations.AddRange(orgs);
            await db.SaveChangesAsync();
            var regs = orgs.Select((o, i) => new EventRegistration { EventId = id, OrganisationId = o.Id, UserId = 1, Status = RegistrationStatus.Approved, CheckInCode = $"{100000 + i}", UnavailableSlots = i % 5 == 0 ? "2" : "", CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow, Version = 1 }).ToList();
            db.EventRegistrations.AddRange(regs);
            await db.SaveChangesAsync();
            for (var e = 0; e < 8; e++)
            {
                for (var s = 8; s < 16; s++)
                {
                    if (rng.NextDouble() < 0.55)
                    {
                        db.EventMeetings.Add(new EventMeeting { EventId = id, RequesterId = regs[e].Id, TargetId = regs[s].Id, Origin = MeetingOrigin.Request, Status = MeetingStatus.Accepted, RequesterAcceptedAt = DateTime.UtcNow, TargetAcceptedAt = DateTime.UtcNow, Score = Math.Round(1 + (rng.NextDouble() * 9), 2), CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow, Version = 1 });
                    }
                }
            }

            await db.SaveChangesAsync();
        }

        await RunScheduleAsync(organiser, id, final: false);

        await using (var db = NewDb())
        {
            var row = await db.Events.AsNoTracking().SingleAsync(e => e.Id == id);
            var regs = await db.EventRegistrations.AsNoTracking().Include(r => r.Organisation).Where(r => r.EventId == id).ToListAsync();
            var meetings = await db.EventMeetings.AsNoTracking().Where(m => m.EventId == id).ToListAsync();
            var prepared = EventScheduling.BuildInput(row, regs, meetings);
            var engine = new MeetingScheduler().Schedule(prepared.Input);
            var market = meetings.Where(m => m.Slot is not null).ToDictionary(m => m.Id, m => (m.Slot!.Value, m.Table!.Value));
            var direct = engine.Meetings.ToDictionary(m => prepared.MeetingIds[m.RequestIndex], m => (m.Slot, m.Table));
            Assert.True(market.Count >= 10, $"only {market.Count} meetings placed: the comparison would prove little");
            Assert.Equal(direct.OrderBy(kv => kv.Key), market.OrderBy(kv => kv.Key));
            Assert.All(meetings.Where(m => m.Slot is null), m => Assert.NotEmpty(m.UnplacedReason));

            // Enterprise–institute requests: the selection is exact and optimal (no gap to the bound).
            Assert.True(engine.Stats.ExactSelection);
            Assert.Equal(0, engine.Stats.Gap, 9);
            Assert.Equal(engine.Stats.UpperBound, meetings.Where(m => m.Slot is not null).Sum(m => m.Score), 6);
        }

        // With slots to spare (12), every accepted meeting is placed within Δ slots.
        await using (var db = NewDb())
        {
            var row = await db.Events.SingleAsync(e => e.Id == id);
            row.SlotCount = 12;
            row.Tables = 10;
            await db.EventRegistrations.Where(r => r.EventId == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.UnavailableSlots, ""));
            await db.SaveChangesAsync();
        }

        await RunScheduleAsync(organiser, id, final: false);
        await using (var check = NewDb())
        {
            var meetings = await check.EventMeetings.AsNoTracking().Where(m => m.EventId == id).ToListAsync();
            Assert.NotEmpty(meetings);
            Assert.All(meetings, m => Assert.NotNull(m.Slot));
            var delta = meetings.SelectMany(m => new[] { m.RequesterId, m.TargetId }).GroupBy(r => r).Max(g => g.Count());
            Assert.True(meetings.Max(m => m.Slot!.Value) < delta, $"slots used up to {meetings.Max(m => m.Slot)} with Δ = {delta}");
        }
    }

    [Fact]
    public async Task APairThatMetAtAnEarlierEventOfTheCampaignIsNotProposedAgain()
    {
        var (organiser, _) = await Support.Api.NewOrganiserAsync(_factory);
        var (admin, _) = await Support.Api.AdminAsync(_factory);
        var (c, _) = await Support.Api.NewMemberAsync(_factory);
        var (z, _) = await Support.Api.NewMemberAsync(_factory, "institute");
        await PublishAsync(c, admin, "needs", Support.Api.CompleteNeed("注塑件翘曲变形的工艺参数优化"));
        await PublishAsync(z, admin, "achievements", Support.Api.CompleteAchievement("注塑成型工艺参数智能优化与翘曲变形控制技术") with { Keywords = "注塑、翘曲、工艺参数优化", Field = "高端装备" });
        var campaign = (await (await organiser.PostAsJsonAsync("/api/campaigns", new { name = "去重测试", year = 2027 })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        async Task<(long Event, long C, long Z)> EventAsync(int days)
        {
            var ev = await Support.Api.OpenEventAsync(organiser, Support.Api.EventDraft() with { CampaignId = campaign, StartsAt = DateTime.UtcNow.Date.AddDays(days), RegistrationDeadline = DateTime.UtcNow.Date.AddDays(days - 5) });
            var id = ev.GetProperty("id").GetInt64();
            var regs = new List<long>();
            foreach (var member in new[] { c, z })
            {
                var r = (await (await member.PostAsJsonAsync($"/api/events/{id}/registrations", new { offers = "参会" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
                Assert.Equal(HttpStatusCode.OK, (await organiser.PostAsync($"/api/events/{id}/registrations/{r}/approve", null)).StatusCode);
                regs.Add(r);
            }

            return (id, regs[0], regs[1]);
        }

        var first = await EventAsync(20);
        var second = await EventAsync(40);
        Assert.Equal(1, (await (await organiser.PostAsJsonAsync($"/api/events/{first.Event}/proposals", new { })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("proposed").GetInt32());
        var proposal = (await c.GetFromJsonAsync<JsonElement>($"/api/events/{first.Event}/meetings"))[0].GetProperty("id").GetInt64();
        await z.PostAsJsonAsync($"/api/events/{first.Event}/meetings/{proposal}/answer", new { answer = "Accept" });
        await c.PostAsJsonAsync($"/api/events/{first.Event}/meetings/{proposal}/answer", new { answer = "Accept" });
        await RunScheduleAsync(organiser, first.Event, final: true);

        // They met at the first event: the second event proposes nothing for them, but either may still ask.
        var again = await (await organiser.PostAsJsonAsync($"/api/events/{second.Event}/proposals", new { })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, again.GetProperty("proposed").GetInt32());
        Assert.Equal(HttpStatusCode.Created, (await c.PostAsJsonAsync($"/api/events/{second.Event}/meetings", new { targetRegistrationId = second.Z })).StatusCode);
    }

    private static async Task<JsonElement> RunScheduleAsync(HttpClient organiser, long id, bool final)
    {
        var before = (await organiser.GetFromJsonAsync<JsonElement>($"/api/events/{id}/schedule")).GetProperty("status").GetProperty("completed").GetInt32();
        var started = await organiser.PostAsJsonAsync($"/api/events/{id}/schedule", new { final });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        for (var i = 0; i < 600; i++)
        {
            var status = await organiser.GetFromJsonAsync<JsonElement>($"/api/events/{id}/schedule?statusOnly=true");
            if (!status.GetProperty("running").GetBoolean() && status.GetProperty("completed").GetInt32() > before)
            {
                Assert.Equal("", status.GetProperty("error").GetString());
                return await organiser.GetFromJsonAsync<JsonElement>($"/api/events/{id}/schedule");
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("排程 30 秒内没有完成");
    }

    private static async Task<long> MeetingAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt64();
    }

    private static async Task<long> PublishAsync(HttpClient member, HttpClient admin, string kind, Client.ListingInput input)
    {
        var listing = await Support.Api.CreateAsync(member, kind, input);
        listing = await Support.Api.ReadListingAsync(await Support.Api.SendAsync(member, HttpMethod.Post, $"/api/{kind}/{listing.Id}/submit", listing.Version));
        listing = await Support.Api.ReadListingAsync(await Support.Api.SendAsync(admin, HttpMethod.Post, $"/api/review/{listing.Id}/publish", listing.Version));
        return listing.Id;
    }

    private async Task<Dictionary<long, (int? Slot, int? Table)>> PlacesAsync(long id)
    {
        await using var db = NewDb();
        return await db.EventMeetings.AsNoTracking().Where(m => m.EventId == id && m.Status == MeetingStatus.Accepted).ToDictionaryAsync(m => m.Id, m => (m.Slot, m.Table));
    }

    private async Task<MatchState?> MatchStateAsync(long need, long achievement)
    {
        await using var db = NewDb();
        return await db.Matches.AsNoTracking().Where(m => m.NeedId == need && m.AchievementId == achievement).Select(m => (MatchState?)m.State).SingleOrDefaultAsync();
    }

    private MarketDb NewDb() => _factory.Services.CreateScope().ServiceProvider.GetRequiredService<MarketDb>();
}

/// <summary>A minimal RFC 5545 reader: unfolds lines and collects each VEVENT's properties (values unescaped).</summary>
internal static class IcsReader
{
    public static List<Dictionary<string, string>> Events(string ics)
    {
        Assert.StartsWith("BEGIN:VCALENDAR\r\n", ics, StringComparison.Ordinal);
        var lines = ics.Replace("\r\n ", "", StringComparison.Ordinal).Replace("\r\n\t", "", StringComparison.Ordinal).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var events = new List<Dictionary<string, string>>();
        Dictionary<string, string>? current = null;
        foreach (var line in lines)
        {
            if (line == "BEGIN:VEVENT")
            {
                current = new Dictionary<string, string>(StringComparer.Ordinal);
            }
            else if (line == "END:VEVENT")
            {
                events.Add(current!);
                current = null;
            }
            else if (current is not null)
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var name = line[..colon].Split(';')[0];
                current[name] = line[(colon + 1)..].Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\,", ",", StringComparison.Ordinal).Replace("\\;", ";", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
            }
        }

        Assert.EndsWith("END:VCALENDAR", lines[^1], StringComparison.Ordinal);
        return events;
    }
}

public sealed class MeetingTestsOnSqlite() : MeetingTests(Backend.Sqlite);

[Trait("Category", "Postgres")]
public sealed class MeetingTestsOnPostgres() : MeetingTests(Backend.Postgres);
