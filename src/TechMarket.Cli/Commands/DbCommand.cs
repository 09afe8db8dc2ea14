using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;
using TechMarket.Data;
using TechMarket.Data.Schema;

namespace TechMarket.Cli.Commands;

/// <summary><c>techmarket db upgrade|version|script</c>: the schema's version and scripts.</summary>
internal static class DbCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            throw new CliException("用法：techmarket db upgrade|version|script [--db 文件 | --postgres 连接字符串] [--provider sqlite|postgres]");
        }

        var options = CliArgs.Parse(args[1..], [.. DatabaseTarget.OptionNames, "--provider"]);
        switch (args[0])
        {
            case "upgrade":
                {
                    var target = DatabaseTarget.From(options);
                    await using var db = target.Open();
                    var applied = await SchemaUpgrader.UpgradeAsync(db);
                    await Console.Out.WriteLineAsync(applied.Count == 0
                        ? $"数据库已是最新结构（版本 {SchemaUpgrader.LatestVersion(target.Provider)}）：{target.Describe()}"
                        : $"已升级数据库结构，应用版本 {string.Join("、", applied)}：{target.Describe()}");
                    return 0;
                }

            case "version":
                {
                    var target = DatabaseTarget.From(options);
                    await using var db = target.Open();
                    var conn = db.Database.GetDbConnection();
                    await conn.OpenAsync();
                    int current;
                    try
                    {
                        current = await SchemaUpgrader.CurrentVersionAsync(conn);
                    }
                    catch (Exception ex) when (ex is SqliteException or Npgsql.PostgresException)
                    {
                        current = 0;
                    }

                    var latest = SchemaUpgrader.LatestVersion(target.Provider);
                    await Console.Out.WriteLineAsync($"数据库结构版本：{current}（程序支持的最新版本：{latest}）{(current < latest ? "，请运行 techmarket db upgrade" : "")}");
                    return 0;
                }

            case "script":
                {
                    var provider = options.Get("--provider") ?? DatabaseOptions.Sqlite;
                    var builder = new DbContextOptionsBuilder<MarketDb>();
                    switch (provider)
                    {
                        case DatabaseOptions.Sqlite:
                            builder.UseSqlite("Data Source=:memory:");
                            break;
                        case DatabaseOptions.Postgres:
                            builder.UseNpgsql("Host=localhost");
                            break;
                        default:
                            throw new CliException($"未知的数据库类型：{provider}（可选 sqlite 或 postgres）");
                    }

                    await using var db = new MarketDb(builder.Options);
                    await Console.Out.WriteLineAsync(db.Database.GenerateCreateScript());
                    return 0;
                }

            default:
                throw new CliException($"未知的 db 子命令：{args[0]}（可选 upgrade、version、script）");
        }
    }
}

/// <summary>
/// The database a command works on: <c>--db PATH</c> (SQLite, default .data/techmarket.db) or <c>--postgres CONNSTRING</c>.
/// Shared by seed, import, export, backup and db; a <c>--server URL</c> mode would sit beside it.
/// </summary>
internal sealed record DatabaseTarget(DatabaseOptions Options, string? SqlitePath)
{
    public const string DefaultSqlitePath = ".data/techmarket.db";

    public static readonly string[] OptionNames = ["--db", "--postgres"];

    public string Provider => Options.IsPostgres ? DatabaseOptions.Postgres : DatabaseOptions.Sqlite;

    public static DatabaseTarget From(CliArgs args)
    {
        var pg = args.Get("--postgres");
        var file = args.Get("--db");
        if (pg is not null && file is not null)
        {
            throw new CliException("--db 与 --postgres 只能选一个");
        }

        if (pg is not null)
        {
            return new DatabaseTarget(new DatabaseOptions { Provider = DatabaseOptions.Postgres, ConnectionString = pg }, null);
        }

        var path = Path.GetFullPath(file ?? DefaultSqlitePath);
        var dir = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        var cs = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 60 }.ToString();
        return new DatabaseTarget(new DatabaseOptions { Provider = DatabaseOptions.Sqlite, ConnectionString = cs }, path);
    }

    public MarketDb Open() => new(Options.BuildOptions());

    /// <summary>Opens the database, creating or upgrading its schema first.</summary>
    public async Task<MarketDb> OpenUpgradedAsync(CancellationToken ct = default)
    {
        var db = Open();
        try
        {
            await SchemaUpgrader.UpgradeAsync(db, ct: ct);
        }
        catch (Exception ex) when (ex is SqliteException or Npgsql.NpgsqlException)
        {
            await db.DisposeAsync();
            throw new CliException($"无法打开数据库 {Describe()}：{ex.Message}");
        }

        return db;
    }

    public string Describe() => SqlitePath ?? "PostgreSQL";

    /// <summary>Progress bars only when a person watches a terminal; plain lines otherwise.</summary>
    public static bool Interactive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
}
