
namespace TechMarket.Market.Contracts;

/// <summary>How a market operation ended.</summary>
[GenerateSerializer]
public enum OpStatus
{
    Ok,
    NotFound,
    Forbidden,
    Conflict,
    Invalid,
}

/// <summary>
/// The outcome of a market operation, returned by the grains and shared by the REST API (mapped to HTTP) and the
/// web UI (shown as a message), so each rule is written once.
/// </summary>
[GenerateSerializer, Immutable]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000", Justification = "OpResult<ListingView>.Conflict(...) reads as the rule it states.")]
public sealed record OpResult<T>
{
    public OpResult(OpStatus status, T? value, string? message, Dictionary<string, string[]>? errors)
    {
        Status = status;
        Value = value;
        Message = message;
        Errors = errors;
    }

    [Id(0)]
    public OpStatus Status { get; init; }

    [Id(1)]
    public T? Value { get; init; }

    /// <summary>A Chinese sentence for the user.</summary>
    [Id(2)]
    public string? Message { get; init; }

    /// <summary>Field errors keyed by the input's camelCase property name.</summary>
    [Id(3)]
    public Dictionary<string, string[]>? Errors { get; init; }

    public bool IsOk => Status == OpStatus.Ok;

    public static OpResult<T> Ok(T value) => new(OpStatus.Ok, value, null, null);

    public static OpResult<T> NotFound(string message = "记录不存在或您无权查看") => new(OpStatus.NotFound, default, message, null);

    public static OpResult<T> Forbidden(string message) => new(OpStatus.Forbidden, default, message, null);

    public static OpResult<T> Conflict(string message) => new(OpStatus.Conflict, default, message, null);

    public static OpResult<T> Invalid(Dictionary<string, string[]> errors, string message = "提交的内容有误，请按提示修改") =>
        new(OpStatus.Invalid, default, message, errors);

    /// <summary>The same failure for another value type.</summary>
    public OpResult<TOther> As<TOther>() => new(Status, default, Message, Errors);
}

/// <summary>
/// The market's database refused or lost a write (it is down, or a constraint failed unexpectedly). Thrown by grains
/// instead of the provider's own exception, which cannot cross between nodes; nothing was saved.
/// </summary>
[GenerateSerializer]
public sealed class MarketStorageException : Exception
{
    public MarketStorageException()
    {
    }

    public MarketStorageException(string message)
        : base(message)
    {
    }

    public MarketStorageException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
