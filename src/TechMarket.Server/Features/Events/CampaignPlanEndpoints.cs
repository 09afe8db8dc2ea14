using TechMarket.Server.Infrastructure;

namespace TechMarket.Server.Features.Events;

/// <summary>Campaign planning: organisations' interest (意向报名), and the organisers' plan across the campaign's events.</summary>
internal static class CampaignPlanEndpoints
{
    internal sealed record ListingRequest(long? ListingId, string? Note);

    public static void MapCampaignPlans(this IEndpointRouteBuilder app)
    {
        var campaign = app.MapGroup("/api/campaigns/{id:long}").WithTags("Events");
        campaign.MapGet("/listings", async (long id, CampaignPlanning planning, CancellationToken ct) =>
                await planning.SharedListsAsync(id, ct) is { } lists ? Results.Ok(lists) : Problems.NotFound())
            .AllowAnonymous().WithSummary("活动计划的推介清单：推介成果与揭榜挂帅榜单（仅已发布的）");
        campaign.MapPost("/listings", async (long id, ListingRequest body, HttpContext http, IGrainFactory grains) =>
                Reply(await grains.GetGrain<ICampaignGrain>(id).AddListingAsync(Actors.From(http.User)!, body.ListingId ?? 0, body.Note)))
            .RequireAuthorization(Policies.Reviewer).WithSummary("把已发布的科技成果或揭榜挂帅需求加入推介清单（组织方）");
        campaign.MapDelete("/listings/{listingId:long}", async (long id, long listingId, HttpContext http, IGrainFactory grains) =>
                Reply(await grains.GetGrain<ICampaignGrain>(id).RemoveListingAsync(Actors.From(http.User)!, listingId)))
            .RequireAuthorization(Policies.Reviewer).WithSummary("移出推介清单（组织方）");
        campaign.MapGet("/plan", async (long id, HttpContext http, CampaignPlanning planning, CancellationToken ct) =>
                await planning.ViewAsync(id, Actors.From(http.User), ct) is { } view ? Results.Ok(view) : Problems.NotFound())
            .RequireAuthorization(Policies.SignedIn).WithSummary("意向报名与场次分配：组织方看全部，成员看本机构的");
        campaign.MapPut("/interests/mine", async (long id, CampaignInterestDraft draft, HttpContext http, IGrainFactory grains) =>
                Reply(await grains.GetGrain<ICampaignGrain>(id).DeclareInterestAsync(Actors.From(http.User)!, draft)))
            .RequireAuthorization(Policies.Member).WithSummary("本机构意向报名（关注的领域、可参加日期、最多参加场次、可提供与希望对接、带去的需求或成果）");
        campaign.MapDelete("/interests/mine", async (long id, HttpContext http, IGrainFactory grains) =>
                Reply(await grains.GetGrain<ICampaignGrain>(id).WithdrawInterestAsync(Actors.From(http.User)!)))
            .RequireAuthorization(Policies.Member).WithSummary("撤回本机构的意向报名（尚未报名的分配随之取消）");
        campaign.MapPost("/plan", async (long id, HttpContext http, IGrainFactory grains, CampaignPlanning planning, CancellationToken ct) =>
                Reply(await PlanAsync(id, Actors.From(http.User)!, grains, planning, ct)))
            .RequireAuthorization(Policies.Reviewer).WithSummary("计算场次分配方案（组织方）：按匹配度、名额与日期把意向单位分到开放报名的场次，总匹配度最大");
        campaign.MapPost("/plan/confirm", async (long id, HttpContext http, IGrainFactory grains) =>
                Reply(await grains.GetGrain<ICampaignGrain>(id).ConfirmPlanAsync(Actors.From(http.User)!)))
            .RequireAuthorization(Policies.Reviewer).WithSummary("确认分配：为每个拟安排的单位在其场次报名（直接通过）");
        campaign.MapDelete("/plan/{assignmentId:long}", async (long id, long assignmentId, HttpContext http, IGrainFactory grains) =>
                Reply(await grains.GetGrain<ICampaignGrain>(id).DropAssignmentAsync(Actors.From(http.User)!, assignmentId)))
            .RequireAuthorization(Policies.Reviewer).WithSummary("移除一条拟安排的分配（确认前撤销）");
    }

    /// <summary>The affinities from the read side (matching pipeline over the tables and the index), then the grain plans.</summary>
    internal static async Task<OpResult<CampaignPlanResult>> PlanAsync(long id, Actor actor, IGrainFactory grains, CampaignPlanning planning, CancellationToken ct)
    {
        if (!actor.IsReviewer)
        {
            return OpResult<CampaignPlanResult>.Forbidden("只有组织方或管理员可以分配场次");
        }

        var affinities = await planning.AffinitiesAsync(id, ct);
        return await grains.GetGrain<ICampaignGrain>(id).PlanAsync(actor, [.. affinities]);
    }

    private static IResult Reply<T>(OpResult<T> result) => result.IsOk ? TypedResults.Ok(result.Value) : Problems.From(result);
}
