using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.TestingHost;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Schema;
using TechMarket.Market.Alerts;
using TechMarket.Market.Hosting;

namespace TechMarket.Market.Tests;

/// <summary>Which real database a cluster's grains keep their rows in.</summary>
public enum Backend
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Orleans' in-process test cluster hosting the market's grains over a fresh, real database (a new SQLite file, or
/// a new database on the PostgreSQL server that scripts/test.sh started), with the schema, the roles and two
/// organisations in it.
/// </summary>
public sealed class MarketCluster : IAsyncDisposable
{
    private readonly string? _sqliteDir;
    private readonly string? _pgDatabase;

    private MarketCluster(Backend backend, short silos)
    {
        if (backend == Backend.Sqlite)
        {
            _sqliteDir = Directory.CreateTempSubdirectory("techmarket-grains-").FullName;
            Database = new DatabaseOptions { Provider = DatabaseOptions.Sqlite, ConnectionString = $"Data Source={Path.Combine(_sqliteDir, "market.db")};Default Timeout=30" };
        }
        else
        {
            _pgDatabase = "tm_g_" + Guid.NewGuid().ToString("N")[..16];
            Database = new DatabaseOptions { Provider = DatabaseOptions.Postgres, ConnectionString = CreatePostgresDatabase(_pgDatabase) };
        }

        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureHost(host =>
        {
            host.Services.AddSingleton<IMailSender>(new FolderMailSender(MailFolder, "noreply@techmarket.test", TimeProvider.System));
            host.Services.AddMarketStore(Database);
            host.Services.AddKeyedSingleton<TimeProvider>(MarketClock.Key, Clock);
            host.Services.AddIdentityCore<AppUser>(o => o.User.RequireUniqueEmail = true)
                .AddRoles<IdentityRole<long>>()
                .AddEntityFrameworkStores<MarketDb>();
        });
        builder.ConfigureSilo((_, silo) => silo.AddMarketGrains());
        Cluster = builder.Build();
    }

    public DatabaseOptions Database { get; }

    /// <summary>Where the grains' e-mail lands (one .eml file per message).</summary>
    public string MailFolder { get; } = Path.Combine(Path.GetTempPath(), "techmarket-mail-" + Guid.NewGuid().ToString("N")[..12]);

    public InProcessTestCluster Cluster { get; }

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>The market's clock (Orleans keeps real time).</summary>
    public ShiftedClock Clock { get; } = new();

    public long EnterpriseId { get; private set; }

    public long InstituteId { get; private set; }

    public static async Task<MarketCluster> StartAsync(Backend backend = Backend.Sqlite, short silos = 1)
    {
        var cluster = new MarketCluster(backend, silos);
        await using (var db = cluster.NewDb())
        {
            await SchemaUpgrader.UpgradeAsync(db);
            foreach (var role in Roles.All)
            {
                db.Roles.Add(new IdentityRole<long>(role) { NormalizedName = role.ToUpperInvariant() });
            }

            var enterprise = new Organisation { Kind = OrganisationKind.Enterprise, Name = "宁波测试模具有限公司", CreditCode = "91330200MA2AAAAA1X", District = "北仑区", CreatedAt = DateTime.UtcNow, Version = 1 };
            var institute = new Organisation { Kind = OrganisationKind.Institute, Name = "宁波测试材料研究所", CreditCode = "12330200MB0BBBBB2Y", District = "镇海区", CreatedAt = DateTime.UtcNow, Version = 1 };
            db.Organisations.AddRange(enterprise, institute);
            await db.SaveChangesAsync();
            cluster.EnterpriseId = enterprise.Id;
            cluster.InstituteId = institute.Id;
        }

        await cluster.Cluster.DeployAsync();
        return cluster;
    }

    /// <summary>A context on the same database, outside the grains (what a test reads the truth with).</summary>
    public MarketDb NewDb() => new(Database.BuildOptions());

    public static string PostgresServer =>
        Environment.GetEnvironmentVariable("TECHMARKET_TEST_PG") is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException("TECHMARKET_TEST_PG is not set: run the tests through scripts/test.sh, or export TECHMARKET_TEST_PG=$(scripts/pg-test-server.sh start)");

    private static string CreatePostgresDatabase(string name)
    {
        using (var conn = new NpgsqlConnection(PostgresServer))
        {
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = $"CREATE DATABASE \"{name}\"";
            cmd.ExecuteNonQuery();
        }

        return new NpgsqlConnectionStringBuilder(PostgresServer) { Database = name, Pooling = false }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        if (Directory.Exists(MailFolder))
        {
            Directory.Delete(MailFolder, recursive: true);
        }

        if (_sqliteDir is not null)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_sqliteDir, recursive: true);
            }
            catch (IOException)
            {
                // A file still open by a finaliser; the OS temp cleaner removes it.
            }
        }

        if (_pgDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var conn = new NpgsqlConnection(PostgresServer);
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = $"DROP DATABASE IF EXISTS \"{_pgDatabase}\" WITH (FORCE)";
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
