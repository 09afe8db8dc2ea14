using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using TechMarket.Data;
using TechMarket.Data.Rules;
using TechMarket.Server.Features.Brokers;
using TechMarket.Server.Features.Matching;
using TechMarket.Server.Infrastructure;

namespace TechMarket.Server.Components;

/// <summary>The web UI's form posts for the broker's workspace, deals and their registration, and the figures.</summary>
internal static class BrokerUiEndpoints
{
    public static IEndpointRouteBuilder MapBrokerUi(this IEndpointRouteBuilder app)
    {
        var ui = app.MapGroup("/ui/broker").DisableAntiforgery().ExcludeFromDescription().RequireAuthorization(Policies.Broker);
        ui.MapPost("/claim", (HttpContext http, IAntiforgery af, IGrainFactory grains) =>
            EventUiEndpoints.FormAsync(http, af, "/broker", "已认领，撮合已放到看板上", (actor, form) =>
                Long(form["needId"]) is { } need && Long(form["achievementId"]) is { } achievement
                    ? grains.GetGrain<IMatchGrain>(MatchKey.Of(need, achievement)).ClaimAsync(actor)
                    : Task.FromResult(OpResult<MatchView>.NotFound())));
        ui.MapPost("/matches/{id:long}/move", (long id, HttpContext http, IAntiforgery af, MarketDb db, IGrainFactory grains) =>
            OnMatchAsync(http, af, db, grains, id, "已移动", (g, actor, form) => g.MoveAsync(actor, form["stage"].ToString(), MatchEndpoints.ParseReason(form["reason"]), form["note"])));
        ui.MapPost("/matches/{id:long}/undo", (long id, HttpContext http, IAntiforgery af, MarketDb db, IGrainFactory grains) =>
            OnMatchAsync(http, af, db, grains, id, "已撤销上一步", (g, actor, _) => g.UndoMoveAsync(actor)));
        ui.MapPost("/matches/{id:long}/release", (long id, HttpContext http, IAntiforgery af, MarketDb db, IGrainFactory grains) =>
            OnMatchAsync(http, af, db, grains, id, "已退回该撮合", (g, actor, _) => g.ReleaseAsync(actor)));
        ui.MapPost("/tasks", (HttpContext http, IAntiforgery af, IGrainFactory grains) =>
            EventUiEndpoints.FormAsync(http, af, "/broker", "已安排回访，到期时会在站内消息提醒您", (actor, form) =>
                grains.GetGrain<IBrokerGrain>(actor.UserId).AddFollowUpAsync(actor, new BrokerTaskDraft { MatchId = Long(form["matchId"]), DueAt = LocalTime(form["dueAt"]), Note = form["note"] })));
        ui.MapPost("/tasks/{taskId:long}/done", (long taskId, HttpContext http, IAntiforgery af, IGrainFactory grains) =>
            EventUiEndpoints.FormAsync(http, af, "/broker", "任务已完成", (actor, form) => grains.GetGrain<IBrokerGrain>(actor.UserId).CompleteTaskAsync(actor, taskId, form["outcome"])));
        ui.MapPost("/tasks/{taskId:long}/reopen", (long taskId, HttpContext http, IAntiforgery af, IGrainFactory grains) =>
            EventUiEndpoints.FormAsync(http, af, "/broker", "已撤销完成，任务重新待办", (actor, _) => grains.GetGrain<IBrokerGrain>(actor.UserId).ReopenTaskAsync(actor, taskId)));
        ui.MapPost("/tasks/{taskId:long}/cancel", (long taskId, HttpContext http, IAntiforgery af, IGrainFactory grains) =>
            EventUiEndpoints.FormAsync(http, af, "/broker", "任务已撤销", (actor, _) => grains.GetGrain<IBrokerGrain>(actor.UserId).CancelTaskAsync(actor, taskId)));
        ui.MapPost("/mined", (HttpContext http, IAntiforgery af, IGrainFactory grains) =>
            EventUiEndpoints.FormAsync(http, af, "/broker", "需求已存为企业草稿，已通知企业核对提交", (actor, form) =>
                grains.GetGrain<IBrokerGrain>(actor.UserId).MineNeedAsync(actor, Long(form["organisationId"]) ?? 0, new ListingInput
                {
                    Title = form["title"],
                    Summary = form["summary"],
                    Problem = form["problem"],
                    Keywords = form["keywords"],
                    Field = form["field"],
                })));
        ui.MapPost("/mined/{needId:long}/withdraw", (long needId, HttpContext http, IAntiforgery af, IGrainFactory grains) =>
            EventUiEndpoints.FormAsync(http, af, "/broker", "已撤回", (actor, _) => grains.GetGrain<IBrokerGrain>(actor.UserId).WithdrawMinedNeedAsync(actor, needId)));

        var deals = app.MapGroup("/ui/deals/{id:long}").DisableAntiforgery().ExcludeFromDescription();
        deals.MapPost("/apply", (long id, HttpContext http, IAntiforgery af, IGrainFactory grains) =>
            EventUiEndpoints.FormAsync(http, af, $"/deals/{id}", "已申请技术合同认定登记", (actor, _) => grains.GetGrain<IDealGrain>(id).ApplyAsync(actor))).RequireAuthorization(Policies.Member);
        deals.MapPost("/cancel", (long id, HttpContext http, IAntiforgery af, IGrainFactory grains) =>
            EventUiEndpoints.FormAsync(http, af, $"/deals/{id}", "已撤销该合同", (actor, form) => grains.GetGrain<IDealGrain>(id).CancelAsync(actor, form["note"]))).RequireAuthorization(Policies.SignedIn);
        deals.MapPost("/register", (long id, HttpContext http, IAntiforgery af, IGrainFactory grains) =>
            EventUiEndpoints.FormAsync(http, af, $"/deals/{id}", "已登记，登记号已生成", (actor, form) => grains.GetGrain<IDealGrain>(id).RegisterAsync(actor, new DealRegistration
            {
                ContractType = form["contractType"],
                RegisteredAmountWan = decimal.TryParse(form["registeredAmountWan"], NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) ? amount : null,
            }))).RequireAuthorization(Policies.Registrar);
        deals.MapPost("/refuse", (long id, HttpContext http, IAntiforgery af, IGrainFactory grains) =>
            EventUiEndpoints.FormAsync(http, af, $"/deals/{id}", "已作未予登记处理", (actor, form) => grains.GetGrain<IDealGrain>(id).RefuseAsync(actor, form["reason"]))).RequireAuthorization(Policies.Registrar);

        app.MapPost("/ui/figures/balance/check", (HttpContext http, IAntiforgery af, IGrainFactory grains) =>
            EventUiEndpoints.FormAsync(http, af, "/dashboard", null, async (_, _) =>
                OpResult<string>.Ok($"已检查供需预警，新建挖掘任务 {await grains.GetGrain<IMarketBalanceGrain>(0).CheckAsync()} 项")))
            .DisableAntiforgery().ExcludeFromDescription().RequireAuthorization(Policies.Reviewer);
        return app;
    }

    private static async Task<IResult> OnMatchAsync(HttpContext http, IAntiforgery af, MarketDb db, IGrainFactory grains, long id, string done, Func<IMatchGrain, Actor, IFormCollection, Task<OpResult<MatchView>>> act)
    {
        var grain = await BrokerEndpoints.MatchAsync(db, grains, id, http.RequestAborted);
        return await EventUiEndpoints.FormAsync(http, af, "/broker", done, (actor, form) => grain is null ? Task.FromResult(OpResult<MatchView>.NotFound()) : act(grain, actor, form));
    }

    private static long? Long(string? s) => long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>A datetime-local value (China time) as UTC, or null when malformed.</summary>
    private static DateTime? LocalTime(string? s) =>
        DateTime.TryParseExact(s, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? DateTime.SpecifyKind(local - Ui.ChinaOffset, DateTimeKind.Utc)
            : null;
}
