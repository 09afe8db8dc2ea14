using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Market.Hosting;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Features;

/// <summary>
/// Rules that depend on the date, through the server and its grains: 需求时限 at submission, and expiry of a
/// published need by its reminder. The market's clock is moved; Orleans' own timers run on real time.
/// </summary>
public sealed class ListingTimeTests : IDisposable
{
    private readonly ShiftedClock _clock = new();
    private readonly MarketFactory _factory;

    public ListingTimeTests()
    {
        _factory = new MarketFactory(Backend.Sqlite) { Replace = s => s.AddKeyedSingleton<TimeProvider>(MarketClock.Key, _clock) };
    }

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task NeedWhoseValidityHasPassedCannotBeSubmitted()
    {
        _clock.SetNow(new DateTimeOffset(2027, 3, 1, 2, 0, 0, TimeSpan.Zero));
        var (member, _) = await Support.Api.NewMemberAsync(_factory);
        var draft = await Support.Api.CreateAsync(member, "needs", Support.Api.CompleteNeed() with { ValidUntil = new DateOnly(2027, 2, 28) });

        var submitted = await Support.Api.SendAsync(member, HttpMethod.Post, $"/api/needs/{draft.Id}/submit", draft.Version);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, submitted.StatusCode);
        Assert.Contains("validUntil", await submitted.Content.ReadAsStringAsync());
        await using var scope = _factory.Services.CreateAsyncScope();
        var row = await scope.ServiceProvider.GetRequiredService<MarketDb>().Needs.AsNoTracking().SingleAsync(n => n.Id == draft.Id);
        // The market's clock, which runs on from the moment set (however slowly a loaded machine got here).
        Assert.InRange(row.CreatedAt, new DateTime(2027, 3, 1, 2, 0, 0), new DateTime(2027, 3, 1, 2, 5, 0));
    }

    [Fact]
    public async Task PublishedNeedExpiresByItsReminderOnceAndIsAudited()
    {
        var lastDay = new DateOnly(2027, 5, 20);
        _clock.SetNow(new DateTimeOffset(lastDay.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero));
        var (member, _) = await Support.Api.NewMemberAsync(_factory);
        var (admin, _) = await Support.Api.AdminAsync(_factory);
        var draft = await Support.Api.CreateAsync(member, "needs", Support.Api.CompleteNeed() with { ValidUntil = lastDay });

        // Twenty seconds before midnight of the need's last valid day: the reminder is due in about twenty seconds of
        // real time (on a machine so loaded that publishing takes longer, publishing finds it due and expires it).
        _clock.SetNow(new DateTimeOffset(lastDay.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddSeconds(-20));
        var submitted = await Support.Api.ReadListingAsync(await Support.Api.SendAsync(member, HttpMethod.Post, $"/api/needs/{draft.Id}/submit", draft.Version));
        var published = await Support.Api.SendAsync(admin, HttpMethod.Post, $"/api/review/{draft.Id}/publish", submitted.Version);
        Assert.True(published.IsSuccessStatusCode);

        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        ListingStatus status;
        do
        {
            await Task.Delay(250);
            status = (await db.Needs.AsNoTracking().SingleAsync(n => n.Id == draft.Id)).Status;
        }
        while (status != ListingStatus.Expired && DateTime.UtcNow < deadline);

        Assert.Equal(ListingStatus.Expired, status);
        Assert.Single(await db.AuditLog.Where(a => a.EntityId == draft.Id && a.Action == "status:Published->Expired").ToListAsync());
        Assert.Empty(await db.Reminders.AsNoTracking().Where(r => r.Name != "balance-daily").ToListAsync());
    }
}
