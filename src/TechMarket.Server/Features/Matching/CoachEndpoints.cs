using System.Text.Json;
using Microsoft.Extensions.Options;
using TechMarket.Data.Rules;
using TechMarket.Matching;
using TechMarket.Search;
using TechMarket.Server.Infrastructure;

namespace TechMarket.Server.Features.Matching;

/// <summary>
/// Need coaching while a need is edited (需求完善度): score, hints, suggested keywords and field. Reads and writes
/// nothing of the market's records; the field comes from the published achievements in the search index.
/// </summary>
internal static class CoachEndpoints
{
    /// <summary>
    /// The largest body accepted: every text at the form's maxlength (about 20,300 characters), JSON-escaped, fits.
    /// </summary>
    public const int MaxBodyBytes = 128 * 1024;

    public static void MapCoach(this IEndpointRouteBuilder app) =>
        // A JSON body is never bound from a form, so the antiforgery middleware does not apply (as for the other
        // JSON endpoints); cookie sessions are SameSite=Lax and a cross-site form cannot send application/json.
        app.MapPost("/api/needs/coach", CoachAsync)
            .RequireAuthorization(Policies.Member).WithTags("Matching")
            .Accepts<CoachRequest>("application/json").Produces<NeedCoaching>()
            .WithSummary("需求完善度：按草稿内容给出评分、修改提示和建议的关键词与领域（不保存任何内容）");

    /// <summary>The need form's fields as they stand (names as in <see cref="ListingInput"/>).</summary>
    internal sealed record CoachRequest(
        string? Title,
        string? Summary,
        string? Problem,
        string? KeyPoints,
        string? Targets,
        string? Keywords,
        string? Field,
        decimal? BudgetWan,
        string[]? TransferModes,
        DateOnly? ValidUntil);

    private static async Task<IResult> CoachAsync(HttpContext http, SqlSearchIndex index, TimeProvider clock, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        if (!http.Request.HasJsonContentType())
        {
            return Problems.Status(415, Problems.TitleFor(415), "unsupported-media-type");
        }

        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return TooLarge();
        }

        // Read at most one byte past the limit, whatever Content-Length claimed (or when it is absent).
        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(buffer, ct)) > 0)
        {
            body.Write(buffer, 0, read);
            if (body.Length > MaxBodyBytes)
            {
                return TooLarge();
            }
        }

        CoachRequest? request;
        try
        {
            request = body.Length == 0 ? null : JsonSerializer.Deserialize<CoachRequest>(body.GetBuffer().AsSpan(0, (int)body.Length), json.Value.SerializerOptions);
        }
        catch (JsonException ex)
        {
            var where = ex.Path is { Length: > 1 } path ? $"位置：{path}" : "请检查 JSON 的括号、引号和逗号";
            return Problems.Status(400, "请求正文不是有效的 JSON，或字段类型不正确", "bad-json", where);
        }

        if (request is null)
        {
            return Problems.Status(400, "缺少请求正文", "bad-json", "请以 JSON 对象发送需求草稿的各项内容");
        }

        var errors = Validate(request);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var draft = new NeedDraft
        {
            Title = request.Title?.Trim() ?? "",
            Summary = request.Summary?.Trim() ?? "",
            Problem = request.Problem?.Trim() ?? "",
            KeyPoints = request.KeyPoints?.Trim() ?? "",
            Targets = request.Targets?.Trim() ?? "",
            Keywords = ListingRules.SplitKeywords(request.Keywords),
            Field = string.IsNullOrWhiteSpace(request.Field) ? null : request.Field.Trim(),
            BudgetWan = request.BudgetWan,
            TransferModes = [.. (request.TransferModes ?? []).Where(m => !string.IsNullOrWhiteSpace(m))],
            Deadline = request.ValidUntil,
        };
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        return TypedResults.Ok(await NeedCoach.Shared.CoachAsync(draft, today, index, Labels.Fields, ct));
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult TooLarge() =>
        Problems.Status(413, Problems.TitleFor(413), "too-large", $"需求草稿的内容不能超过 {MaxBodyBytes / 1024} KB");

    /// <summary>The limits of the need form (the same as <see cref="ListingRules.Validate"/>), no field required.</summary>
    private static Dictionary<string, string[]> Validate(CoachRequest r)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Text(string key, string label, string? value, int max)
        {
            if (value is { } v && v.Trim().Length > max)
            {
                errors[key] = [$"{label}不能超过 {max} 个字符（当前 {v.Trim().Length} 个）"];
            }
        }

        Text("title", "名称", r.Title, 100);
        Text("summary", "需求描述", r.Summary, 8000);
        Text("problem", "主要问题", r.Problem, 4000);
        Text("keyPoints", "技术关键", r.KeyPoints, 4000);
        Text("targets", "预期目标", r.Targets, 4000);
        Text("keywords", "关键词", r.Keywords, 200);
        if (!string.IsNullOrWhiteSpace(r.Field) && !Labels.Fields.Contains(r.Field.Trim()))
        {
            errors["field"] = [$"未知的领域（可选：{string.Join("、", Labels.Fields)}）"];
        }

        if ((r.TransferModes ?? []).Any(m => m is null || !Labels.TryParseModes(m, out _)))
        {
            errors["transferModes"] = [$"未知的合作方式（可选：{string.Join("、", Labels.TransferModeLabels.Select(t => t.Label))}）"];
        }

        if (r.BudgetWan is < 0 or > ListingRules.MaxAmountWan)
        {
            errors["budgetWan"] = [$"预算应在 0 到 {ListingRules.MaxAmountWan} 万元之间"];
        }

        return errors;
    }
}
