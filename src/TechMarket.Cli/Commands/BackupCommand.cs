using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Spectre.Console;

namespace TechMarket.Cli.Commands;

/// <summary>
/// <c>techmarket backup --output F [--db PATH]</c>: a consistent copy of the SQLite file while the server runs,
/// through SQLite's online backup API (a read snapshot: writers in WAL mode are not blocked), checked with
/// <c>PRAGMA integrity_check</c> before it replaces nothing and lands at F.
/// </summary>
internal static class BackupCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = CliArgs.Parse(args, [.. DatabaseTarget.OptionNames, "--output"], ["--force"]);
        if (options.Get("--postgres") is not null)
        {
            throw new CliException("backup 只用于 SQLite 数据库；PostgreSQL 请使用 pg_dump 备份");
        }

        var output = Path.GetFullPath(options.Require("--output"));
        var source = Path.GetFullPath(options.Get("--db") ?? DatabaseTarget.DefaultSqlitePath);
        if (!File.Exists(source))
        {
            throw new CliException($"找不到数据库文件：{source}");
        }

        if (string.Equals(source, output, StringComparison.Ordinal))
        {
            throw new CliException("备份文件不能与数据库文件相同");
        }

        if (File.Exists(output) && !options.Has("--force"))
        {
            throw new CliException($"备份文件已存在：{output}（用 --force 覆盖）");
        }

        var dir = Path.GetDirectoryName(output);
        if (!string.IsNullOrEmpty(dir) && !Directory.Exists(dir))
        {
            throw new CliException($"找不到目录：{dir}");
        }

        var watch = Stopwatch.StartNew();
        var temp = output + ".part";
        string check;
        try
        {
            check = DatabaseTarget.Interactive
                ? await AnsiConsole.Status().StartAsync("备份中…", _ => Task.Run(() => Copy(source, temp)))
                : await Task.Run(() => Copy(source, temp));
            if (check != "ok")
            {
                throw new CliException($"备份副本的完整性检查未通过：{check}");
            }

            File.Move(temp, output, overwrite: true);
        }
        catch (SqliteException ex)
        {
            throw new CliException($"备份失败：{ex.Message}");
        }
        finally
        {
            File.Delete(temp);
        }

        var size = new FileInfo(output).Length / 1024.0 / 1024.0;
        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"已备份到 {output}（{size:F1} MB，用时 {watch.Elapsed.TotalSeconds:F1} 秒，完整性检查通过）"));
        return 0;
    }

    /// <summary>Copies with the online backup API and returns the copy's integrity_check answer ("ok" when intact).</summary>
    private static string Copy(string source, string destination)
    {
        File.Delete(destination);
        using (var from = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = source, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 60 }.ToString()))
        using (var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = destination, Pooling = false }.ToString()))
        {
            from.Open();
            to.Open();
            from.BackupDatabase(to);

            // A self-contained single file: no -wal/-shm beside the copy.
            using var mode = to.CreateCommand();
            mode.CommandText = "PRAGMA journal_mode=DELETE;";
            mode.ExecuteNonQuery();
        }

        using var verify = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = destination, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        verify.Open();
        using var cmd = verify.CreateCommand();
        cmd.CommandText = "PRAGMA integrity_check;";
        var lines = new List<string>();
        using (var reader = cmd.ExecuteReader())
        {
            while (reader.Read())
            {
                lines.Add(reader.GetString(0));
            }
        }

        return string.Join("；", lines);
    }
}
