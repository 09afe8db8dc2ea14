using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Rules;
using TechMarket.Market.Brokers;
using TechMarket.Server.Features.Matching;
using TechMarket.Server.Infrastructure;

namespace TechMarket.Server.Features.Brokers;

/// <summary>The broker's workspace: claims and assignment, the pipeline board, 回访 tasks, mined needs.</summary>
internal static class BrokerEndpoints
{
    internal sealed record PairRequest(long NeedId, long AchievementId, long? BrokerUserId);

    internal sealed record MoveRequest(string? Stage, string? Reason, string? Note);

    internal sealed record OutcomeRequest(string? Outcome);

    internal sealed record MinedNeedRequest(long OrganisationId, ListingInput? Need);

    private const string MoveHelp = "stage 应为 contacted（已联系）、met（已见面）、negotiating（洽谈中）或 declined（已婉拒）；成交须录入合同";

    public static void MapBrokers(this IEndpointRouteBuilder app)
    {
        var matches = app.MapGroup("/api/matches").WithTags("Brokers");
        matches.MapPost("/claim", (PairRequest body, HttpContext http, IGrainFactory grains) =>
            Reply(grains.GetGrain<IMatchGrain>(MatchKey.Of(body.NeedId, body.AchievementId)).ClaimAsync(Actors.From(http.User)!)))
            .RequireAuthorization(Policies.Broker).WithSummary("技术经纪人认领撮合（需求 × 成果）");
        matches.MapPost("/assign", (PairRequest body, HttpContext http, IGrainFactory grains) =>
            Reply(grains.GetGrain<IMatchGrain>(MatchKey.Of(body.NeedId, body.AchievementId)).AssignAsync(Actors.From(http.User)!, body.BrokerUserId)))
            .RequireAuthorization(Policies.Reviewer).WithSummary("组织方分派技术经纪人；不指定时按区县市与专长自动选择");
        matches.MapPost("/{id:long}/release", (long id, HttpContext http, MarketDb db, IGrainFactory grains, CancellationToken ct) =>
            ByIdAsync(db, grains, id, g => g.ReleaseAsync(Actors.From(http.User)!), ct))
            .RequireAuthorization(Policies.SignedIn).WithSummary("退回撮合（撤销认领或分派）");
        matches.MapPost("/{id:long}/move", (long id, MoveRequest body, HttpContext http, MarketDb db, IGrainFactory grains, CancellationToken ct) =>
            BrokerStages.MoveTarget(body.Stage) is null
                ? Task.FromResult<IResult>(Problems.Invalid(new Dictionary<string, string[]> { ["stage"] = [MoveHelp] }))
                : ByIdAsync(db, grains, id, g => g.MoveAsync(Actors.From(http.User)!, body.Stage ?? "", MatchEndpoints.ParseReason(body.Reason), body.Note), ct))
            .RequireAuthorization(Policies.SignedIn).WithSummary("在看板上移动撮合：contacted 已联系、met 已见面、negotiating 洽谈中、declined 已婉拒（须原因）");
        matches.MapPost("/{id:long}/undo", (long id, HttpContext http, MarketDb db, IGrainFactory grains, CancellationToken ct) =>
            ByIdAsync(db, grains, id, g => g.UndoMoveAsync(Actors.From(http.User)!), ct))
            .RequireAuthorization(Policies.SignedIn).WithSummary("撤销经纪人在看板上的上一步移动");

        var broker = app.MapGroup("/api/broker").WithTags("Brokers").RequireAuthorization(Policies.Broker);
        broker.MapGet("/workspace", async (HttpContext http, MarketDb db, IConfiguration config, CancellationToken ct) =>
            TypedResults.Ok(await BrokerWorkspace.LoadAsync(db, Actors.From(http.User)!.UserId, config, ct)))
            .WithSummary("经纪人工作台：看板、可认领的撮合、回访任务、挖掘的需求、活动与成交");
        broker.MapPost("/tasks", (BrokerTaskDraft body, HttpContext http, IGrainFactory grains) => Reply(Me(http, grains).AddFollowUpAsync(Actors.From(http.User)!, body)))
            .WithSummary("安排回访（到期时站内提醒）");
        broker.MapPost("/tasks/{id:long}/done", (long id, OutcomeRequest? body, HttpContext http, IGrainFactory grains) =>
            Reply(Me(http, grains).CompleteTaskAsync(Actors.From(http.User)!, id, body?.Outcome))).WithSummary("完成任务，记录回访结果");
        broker.MapPost("/tasks/{id:long}/reopen", (long id, HttpContext http, IGrainFactory grains) =>
            Reply(Me(http, grains).ReopenTaskAsync(Actors.From(http.User)!, id))).WithSummary("撤销完成（误点完成时）");
        broker.MapPost("/tasks/{id:long}/cancel", (long id, HttpContext http, IGrainFactory grains) =>
            Reply(Me(http, grains).CancelTaskAsync(Actors.From(http.User)!, id))).WithSummary("撤销录入有误的任务");
        broker.MapPost("/mined-needs", (MinedNeedRequest body, HttpContext http, IGrainFactory grains) =>
            body.Need is null
                ? Task.FromResult<IResult>(Problems.Invalid(new Dictionary<string, string[]> { ["need"] = ["请填写需求内容"] }))
                : Reply(Me(http, grains).MineNeedAsync(Actors.From(http.User)!, body.OrganisationId, body.Need), created: true))
            .WithSummary("代企业整理需求（挖掘需求）：存为企业的草稿，企业提交审核即视为同意");
        broker.MapDelete("/mined-needs/{id:long}", async (long id, HttpContext http, IGrainFactory grains) =>
        {
            var result = await Me(http, grains).WithdrawMinedNeedAsync(Actors.From(http.User)!, id);
            return result.IsOk ? TypedResults.NoContent() : Problems.From(result);
        }).WithSummary("撤回企业尚未确认的挖掘需求");
    }

    private static IBrokerGrain Me(HttpContext http, IGrainFactory grains) => grains.GetGrain<IBrokerGrain>(Actors.From(http.User)!.UserId);

    private static async Task<IResult> ByIdAsync(MarketDb db, IGrainFactory grains, long id, Func<IMatchGrain, Task<OpResult<MatchView>>> act, CancellationToken ct) =>
        await MatchAsync(db, grains, id, ct) is { } grain ? await Reply(act(grain)) : Problems.NotFound();

    /// <summary>The grain of the match with row id <paramref name="id"/>, or null when there is no such row.</summary>
    internal static async Task<IMatchGrain?> MatchAsync(MarketDb db, IGrainFactory grains, long id, CancellationToken ct)
    {
        var pair = await db.Matches.AsNoTracking().Where(m => m.Id == id).Select(m => new { m.NeedId, m.AchievementId }).SingleOrDefaultAsync(ct);
        return pair is null ? null : grains.GetGrain<IMatchGrain>(MatchKey.Of(pair.NeedId, pair.AchievementId));
    }

    private static async Task<IResult> Reply<T>(Task<OpResult<T>> call, bool created = false)
    {
        var result = await call;
        return !result.IsOk ? Problems.From(result) : created ? TypedResults.Created((string?)null, result.Value) : TypedResults.Ok(result.Value);
    }
}
