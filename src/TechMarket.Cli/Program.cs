using System.Text;
using TechMarket.Cli;
using TechMarket.Cli.Commands;

Console.OutputEncoding = new UTF8Encoding(false);
Console.InputEncoding = new UTF8Encoding(false);

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.Out.WriteLine(Usage.Text);
    return args.Length == 0 ? 2 : 0;
}

var rest = args[1..];
try
{
    return args[0] switch
    {
        "segment" => await SegmentCommand.RunAsync(rest),
        "eval" => await EvalCommand.RunAsync(rest),
        "rank" => await RankCommand.RunAsync(rest),
        "match" => await MatchCommand.RunAsync(rest),
        "schedule" => await ScheduleCommand.RunAsync(rest),
        "seed" => await SeedCommand.RunAsync(rest),
        "import" => await ImportCommand.RunAsync(rest),
        "export" => await ExportCommand.RunAsync(rest),
        "backup" => await BackupCommand.RunAsync(rest),
        "db" => await DbCommand.RunAsync(rest),
        "reindex" => await ReindexCommand.RunAsync(rest),
        _ => throw new CliException($"未知命令：{args[0]}（运行 techmarket --help 查看用法）"),
    };
}
catch (CliException ex)
{
    await Console.Error.WriteLineAsync($"错误：{ex.Message}");
    return 2;
}
catch (TechMarket.Ranking.RankingInputException ex)
{
    await Console.Error.WriteLineAsync($"错误：{ex.Message}");
    return 2;
}
catch (FileNotFoundException ex)
{
    await Console.Error.WriteLineAsync($"错误：找不到文件：{ex.FileName ?? ex.Message}");
    return 2;
}
catch (DirectoryNotFoundException ex)
{
    await Console.Error.WriteLineAsync($"错误：找不到目录：{QuotedPath(ex.Message)}");
    return 2;
}
catch (UnauthorizedAccessException ex)
{
    await Console.Error.WriteLineAsync($"错误：没有权限访问文件：{QuotedPath(ex.Message)}");
    return 2;
}
catch (IOException ex)
{
    await Console.Error.WriteLineAsync($"错误：无法读写文件：{QuotedPath(ex.Message)}");
    return 2;
}

// .NET's I/O messages are English sentences with the path in single quotes; users see only the path.
static string QuotedPath(string message)
{
    var start = message.IndexOf('\'', StringComparison.Ordinal);
    var end = message.LastIndexOf('\'');
    return start >= 0 && end > start ? message[(start + 1)..end] : message;
}
