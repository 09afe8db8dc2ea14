using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace TechMarket.Server.Tests.Support;

/// <summary>Which real database a test host runs on.</summary>
public enum Backend
{
    Sqlite,
    Postgres,
}

/// <summary>
/// A test host over its own, fresh database: a new SQLite file, or a new database on the PostgreSQL server that
/// scripts/pg-test-server.sh started (TECHMARKET_TEST_PG). Never EF's in-memory provider.
/// </summary>
public sealed class MarketFactory : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@test.techmarket";
    public const string AdminPassword = "Admin#2026test";

    private readonly string? _sqliteDir;
    private readonly string? _pgDatabase;

    public MarketFactory(Backend backend, string? existingConnectionString = null)
    {
        Backend = backend;
        if (existingConnectionString is not null)
        {
            ConnectionString = existingConnectionString;
        }
        else if (backend == Backend.Sqlite)
        {
            _sqliteDir = Directory.CreateTempSubdirectory("techmarket-test-").FullName;
            ConnectionString = $"Data Source={Path.Combine(_sqliteDir, "market.db")};Default Timeout=30";
        }
        else
        {
            _pgDatabase = "tm_" + Guid.NewGuid().ToString("N")[..16];
            ConnectionString = CreatePostgresDatabase(_pgDatabase);
        }
    }

    public Backend Backend { get; }

    /// <summary>Services that replace the server's own (the market's clock, say), registered last.</summary>
    public Action<IServiceCollection>? Replace { get; init; }

    public string ConnectionString { get; }

    /// <summary>Extra configuration for this host (key → value), applied after the defaults.</summary>
    public Dictionary<string, string> Settings { get; init; } = [];

    /// <summary>The server's connection string, failing clearly when the test script has not started PostgreSQL.</summary>
    public static string PostgresServer =>
        Environment.GetEnvironmentVariable("TECHMARKET_TEST_PG") is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException("TECHMARKET_TEST_PG is not set: run the tests through scripts/test.sh, or export TECHMARKET_TEST_PG=$(scripts/pg-test-server.sh start)");

    public static string CreatePostgresDatabase(string name)
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

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Backend == Backend.Sqlite ? "sqlite" : "postgres");
        builder.UseSetting("Database:ConnectionString", ConnectionString);
        builder.UseSetting("Admin:Email", AdminEmail);
        builder.UseSetting("Admin:Password", AdminPassword);
        builder.UseSetting("Demo:Seed", "false");

        // Each test host runs its own one-silo cluster; test classes run in parallel, so each takes a free port.
        builder.UseSetting("Cluster:SiloPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Cluster:ClusterId", "test-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        // Password hashing is deliberately slow (100,000 PBKDF2 rounds); tests sign in hundreds of times.
        builder.ConfigureServices(services =>
        {
            services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1_000);
            Replace?.Invoke(services);
        });
    }

    /// <summary>A TCP port free on the loopback interface right now.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing)
        {
            return;
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
            using var conn = new NpgsqlConnection(PostgresServer);
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = $"DROP DATABASE IF EXISTS \"{_pgDatabase}\" WITH (FORCE)";
            cmd.ExecuteNonQuery();
        }
    }
}
