using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Server.Features.Listings;
using TechMarket.Server.Infrastructure;

namespace TechMarket.Server.Features.Challenges;

/// <summary>
/// /api/challenges: 揭榜挂帅 online. Reads of the list go to the tables; everything else is a call of the challenge's
/// grain, which holds the rules (who may, when, the 抢榜 order). Writes that change the challenge itself take its
/// version in If-Match.
/// </summary>
internal static class ChallengeEndpoints
{
    public static RouteGroupBuilder MapChallenges(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/challenges").WithTags("Challenges").RequireAuthorization(Policies.SignedIn);
        group.MapGet("/", List).AllowAnonymous().WithSummary("正在发布的揭榜挂帅榜单");
        group.MapGet("/{id:long}", Get).AllowAnonymous()
            .WithSummary("榜单详情；需求方、组织方和评审专家可见全部揭榜申请，揭榜机构可见本机构的申请");
        group.MapPut("/{id:long}", SetUp).WithSummary("发榜或修改榜单（需求方或组织方）：揭榜方式、名额、要求、评审专家；修改时须带 If-Match");
        group.MapPost("/{id:long}/applications", Apply).RequireAuthorization(Policies.Institute)
            .WithSummary("揭榜 / 抢榜（高校院所成员）：技术方案、团队、报价；抢榜按到达顺序分配名额");
        group.MapPost("/{id:long}/close", Close).WithSummary("截止揭榜，进入评榜（需求方或组织方，须带 If-Match）");
        group.MapPost("/{id:long}/applications/{applicationId:long}/reviews", Review).WithSummary("评榜：指定的评审专家打分（0–100）并填写意见");
        group.MapPost("/{id:long}/award", Award).RequireAuthorization(Policies.Reviewer).WithSummary("定榜（组织方，须带 If-Match）");
        group.MapPost("/{id:long}/milestones", AddMilestone).WithSummary("定榜后添加节点（需求方或组织方）");
        group.MapPost("/{id:long}/milestones/{milestoneId:long}/done", CompleteMilestone).WithSummary("标记节点完成（需求方或组织方）");
        return group;
    }

    internal sealed record SetupRequest(string? Rule, int? Places, string? Requirements, DateTime? OpensAt, long[]? ReviewerUserIds);

    internal sealed record ApplyRequest(string? Plan, string? Team, decimal? PriceWan);

    internal sealed record ReviewRequest(int? Score, string? Comment);

    internal sealed record AwardRequest(long? ApplicationId);

    internal sealed record MilestoneRequest(string? Title, DateOnly? DueDate);

    internal sealed record ChallengeListItem(
        long NeedId, string Title, string OrganisationName, string Field, decimal? BountyWan, DateOnly? Deadline,
        string Rule, string RuleLabel, int Places, string Status, string StatusLabel, int ApplicationCount);

