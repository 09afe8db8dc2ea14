using Microsoft.EntityFrameworkCore;
using TechMarket.Data.Model;
using TechMarket.Market.Contracts;

namespace TechMarket.Market.Tests;

/// <summary>
/// The campaign grain on a two-silo test cluster: the plan is the exact optimum of the affinities within capacity,
/// dates (one event a day) and each organisation's maximum; confirming registers each line through its event's
/// grain (possibly on the other silo), which refuses what has filled up since.
/// </summary>
public abstract class CampaignGrainTests(Backend backend) : IAsyncLifetime
{
    private static readonly DateTime Day1 = new(2027, 3, 20, 1, 0, 0, DateTimeKind.Utc);

    private MarketCluster _m = null!;
    private long _campaign;
    private long _event1;
    private long _event2;
    private long _closed;
    private long _thirdOrg;
    private long _fourthOrg;

    public async Task InitializeAsync()
    {
        _m = await MarketCluster.StartAsync(backend, silos: 2);
        _m.Clock.SetNow(new DateTimeOffset(2027, 3, 1, 8, 0, 0, TimeSpan.Zero));
        await using var db = _m.NewDb();
        var now = DateTime.UtcNow;
        var campaign = new Campaign { Name = "2027年百日百场", Year = 2027, CreatedAt = now, UpdatedAt = now, Version = 1 };
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync();
        MarketEvent Event(string title, DateTime startsAt, int capacity, EventStatus status = EventStatus.Open) => new()
        {
            CampaignId = campaign.Id,
            Format = EventFormat.Bilateral,
            Status = status,
            Title = title,
            Fields = "新材料",
            StartsAt = startsAt,
            Venue = "宁波新材料国际创新中心",
            District = "镇海区",
            Capacity = capacity,
            Tables = 4,
            SlotMinutes = 20,
            SlotCount = 6,
            RegistrationDeadline = startsAt.AddDays(-5),
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };
        var e1 = Event("磁性材料专场对接会", Day1, 1);
        var e2 = Event("新材料成果专场对接会", Day1.AddDays(1), 2);
        var closed = Event("已截止的对接会", Day1.AddDays(2), 5, EventStatus.Closed);
        db.Events.AddRange(e1, e2, closed);
        var third = new Organisation { Kind = OrganisationKind.Enterprise, Name = "宁波测试磁钢有限公司", CreditCode = "91330200MA2CCCCC3X", District = "镇海区", CreatedAt = now, Version = 1 };
        var fourth = new Organisation { Kind = OrganisationKind.Enterprise, Name = "宁波测试电机有限公司", CreditCode = "91330200MA2DDDDD4X", District = "鄞州区", CreatedAt = now, Version = 1 };
        db.Organisations.AddRange(third, fourth);
        await db.SaveChangesAsync();
        (_campaign, _event1, _event2, _closed, _thirdOrg, _fourthOrg) = (campaign.Id, e1.Id, e2.Id, closed.Id, third.Id, fourth.Id);
    }

    public async Task DisposeAsync() => await _m.DisposeAsync();

    private static Actor Organiser => new(1, null, isReviewer: true, isAdmin: false, isBroker: false);

    private Actor X => new(11, _m.EnterpriseId, isReviewer: false, isAdmin: false, isBroker: false);

    private Actor Y => new(12, _m.InstituteId, isReviewer: false, isAdmin: false, isBroker: false);

    private Actor Z => new(13, _thirdOrg, isReviewer: false, isAdmin: false, isBroker: false);

    private ICampaignGrain Grain => _m.Grains.GetGrain<ICampaignGrain>(_campaign);

