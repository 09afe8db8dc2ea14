using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Server.Infrastructure;

namespace TechMarket.Server.Features.Alerts;

/// <summary>Saved searches with alerts, and marking the inbox's notices read.</summary>
internal static class AlertEndpoints
{
    public static void MapAlerts(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/saved-searches").WithTags("Matching").RequireAuthorization(Policies.SignedIn);
        group.MapGet("/", async (HttpContext http, SavedSearchService svc, CancellationToken ct) =>
            TypedResults.Ok(await svc.MineAsync(Actors.From(http.User)!.UserId, ct))).WithSummary("我保存的搜索");
        group.MapPost("/", Save).WithSummary("保存搜索：有新发布的信息包含全部搜索词（并符合所选类型、领域、区县）时，站内消息和邮件提醒");
        group.MapDelete("/{id:long}", async (long id, HttpContext http, SavedSearchService svc, CancellationToken ct) =>
            await svc.DeleteAsync(Actors.From(http.User)!.UserId, id, ct) ? Results.NoContent() : Problems.NotFound()).WithSummary("删除保存的搜索（不再提醒）");

        app.MapPost("/api/notifications/read-all", async (HttpContext http, MarketDb db, TimeProvider clock, CancellationToken ct) =>
            {
                var user = Actors.From(http.User)!.UserId;
                await db.Notifications.Where(n => n.UserId == user && n.ReadAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, clock.GetUtcNow().UtcDateTime), ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.SignedIn).WithTags("Matching").WithSummary("全部标为已读");
    }

    private static async Task<IResult> Save(SavedSearchRequest request, HttpContext http, SavedSearchService svc, CancellationToken ct)
    {
        var (saved, errors) = await svc.SaveAsync(Actors.From(http.User)!.UserId, request, ct);
        return saved is null ? Problems.Invalid(errors) : TypedResults.Created($"/api/saved-searches/{saved.Id}", saved);
    }
}
