using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Market.Contracts;
using TechMarket.Market.Grains;

namespace TechMarket.Market.Hosting;

/// <summary>
/// Once the node has started: published needs that have a 需求时限 but no expiry reminder (rows written without
/// the grains — the demo seed, an import, a database from before reminders) get one, and needs already past due are
/// expired now rather than at the next daily tick. Idempotent on every node; each grain decides once.
/// </summary>
internal sealed class ScheduleCatchUp(IServiceScopeFactory scopes, IGrainFactory grains, IHostApplicationLifetime lifetime, [FromKeyedServices(MarketClock.Key)] TimeProvider clock, ILogger<ScheduleCatchUp> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        try
        {
            var n = await RunAsync(scopes, grains, DateOnly.FromDateTime(clock.GetLocalNow().DateTime), stoppingToken);
            if (n > 0)
            {
                log.LogInformation("Scheduled or expired {Count} needs that had no expiry reminder", n);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogWarning(ex, "Catch-up of expiry reminders failed; the next start tries again");
        }

        try
        {
            await grains.GetGrain<IMarketBalanceGrain>(0).EnsureScheduledAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogWarning(ex, "Scheduling the daily supply/demand check failed; the next start tries again");
        }
    }

    /// <summary>Asks each published need that lacks a reminder (or is past due) to schedule itself. Returns how many.</summary>
    public static async Task<int> RunAsync(IServiceScopeFactory scopes, IGrainFactory grains, DateOnly today, CancellationToken ct)
    {
        List<long> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
            var scheduled = (await db.Reminders.AsNoTracking().Where(r => r.Name == ListingGrain.ExpiryReminder).Select(r => r.GrainId).ToListAsync(ct))
                .Select(id => GrainId.Parse(id).GetIntegerKey()).ToHashSet();
            var needs = await db.Needs.AsNoTracking()
                .Where(n => n.Status == ListingStatus.Published && n.ValidUntil != null)
                .Select(n => new { n.Id, n.ValidUntil }).ToListAsync(ct);
            due = [.. needs.Where(n => n.ValidUntil < today || !scheduled.Contains(n.Id)).Select(n => n.Id)];
        }

        foreach (var id in due)
        {
            ct.ThrowIfCancellationRequested();
            await grains.GetGrain<IListingGrain>(id).EnsureScheduledAsync();
        }

        return due.Count;
    }
}