    [Fact]
    public async Task ThePlanIsTheOptimumAndConfirmingRegistersThroughTheEventsGrains()
    {
        var x = await Grain.DeclareInterestAsync(X, new CampaignInterestDraft { Fields = ["新材料"], MaxEvents = 2, Offers = "钕铁硼磁钢需求" });
        var y = await Grain.DeclareInterestAsync(Y, new CampaignInterestDraft { MaxEvents = 1 });
        var z = await Grain.DeclareInterestAsync(Z, new CampaignInterestDraft { MaxEvents = 1, AvailableDates = [DateOnly.FromDateTime(Day1.AddHours(8))] });
        Assert.True(x.IsOk && y.IsOk && z.IsOk);
        Assert.Equal(OpStatus.Invalid, (await Grain.DeclareInterestAsync(X, new CampaignInterestDraft { MaxEvents = 11 })).Status);
        Assert.Equal(OpStatus.Forbidden, (await Grain.DeclareInterestAsync(Organiser, new CampaignInterestDraft { MaxEvents = 1 })).Status);

        // X fits both events, Y both, Z only the first day's. The first event has one place. The best total is
        // X at both (50 + 40) with Y at the second (10) = 100, not Y at the first (45 + X's 40 = 85).
        CampaignAffinity A(CampaignInterestView i, long e, double s) => new() { InterestId = i.Id, EventId = e, Score = s, Reason = "领域契合：新材料" };
        CampaignAffinity[] affinities =
        [
            A(x.Value!, _event1, 50), A(x.Value!, _event2, 40), A(y.Value!, _event1, 45), A(y.Value!, _event2, 10),
            A(z.Value!, _event1, 30), A(z.Value!, _event2, 60), A(x.Value!, _closed, 99), A(y.Value!, 987654, 99),
        ];
        Assert.Equal(OpStatus.Forbidden, (await Grain.PlanAsync(X, affinities)).Status);
        var plan = await Grain.PlanAsync(Organiser, affinities);
        Assert.True(plan.IsOk, plan.Message);
        Assert.Equal(100, plan.Value!.TotalScore, 6);
        Assert.Equal(3, plan.Value.Assigned);
        Assert.Equal(1, plan.Value.Unassigned);
        await using (var db = _m.NewDb())
        {
            var lines = await db.CampaignAssignments.AsNoTracking().Where(a => a.CampaignId == _campaign).Select(a => new { a.InterestId, a.EventId, a.Status }).ToListAsync();
            Assert.Equal(
                new[] { (x.Value!.Id, _event1), (x.Value.Id, _event2), (y.Value!.Id, _event2) }.Order(),
                lines.Select(l => (l.InterestId, l.EventId)).Order());
            Assert.All(lines, l => Assert.Equal(AssignmentStatus.Planned, l.Status));
        }

        // Planning again replaces the planned lines, never adds to them.
        Assert.True((await Grain.PlanAsync(Organiser, affinities)).IsOk);
        await using (var db = _m.NewDb())
        {
            Assert.Equal(3, await db.CampaignAssignments.CountAsync(a => a.CampaignId == _campaign));
        }

        // Meanwhile another organisation takes the first event's only place: confirming registers the other two
        // lines and drops that one with the event's reason.
        var other = await _m.Grains.GetGrain<IEventGrain>(_event1).RegisterAsync(new Actor(14, _fourthOrg, false, false, false), new RegistrationDraft { Offers = "电机磁钢" });
        Assert.True(other.IsOk, other.Message);
        Assert.True((await _m.Grains.GetGrain<IEventGrain>(_event1).DecideAsync(Organiser, other.Value!.Id, true, null)).IsOk);
        var confirmed = await Grain.ConfirmPlanAsync(Organiser);
        Assert.True(confirmed.IsOk, confirmed.Message);
        Assert.Equal(2, confirmed.Value!.Assigned);
        Assert.Equal(1, confirmed.Value.Unassigned);
        await using (var db = _m.NewDb())
        {
            var regs = await db.EventRegistrations.AsNoTracking().Where(r => r.EventId == _event1 || r.EventId == _event2).ToListAsync();
            Assert.Equal(new[] { (_fourthOrg, _event1), (_m.EnterpriseId, _event2), (_m.InstituteId, _event2) }.Order(), regs.Select(r => (r.OrganisationId, r.EventId)).Order());
            Assert.All(regs, r => Assert.Equal(RegistrationStatus.Approved, r.Status));
            Assert.Equal("钕铁硼磁钢需求", regs.Single(r => r.OrganisationId == _m.EnterpriseId).Offers);
            var dropped = await db.CampaignAssignments.AsNoTracking().SingleAsync(a => a.CampaignId == _campaign && a.Status == AssignmentStatus.Dropped);
            Assert.Equal((x.Value!.Id, _event1), (dropped.InterestId, dropped.EventId));
            Assert.Contains("名额已满", dropped.Note, StringComparison.Ordinal);
        }

        Assert.Equal(OpStatus.Conflict, (await Grain.ConfirmPlanAsync(Organiser)).Status);
    }
}

public sealed class CampaignGrainTestsOnSqlite() : CampaignGrainTests(Backend.Sqlite);

[Trait("Category", "Postgres")]
public sealed class CampaignGrainTestsOnPostgres() : CampaignGrainTests(Backend.Postgres);
