using Microsoft.EntityFrameworkCore;
using Orleans.Core.Internal;
using TechMarket.Data.Model;
using TechMarket.Market.Contracts;

namespace TechMarket.Market.Tests;

/// <summary>The match grain's rules: who may, double opt-in with contacts, decline labels, reload from the table.</summary>
public sealed class MatchGrainTests : IAsyncLifetime
{
    private MarketCluster _m = null!;
    private long _needId;
    private long _achievementId;

    public async Task InitializeAsync()
    {
        _m = await MarketCluster.StartAsync();
        await using var db = _m.NewDb();
        var now = DateTime.UtcNow;
        var need = new Need { OrganisationId = _m.EnterpriseId, CreatedById = 1, Title = "注塑件翘曲变形控制", Summary = "薄壁件翘曲。", Field = "高端装备", Status = ListingStatus.Published, ContactName = "张工", ContactPhone = "13800000001", CreatedAt = now, UpdatedAt = now, PublishedAt = now, Version = 3 };
        var achievement = new Achievement { OrganisationId = _m.InstituteId, CreatedById = 2, Title = "模流分析与翘曲补偿技术", Summary = "基于模流分析的翘曲补偿。", Field = "高端装备", Status = ListingStatus.Published, Maturity = Maturity.PilotScale, ContactName = "李老师", ContactPhone = "0574-86600000", CreatedAt = now, UpdatedAt = now, PublishedAt = now, Version = 3 };
        db.Listings.AddRange(need, achievement);
        db.Users.AddRange(
            new AppUser { UserName = "e@test.cn", NormalizedUserName = "E@TEST.CN", Email = "e@test.cn", DisplayName = "企业成员", OrganisationId = _m.EnterpriseId, CreatedAt = now, SecurityStamp = "s1" },
            new AppUser { UserName = "i@test.cn", NormalizedUserName = "I@TEST.CN", Email = "i@test.cn", DisplayName = "院所成员", OrganisationId = _m.InstituteId, CreatedAt = now, SecurityStamp = "s2" });
        await db.SaveChangesAsync();
        _needId = need.Id;
        _achievementId = achievement.Id;
    }

    public async Task DisposeAsync() => await _m.DisposeAsync();

    private Actor Enterprise => new(11, _m.EnterpriseId, isReviewer: false, isAdmin: false, isBroker: false);

    private Actor Institute => new(12, _m.InstituteId, isReviewer: false, isAdmin: false, isBroker: false);

    private IMatchGrain Grain => _m.Grains.GetGrain<IMatchGrain>(MatchKey.Of(_needId, _achievementId));

    [Fact]
    public async Task BothSidesInterestedSeeEachOthersContactsAndBothAreTold()
    {
        var stranger = new Actor(13, null, isReviewer: false, isAdmin: false, isBroker: false);
        Assert.Equal(OpStatus.Forbidden, (await Grain.ExpressInterestAsync(stranger, null, null)).Status);
        Assert.Equal(OpStatus.Invalid, (await Grain.ExpressInterestAsync(Enterprise, new string('长', 501), null)).Status);

        var first = await Grain.ExpressInterestAsync(Enterprise, "想了解中试条件", new MatchProposal(0.83, ["共同技术要点：「翘曲」"]));
        Assert.True(first.IsOk, first.Message);
        Assert.Equal(nameof(MatchState.NeedInterested), first.Value!.State);
        Assert.Null(first.Value.Contacts);
        Assert.Equal("model", first.Value.ProposedBy);
        Assert.Equal(OpStatus.Conflict, (await Grain.ExpressInterestAsync(Enterprise, null, null)).Status);

        // The row is the state: a new activation reads it back.
        await Grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await Task.Delay(200);
        var second = await Grain.ExpressInterestAsync(Institute, "欢迎来所交流", null);
        Assert.True(second.IsOk, second.Message);
        Assert.Equal(nameof(MatchState.BothInterested), second.Value!.State);
        Assert.Equal("13800000001", second.Value.Contacts!.NeedContactPhone);
        Assert.Equal("0574-86600000", (await Grain.GetAsync(Enterprise)).Value!.Contacts!.AchievementContactPhone);
        var broker = new Actor(14, null, isReviewer: false, isAdmin: false, isBroker: true);
        Assert.Null((await Grain.GetAsync(broker)).Value!.Contacts);
        Assert.Equal(OpStatus.NotFound, (await Grain.GetAsync(stranger)).Status);

        await using var db = _m.NewDb();
        var kinds = await db.Notifications.OrderBy(n => n.Id).Select(n => new { n.UserId, n.Kind }).ToListAsync();
        Assert.Equal(3, kinds.Count); // interest to the institute's member, then "mutual" to each side's member
        Assert.Equal("interest", kinds[0].Kind);
        Assert.Equal(2, kinds.Count(k => k.Kind == "mutual"));
        Assert.Equal(2, await db.AuditLog.CountAsync(a => a.EntityType == "Match"));
    }

    [Fact]
    public async Task ADeclineNeedsAReasonAndIsKeptAsALabel()
    {
        Assert.Equal(OpStatus.Invalid, (await Grain.DeclineAsync(Institute, DeclineReason.None, null)).Status);
        Assert.Equal(OpStatus.Invalid, (await Grain.DeclineAsync(Institute, DeclineReason.Other, " ")).Status);
        Assert.True((await Grain.ExpressInterestAsync(Enterprise, null, null)).IsOk);

        var declined = await Grain.DeclineAsync(Institute, DeclineReason.WrongStage, "目前仅有实验室样品");
        Assert.True(declined.IsOk, declined.Message);
        Assert.Equal("阶段不符", declined.Value!.DeclineReasonLabel);
        Assert.Equal(OpStatus.Conflict, (await Grain.ExpressInterestAsync(Institute, null, null)).Status);

        await using var db = _m.NewDb();
        var row = await db.Matches.SingleAsync();
        Assert.Equal(MatchState.Declined, row.State);
        Assert.Equal(DeclineReason.WrongStage, row.DeclineReason);
        Assert.Equal(_m.InstituteId, row.DeclinedByOrganisationId);
        Assert.Equal(1, await db.Notifications.CountAsync(n => n.Kind == "declined"));
    }

    [Fact]
    public async Task NoInterestOnceAListingIsWithdrawn()
    {
        await using (var db = _m.NewDb())
        {
            await db.Listings.Where(l => l.Id == _achievementId).ExecuteUpdateAsync(s => s.SetProperty(l => l.Status, ListingStatus.Withdrawn));
        }

        Assert.Equal(OpStatus.Conflict, (await Grain.ExpressInterestAsync(Enterprise, null, null)).Status);
        Assert.Equal(OpStatus.NotFound, (await _m.Grains.GetGrain<IMatchGrain>(MatchKey.Of(_needId, 999_999)).ExpressInterestAsync(Enterprise, null, null)).Status);
    }
}