    private static async Task<IResult> List(int? page, int? pageSize, MarketDb db, CancellationToken ct)
    {
        var p = page ?? 1;
        var size = pageSize ?? 20;
        if (!Paging.IsValid(p, size))
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["page"] = [$"页码应从 1 开始，每页条数应在 1 到 {Paging.MaxPageSize} 之间"] }, "查询条件有误");
        }

        return TypedResults.Ok(await PublishedAsync(db, p, size, ct));
    }

    /// <summary>The challenges on published needs, taking applications first, newest first (the API and /challenges).</summary>
    internal static async Task<Paged<ChallengeListItem>> PublishedAsync(MarketDb db, int p, int size, CancellationToken ct)
    {
        var query = db.Challenges.AsNoTracking().Where(c => c.Need!.Status == ListingStatus.Published);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderBy(c => c.Status).ThenByDescending(c => c.NeedId).Skip((p - 1) * size).Take(size)
            .Select(c => new
            {
                c.NeedId,
                c.Need!.Title,
                OrganisationName = c.Need.Organisation!.Name,
                c.Need.Field,
                c.Need.BountyWan,
                c.Need.ChallengeDeadline,
                c.Rule,
                c.Places,
                c.Status,
                Count = db.ChallengeApplications.Count(a => a.NeedId == c.NeedId),
            }).ToListAsync(ct);
        var items = rows.Select(r => new ChallengeListItem(r.NeedId, r.Title, r.OrganisationName, r.Field, r.BountyWan, r.ChallengeDeadline,
            r.Rule.ToString(), Labels.Of(r.Rule), r.Places, r.Status.ToString(), Labels.Of(r.Status), r.Count)).ToList();
        return new Paged<ChallengeListItem>(items, total, p, size);
    }

    private static async Task<IResult> Get(long id, HttpContext http, IGrainFactory grains)
    {
        var result = await grains.GetGrain<IChallengeGrain>(id).GetAsync(Actors.From(http.User));
        if (!result.IsOk)
        {
            return Problems.From(result);
        }

        http.Response.Headers.ETag = ListingEndpoints.ETag(result.Value!.Version);
        return TypedResults.Ok(result.Value);
    }

    private static async Task<IResult> SetUp(long id, SetupRequest request, HttpContext http, IGrainFactory grains)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Labels.TryParseRule(request.Rule, out var rule))
        {
            errors["rule"] = ["请选择揭榜方式：公开揭榜（Open）或抢榜（FirstCome）"];
        }

        if (request.Places is null)
        {
            errors["places"] = ["请填写名额"];
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        long? version = null;
        if (http.Request.Headers.IfMatch.Count > 0)
        {
            if (!ListingEndpoints.TryReadVersion(http, out var v, out var problem))
            {
                return problem!;
            }

            version = v;
        }

        var setup = new ChallengeSetup(rule, request.Places!.Value, request.Requirements, request.OpensAt, request.ReviewerUserIds ?? []);
        var result = await grains.GetGrain<IChallengeGrain>(id).SetUpAsync(Actors.From(http.User)!, version, setup);
        return Done(http, result);
    }

    private static async Task<IResult> Apply(long id, ApplyRequest request, HttpContext http, IGrainFactory grains)
    {
        var result = await grains.GetGrain<IChallengeGrain>(id).ApplyAsync(Actors.From(http.User)!, new ApplicationInput(request.Plan, request.Team, request.PriceWan));
        return result.IsOk ? TypedResults.Created($"/api/challenges/{id}", result.Value) : Problems.From(result);
    }

    private static async Task<IResult> Close(long id, HttpContext http, IGrainFactory grains)
    {
        if (!ListingEndpoints.TryReadVersion(http, out var version, out var problem))
        {
            return problem!;
        }

        return Done(http, await grains.GetGrain<IChallengeGrain>(id).CloseApplicationsAsync(Actors.From(http.User)!, version));
    }

    private static async Task<IResult> Review(long id, long applicationId, ReviewRequest request, HttpContext http, IGrainFactory grains)
    {
        if (request.Score is not { } score)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["score"] = ["请填写评分（0–100）"] });
        }

        var result = await grains.GetGrain<IChallengeGrain>(id).ReviewAsync(Actors.From(http.User)!, applicationId, score, request.Comment);
        return result.IsOk ? TypedResults.Ok(result.Value) : Problems.From(result);
    }

    private static async Task<IResult> Award(long id, AwardRequest request, HttpContext http, IGrainFactory grains)
    {
        if (request.ApplicationId is not { } applicationId)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["applicationId"] = ["请选择中榜的揭榜申请"] });
        }

        if (!ListingEndpoints.TryReadVersion(http, out var version, out var problem))
        {
            return problem!;
        }

        return Done(http, await grains.GetGrain<IChallengeGrain>(id).AwardAsync(Actors.From(http.User)!, version, applicationId));
    }

    private static async Task<IResult> AddMilestone(long id, MilestoneRequest request, HttpContext http, IGrainFactory grains)
    {
        if (request.DueDate is not { } due)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["dueDate"] = ["请填写节点的计划完成日期"] });
        }

        var result = await grains.GetGrain<IChallengeGrain>(id).AddMilestoneAsync(Actors.From(http.User)!, request.Title, due);
        return result.IsOk ? TypedResults.Created($"/api/challenges/{id}", result.Value) : Problems.From(result);
    }

    private static async Task<IResult> CompleteMilestone(long id, long milestoneId, HttpContext http, IGrainFactory grains)
    {
        var result = await grains.GetGrain<IChallengeGrain>(id).CompleteMilestoneAsync(Actors.From(http.User)!, milestoneId);
        return result.IsOk ? TypedResults.Ok(result.Value) : Problems.From(result);
    }

    private static IResult Done(HttpContext http, OpResult<ChallengeView> result)
    {
        if (!result.IsOk)
        {
            return Problems.From(result);
        }

        http.Response.Headers.ETag = ListingEndpoints.ETag(result.Value!.Version);
        return TypedResults.Ok(result.Value);
    }
}
