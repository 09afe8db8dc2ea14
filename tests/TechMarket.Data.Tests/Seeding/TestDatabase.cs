using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using TechMarket.Data.Schema;

namespace TechMarket.Data.Tests.Seeding;

/// <summary>A fresh SQLite file in its own temporary directory, created by the schema upgrader, deleted afterwards.</summary>
public sealed class TestDatabase : IDisposable
{
    public TestDatabase()
    {
        Directory = Path.Combine(Path.GetTempPath(), "techmarket-test-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        FilePath = Path.Combine(Directory, "market.db");
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = false }.ToString();
    }

    public string Directory { get; }

    public string FilePath { get; }

    public string ConnectionString { get; }

    public MarketDb Open() =>
        new(new DbContextOptionsBuilder<MarketDb>().UseSqlite(ConnectionString).Options);

    public async Task<MarketDb> CreateAsync()
    {
        var db = Open();
        await SchemaUpgrader.UpgradeAsync(db);
        return db;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A child process killed by a test may still hold the file for a moment; the temp folder is cleaned by the OS.
        }
    }
}
