using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Server.Infrastructure;

namespace TechMarket.Server.Features.Matching;

/// <summary>Suggestions, interest (我感兴趣), declines with a reason, the inbox and notifications.</summary>
internal static class MatchEndpoints
{
    public const int MaxTop = 50;

    public static void MapMatching(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/needs/{id:long}/suggestions", (long id, int? top, HttpContext http, MatchService svc, CancellationToken ct) => Suggestions(id, true, top, http, svc, ct))
            .RequireAuthorization(Policies.SignedIn).WithTags("Matching").WithSummary("为需求推荐的科技成果（附推荐理由）：需求方、技术经纪人、组织方可见");
        app.MapGet("/api/achievements/{id:long}/suggestions", (long id, int? top, HttpContext http, MatchService svc, CancellationToken ct) => Suggestions(id, false, top, http, svc, ct))
            .RequireAuthorization(Policies.SignedIn).WithTags("Matching").WithSummary("与科技成果匹配的技术需求：成果方、技术经纪人、组织方可见");

        app.MapGet("/api/organisations/{id:long}/suppliers", Suppliers)
            .RequireAuthorization(Policies.SignedIn).WithTags("Matching").WithSummary("适合本机构技术需求的院所（按其成果与各项需求的匹配汇总）：本机构成员、技术经纪人、组织方可见");

        var group = app.MapGroup("/api/matches").WithTags("Matching");
        group.MapPost("/interest", Interest).RequireAuthorization(Policies.Member).WithSummary("我感兴趣：表达合作意向（可附留言）");
        group.MapPost("/decline", Decline).RequireAuthorization(Policies.Member).WithSummary("婉拒（须选择原因）");
        group.MapGet("/inbox", Inbox).RequireAuthorization(Policies.Member).WithSummary("收到的合作意向（待回应）");
        group.MapGet("/mine", Mine).RequireAuthorization(Policies.Member).WithSummary("本机构参与的全部撮合");
        group.MapGet("/{id:long}", Get).RequireAuthorization(Policies.SignedIn).WithSummary("撮合详情；双方均有意向后可见对方联系人");

        app.MapGet("/api/admin/match-model", (MatchModelHolder models) =>
            {
                var current = models.Current;
                return TypedResults.Ok(new MatchModelView(models.Path, current?.Name, current is null ? null : models.LoadedStamp));
            })
            .RequireAuthorization(Policies.Admin).WithTags("Admin").WithSummary("当前使用的撮合模型（文件更新后数秒内自动载入）");

        var notes = app.MapGroup("/api/notifications").WithTags("Matching").RequireAuthorization(Policies.SignedIn);
        notes.MapGet("/", Notifications).WithSummary("站内消息，最新的在前");
        notes.MapPost("/{id:long}/read", MarkRead).WithSummary("标为已读");
    }

    internal sealed record InterestRequest(long NeedId, long AchievementId, string? Message);

    internal sealed record DeclineRequest(long NeedId, long AchievementId, string? Reason, string? Note);

    internal sealed record MatchModelView(string? Path, string? Model, DateTime? FileTime);

    internal sealed record NotificationView(long Id, string Kind, string Title, string Body, string Link, DateTime CreatedAt, bool Read);

    private static async Task<IResult> Suggestions(long id, bool needs, int? top, HttpContext http, MatchService svc, CancellationToken ct)
    {
        if (top is < 1 or > MaxTop)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["top"] = [$"推荐条数应在 1 到 {MaxTop} 之间"] });
        }

        var actor = Actors.From(http.User);
        var (listing, suggestions) = await svc.SuggestAsync(id, needs, actor, top ?? 10, ct);
        if (listing is null || (listing.Status != ListingStatus.Published && actor?.OrganisationId != listing.OrganisationId && actor?.IsReviewer != true))
        {
            return Problems.NotFound();
        }

        if (!MatchService.MaySeeSuggestions(actor, listing))
        {
            return Problems.Forbidden("只有发布方、技术经纪人和组织方可以查看推荐");
        }

        return TypedResults.Ok(suggestions);
    }

    private static async Task<IResult> Suppliers(long id, int? top, HttpContext http, MatchService svc, MarketDb db, CancellationToken ct)
    {
        if (top is < 1 or > MaxTop)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["top"] = [$"推荐条数应在 1 到 {MaxTop} 之间"] });
        }

        if (!await db.Organisations.AnyAsync(o => o.Id == id, ct))
        {
            return Problems.NotFound();
        }

        return MatchService.MaySeeSuppliers(Actors.From(http.User), id)
            ? TypedResults.Ok(await svc.SuppliersAsync(id, top ?? 10, ct))
            : Problems.Forbidden("只有本机构成员、技术经纪人和组织方可以查看推荐的院所");
    }

    private static async Task<IResult> Interest(InterestRequest request, HttpContext http, MatchService svc, CancellationToken ct)
    {
        var result = await svc.InterestAsync(Actors.From(http.User)!, request.NeedId, request.AchievementId, request.Message, ct);
        return result.IsOk ? TypedResults.Ok(result.Value) : Problems.From(result);
    }

    private static async Task<IResult> Decline(DeclineRequest request, HttpContext http, MatchService svc)
    {
        var reason = ParseReason(request.Reason);
        var result = await svc.DeclineAsync(Actors.From(http.User)!, request.NeedId, request.AchievementId, reason, request.Note);
        return result.IsOk ? TypedResults.Ok(result.Value) : Problems.From(result);
    }

    /// <summary>A reason by its name (NotRelevant …) or its label (不相关 …); None when unknown.</summary>
    public static DeclineReason ParseReason(string? text) =>
        Labels.DeclineReasons.FirstOrDefault(r => string.Equals(r.ToString(), text?.Trim(), StringComparison.OrdinalIgnoreCase) || Labels.Of(r) == text?.Trim());

    private static async Task<IResult> Inbox(HttpContext http, MatchService svc, CancellationToken ct) =>
        TypedResults.Ok(await svc.InboxAsync(Actors.From(http.User)!, ct));

    private static async Task<IResult> Mine(HttpContext http, MatchService svc, CancellationToken ct) =>
        TypedResults.Ok(await svc.MineAsync(Actors.From(http.User)!, ct));

    private static async Task<IResult> Get(long id, HttpContext http, MatchService svc, CancellationToken ct)
    {
        var result = await svc.GetAsync(Actors.From(http.User)!, id, ct);
        return result.IsOk ? TypedResults.Ok(result.Value) : Problems.From(result);
    }

    private static async Task<IResult> Notifications(HttpContext http, MarketDb db, CancellationToken ct)
    {
        var user = Actors.From(http.User)!.UserId;
        var items = await db.Notifications.AsNoTracking().Where(n => n.UserId == user).OrderByDescending(n => n.Id).Take(100)
            .Select(n => new NotificationView(n.Id, n.Kind, n.Title, n.Body, n.Link, n.CreatedAt, n.ReadAt != null)).ToListAsync(ct);
        return TypedResults.Ok(items);
    }

    private static async Task<IResult> MarkRead(long id, HttpContext http, MarketDb db, TimeProvider clock, CancellationToken ct)
    {
        var user = Actors.From(http.User)!.UserId;
        var updated = await db.Notifications.Where(n => n.Id == id && n.UserId == user && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, clock.GetUtcNow().UtcDateTime), ct);
        return updated > 0 || await db.Notifications.AnyAsync(n => n.Id == id && n.UserId == user, ct) ? TypedResults.NoContent() : Problems.NotFound();
    }
}
