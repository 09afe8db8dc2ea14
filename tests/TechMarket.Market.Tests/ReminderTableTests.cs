using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using TechMarket.Market.Hosting;

namespace TechMarket.Market.Tests;

/// <summary>The reminder table's contract (ETags, ring ranges) on both real databases.</summary>
public abstract class ReminderTableTests(Backend backend) : IAsyncLifetime
{
    private MarketCluster _m = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _m = await MarketCluster.StartAsync(backend);
        _services = new ServiceCollection().AddMarketStore(_m.Database).BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _m.DisposeAsync();
    }

    private MarketReminderTable Table(string serviceId = "svc") =>
        new(_services.GetRequiredService<IServiceScopeFactory>(), Options.Create(new ClusterOptions { ServiceId = serviceId }));

    private static ReminderEntry Entry(long key, string name = "expiry") => new()
    {
        GrainId = GrainId.Create("listing", key.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ReminderName = name,
        StartAt = new DateTime(2027, 7, 1, 0, 0, 0, DateTimeKind.Utc),
        Period = TimeSpan.FromDays(1),
    };

    [Fact]
    public async Task UpsertReadAndRemoveHonourTheETag()
    {
        var table = Table();
        var entry = Entry(42);

        var first = await table.UpsertRow(entry);
        var second = await table.UpsertRow(entry);
        var read = await table.ReadRow(entry.GrainId, "expiry");

        Assert.Equal("0", first);
        Assert.Equal("1", second);
        Assert.NotNull(read);
        Assert.Equal(entry.StartAt, read.StartAt);
        Assert.Equal(TimeSpan.FromDays(1), read.Period);
        Assert.Equal("1", read.ETag);
        Assert.Null(await Table("other-service").ReadRow(entry.GrainId, "expiry"));
        Assert.False(await table.RemoveRow(entry.GrainId, "expiry", "0"));
        Assert.True(await table.RemoveRow(entry.GrainId, "expiry", "1"));
        Assert.Null(await table.ReadRow(entry.GrainId, "expiry"));
    }

    [Fact]
    public async Task RangeReadsFollowTheRingIncludingTheWrapAroundZero()
    {
        var table = Table();
        var entries = Enumerable.Range(1, 40).Select(i => Entry(i)).ToList();
        foreach (var e in entries)
        {
            await table.UpsertRow(e);
        }

        var hashes = entries.Select(e => e.GrainId.GetUniformHashCode()).OrderBy(h => h).ToList();
        var begin = hashes[10];
        var end = hashes[30];

        var inside = await table.ReadRows(begin, end);
        var wrapped = await table.ReadRows(end, begin);
        var byGrain = await table.ReadRows(entries[0].GrainId);

        Assert.Equal(20, inside.Reminders.Count);
        Assert.All(inside.Reminders, r => Assert.InRange(r.GrainId.GetUniformHashCode(), begin + 1, end));
        Assert.Equal(20, wrapped.Reminders.Count);
        Assert.Empty(inside.Reminders.Select(r => r.GrainId).Intersect(wrapped.Reminders.Select(r => r.GrainId)));
        Assert.Single(byGrain.Reminders);
    }
}

public sealed class ReminderTableTestsOnSqlite() : ReminderTableTests(Backend.Sqlite);

public sealed class ReminderTableTestsOnPostgres() : ReminderTableTests(Backend.Postgres);
