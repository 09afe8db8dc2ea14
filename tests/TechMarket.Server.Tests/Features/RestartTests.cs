using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Market.Hosting;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Features;

/// <summary>The embedded default restarted on its SQLite file keeps every listing and every pending reminder.</summary>
public sealed class RestartTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("techmarket-restart-").FullName;
    private readonly ShiftedClock _clock = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a finaliser; the OS temp cleaner removes it.
        }
    }

    private MarketFactory Start() =>
        new(Backend.Sqlite, $"Data Source={Path.Combine(_dir, "market.db")};Default Timeout=30")
        {
            Replace = s => s.AddKeyedSingleton<TimeProvider>(MarketClock.Key, _clock),
        };

    [Fact]
    public async Task ARestartKeepsListingsAndPendingRemindersAndADueOneFiresOnce()
    {
        _clock.SetNow(new DateTimeOffset(2027, 5, 1, 8, 0, 0, TimeSpan.Zero));
        long id;
        using (var first = Start())
        {
            var (member, _) = await Support.Api.NewMemberAsync(first);
            var (admin, _) = await Support.Api.AdminAsync(first);
            var draft = await Support.Api.CreateAsync(member, "needs", Support.Api.CompleteNeed() with { ValidUntil = new DateOnly(2027, 5, 10) });
            var submitted = await Support.Api.ReadListingAsync(await Support.Api.SendAsync(member, HttpMethod.Post, $"/api/needs/{draft.Id}/submit", draft.Version));
            Assert.True((await Support.Api.SendAsync(admin, HttpMethod.Post, $"/api/review/{draft.Id}/publish", submitted.Version)).IsSuccessStatusCode);
            id = draft.Id;
        }

        // Same day: the listing and its reminder are still there, and nothing was scheduled twice.
        using (var second = Start())
        {
            Assert.True((await second.CreateClient().GetAsync($"/api/needs/{id}")).IsSuccessStatusCode);
            await using var scope = second.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
            var reminder = await db.Reminders.AsNoTracking().Where(r => r.Name != "balance-daily").SingleAsync();
            Assert.Equal(0, reminder.Version);
            Assert.Equal(ListingStatus.Published, (await db.Needs.AsNoTracking().SingleAsync(n => n.Id == id)).Status);
        }

        // Started again after the 需求时限 passed while it was down: the need expires once.
        _clock.SetNow(new DateTimeOffset(2027, 5, 12, 8, 0, 0, TimeSpan.Zero));
        using var third = Start();
        _ = third.Server;
        await using var check = third.Services.CreateAsyncScope();
        var market = check.ServiceProvider.GetRequiredService<MarketDb>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await market.Needs.AsNoTracking().SingleAsync(n => n.Id == id)).Status != ListingStatus.Expired && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Equal(ListingStatus.Expired, (await market.Needs.AsNoTracking().SingleAsync(n => n.Id == id)).Status);
        Assert.Single(await market.AuditLog.Where(a => a.EntityType == "Need" && a.EntityId == id && a.Action == "status:Published->Expired").ToListAsync());
        Assert.Empty(await market.Reminders.AsNoTracking().Where(r => r.Name != "balance-daily").ToListAsync());
    }
}
