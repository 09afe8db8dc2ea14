using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using TechMarket.Data.Indexing;

namespace TechMarket.Cli.Commands;

/// <summary><c>techmarket reindex [--db F | --postgres CS]</c>: rebuilds the search index from the market's records.</summary>
internal static class ReindexCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = CliArgs.Parse(args, DatabaseTarget.OptionNames);
        var target = DatabaseTarget.From(options);
        await using var db = await target.OpenUpgradedAsync();
        using var index = SearchIndexer.OpenIndex(target.Options);
        var indexer = new SearchIndexer(index);
        var watch = Stopwatch.StartNew();
        int count;
        if (DatabaseTarget.Interactive)
        {
            count = await AnsiConsole.Progress().StartAsync(async ctx =>
            {
                var bar = ctx.AddTask("重建检索索引", maxValue: 1);
                var progress = new Progress<(int Done, int Total)>(p =>
                {
                    bar.MaxValue = Math.Max(1, p.Total);
                    bar.Value = p.Done;
                });
                var n = await indexer.RebuildAsync(db, progress);
                bar.Value = bar.MaxValue;
                return n;
            });
        }
        else
        {
            count = await indexer.RebuildAsync(db);
        }

        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"已重建检索索引：{count} 条已发布信息（用时 {watch.Elapsed.TotalSeconds:F1} 秒）：{target.Describe()}"));
        return 0;
    }
}
