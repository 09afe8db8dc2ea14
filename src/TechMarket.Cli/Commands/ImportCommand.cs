using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;
using TechMarket.Data;
using TechMarket.Data.Exchange;

namespace TechMarket.Cli.Commands;

/// <summary>
/// <c>techmarket import --kind need|achievement --file F --org ID_OR_CREDIT_CODE [--format csv|xlsx] [--mode all|valid] [--user EMAIL]</c>:
/// rows become drafts of the organisation, in one transaction, with a row-by-row report.
/// </summary>
internal static class ImportCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (RemoteExchange.Requested(args))
        {
            return await RemoteExchange.ImportAsync(args);
        }

        var options = CliArgs.Parse(args, [.. DatabaseTarget.OptionNames, "--kind", "--file", "--org", "--format", "--mode", "--user"]);
        var needs = ParseKind(options.Require("--kind"));
        var file = CliArgs.ExistingFile(options.Require("--file"));
        var format = ParseFormat(options.Get("--format"), file);
        var org = options.Require("--org");
        var mode = options.Get("--mode") switch
        {
            null or "all" => ImportMode.AllOrNothing,
            "valid" => ImportMode.ValidRowsOnly,
            var other => throw new CliException($"--mode 的取值无效：{other}（可选 all：全部正确才导入；valid：只导入正确的行）"),
        };
        var target = DatabaseTarget.From(options);
        await using var db = await target.OpenUpgradedAsync();
        var orgId = await ResolveOrganisationAsync(db, org);
        var userId = await ResolveUserAsync(db, orgId, options.Get("--user"));
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
        var watch = Stopwatch.StartNew();
        ImportReport report;
        try
        {
            if (DatabaseTarget.Interactive)
            {
                report = await AnsiConsole.Progress().StartAsync(async ctx =>
                {
                    var bar = ctx.AddTask("导入中", maxValue: Math.Max(1, stream.Length));
                    var progress = new Progress<int>(rows =>
                    {
                        bar.Description = $"导入中（已读取 {rows} 行）";
                        bar.Value = Math.Min(bar.MaxValue, stream.Position);
                    });
                    var r = await ListingImporter.ImportAsync(db, stream, format, needs, orgId, userId, mode, today, progress);
                    bar.Value = bar.MaxValue;
                    return r;
                });
            }
            else
            {
                var next = 10_000;
                var progress = new SynchronousProgress(rows =>
                {
                    if (rows >= next)
                    {
                        Console.Out.WriteLine($"已读取 {rows} 行…");
                        Console.Out.Flush();
                        next += 10_000;
                    }
                });
                report = await ListingImporter.ImportAsync(db, stream, format, needs, orgId, userId, mode, today, progress);
            }
        }
        catch (ExchangeException ex)
        {
            throw new CliException(ex.Message);
        }

        foreach (var error in report.Errors)
        {
            await Console.Out.WriteLineAsync(error.ToString());
        }

        var seconds = watch.Elapsed.TotalSeconds;
        var summary = report.Committed
            ? $"共 {report.TotalRows} 行，已导入 {report.Imported} 行为草稿，{report.Errors.Count} 处错误"
            : $"共 {report.TotalRows} 行，{report.Errors.Count} 处错误：未导入任何行（全部正确才导入；改正后重试，或用 --mode valid 只导入正确的行）";
        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{summary}（用时 {seconds:F1} 秒）"));
        return report.Errors.Count == 0 ? 0 : 1;
    }

    internal static bool ParseKind(string kind) => kind switch
    {
        "need" or "needs" => true,
        "achievement" or "achievements" => false,
        _ => throw new CliException($"--kind 的取值无效：{kind}（可选 need：技术需求；achievement：科技成果）"),
    };

    internal static ExchangeFormat ParseFormat(string? format, string file) =>
        format is null
            ? ExchangeFormats.FromFileName(file) ?? throw new CliException($"无法从文件名判断格式：{file}（请用 --format csv 或 --format xlsx 指定）")
            : ExchangeFormats.Parse(format) ?? throw new CliException($"--format 的取值无效：{format}（可选 csv、xlsx）");

    private static async Task<long> ResolveOrganisationAsync(MarketDb db, string org)
    {
        if (long.TryParse(org, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && org.Length < 18)
        {
            return await db.Organisations.AnyAsync(o => o.Id == id) ? id : throw new CliException($"机构不存在：编号 {id}");
        }

        var code = org.Trim().ToUpperInvariant();
        var found = await db.Organisations.Where(o => o.CreditCode == code).Select(o => (long?)o.Id).SingleOrDefaultAsync();
        return found ?? throw new CliException($"机构不存在：统一社会信用代码 {org}");
    }

    private static async Task<long> ResolveUserAsync(MarketDb db, long orgId, string? email)
    {
        if (email is not null)
        {
            var normalized = email.Trim().ToUpperInvariant();
            return await db.Users.Where(u => u.NormalizedEmail == normalized).Select(u => (long?)u.Id).SingleOrDefaultAsync()
                ?? throw new CliException($"用户不存在：{email}");
        }

        return await db.Users.Where(u => u.OrganisationId == orgId).OrderBy(u => u.Id).Select(u => (long?)u.Id).FirstOrDefaultAsync()
            ?? throw new CliException("该机构没有成员账号，请用 --user 指定导入人（邮箱）");
    }

    /// <summary>Reports on the calling thread, so plain progress lines appear while the import runs.</summary>
    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
