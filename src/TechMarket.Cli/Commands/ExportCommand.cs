using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;
using TechMarket.Data.Exchange;
using TechMarket.Data.Model;

namespace TechMarket.Cli.Commands;

/// <summary><c>techmarket export --kind need|achievement --output F [--status published|all] [--format csv|xlsx]</c>.</summary>
internal static class ExportCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (RemoteExchange.Requested(args))
        {
            return await RemoteExchange.ExportAsync(args);
        }

        var options = CliArgs.Parse(args, [.. DatabaseTarget.OptionNames, "--kind", "--output", "--status", "--format"]);
        var needs = ImportCommand.ParseKind(options.Require("--kind"));
        var output = Path.GetFullPath(options.Require("--output"));
        var format = ImportCommand.ParseFormat(options.Get("--format"), output);
        var publishedOnly = options.Get("--status") switch
        {
            null or "published" => true,
            "all" => false,
            var other => throw new CliException($"--status 的取值无效：{other}（可选 published：只导出已发布；all：全部状态）"),
        };
        var dir = Path.GetDirectoryName(output);
        if (!string.IsNullOrEmpty(dir) && !Directory.Exists(dir))
        {
            throw new CliException($"找不到目录：{dir}");
        }

        var target = DatabaseTarget.From(options);
        await using var db = await target.OpenUpgradedAsync();
        IQueryable<Listing> query = needs
            ? db.Needs.Include(n => n.Organisation)
            : db.Achievements.Include(a => a.Organisation);
        if (publishedOnly)
        {
            query = query.Where(l => l.Status == ListingStatus.Published);
        }

        var counter = new int[1];
        var temp = output + ".part";
        try
        {
            await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024))
            {
                var rows = Count(query.OrderBy(l => l.Id).AsNoTracking().AsAsyncEnumerable(), counter);
                if (DatabaseTarget.Interactive)
                {
                    await AnsiConsole.Status().StartAsync("导出中…", _ => ListingExporter.ExportAsync(rows, needs, stream, format));
                }
                else
                {
                    await ListingExporter.ExportAsync(rows, needs, stream, format);
                }
            }

            File.Move(temp, output, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }

        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"已导出 {counter[0]} 条{(needs ? "技术需求" : "科技成果")}到 {output}"));
        return 0;
    }

    private static async IAsyncEnumerable<Listing> Count(IAsyncEnumerable<Listing> source, int[] counter, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var item in source.WithCancellation(ct))
        {
            counter[0]++;
            yield return item;
        }
    }
}
