using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Orleans.Core.Internal;
using TechMarket.Data.Model;
using TechMarket.Market.Contracts;

namespace TechMarket.Market.Tests;

/// <summary>
/// The challenge grain's rules: who may set up, apply, review, award and track milestones; the 抢榜 race gives
/// exactly the announced places in arrival order; the state is the tables.
/// </summary>
public abstract class ChallengeGrainTests(Backend backend) : IAsyncLifetime
{
    private MarketCluster _m = null!;
    private long _needId;
    private long _plainNeedId;
    private long _organiserId;
    private long _brokerId;
    private int _institutes;

    public async Task InitializeAsync()
    {
        _m = await MarketCluster.StartAsync(backend);
        _m.Clock.SetNow(new DateTimeOffset(2027, 3, 1, 8, 0, 0, TimeSpan.Zero));
        await using var db = _m.NewDb();
        var now = DateTime.UtcNow;
        Need NewNeed(string title, bool challenge) => new()
        {
            OrganisationId = _m.EnterpriseId,
            CreatedById = 1,
            Title = title,
            Summary = "高性能密封件寿命不足。",
            Field = "新材料",
            Status = ListingStatus.Published,
            IsChallenge = challenge,
            BountyWan = challenge ? 300 : null,
            ChallengeDeadline = challenge ? new DateOnly(2027, 3, 31) : null,
            CreatedAt = now,
            UpdatedAt = now,
            PublishedAt = now,
            Version = 3,
        };
        var need = NewNeed("高温密封材料揭榜挂帅", challenge: true);
        var plain = NewNeed("普通技术需求", challenge: false);
        db.Listings.AddRange(need, plain);
        var organiser = new AppUser { UserName = "o@test.cn", NormalizedUserName = "O@TEST.CN", Email = "o@test.cn", DisplayName = "组织方", CreatedAt = now, SecurityStamp = "s1" };
        var broker = new AppUser { UserName = "b@test.cn", NormalizedUserName = "B@TEST.CN", Email = "b@test.cn", DisplayName = "经纪人", CreatedAt = now, SecurityStamp = "s2" };
        db.Users.AddRange(organiser, broker);
        await db.SaveChangesAsync();
        var roles = await db.Roles.ToDictionaryAsync(r => r.Name!, r => r.Id);
        db.UserRoles.AddRange(
            new IdentityUserRole<long> { UserId = organiser.Id, RoleId = roles[Roles.Organiser] },
            new IdentityUserRole<long> { UserId = broker.Id, RoleId = roles[Roles.Broker] });
        await db.SaveChangesAsync();
        _needId = need.Id;
        _plainNeedId = plain.Id;
        _organiserId = organiser.Id;
        _brokerId = broker.Id;
    }

    public async Task DisposeAsync() => await _m.DisposeAsync();

    private Actor Owner => new(11, _m.EnterpriseId, isReviewer: false, isAdmin: false, isBroker: false);

    private Actor Institute => new(12, _m.InstituteId, isReviewer: false, isAdmin: false, isBroker: false);

    private Actor Organiser => new(_organiserId, null, isReviewer: true, isAdmin: false, isBroker: false);

    private Actor Broker => new(_brokerId, null, isReviewer: false, isAdmin: false, isBroker: true);

    private IChallengeGrain Grain => _m.Grains.GetGrain<IChallengeGrain>(_needId);

    /// <summary>Institutes of their own, one member each (the actor's user id is 1000 + n).</summary>
    private async Task<List<Actor>> InstitutesAsync(int count)
    {
        var first = _institutes;
        _institutes += count;
        await using var db = _m.NewDb();
        var orgs = Enumerable.Range(first, count).Select(i => new Organisation
        {
            Kind = OrganisationKind.Institute,
            Name = $"宁波第{i}研究院",
            CreditCode = $"12330200C{i:D9}",
            District = "鄞州区",
            CreatedAt = DateTime.UtcNow,
            Version = 1,
        }).ToList();
        db.Organisations.AddRange(orgs);
        await db.SaveChangesAsync();
        return [.. orgs.Select((o, i) => new Actor(1000 + first + i, o.Id, isReviewer: false, isAdmin: false, isBroker: false))];
    }

