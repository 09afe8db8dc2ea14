using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Server.Infrastructure;

namespace TechMarket.Server.Features.Listings;

/// <summary>
/// /api/needs and /api/achievements: the same lifecycle for both kinds. Writes take the listing's version in
/// If-Match (as returned in ETag and in the body) so that concurrent edits end in 409, never a silent overwrite.
/// </summary>
internal static class ListingEndpoints
{
    public static void MapListings(this IEndpointRouteBuilder app)
    {
        MapKind(app, "/api/needs", "Needs", needs: true);
        MapKind(app, "/api/achievements", "Achievements", needs: false);
        app.MapGet("/api/achievements/{id:long}/price-guidance", async (long id, HttpContext http, ListingService svc, CancellationToken ct) =>
                await svc.PriceGuidanceAsync(id, Actors.From(http.User), ct) is { } guidance ? Results.Ok(guidance) : Problems.NotFound())
            .WithTags("Achievements").AllowAnonymous()
            .WithSummary("参考价：可比的已登记技术合同的核定技术交易额（最低、中位、最高）和笔数；不足 3 笔时不提供");
    }

    private static void MapKind(IEndpointRouteBuilder app, string prefix, string tag, bool needs)
    {
        var group = app.MapGroup(prefix).WithTags(tag).RequireAuthorization(Policies.Member);
        group.MapGet("/", ([AsParameters] BrowseQuery query, ListingService svc, CancellationToken ct) => Browse(needs, query, svc, ct))
            .AllowAnonymous().CacheOutput(PublicPageCache.Policy).WithSummary(needs ? "浏览已发布的技术需求" : "浏览已发布的科技成果");
        group.MapGet("/{id:long}", (long id, HttpContext http, ListingService svc, CancellationToken ct) => GetById(needs, id, http, svc, ct))
            .AllowAnonymous().CacheOutput(PublicPageCache.Policy).WithSummary("查看一条信息");
        group.MapGet("/mine", ([AsParameters] MineQuery query, HttpContext http, ListingService svc, CancellationToken ct) => Mine(needs, query, http, svc, ct))
            .WithSummary("本机构的全部信息");
        group.MapPost("/", (ListingInput input, HttpContext http, ListingService svc, CancellationToken ct) => Create(needs, input, http, svc, ct))
            .WithSummary("新建草稿");
        group.MapPut("/{id:long}", (long id, ListingInput input, HttpContext http, ListingService svc, CancellationToken ct) =>
            Change(http, (a, v) => svc.UpdateAsync(a, needs, id, v, input))).WithSummary("修改");
        group.MapPost("/{id:long}/submit", (long id, HttpContext http, ListingService svc, CancellationToken ct) =>
            Change(http, (a, v) => svc.SubmitAsync(a, needs, id, v))).WithSummary("提交审核");
        group.MapPost("/{id:long}/withdraw", (long id, HttpContext http, ListingService svc, CancellationToken ct) =>
            Change(http, (a, v) => svc.WithdrawAsync(a, needs, id, v))).WithSummary("撤回");
        group.MapPost("/{id:long}/close", (long id, HttpContext http, ListingService svc, CancellationToken ct) =>
            Change(http, (a, v) => svc.CloseAsync(a, needs, id, v))).WithSummary("标记为成交关闭");
        group.MapDelete("/{id:long}", (long id, HttpContext http, ListingService svc, CancellationToken ct) => Delete(needs, id, http, svc, ct))
            .WithSummary("删除草稿");
    }

    internal sealed record BrowseQuery(string? Q, string? Field, string? District, string? Maturity, string? Mode, bool? Challenge, int? Page, int? PageSize)
    {
        public ListingFilter ToFilter() => new()
        {
            Q = Q,
            Field = Field,
            District = District,
            Maturity = Maturity,
            Mode = Mode,
            Challenge = Challenge,
            Page = Page ?? 1,
            PageSize = PageSize ?? 20,
        };
    }

    internal sealed record MineQuery(string? Status, int? Page, int? PageSize);

