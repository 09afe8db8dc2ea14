using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace TechMarket.Server.Infrastructure;

/// <summary>RFC 9457 problem details with Chinese titles a user can act on, and a stable machine-readable type.</summary>
internal static class Problems
{
    public const string TypeBase = "https://techmarket.example/problems/";

    public static ProblemHttpResult Status(int status, string title, string type, string? detail = null) =>
        TypedResults.Problem(new ProblemDetails
        {
            Status = status,
            Title = title,
            Type = TypeBase + type,
            Detail = detail,
        });

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors, string title = "提交的内容有误，请按提示修改") =>
        TypedResults.ValidationProblem(errors, title: title, type: TypeBase + "validation");

    public static ProblemHttpResult NotFound(string? detail = null) => Status(404, "记录不存在或您无权查看", "not-found", detail);

    public static ProblemHttpResult Forbidden(string detail) => Status(403, "没有权限执行此操作", "forbidden", detail);

    public static ProblemHttpResult Conflict(string detail) => Status(409, "操作与当前状态冲突", "conflict", detail);

    /// <summary>Maps a failed operation to its HTTP problem.</summary>
    public static IResult From<T>(OpResult<T> result) => result.Status switch
    {
        OpStatus.NotFound => NotFound(result.Message),
        OpStatus.Forbidden => Forbidden(result.Message ?? ""),
        OpStatus.Conflict => Conflict(result.Message ?? ""),
        OpStatus.Invalid => Invalid(result.Errors ?? new Dictionary<string, string[]>(), result.Message ?? "提交的内容有误，请按提示修改"),
        _ => throw new ArgumentException("not a failure", nameof(result)),
    };

    /// <summary>The Chinese title for a bare status code produced by the framework (415, 405, 401 …).</summary>
    public static string TitleFor(int status) => status switch
    {
        400 => "请求格式不正确",
        401 => "请先登录",
        403 => "没有权限执行此操作",
        404 => "请求的地址或记录不存在",
        405 => "不支持该请求方法",
        406 => "无法提供所请求的格式",
        409 => "操作与当前状态冲突",
        411 => "缺少请求长度",
        413 => "请求内容过大",
        415 => "不支持的内容类型，请使用 application/json",
        428 => "缺少版本号（If-Match），请刷新后重试",
        429 => "请求过于频繁，请稍后再试",
        500 => "服务器内部错误，请稍后再试",
        _ => "请求未能完成",
    };
}
