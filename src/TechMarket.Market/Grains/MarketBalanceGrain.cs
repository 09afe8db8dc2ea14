using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TechMarket.Data;
using TechMarket.Market.Brokers;
using TechMarket.Market.Contracts;
using TechMarket.Market.Hosting;

namespace TechMarket.Market.Grains;

/// <summary>The supply/demand alarm: a daily durable reminder that turns alarmed fields into brokers' mining tasks.</summary>
internal sealed class MarketBalanceGrain(IServiceScopeFactory scopes, IConfiguration config, [FromKeyedServices(MarketClock.Key)] TimeProvider clock) : Grain, IMarketBalanceGrain, IRemindable
{
    public const string DailyReminder = "balance-daily";

    public async Task EnsureScheduledAsync()
    {
        if (await this.GetReminder(DailyReminder) is null)
        {
            await this.RegisterOrUpdateReminder(DailyReminder, TimeSpan.FromDays(1), TimeSpan.FromDays(1));
        }
    }

    public async Task<int> CheckAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var alarms = (await SupplyDemand.ComputeAsync(db, config)).Where(b => b.Alarm.Length > 0).ToList();
        if (alarms.Count == 0)
        {
            return 0;
        }

        var brokers = await db.Brokers.AsNoTracking().ToListAsync();
        var due = clock.GetUtcNow().UtcDateTime.AddDays(14);
        var created = 0;
        foreach (var alarm in alarms)
        {
            foreach (var broker in brokers.Where(b => BrokerStages.Fit(b, alarm.Field, "") >= 2))
            {
                if (await GrainFactory.GetGrain<IBrokerGrain>(broker.UserId).RaiseMiningTaskAsync(alarm.Field, SupplyDemand.TaskNote(alarm), due))
                {
                    created++;
                }
            }
        }

        return created;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == DailyReminder ? CheckAsync() : Task.CompletedTask;
}
