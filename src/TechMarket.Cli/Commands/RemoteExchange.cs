using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Refit;
using TechMarket.Client;

namespace TechMarket.Cli.Commands;

/// <summary>
/// <c>import</c> and <c>export</c> against a running server (<c>--server URL</c>) through the typed client, for operators
/// who have an account but no access to the database file.
/// </summary>
internal static class RemoteExchange
{
    private static readonly string[] Options = ["--server", "--email", "--password", "--kind", "--file", "--format", "--mode", "--output", "--status"];

    public static bool Requested(string[] args) => args.Any(a => a == "--server" || a.StartsWith("--server=", StringComparison.Ordinal));

    public static async Task<int> ImportAsync(string[] args)
    {
        var options = CliArgs.Parse(args, Options);
        var kind = Kind(options.Require("--kind"));
        var file = CliArgs.ExistingFile(options.Require("--file"));
        _ = ImportCommand.ParseFormat(options.Get("--format"), file);
        var mode = options.Get("--mode") ?? "all";
        if (mode is not ("all" or "valid"))
        {
            throw new CliException($"--mode 的取值无效：{mode}（可选 all、valid）");
        }

        using var api = await SignInAsync(options, required: true);
        await using var stream = File.OpenRead(file);
        using var content = new MultipartFormDataContent();
        var part = new StreamContent(stream);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(part, "file", Path.GetFileName(file));
        using var response = await Call(() => api.ImportAsync(kind, mode, content));
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var report = response.StatusCode == HttpStatusCode.UnprocessableEntity && json.TryGetProperty("report", out var r) ? r : json;
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.UnprocessableEntity)
        {
            throw new CliException(ProblemText(json, response.StatusCode));
        }

        foreach (var error in report.GetProperty("errors").EnumerateArray())
        {
            await Console.Out.WriteLineAsync(error.GetString());
        }

        var imported = report.GetProperty("imported").GetInt32();
        var total = report.GetProperty("totalRows").GetInt32();
        await Console.Out.WriteLineAsync(report.GetProperty("committed").GetBoolean()
            ? $"共 {total} 行，已导入 {imported} 行为草稿"
            : $"共 {total} 行，有错误，未导入任何行（改正后重试，或用 --mode valid 只导入正确的行）");
        return report.GetProperty("errors").GetArrayLength() == 0 ? 0 : 1;
    }

    public static async Task<int> ExportAsync(string[] args)
    {
        var options = CliArgs.Parse(args, Options);
        var kind = Kind(options.Require("--kind"));
        var output = options.Require("--output");
        var format = (options.Get("--format") ?? Path.GetExtension(output).TrimStart('.').ToLowerInvariant()) switch
        {
            "csv" => "csv",
            "xlsx" => "xlsx",
            var other => throw new CliException($"无法确定导出格式：{other}（请用 --format csv 或 --format xlsx）"),
        };
        var mine = (options.Get("--status") ?? "published") switch
        {
            "published" => false,
            "all" => true,
            var other => throw new CliException($"--status 的取值无效：{other}（可选 published、all）"),
        };

        using var api = await SignInAsync(options, required: mine);
        var directory = Path.GetDirectoryName(Path.GetFullPath(output))!;
        if (!Directory.Exists(directory))
        {
            throw new CliException($"找不到目录：{directory}");
        }

        await using var body = await Call(() => mine ? api.ExportMineAsync(kind, format) : api.ExportPublishedAsync(kind, format));
        var temp = output + ".part";
        await using (var file = File.Create(temp))
        {
            await body.CopyToAsync(file);
        }

        File.Move(temp, output, overwrite: true);
        await Console.Out.WriteLineAsync($"已导出到 {output}");
        return 0;
    }

    private static async Task<ITechMarketApi> SignInAsync(CliArgs options, bool required)
    {
        var server = options.Require("--server");
        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new CliException($"--server 应为服务地址，例如 http://127.0.0.1:5080（收到：{server}）");
        }

        var api = TechMarketClient.For(uri);
        var email = options.Get("--email");
        if (email is null)
        {
            return required ? throw new CliException("连接服务时需要登录：请提供 --email，并用 --password 或环境变量 TECHMARKET_PASSWORD 提供密码") : api;
        }

        var password = options.Get("--password") ?? Environment.GetEnvironmentVariable("TECHMARKET_PASSWORD")
            ?? throw new CliException("请用 --password 或环境变量 TECHMARKET_PASSWORD 提供密码");
        await Call(() => api.SignInAsync(email, password));
        return api;
    }

    private static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (ApiException ex)
        {
            var text = ex.Content is { Length: > 0 } c && c.TrimStart().StartsWith('{') ? ProblemText(JsonDocument.Parse(c).RootElement, ex.StatusCode) : $"服务返回 {(int)ex.StatusCode}";
            throw new CliException(text);
        }
        catch (HttpRequestException ex)
        {
            throw new CliException($"无法连接服务：{ex.Message}");
        }
    }

    private static string ProblemText(JsonElement problem, HttpStatusCode status)
    {
        var title = problem.TryGetProperty("title", out var t) ? t.GetString() : null;
        var detail = problem.TryGetProperty("detail", out var d) ? d.GetString() : null;
        return string.Create(CultureInfo.InvariantCulture, $"服务返回 {(int)status}：{title}{(detail is null ? "" : "（" + detail + "）")}");
    }

    private static string Kind(string kind) => ImportCommand.ParseKind(kind) ? TechMarketClient.Needs : TechMarketClient.Achievements;
}
