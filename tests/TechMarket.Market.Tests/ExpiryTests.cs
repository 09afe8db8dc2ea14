using Microsoft.EntityFrameworkCore;
using TechMarket.Data.Model;
using TechMarket.Market.Contracts;

namespace TechMarket.Market.Tests;

/// <summary>A published need's 需求时限 as a durable reminder in the market's own table.</summary>
public sealed class ExpiryTests : IAsyncLifetime
{
    private MarketCluster _m = null!;

    public async Task InitializeAsync() => _m = await MarketCluster.StartAsync();

    public async Task DisposeAsync() => await _m.DisposeAsync();

    private async Task<ListingView> PublishedNeedAsync(DateOnly validUntil)
    {
        var owner = new Actor(201, _m.EnterpriseId, isReviewer: false, isAdmin: false, isBroker: false);
        var reviewer = new Actor(202, null, isReviewer: true, isAdmin: true, isBroker: false);
        var draft = (await _m.Grains.GetGrain<IOrganisationGrain>(_m.EnterpriseId).CreateListingAsync(owner, ListingType.Need, ListingGrainTests.CompleteNeed() with { ValidUntil = validUntil })).Value!;
        var grain = _m.Grains.GetGrain<IListingGrain>(draft.Id);
        var submitted = (await grain.SubmitAsync(owner, ListingType.Need, draft.Version)).Value!;
        return (await grain.ReviewAsync(reviewer, submitted.Version, publish: true, null)).Value!;
    }

    [Fact]
    public async Task PublishingANeedWithAValidityRegistersOneReminderAndWithdrawingRemovesIt()
    {
        _m.Clock.SetNow(new DateTimeOffset(2027, 4, 1, 8, 0, 0, TimeSpan.Zero));
        var need = await PublishedNeedAsync(new DateOnly(2027, 6, 30));

        await using var db = _m.NewDb();
        var reminder = await db.Reminders.AsNoTracking().Where(r => r.Name != "balance-daily").SingleAsync();
        Assert.Equal("expiry", reminder.Name);
        Assert.EndsWith("/" + need.Id, reminder.GrainId);

        // Due at the first moment of the day after the last valid day, counted from the market's clock.
        var due = reminder.StartAt - DateTime.UtcNow;
        var expected = new DateTime(2027, 7, 1) - new DateTime(2027, 4, 1, 8, 0, 0);
        Assert.InRange(due, expected - TimeSpan.FromMinutes(1), expected + TimeSpan.FromMinutes(1));

        var owner = new Actor(201, _m.EnterpriseId, isReviewer: false, isAdmin: false, isBroker: false);
        Assert.True((await _m.Grains.GetGrain<IListingGrain>(need.Id).WithdrawAsync(owner, ListingType.Need, need.Version)).IsOk);
        Assert.Empty(await db.Reminders.AsNoTracking().Where(r => r.Name != "balance-daily").ToListAsync());
    }

    [Fact]
    public async Task ANeedFoundPastItsValidityAtCatchUpExpiresOnce()
    {
        _m.Clock.SetNow(new DateTimeOffset(2027, 4, 1, 8, 0, 0, TimeSpan.Zero));
        var need = await PublishedNeedAsync(new DateOnly(2027, 4, 10));
        _m.Clock.SetNow(new DateTimeOffset(2027, 4, 12, 8, 0, 0, TimeSpan.Zero));
        var grain = _m.Grains.GetGrain<IListingGrain>(need.Id);

        await grain.EnsureScheduledAsync();
        await grain.EnsureScheduledAsync();

        await using var db = _m.NewDb();
        Assert.Equal(ListingStatus.Expired, (await db.Needs.AsNoTracking().SingleAsync(n => n.Id == need.Id)).Status);
        Assert.Single(await db.AuditLog.Where(a => a.EntityId == need.Id && a.Action == "status:Published->Expired").ToListAsync());
        Assert.Empty(await db.Reminders.AsNoTracking().Where(r => r.Name != "balance-daily").ToListAsync());
    }
}
