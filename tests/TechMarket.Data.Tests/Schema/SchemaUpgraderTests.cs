using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TechMarket.Data.Model;
using TechMarket.Data.Schema;

namespace TechMarket.Data.Tests.Schema;

/// <summary>
/// The shipped schema scripts produce exactly the tables and columns of the EF model, and upgrading a database
/// created by an earlier version keeps its rows.
/// </summary>
public abstract class SchemaUpgraderTests : IDisposable
{
    private readonly List<Action> _cleanup = [];

    protected abstract string Provider { get; }

    public void Dispose()
    {
        foreach (var action in _cleanup)
        {
            action();
        }

        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task ScriptsBuildTheSameSchemaAsTheModel()
    {
        await using var scripted = NewDatabase();
        await using var modelled = NewDatabase();

        await SchemaUpgrader.UpgradeAsync(scripted);
        await modelled.Database.EnsureCreatedAsync();

        var fromScripts = await ColumnsAsync(scripted);
        var fromModel = await ColumnsAsync(modelled);
        fromScripts.RemoveWhere(c => c.StartsWith("SchemaVersions.", StringComparison.Ordinal));

        // Orleans' cluster membership tables (PostgreSQL) belong to its ADO.NET provider, not to the EF model.
        fromScripts.RemoveWhere(c => c.StartsWith("orleans", StringComparison.OrdinalIgnoreCase)
            || c is "index:orleansquery_key" or "index:pk_membershiptable_deploymentid" or "index:pk_orleansmembershipversiontable_deploymentid");
        Assert.Equal(fromModel.Order(), fromScripts.Order());
    }

    [Fact]
    public async Task UpgradingAnEarlierVersionKeepsItsRows()
    {
        await using var db = NewDatabase();
        await SchemaUpgrader.UpgradeAsync(db, targetVersion: 1);
        var conn = db.Database.GetDbConnection();
        await conn.OpenAsync();
        await ExecAsync(conn, """INSERT INTO "Organisations" ("Kind","Name","CreditCode","District","Fields","Qualifications","Introduction","CreatedAt","IsDemo","Version") VALUES (1,'宁波老版本有限公司','91330200MA2AAAAA0K','镇海区','新材料','','',@t,FALSE,1)""");
        await ExecAsync(conn, """INSERT INTO "Listings" ("OrganisationId","CreatedById","Title","Summary","Keywords","Field","TransferModes","Status","ContactName","ContactPhone","CreatedAt","UpdatedAt","IsDemo","Version","Kind","Problem","KeyPoints","Targets","IsChallenge") VALUES (1,1,'旧版本的需求','描述','', '新材料',8,2,'','',@t,@t,FALSE,1,'need','问题','','',FALSE)""");
        await conn.CloseAsync();

        var applied = await SchemaUpgrader.UpgradeAsync(db);
        var need = await db.Needs.Include(n => n.Organisation).SingleAsync();
        need.Title = "升级后修改的需求";
        await db.SaveChangesAsync();

        Assert.Equal(Enumerable.Range(2, SchemaUpgrader.LatestVersion(Provider) - 1), applied);
        Assert.Equal("宁波老版本有限公司", need.Organisation!.Name);
        Assert.Equal(ListingStatus.Published, need.Status);
        Assert.Equal(2, need.Version);
        Assert.Single(await db.AuditLog.Where(a => a.EntityId == need.Id && a.Action == "edit").ToListAsync());
    }

    [Fact]
    public async Task UpgradingTwiceDoesNothingTheSecondTime()
    {
        await using var db = NewDatabase();

        var first = await SchemaUpgrader.UpgradeAsync(db);
        var second = await SchemaUpgrader.UpgradeAsync(db);

        Assert.Equal(SchemaUpgrader.LatestVersion(Provider), first.Count);
        Assert.Empty(second);
    }

    private MarketDb NewDatabase()
    {
        if (Provider == DatabaseOptions.Sqlite)
        {
            var dir = Directory.CreateTempSubdirectory("techmarket-schema-").FullName;
            _cleanup.Add(() =>
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(dir, recursive: true);
            });
            return new MarketDb(new DatabaseOptions { Provider = Provider, ConnectionString = $"Data Source={Path.Combine(dir, "m.db")};Pooling=False" }.BuildOptions());
        }

        var server = Environment.GetEnvironmentVariable("TECHMARKET_TEST_PG") is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException("TECHMARKET_TEST_PG is not set: run the tests through scripts/test.sh, or export TECHMARKET_TEST_PG=$(scripts/pg-test-server.sh start)");
        var name = "tm_schema_" + Guid.NewGuid().ToString("N")[..12];
        using (var admin = new NpgsqlConnection(server))
        {
            admin.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            cmd.ExecuteNonQuery();
        }

        _cleanup.Add(() =>
        {
            NpgsqlConnection.ClearAllPools();
            using var admin = new NpgsqlConnection(server);
            admin.Open();
            using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
            cmd.ExecuteNonQuery();
        });
        var csb = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false };
        return new MarketDb(new DatabaseOptions { Provider = Provider, ConnectionString = csb.ConnectionString }.BuildOptions());
    }

    private async Task<SortedSet<string>> ColumnsAsync(MarketDb db)
    {
        var conn = db.Database.GetDbConnection();
        await conn.OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = Provider == DatabaseOptions.Sqlite
            ? """SELECT m.name || '.' || p.name || ':' || p.type || ':' || p."notnull" FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"""
            : """SELECT table_name || '.' || column_name || ':' || data_type || ':' || is_nullable FROM information_schema.columns WHERE table_schema = 'public'""";
        var result = new SortedSet<string>(StringComparer.Ordinal);
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                result.Add(reader.GetString(0));
            }
        }

        await using var idx = conn.CreateCommand();
        idx.CommandText = Provider == DatabaseOptions.Sqlite
            ? "SELECT 'index:' || name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'"
            : "SELECT 'index:' || indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE 'PK_%' AND indexname <> 'SchemaVersions_pkey'";
        await using (var reader = await idx.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                result.Add(reader.GetString(0));
            }
        }

        await conn.CloseAsync();
        return result;
    }

    private static async Task ExecAsync(DbConnection conn, string sql)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        var p = cmd.CreateParameter();
        p.ParameterName = "@t";
        p.Value = new DateTime(2026, 1, 5, 8, 0, 0, DateTimeKind.Utc);
        cmd.Parameters.Add(p);
        await cmd.ExecuteNonQueryAsync();
    }
}

public sealed class SchemaUpgraderTestsOnSqlite : SchemaUpgraderTests
{
    protected override string Provider => DatabaseOptions.Sqlite;
}

[Trait("Category", "Postgres")]
public sealed class SchemaUpgraderTestsOnPostgres : SchemaUpgraderTests
{
    protected override string Provider => DatabaseOptions.Postgres;
}
