using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using TechMarket.Data;
using TechMarket.Data.Model;

namespace TechMarket.Market.Hosting;

/// <summary>
/// Orleans' reminder table over the market's own "Reminders" table, through EF Core, so that one implementation
/// serves SQLite (for which Orleans has no reminder provider) and PostgreSQL alike, and a backup of the database
/// holds its pending reminders. Orleans' reminder service owns each row through the grain's ring hash, so each
/// reminder fires on exactly one silo; the row's version is its ETag.
/// </summary>
internal sealed class MarketReminderTable(IServiceScopeFactory scopes, IOptions<ClusterOptions> cluster) : IReminderTable
{
    private readonly string _serviceId = cluster.Value.ServiceId;

    public Task<ReminderTableData> ReadRows(GrainId grainId)
    {
        var id = grainId.ToString();
        return ReadAsync(q => q.Where(r => r.GrainId == id));
    }

    public Task<ReminderTableData> ReadRows(uint begin, uint end)
    {
        long b = begin, e = end;

        // The ring range is (begin, end]; when begin >= end it wraps around zero.
        return begin < end
            ? ReadAsync(q => q.Where(r => r.GrainHash > b && r.GrainHash <= e))
            : ReadAsync(q => q.Where(r => r.GrainHash > b || r.GrainHash <= e));
    }

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName)
    {
        var id = grainId.ToString();
        var rows = await ReadAsync(q => q.Where(r => r.GrainId == id && r.Name == reminderName));
        return rows.Reminders.FirstOrDefault();
    }

    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var id = entry.GrainId.ToString();
        var startAt = entry.StartAt.Kind == DateTimeKind.Utc ? entry.StartAt : DateTime.SpecifyKind(entry.StartAt, DateTimeKind.Utc);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        await using var tx = await db.Database.BeginTransactionAsync();
        var row = await db.Reminders.SingleOrDefaultAsync(r => r.ServiceId == _serviceId && r.GrainId == id && r.Name == entry.ReminderName);
        if (row is null)
        {
            row = new ReminderRow { ServiceId = _serviceId, GrainId = id, Name = entry.ReminderName, Version = 0 };
            db.Reminders.Add(row);
        }
        else
        {
            row.Version++;
        }

        row.StartAt = startAt;
        row.PeriodMs = (long)entry.Period.TotalMilliseconds;
        row.GrainHash = entry.GrainId.GetUniformHashCode();
        await db.SaveChangesAsync();
        await tx.CommitAsync();
        return Tag(row.Version);
    }

    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        if (!long.TryParse(eTag, System.Globalization.CultureInfo.InvariantCulture, out var version))
        {
            return false;
        }

        var id = grainId.ToString();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var removed = await db.Reminders
            .Where(r => r.ServiceId == _serviceId && r.GrainId == id && r.Name == reminderName && r.Version == version)
            .ExecuteDeleteAsync();
        return removed > 0;
    }

    public async Task TestOnlyClearTable()
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        await db.Reminders.Where(r => r.ServiceId == _serviceId).ExecuteDeleteAsync();
    }

    private async Task<ReminderTableData> ReadAsync(Func<IQueryable<ReminderRow>, IQueryable<ReminderRow>> filter)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var rows = await filter(db.Reminders.AsNoTracking().Where(r => r.ServiceId == _serviceId)).ToListAsync();
        return new ReminderTableData(rows.Select(r => new ReminderEntry
        {
            GrainId = GrainId.Parse(r.GrainId),
            ReminderName = r.Name,
            StartAt = DateTime.SpecifyKind(r.StartAt, DateTimeKind.Utc),
            Period = TimeSpan.FromMilliseconds(r.PeriodMs),
            ETag = Tag(r.Version),
        }));
    }

    private static string Tag(long version) => version.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
