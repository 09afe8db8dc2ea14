using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using TechMarket.Data.Seeding;

namespace TechMarket.Cli.Commands;

/// <summary><c>techmarket seed [--scale 1.0] [--seed N]</c>: writes the demo market (示例数据) into an empty database.</summary>
internal static class SeedCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = CliArgs.Parse(args, [.. DatabaseTarget.OptionNames, "--scale", "--seed", "--texts"]);
        var target = DatabaseTarget.From(options);
        var demo = new DemoMarketOptions
        {
            Scale = options.GetDouble("--scale", 1.0, 0.01, 100),
            Seed = options.GetInt("--seed", new DemoMarketOptions().Seed),
            AchievementTextPath = options.Get("--texts") is { } texts ? CliArgs.ExistingFile(texts) : null,
        };

        await using var db = await target.OpenUpgradedAsync();
        var watch = Stopwatch.StartNew();
        DemoMarketResult result;
        if (DatabaseTarget.Interactive)
        {
            result = await AnsiConsole.Progress().StartAsync(async ctx =>
            {
                var bar = ctx.AddTask("生成示例数据", maxValue: 1);
                var progress = new Progress<DemoMarketProgress>(p =>
                {
                    bar.Description = p.Step;
                    bar.Value = p.Total == 0 ? 0 : (double)p.Done / p.Total;
                });
                var r = await DemoMarket.SeedAsync(db, demo, progress);
                bar.Value = 1;
                return r;
            });
        }
        else
        {
            result = await DemoMarket.SeedAsync(db, demo);
        }

        if (!result.Seeded)
        {
            await Console.Error.WriteLineAsync($"提示：{result.Message}：{target.Describe()}");
            return 1;
        }

        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{result.Message}（用时 {watch.Elapsed.TotalSeconds:F1} 秒）：{target.Describe()}"));
        await Console.Out.WriteLineAsync($"示例账号（密码均为 {DemoMarket.Password}）：{string.Join("、", DemoMarket.Accounts.Select(a => a.Email))}");
        return 0;
    }
}
