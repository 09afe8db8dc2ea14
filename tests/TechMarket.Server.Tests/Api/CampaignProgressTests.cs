using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Api;

/// <summary>
/// A campaign's progress counted from what its events' meetings record: placed accepted meetings at held events
/// (not at an open one, not a no-show's, not one a side called 未进行), agreements and deals from the lower recorded
/// outcome; every figure opens its records, and the page links them.
/// </summary>
public abstract class CampaignProgressTests(Backend backend) : IDisposable
{
    private readonly MarketFactory _factory = new(backend);

    public void Dispose()
    {
        _factory.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task TheFiguresCountTheHeldEventsMeetingsAndOpenTheirRecords()
    {
        var anonymous = _factory.CreateClient();
        var now = DateTime.UtcNow;
        long campaignId;
        var expectedMeetings = new List<long>();
        var expectedAgreements = new List<long>();
        var expectedDeals = new List<long>();
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
            Organisation Org(OrganisationKind kind, string name) => new() { Kind = kind, Name = name, CreditCode = Support.Api.NewCreditCode(), District = "镇海区", Fields = "新材料", CreatedAt = now, Version = 1 };
            var e1 = Org(OrganisationKind.Enterprise, "甬江模具有限公司");
            var e2 = Org(OrganisationKind.Enterprise, "镇海新材料科技有限公司");
            var e3 = Org(OrganisationKind.Enterprise, "北仑注塑机械有限公司");
            var i1 = Org(OrganisationKind.Institute, "宁波材料研究院");
            var i2 = Org(OrganisationKind.Institute, "甬城理工大学");
            db.Organisations.AddRange(e1, e2, e3, i1, i2);
            var campaign = new Campaign { Name = "2027年百日百场", Year = 2027, TargetEvents = 100, TargetParticipants = 2000, TargetMeetings = 3000, TargetAgreements = 300, TargetDeals = 80, TargetAmountWan = 50000, CreatedAt = now, UpdatedAt = now, Version = 1 };
            var other = new Campaign { Name = "另一计划", Year = 2027, CreatedAt = now, UpdatedAt = now, Version = 1 };
            db.Campaigns.AddRange(campaign, other);
            await db.SaveChangesAsync();
            campaignId = campaign.Id;

            MarketEvent Event(Campaign c, EventStatus status, DateTime startsAt, string title) => new()
            {
                CampaignId = c.Id,
                Format = EventFormat.Bilateral,
                Status = status,
                Title = title,
                Fields = "新材料",
                StartsAt = startsAt,
                Venue = "宁波新材料国际创新中心",
                District = "镇海区",
                Capacity = 20,
                Tables = 4,
                SlotMinutes = 20,
                SlotCount = 4,
                RegistrationDeadline = startsAt.AddDays(-3),
                ScheduleKind = ScheduleKind.Final,
                CreatedAt = now,
                UpdatedAt = now,
                Version = 1,
            };
            var held = Event(campaign, EventStatus.Held, now.AddDays(-2), "新材料专场对接会");
            var open = Event(campaign, EventStatus.Open, now.AddDays(10), "磁性材料专场对接会");
            var elsewhere = Event(other, EventStatus.Held, now.AddDays(-5), "另一计划的对接会");
            db.Events.AddRange(held, open, elsewhere);
            await db.SaveChangesAsync();

            var code = 100000;
            EventRegistration Reg(MarketEvent e, Organisation o, bool noShow = false) => new()
            {
                EventId = e.Id,
                OrganisationId = o.Id,
                UserId = 1,
                Status = RegistrationStatus.Approved,
                CheckInCode = (code++).ToString(System.Globalization.CultureInfo.InvariantCulture),
                CheckedInAt = noShow ? null : e.StartsAt.AddMinutes(-10),
                NoShow = noShow,
                CreatedAt = now,
                UpdatedAt = now,
                Version = 1,
            };
            var (re1, re2, re3, ri1, ri2) = (Reg(held, e1), Reg(held, e2), Reg(held, e3, noShow: true), Reg(held, i1), Reg(held, i2));
            var (oe1, oi1) = (Reg(open, e1), Reg(open, i1));
            var (xe1, xi1) = (Reg(elsewhere, e1), Reg(elsewhere, i1));
            db.EventRegistrations.AddRange(re1, re2, re3, ri1, ri2, oe1, oi1, xe1, xi1);
            await db.SaveChangesAsync();

            EventMeeting Meeting(MarketEvent e, EventRegistration a, EventRegistration b, int? slot, int? table, MeetingOutcome ra, MeetingOutcome tb, MeetingStatus status = MeetingStatus.Accepted) => new()
            {
                EventId = e.Id,
                RequesterId = a.Id,
                TargetId = b.Id,
                Origin = MeetingOrigin.Request,
                Status = status,
                RequestedByUserId = 1,
                Message = "机密留言：报价请勿外传",
                Score = 3,
                Slot = slot,
                Table = table,
                RequesterOutcome = ra,
                TargetOutcome = tb,
                CreatedAt = now,
                UpdatedAt = now,
                Version = 1,
            };
            var deal = Meeting(held, re1, ri1, 0, 0, MeetingOutcome.Contracted, MeetingOutcome.Contracted);
            var intention = Meeting(held, re1, ri2, 1, 0, MeetingOutcome.Intention, MeetingOutcome.Contracted);
            var possible = Meeting(held, re2, ri1, 1, 1, MeetingOutcome.Possible, MeetingOutcome.None);
            var silent = Meeting(held, re2, ri2, 2, 0, MeetingOutcome.None, MeetingOutcome.None);
            var oneSidedDeal = Meeting(held, ri2, re2, 3, 1, MeetingOutcome.None, MeetingOutcome.Contracted);
            var notHeld = Meeting(held, re2, ri1, 3, 0, MeetingOutcome.NotHeld, MeetingOutcome.Contracted);
            var noShow = Meeting(held, re3, ri2, 0, 1, MeetingOutcome.Contracted, MeetingOutcome.Contracted);
            var declined = Meeting(held, re1, ri2, null, null, MeetingOutcome.None, MeetingOutcome.None, MeetingStatus.Declined);
            var unplaced = Meeting(held, re1, ri1, null, null, MeetingOutcome.Contracted, MeetingOutcome.Contracted);
            var notYet = Meeting(open, oe1, oi1, 0, 0, MeetingOutcome.Contracted, MeetingOutcome.Contracted);
            var otherCampaign = Meeting(elsewhere, xe1, xi1, 0, 0, MeetingOutcome.Contracted, MeetingOutcome.Contracted);
            db.EventMeetings.AddRange(deal, intention, possible, silent, oneSidedDeal, notHeld, noShow, declined, unplaced, notYet, otherCampaign);
            await db.SaveChangesAsync();
            expectedMeetings.AddRange([deal.Id, intention.Id, possible.Id, silent.Id, oneSidedDeal.Id]);
            expectedAgreements.AddRange([deal.Id, intention.Id, oneSidedDeal.Id]);
            expectedDeals.AddRange([deal.Id, oneSidedDeal.Id]);
        }

        // The figures: two events (held and open), five organisations, five meetings, three agreements, two deals; no contract is registered, so the amount is 0.
        var progress = await anonymous.GetFromJsonAsync<JsonElement>($"/api/campaigns/{campaignId}");
        var reached = progress.GetProperty("reached");
        Assert.Equal(2, reached.GetProperty("events").GetInt32());
        Assert.Equal(5, reached.GetProperty("participants").GetInt32());
        Assert.Equal(5, reached.GetProperty("meetings").GetInt32());
        Assert.Equal(3, reached.GetProperty("agreements").GetInt32());
        Assert.Equal(2, reached.GetProperty("deals").GetInt32());
        Assert.Equal(0m, reached.GetProperty("amountWan").GetDecimal());
        var listed = (await anonymous.GetFromJsonAsync<JsonElement>("/api/campaigns")).EnumerateArray().Single(c => c.GetProperty("id").GetInt64() == campaignId);
        Assert.Equal(5, listed.GetProperty("reached").GetProperty("meetings").GetInt32());

        // Every figure opens the records behind it, and their number is the figure.
        foreach (var (figure, expected) in new[] { ("events", 2), ("participants", 5), ("meetings", 5), ("agreements", 3), ("deals", 2) })
        {
            var records = await anonymous.GetFromJsonAsync<JsonElement>($"/api/campaigns/{campaignId}/records?figure={figure}");
            Assert.Equal(figure, records.GetProperty("figure").GetString());
            Assert.Equal(expected, records.GetProperty("count").GetInt32());
            Assert.Equal(expected, reached.GetProperty(figure).GetInt32());
            var rows = records.GetProperty(figure is "agreements" or "deals" ? "meetings" : figure).GetArrayLength();
            Assert.Equal(expected, rows);
        }

        static List<long> Ids(JsonElement records) => [.. records.GetProperty("meetings").EnumerateArray().Select(m => m.GetProperty("id").GetInt64()).Order()];
        Assert.Equal(expectedMeetings.Order(), Ids(await anonymous.GetFromJsonAsync<JsonElement>($"/api/campaigns/{campaignId}/records?figure=meetings")));
        var agreements = await anonymous.GetFromJsonAsync<JsonElement>($"/api/campaigns/{campaignId}/records?figure=agreements");
        Assert.Equal(expectedAgreements.Order(), Ids(agreements));
        Assert.Equal(expectedDeals.Order(), Ids(await anonymous.GetFromJsonAsync<JsonElement>($"/api/campaigns/{campaignId}/records?figure=deals")));

        // A meeting's record: the organisations' names and the outcomes (the lower side counts), never the messages.
        var intentionRow = agreements.GetProperty("meetings").EnumerateArray().Single(m => m.GetProperty("requesterOutcomeLabel").GetString() == "达成意向");
        Assert.Equal("达成意向", intentionRow.GetProperty("outcomeLabel").GetString());
        Assert.Equal("甬江模具有限公司", intentionRow.GetProperty("requesterName").GetString());
        Assert.Equal("甬城理工大学", intentionRow.GetProperty("targetName").GetString());
        Assert.Equal("新材料专场对接会", intentionRow.GetProperty("eventTitle").GetString());
        var raw = await anonymous.GetStringAsync($"/api/campaigns/{campaignId}/records?figure=meetings");
        Assert.DoesNotContain("机密留言", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("\"message\"", raw, StringComparison.Ordinal);

        var participants = await anonymous.GetFromJsonAsync<JsonElement>($"/api/campaigns/{campaignId}/records?figure=participants");
        var yongjiang = participants.GetProperty("participants").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "甬江模具有限公司");
        Assert.Equal(["新材料专场对接会", "磁性材料专场对接会"], yongjiang.GetProperty("events").EnumerateArray().Select(e => e.GetString()!).ToArray());

        // An unknown figure is refused; an unknown campaign is not found.
        await Support.Api.AssertProblemAsync(await anonymous.GetAsync($"/api/campaigns/{campaignId}/records?figure=amount"), HttpStatusCode.BadRequest);
        await Support.Api.AssertProblemAsync(await anonymous.GetAsync($"/api/campaigns/{campaignId}/records"), HttpStatusCode.BadRequest);
        await Support.Api.AssertProblemAsync(await anonymous.GetAsync("/api/campaigns/987654/records?figure=meetings"), HttpStatusCode.NotFound);

        // The page's figures are links to the records' page, which lists them.
        var page = WebUtility.HtmlDecode(await anonymous.GetStringAsync("/events"));
        foreach (var figure in new[] { "events", "participants", "meetings", "agreements", "deals" })
        {
            Assert.Contains($"href=\"/campaigns/{campaignId}/records/{figure}\"", page, StringComparison.Ordinal);
        }

        Assert.Contains("技术交易额（已登记）：<span data-testid=\"figure-amount\">0</span>", page, StringComparison.Ordinal);
        var dealsPage = WebUtility.HtmlDecode(await anonymous.GetStringAsync($"/campaigns/{campaignId}/records/deals"));
        Assert.Contains("甬江模具有限公司", dealsPage, StringComparison.Ordinal);
        Assert.Contains("签约", dealsPage, StringComparison.Ordinal);
        Assert.DoesNotContain("机密留言", dealsPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/campaigns/{campaignId}/records/amount")).StatusCode);
    }
}

public sealed class CampaignProgressTestsOnSqlite() : CampaignProgressTests(Backend.Sqlite);

[Trait("Category", "Postgres")]
public sealed class CampaignProgressTestsOnPostgres() : CampaignProgressTests(Backend.Postgres);
