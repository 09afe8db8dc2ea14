using Microsoft.Data.Sqlite;

namespace TechMarket.Cli.Tests;

public sealed class BackupCommandTests : IDisposable
{
    private readonly CliWorkspace _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task CopiesAConsistentDatabaseWhileAnotherConnectionWrites()
    {
        await _work.RunAsync("seed", "--db", _work.DbPath, "--scale", "0.05");
        var listings = _work.Scalar("SELECT COUNT(*) FROM \"Listings\"");
        var auditBefore = _work.Scalar("SELECT COUNT(*) FROM \"AuditLog\"");
        using var stop = new CancellationTokenSource();
        var writes = 0;
        var writer = Task.Run(() =>
        {
            using var conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _work.DbPath, Pooling = false, DefaultTimeout = 30 }.ToString());
            conn.Open();
            while (!stop.IsCancellationRequested || writes < 50)
            {
                using var tx = conn.BeginTransaction();
                using var cmd = conn.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = "INSERT INTO \"AuditLog\" (\"At\", \"EntityType\", \"EntityId\", \"Action\", \"Changes\") VALUES ('2026-01-01', 'Test', 1, 'edit', '{}')";
                for (var i = 0; i < 20; i++)
                {
                    cmd.ExecuteNonQuery();
                }

                tx.Commit();
                writes++;
            }
        });

        var result = await _work.RunAsync("backup", "--db", _work.DbPath, "--output", _work.PathOf("copy.db"));
        await stop.CancelAsync();
        await writer;

        Assert.Equal(0, result.Code);
        Assert.Contains("完整性检查通过", result.Out);
        var copy = _work.PathOf("copy.db");
        Assert.Equal(1, _work.Scalar("PRAGMA integrity_check", copy));
        Assert.Equal(listings, _work.Scalar("SELECT COUNT(*) FROM \"Listings\"", copy));
        var copiedAudit = _work.Scalar("SELECT COUNT(*) FROM \"AuditLog\"", copy);
        Assert.InRange(copiedAudit, auditBefore, auditBefore + (20L * writes));
        Assert.Equal(0, (copiedAudit - auditBefore) % 20);
        Assert.False(File.Exists(copy + "-wal"));
    }

    [Theory]
    [InlineData("错误：backup 只用于 SQLite 数据库；PostgreSQL 请使用 pg_dump 备份", "--postgres", "Host=localhost", "--output", "x.db")]
    [InlineData("错误：找不到数据库文件：", "--db", "missing.db", "--output", "x.db")]
    [InlineData("错误：缺少必需的选项：--output", "--db", "missing.db")]
    public async Task RejectsBadOptions(string expected, params string[] args)
    {
        var result = await _work.RunAsync(["backup", .. args]);

        Assert.Equal(2, result.Code);
        Assert.StartsWith(expected, result.Err.Trim());
    }

    [Fact]
    public async Task RefusesToOverwriteAnExistingBackupWithoutForce()
    {
        await _work.RunAsync("db", "upgrade", "--db", _work.DbPath);
        await File.WriteAllTextAsync(_work.PathOf("old.db"), "old");

        var refused = await _work.RunAsync("backup", "--db", _work.DbPath, "--output", _work.PathOf("old.db"));
        var forced = await _work.RunAsync("backup", "--db", _work.DbPath, "--output", _work.PathOf("old.db"), "--force");

        Assert.Equal(2, refused.Code);
        Assert.Contains("备份文件已存在", refused.Err);
        Assert.Equal(0, forced.Code);
        Assert.Equal(1, _work.Scalar("PRAGMA integrity_check", _work.PathOf("old.db")));
    }
}
