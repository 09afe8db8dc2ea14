using Microsoft.EntityFrameworkCore;

namespace TechMarket.Data;

/// <summary>Which database the market uses. Bound from the "Database" configuration section.</summary>
public sealed class DatabaseOptions
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary>"sqlite" (embedded default) or "postgres".</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>ADO.NET connection string. For SQLite, defaults to a file in the data directory.</summary>
    public string? ConnectionString { get; set; }

    public bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase);

    /// <summary>Configures EF Core for the chosen provider.</summary>
    public void Apply(DbContextOptionsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var cs = ConnectionString ?? throw new InvalidOperationException("未配置数据库连接字符串（Database:ConnectionString）");
        if (IsPostgres)
        {
            builder.UseNpgsql(cs);
        }
        else if (string.Equals(Provider, Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            builder.UseSqlite(cs);
        }
        else
        {
            throw new InvalidOperationException($"不支持的数据库类型：{Provider}（可选 sqlite 或 postgres）");
        }
    }

    public DbContextOptions<MarketDb> BuildOptions()
    {
        var builder = new DbContextOptionsBuilder<MarketDb>();
        Apply(builder);
        return builder.Options;
    }
}
