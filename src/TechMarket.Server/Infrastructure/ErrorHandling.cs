using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace TechMarket.Server.Infrastructure;

/// <summary>
/// Turns every exception into RFC 9457 problem details with a Chinese title: malformed requests into 4xx with
/// what went wrong, anything else into a 500 that shows no internals.
/// </summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (status, title, type, detail) = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => (400, "请求正文不是有效的 JSON，或字段类型不正确", "bad-json", Describe(json)),
            BadHttpRequestException bad when bad.StatusCode == 415 => (415, Problems.TitleFor(415), "unsupported-media-type", (string?)null),
            BadHttpRequestException bad when bad.StatusCode == 413 => (413, Problems.TitleFor(413), "too-large", null),
            BadHttpRequestException bad => (bad.StatusCode, "请求格式不正确", "bad-request", TranslateBinding(bad.Message)),
            JsonException json => (400, "请求正文不是有效的 JSON，或字段类型不正确", "bad-json", Describe(json)),
            OperationCanceledException when http.RequestAborted.IsCancellationRequested => (499, "请求已取消", "cancelled", null),

            // A node of the cluster went away mid-call; its grains move to the survivors within seconds.
            MarketStorageException => (503, "数据库暂时无法保存，请稍后重试", "storage-unavailable", "您的修改没有保存"),
            SiloUnavailableException or OrleansMessageRejectionException or TimeoutException =>
                (503, "服务节点正在切换，请稍后重试", "cluster-unavailable", "请几秒后刷新页面，确认当前状态后重试"),
            _ => (500, Problems.TitleFor(500), "internal", null),
        };
        if (status >= 500)
        {
            log.LogError(exception, "Unhandled exception for {Method} {Path}", http.Request.Method, http.Request.Path);
        }

        http.Response.StatusCode = status;
        if (status == 503)
        {
            http.Response.Headers.RetryAfter = "2";
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Type = Problems.TypeBase + type, Detail = detail },
        });
    }

    private static string Describe(JsonException json) =>
        json.Path is { Length: > 0 } path ? $"位置：{path}（第 {json.LineNumber + 1} 行）" : "请检查 JSON 的括号、引号和逗号";

    private static string TranslateBinding(string message) =>
        message.Contains("Required parameter", StringComparison.Ordinal) ? "缺少必需的参数"
        : message.Contains("Failed to bind parameter", StringComparison.Ordinal) ? "参数类型不正确：" + ParameterName(message)
        : message.Contains("Implicit body inferred", StringComparison.Ordinal) || message.Contains("body was not provided", StringComparison.Ordinal) ? "缺少请求正文"
        : "请检查请求的参数和正文";

    private static string ParameterName(string message)
    {
        var start = message.IndexOf('"', StringComparison.Ordinal);
        var end = start >= 0 ? message.IndexOf('"', start + 1) : -1;
        return end > start ? message[(start + 1)..end] : "";
    }
}
