using Microsoft.EntityFrameworkCore;
using Npgsql;
using TechMarket.Data.Exchange;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Data.Schema;
using TechMarket.Data.Seeding;
using static TechMarket.Data.Tests.Exchange.ExchangeTestData;

namespace TechMarket.Data.Tests.Exchange;

/// <summary>The import round trip on a real PostgreSQL server (scripts/pg-test-server.sh), each test in a database of its own.</summary>
[Trait("Category", "Postgres")]
public sealed class ListingImporterPostgresTests
{
    private static string ServerConnectionString() =>
        Environment.GetEnvironmentVariable("TECHMARKET_TEST_PG") is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException("未设置 TECHMARKET_TEST_PG：请先运行 scripts/pg-test-server.sh start，并把它输出的连接字符串放入该环境变量");

    private static async Task<T> WithDatabaseAsync<T>(Func<MarketDb, Task<T>> test)
    {
        var server = new NpgsqlConnectionStringBuilder(ServerConnectionString());
        var name = "tm_exchange_" + Guid.NewGuid().ToString("N");
        await using (var admin = new NpgsqlConnection(server.ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        try
        {
            var cs = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name, Pooling = false }.ConnectionString;
            await using var db = new MarketDb(new DbContextOptionsBuilder<MarketDb>().UseNpgsql(cs).Options);
            await SchemaUpgrader.UpgradeAsync(db);
            return await test(db);
        }
        finally
        {
            await using var admin = new NpgsqlConnection(server.ConnectionString);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }

    [Theory]
    [InlineData(ExchangeFormat.Csv, true)]
    [InlineData(ExchangeFormat.Xlsx, false)]
    public async Task ExportedFilesReimportToTheSameListingsOnPostgres(ExchangeFormat format, bool needs)
    {
        var (originals, imported) = await WithDatabaseAsync(async db =>
        {
            await DemoMarket.SeedAsync(db, new DemoMarketOptions { Scale = 0.03, Clock = new FixedClock(Today) });
            var (orgId, userId) = await AddOrganisationAsync(db);
            var listings = await db.Listings.Where(l => l.Status == ListingStatus.Published && (needs ? l is Need : l is Achievement))
                .OrderBy(l => l.Id).AsNoTracking().ToListAsync();
            using var file = new MemoryStream();

            await ListingExporter.ExportAsync(listings, needs, file, format);
            file.Position = 0;
            var report = await ListingImporter.ImportAsync(db, file, format, needs, orgId, userId, ImportMode.AllOrNothing, Today);

            Assert.True(report.Committed, string.Join("\n", report.Errors));
            var back = await db.Listings.Where(l => report.ImportedIds.Contains(l.Id)).OrderBy(l => l.Id).AsNoTracking().ToListAsync();
            return (listings, back);
        });

        Assert.NotEmpty(originals);
        Assert.Equal(originals.Select(Comparable), imported.Select(Comparable));
    }

    [Fact]
    public async Task AllOrNothingRollsBackEveryRowOnPostgres()
    {
        var (report, count) = await WithDatabaseAsync(async db =>
        {
            var (orgId, userId) = await AddOrganisationAsync(db);
            var rows = Enumerable.Range(1, 1500).Select(i => NeedRow($"批量导入需求 {i}")).Append(NeedRow("预算错误的需求", budget: "abc"));
            var r = await ListingImporter.ImportAsync(db, Csv(string.Join("\n", rows.Prepend(NeedHeader))), ExchangeFormat.Csv, true, orgId, userId, ImportMode.AllOrNothing, Today);
            return (r, await db.Listings.CountAsync());
        });

        Assert.False(report.Committed);
        Assert.Equal("行 1502，字段 预算（万元）：应为数字（单位万元），或留空、填写“面议”；当前为“abc”", Assert.Single(report.Errors).ToString());
        Assert.Equal(0, count);
    }

    private static string Comparable(Listing l) => System.Text.Json.JsonSerializer.Serialize(ListingRules.ToInput(l));

    private sealed class FixedClock(DateOnly today) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(today.ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero);
    }
}
