using Microsoft.AspNetCore.Http.HttpResults;
using TechMarket.Server.Features.Listings;
using TechMarket.Server.Infrastructure;

namespace TechMarket.Server.Features.Review;

/// <summary>审核: organisers and admins publish submitted listings or return them with reasons.</summary>
internal static class ReviewEndpoints
{
    public static RouteGroupBuilder MapReview(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/review").WithTags("Review").RequireAuthorization(Policies.Reviewer);
        group.MapGet("/queue", Queue).WithSummary("待审核队列（先提交的在前）");
        group.MapPost("/{id:long}/publish", Publish).WithSummary("审核通过并发布");
        group.MapPost("/{id:long}/return", Return).WithSummary("退回整改（须写明原因）");
        return group;
    }

    internal sealed record ReturnRequest(string? Note);

    private static async Task<Results<Ok<Paged<ListingView>>, ValidationProblem>> Queue(string? kind, int? page, int? pageSize, ListingService svc, CancellationToken ct)
    {
        bool? needs = kind switch
        {
            null or "" => null,
            "need" => true,
            "achievement" => false,
            _ => default(bool?),
        };
        var p = page ?? 1;
        var size = pageSize ?? 20;
        if ((kind is not (null or "" or "need" or "achievement")) || !Paging.IsValid(p, size))
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["query"] = ["kind 只能是 need 或 achievement；页码从 1 开始；每页 1 到 100 条"] }, "查询条件有误");
        }

        return TypedResults.Ok(await svc.ReviewQueueAsync(needs, p, size, ct));
    }

    private static async Task<IResult> Publish(long id, HttpContext http, ListingService svc, CancellationToken ct) =>
        await ListingEndpoints.Change(http, (actor, version) => svc.ReviewAsync(actor, id, version, publish: true, note: null));

    private static async Task<IResult> Return(long id, ReturnRequest request, HttpContext http, ListingService svc, CancellationToken ct) =>
        await ListingEndpoints.Change(http, (actor, version) => svc.ReviewAsync(actor, id, version, publish: false, request.Note));
}
