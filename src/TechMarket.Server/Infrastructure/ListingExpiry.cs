using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Model;

namespace TechMarket.Server.Infrastructure;

/// <summary>
/// Marks published needs whose 需求时限 has passed as expired, at start and then hourly. Idempotent, so several
/// server nodes may run it without a lease: a listing already expired is not touched again.
/// </summary>
internal sealed class ListingExpiry(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ListingExpiry> log) : BackgroundService
{
    public static async Task<int> ExpireAsync(MarketDb db, DateOnly today, CancellationToken ct)
    {
        var due = await db.Needs.Where(n => n.Status == ListingStatus.Published && n.ValidUntil != null && n.ValidUntil < today).ToListAsync(ct);
        foreach (var need in due)
        {
            need.Status = ListingStatus.Expired;
        }

        if (due.Count > 0)
        {
            await db.SaveChangesAsync(ct);
        }

        return due.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
                var n = await ExpireAsync(db, DateOnly.FromDateTime(clock.GetLocalNow().DateTime), stoppingToken);
                if (n > 0)
                {
                    log.LogInformation("Expired {Count} needs past their validity", n);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "Expiry pass failed; will retry in an hour");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