    [Fact]
    public async Task TwoHundredConcurrentClaimsOnThreePlacesGiveExactlyTheFirstThreeByArrival()
    {
        Assert.True((await Grain.SetUpAsync(Owner, null, new ChallengeSetup(ChallengeRule.FirstCome, 3, "须具备中试条件", null, []))).IsOk);
        var institutes = await InstitutesAsync(200);

        var results = await Task.WhenAll(institutes.Select(a => Grain.ApplyAsync(a, new ApplicationInput("抢榜", "", null))));

        Assert.All(results, r => Assert.True(r.IsOk, r.Message));
        var won = results.Where(r => r.Value!.Status == nameof(ApplicationStatus.PlaceWon)).Select(r => r.Value!).ToList();
        Assert.Equal(3, won.Count);
        Assert.Equal([1, 2, 3], won.Select(w => w.ArrivalSeq).Order());
        Assert.Equal(197, results.Count(r => r.Value!.Status == nameof(ApplicationStatus.PlaceMissed)));

        // The order is provable from the table: one row per institute, sequence 1…200 without gaps, arrival times
        // in sequence order, the places on the first three.
        await using var db = _m.NewDb();
        var rows = await db.ChallengeApplications.Where(a => a.NeedId == _needId).OrderBy(a => a.ArrivalSeq).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 200), rows.Select(r => r.ArrivalSeq));
        Assert.Equal(200, rows.Select(r => r.OrganisationId).Distinct().Count());
        Assert.True(rows.Zip(rows.Skip(1)).All(p => p.First.ArrivedAt <= p.Second.ArrivedAt));
        Assert.All(rows.Take(3), r => Assert.Equal(ApplicationStatus.PlaceWon, r.Status));
        Assert.All(rows.Skip(3), r => Assert.Equal(ApplicationStatus.PlaceMissed, r.Status));
        Assert.Equal(200, await db.AuditLog.CountAsync(a => a.EntityType == "ChallengeApplication" && a.Action == "create"));

        var again = await Grain.ApplyAsync(institutes[0], new ApplicationInput("再抢一次", "", null));
        Assert.Equal(OpStatus.Conflict, again.Status);
        var view = (await Grain.GetAsync(null)).Value!;
        Assert.Equal(3, view.PlacesTaken);
        Assert.Equal(200, view.ApplicationCount);
        Assert.Empty(view.Applications);
    }

    [Fact]
    public async Task OnlyTheOwnerOrAnOrganiserSetsUpAndOnlyOnAPublishedChallengeNeed()
    {
        var setup = new ChallengeSetup(ChallengeRule.Open, 1, "须有同类材料业绩", null, [_brokerId]);

        Assert.Equal(OpStatus.Forbidden, (await Grain.SetUpAsync(Institute, null, setup)).Status);
        Assert.Equal(OpStatus.Conflict, (await _m.Grains.GetGrain<IChallengeGrain>(_plainNeedId).SetUpAsync(Owner, null, setup)).Status);
        Assert.Equal(OpStatus.Invalid, (await Grain.SetUpAsync(Owner, null, setup with { Places = 0 })).Status);
        Assert.Equal(OpStatus.Invalid, (await Grain.SetUpAsync(Owner, null, setup with { ReviewerUserIds = [Institute.UserId] })).Status);
        var created = await Grain.SetUpAsync(Owner, null, setup);
        Assert.True(created.IsOk, created.Message);
        Assert.Equal(OpStatus.Conflict, (await Grain.SetUpAsync(Organiser, null, setup)).Status);
        var changed = await Grain.SetUpAsync(Organiser, created.Value!.Version, setup with { ReviewerUserIds = [_brokerId, _organiserId] });

        Assert.True(changed.IsOk, changed.Message);
        Assert.Equal([_organiserId, _brokerId], changed.Value!.ReviewerUserIds.Order());
        Assert.Equal(created.Value.Version + 1, changed.Value.Version);
    }

    [Fact]
    public async Task InstitutesApplyWhileOpenThenReviewersScoreAndAnOrganiserAwardsWithMilestones()
    {
        var created = await Grain.SetUpAsync(Owner, null, new ChallengeSetup(ChallengeRule.Open, 1, "", new DateTime(2027, 3, 2, 0, 0, 0, DateTimeKind.Utc), [_brokerId]));
        var input = new ApplicationInput("采用氟橡胶改性配方", "教授 1 名、工程师 3 名", 260);
        Assert.Equal(OpStatus.Conflict, (await Grain.ApplyAsync(Institute, input)).Status); // not open yet
        _m.Clock.SetNow(new DateTimeOffset(2027, 3, 5, 8, 0, 0, TimeSpan.Zero));
        Assert.Equal(OpStatus.Forbidden, (await Grain.ApplyAsync(Owner, input)).Status);
        Assert.Equal(OpStatus.Invalid, (await Grain.ApplyAsync(Institute, input with { Plan = " " })).Status);
        var mine = await Grain.ApplyAsync(Institute, input);
        Assert.True(mine.IsOk, mine.Message);
        Assert.Equal(nameof(ApplicationStatus.Submitted), mine.Value!.Status);
        var other = (await InstitutesAsync(1))[0];
        var theirs = (await Grain.ApplyAsync(other, input with { PriceWan = 280 })).Value!;

        // An applicant sees only its own application; the owner sees both.
        Assert.Equal([mine.Value.Id], (await Grain.GetAsync(Institute)).Value!.Applications.Select(a => a.Id));
        Assert.Equal(2, (await Grain.GetAsync(Owner)).Value!.Applications.Length);

        Assert.Equal(OpStatus.Conflict, (await Grain.ReviewAsync(Broker, mine.Value.Id, 80, null)).Status); // still open
        var closed = await Grain.CloseApplicationsAsync(Owner, created.Value!.Version);
        Assert.True(closed.IsOk, closed.Message);
        Assert.Equal(OpStatus.Conflict, (await Grain.ApplyAsync((await InstitutesAsync(1))[0], input)).Status);
        Assert.Equal(OpStatus.Forbidden, (await Grain.ReviewAsync(Organiser, mine.Value.Id, 80, null)).Status); // not assigned
        Assert.Equal(OpStatus.Invalid, (await Grain.ReviewAsync(Broker, mine.Value.Id, 101, null)).Status);
        Assert.True((await Grain.ReviewAsync(Broker, mine.Value.Id, 70, "方案可行")).IsOk);
        Assert.True((await Grain.ReviewAsync(Broker, mine.Value.Id, 88, "方案可行，团队有经验")).IsOk);
        Assert.True((await Grain.ReviewAsync(Broker, theirs.Id, 75, null)).IsOk);

        Assert.Equal(OpStatus.Forbidden, (await Grain.AwardAsync(Owner, closed.Value!.Version, mine.Value.Id)).Status);
        Assert.Equal(OpStatus.Conflict, (await Grain.AddMilestoneAsync(Owner, "中试验证", new DateOnly(2027, 6, 30))).Status);
        var awarded = await Grain.AwardAsync(Organiser, closed.Value.Version, mine.Value.Id);
        Assert.True(awarded.IsOk, awarded.Message);
        Assert.Equal("宁波测试材料研究所", awarded.Value!.AwardedOrganisationName);
        Assert.Equal(88, awarded.Value.Applications.Single(a => a.Id == mine.Value.Id).AverageScore);
        Assert.Equal(nameof(ApplicationStatus.NotAwarded), awarded.Value.Applications.Single(a => a.Id == theirs.Id).Status);

        Assert.Equal(OpStatus.Forbidden, (await Grain.AddMilestoneAsync(Institute, "中试验证", new DateOnly(2027, 6, 30))).Status);
        var milestone = await Grain.AddMilestoneAsync(Owner, "中试验证", new DateOnly(2027, 6, 30));
        Assert.True(milestone.IsOk, milestone.Message);
        Assert.True((await Grain.CompleteMilestoneAsync(Organiser, milestone.Value!.Id)).IsOk);
        Assert.Equal(OpStatus.Conflict, (await Grain.CompleteMilestoneAsync(Owner, milestone.Value.Id)).Status);

        // The rows are the state: a new activation reads the same challenge.
        await Grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await Task.Delay(200);
        var reread = (await Grain.GetAsync(null)).Value!;
        Assert.Equal(nameof(ChallengeStatus.Awarded), reread.Status);
        Assert.NotNull(Assert.Single(reread.Milestones).DoneAt);
        await using var db = _m.NewDb();
        Assert.Contains(await db.AuditLog.Where(a => a.EntityType == "Challenge").Select(a => a.Action).ToListAsync(), a => a == "status:Reviewing->Awarded");
    }

    [Fact]
    public async Task NoApplicationsAfterTheNeedsDeadline()
    {
        Assert.True((await Grain.SetUpAsync(Owner, null, new ChallengeSetup(ChallengeRule.FirstCome, 2, "", null, []))).IsOk);
        _m.Clock.SetNow(new DateTimeOffset(2027, 4, 1, 8, 0, 0, TimeSpan.Zero));

        var late = await Grain.ApplyAsync(Institute, new ApplicationInput("", "", null));

        Assert.Equal(OpStatus.Conflict, late.Status);
        Assert.Contains("截止", late.Message, StringComparison.Ordinal);
    }
}

public sealed class ChallengeGrainTestsOnSqlite() : ChallengeGrainTests(Backend.Sqlite);

[Trait("Category", "Postgres")]
public sealed class ChallengeGrainTestsOnPostgres() : ChallengeGrainTests(Backend.Postgres);
