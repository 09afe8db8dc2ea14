namespace TechMarket.Server.Infrastructure;

internal enum OpStatus
{
    Ok,
    NotFound,
    Forbidden,
    Conflict,
    Invalid,
}

/// <summary>
/// The outcome of a market operation, shared by the REST API (mapped to HTTP) and the web UI (shown as a message),
/// so each rule is written once.
/// </summary>
internal sealed record OpResult<T>(OpStatus Status, T? Value, string? Message, IDictionary<string, string[]>? Errors)
{
    public static OpResult<T> Ok(T value) => new(OpStatus.Ok, value, null, null);

    public static OpResult<T> NotFound(string message = "记录不存在或您无权查看") => new(OpStatus.NotFound, default, message, null);

    public static OpResult<T> Forbidden(string message) => new(OpStatus.Forbidden, default, message, null);

    public static OpResult<T> Conflict(string message) => new(OpStatus.Conflict, default, message, null);

    public static OpResult<T> Invalid(IDictionary<string, string[]> errors, string message = "提交的内容有误，请按提示修改") =>
        new(OpStatus.Invalid, default, message, errors);

    public bool IsOk => Status == OpStatus.Ok;
}