    private static async Task<Results<Ok<Paged<ListingView>>, ValidationProblem>> Browse(bool needs, BrowseQuery query, ListingService svc, CancellationToken ct)
    {
        var filter = query.ToFilter();
        var errors = ListingService.ValidateFilter(filter);
        return errors is not null ? Problems.Invalid(errors, "查询条件有误") : TypedResults.Ok(await svc.BrowseAsync(needs, filter, ct));
    }

    private static async Task<Results<Ok<ListingView>, ProblemHttpResult>> GetById(bool needs, long id, HttpContext http, ListingService svc, CancellationToken ct)
    {
        var view = await svc.GetAsync(needs, id, Actors.From(http.User), ct);
        if (view is null)
        {
            return Problems.NotFound();
        }

        http.Response.Headers.ETag = ETag(view.Version);
        return TypedResults.Ok(view);
    }

    private static async Task<Results<Ok<Paged<ListingView>>, ValidationProblem>> Mine(bool needs, MineQuery query, HttpContext http, ListingService svc, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        ListingStatus? status = null;
        if (!string.IsNullOrEmpty(query.Status))
        {
            if (Enum.TryParse<ListingStatus>(query.Status, ignoreCase: true, out var s) && Enum.IsDefined(s) && !int.TryParse(query.Status, CultureInfo.InvariantCulture, out _))
            {
                status = s;
            }
            else
            {
                errors["status"] = [$"未知的状态：{query.Status}"];
            }
        }

        var page = query.Page ?? 1;
        var pageSize = query.PageSize ?? 20;
        if (!Paging.IsValid(page, pageSize))
        {
            errors["page"] = [$"页码应从 1 开始，每页条数应在 1 到 {ListingService.MaxPageSize} 之间"];
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors, "查询条件有误");
        }

        return TypedResults.Ok(await svc.MineAsync(Actors.From(http.User)!, needs, status, page, pageSize, ct));
    }

    private static async Task<IResult> Create(bool needs, ListingInput input, HttpContext http, ListingService svc, CancellationToken ct)
    {
        var result = await svc.CreateAsync(Actors.From(http.User)!, needs, input);
        if (!result.IsOk)
        {
            return Problems.From(result);
        }

        http.Response.Headers.ETag = ETag(result.Value!.Version);
        return TypedResults.Created($"/api/{(needs ? "needs" : "achievements")}/{result.Value.Id}", result.Value);
    }

    internal static async Task<IResult> Change(HttpContext http, Func<Actor, long, Task<OpResult<ListingView>>> op)
    {
        if (!TryReadVersion(http, out var version, out var problem))
        {
            return problem!;
        }

        var result = await op(Actors.From(http.User)!, version);
        if (!result.IsOk)
        {
            return Problems.From(result);
        }

        http.Response.Headers.ETag = ETag(result.Value!.Version);
        return TypedResults.Ok(result.Value);
    }

    private static async Task<IResult> Delete(bool needs, long id, HttpContext http, ListingService svc, CancellationToken ct)
    {
        if (!TryReadVersion(http, out var version, out var problem))
        {
            return problem!;
        }

        var result = await svc.DeleteDraftAsync(Actors.From(http.User)!, needs, id, version);
        return result.IsOk ? TypedResults.NoContent() : Problems.From(result);
    }

    internal static string ETag(long version) => string.Create(CultureInfo.InvariantCulture, $"\"{version}\"");

    /// <summary>Reads the expected version from If-Match ("3", W/"3" or 3).</summary>
    internal static bool TryReadVersion(HttpContext http, out long version, out IResult? problem)
    {
        version = 0;
        problem = null;
        var header = http.Request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0)
        {
            problem = Problems.Status(428, Problems.TitleFor(428), "precondition-required", "请在 If-Match 请求头中提供当前版本号（取自 ETag 或 version 字段）");
            return false;
        }

        if (header.StartsWith("W/", StringComparison.Ordinal))
        {
            header = header[2..];
        }

        if (!long.TryParse(header.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out version))
        {
            problem = Problems.Status(400, "版本号格式不正确", "bad-version", "If-Match 应为 ETag 中的版本号，例如 \"3\"");
            return false;
        }

        return true;
    }
}
