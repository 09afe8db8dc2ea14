using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using TechMarket.Data.Rules;
using TechMarket.Server.Infrastructure;

namespace TechMarket.Server.Components;

/// <summary>
/// The 揭榜挂帅 form posts of /challenges/{needId} and its 发榜 page (/challenges/{needId}/setup): 发榜, 截止揭榜,
/// 评榜, 定榜 and the milestones. Each checks the antiforgery token, calls the challenge's grain (which holds every
/// rule) and goes back to the page with the outcome, or with the refusal in Chinese.
/// </summary>
internal static class ChallengeUiEndpoints
{
    /// <summary>The policy of each form post (the grain then decides who of them may: owner, organiser, reviewer).</summary>
    public static IEndpointRouteBuilder MapChallengeUi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/ui/challenges/{id:long}/setup", SetUpAsync).RequireAuthorization(Policies.SignedIn).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/ui/challenges/{id:long}/close", CloseAsync).RequireAuthorization(Policies.SignedIn).DisableAntiforgery().ExcludeFromDescription();

        // Reviewers may be brokers, who have neither an organisation nor the organiser role: signed in is the policy.
        app.MapPost("/ui/challenges/{id:long}/applications/{applicationId:long}/review", ReviewAsync)
            .RequireAuthorization(Policies.SignedIn).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/ui/challenges/{id:long}/award", AwardAsync).RequireAuthorization(Policies.Reviewer).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/ui/challenges/{id:long}/milestones", AddMilestoneAsync).RequireAuthorization(Policies.SignedIn).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/ui/challenges/{id:long}/milestones/{milestoneId:long}/done", CompleteMilestoneAsync)
            .RequireAuthorization(Policies.SignedIn).DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    /// <summary>A refusal or an outcome to show on the page; <see cref="Error"/> null when the step was taken.</summary>
    private sealed record Outcome(string? Done, string? Error)
    {
        public static Outcome Ok(string done) => new(done, null);

        public static Outcome Refused(string error) => new(null, error);

        public static Outcome From<T>(OpResult<T> result, Func<T, string> done) =>
            result.IsOk ? Ok(done(result.Value!)) : Refused(result.Errors?.Values.SelectMany(v => v).FirstOrDefault() ?? result.Message ?? "操作未完成");
    }

    /// <summary>发榜 or a change of it: Beijing time in, UTC to the grain; back to the challenge, or to the form with the refusal.</summary>
    private static Task<IResult> SetUpAsync(long id, HttpContext http, IAntiforgery antiforgery, IGrainFactory grains) =>
        FormAsync(http, antiforgery, id, async (actor, form) =>
        {
            if (!Labels.TryParseRule(form["rule"], out var rule))
            {
                return Outcome.Refused("请选择揭榜方式：公开揭榜或抢榜");
            }

            if (!int.TryParse(form["places"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var places))
            {
                return Outcome.Refused("名额应为整数（1 到 100）");
            }

            if (!TryVersion(form["version"], out var version, allowNone: true))
            {
                return Outcome.Refused("请求不完整，请刷新页面后重试");
            }

            DateTime? opensAt = null;
            if (form["opensAt"].ToString() is { Length: > 0 } raw)
            {
                if (!DateTime.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.None, out var beijing))
                {
                    return Outcome.Refused("开始时间格式不正确，请按北京时间填写日期和时刻");
                }

                opensAt = DateTime.SpecifyKind(beijing - Ui.ChinaOffset, DateTimeKind.Utc);
            }

            var grain = grains.GetGrain<IChallengeGrain>(id);
            if (version is not null && opensAt is { } posted)
            {
                // The form shows minutes; an opening time set over the API to the second stays as it was when the
                // minute shown is sent back unchanged (after the first application it may not change at all).
                var current = await grain.GetAsync(actor);
                if (current.Value?.OpensAt is { } stored && Ui.Time(stored) == Ui.Time(posted))
                {
                    opensAt = DateTime.SpecifyKind(stored, DateTimeKind.Utc);
                }
            }

            long[] reviewers = [.. form["reviewerUserIds"].Select(v => long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var u) ? u : -1)];
            var result = await grain.SetUpAsync(actor, version, new ChallengeSetup(rule, places, form["requirements"], opensAt, reviewers));
            return Outcome.From(result, v => version is null
                ? $"已发榜：{v.RuleLabel}，{v.Places.ToString(CultureInfo.InvariantCulture)} 个名额"
                : "榜单设置已保存");
        }, refusedTo: "/setup");

    /// <summary>截止揭榜: the version of the page the button was on, so a change made meanwhile is not overlooked.</summary>
    private static Task<IResult> CloseAsync(long id, HttpContext http, IAntiforgery antiforgery, IGrainFactory grains) =>
        FormAsync(http, antiforgery, id, async (actor, form) =>
            !TryVersion(form["version"], out var version, allowNone: false)
                ? Outcome.Refused("请求不完整，请刷新页面后重试")
                : Outcome.From(await grains.GetGrain<IChallengeGrain>(id).CloseApplicationsAsync(actor, version!.Value), _ => "已截止揭榜，进入评榜"));

    private static Task<IResult> ReviewAsync(long id, long applicationId, HttpContext http, IAntiforgery antiforgery, IGrainFactory grains) =>
        FormAsync(http, antiforgery, id, async (actor, form) =>
            !int.TryParse(form["score"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var score)
                ? Outcome.Refused("请填写评分（0–100 的整数）")
                : Outcome.From(await grains.GetGrain<IChallengeGrain>(id).ReviewAsync(actor, applicationId, score, form["comment"]),
                    r => $"评分已提交：{r.Score.ToString(CultureInfo.InvariantCulture)} 分"));

    private static Task<IResult> AwardAsync(long id, HttpContext http, IAntiforgery antiforgery, IGrainFactory grains) =>
        FormAsync(http, antiforgery, id, async (actor, form) =>
        {
            if (!long.TryParse(form["applicationId"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var applicationId))
            {
                return Outcome.Refused("请选择中榜的揭榜申请");
            }

            return !TryVersion(form["version"], out var version, allowNone: false)
                ? Outcome.Refused("请求不完整，请刷新页面后重试")
                : Outcome.From(await grains.GetGrain<IChallengeGrain>(id).AwardAsync(actor, version!.Value, applicationId), v => $"已定榜：中榜单位 {v.AwardedOrganisationName}");
        });

    private static Task<IResult> AddMilestoneAsync(long id, HttpContext http, IAntiforgery antiforgery, IGrainFactory grains) =>
        FormAsync(http, antiforgery, id, async (actor, form) =>
            !DateOnly.TryParseExact(form["dueDate"], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var due)
                ? Outcome.Refused("请填写节点的计划完成日期")
                : Outcome.From(await grains.GetGrain<IChallengeGrain>(id).AddMilestoneAsync(actor, form["title"], due), m => $"已添加节点：{m.Title}"));

    private static Task<IResult> CompleteMilestoneAsync(long id, long milestoneId, HttpContext http, IAntiforgery antiforgery, IGrainFactory grains) =>
        FormAsync(http, antiforgery, id, async (actor, _) =>
            Outcome.From(await grains.GetGrain<IChallengeGrain>(id).CompleteMilestoneAsync(actor, milestoneId), m => $"节点已完成：{m.Title}"));

    /// <summary>
    /// One form post: the antiforgery token, the form, the step, then back to /challenges/{id} with done= or error=
    /// (a refused 发榜 goes back to its form, <paramref name="refusedTo"/>). A database that cannot save is shown as
    /// a message too, since nothing was saved and the user may simply try again.
    /// </summary>
    private static async Task<IResult> FormAsync(HttpContext http, IAntiforgery antiforgery, long id, Func<Actor, IFormCollection, Task<Outcome>> step, string refusedTo = "")
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return TypedResults.BadRequest("请求已失效，请刷新页面后重试");
        }

        // The token may also come in a header; then the body need not be a form, and reading it as one would throw.
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : FormCollection.Empty;
        Outcome outcome;
        try
        {
            outcome = await step(Actors.From(http.User)!, form);
        }
        catch (MarketStorageException ex)
        {
            outcome = Outcome.Refused(ex.Message);
        }

        var page = $"/challenges/{id.ToString(CultureInfo.InvariantCulture)}";
        return outcome.Error is { } error
            ? TypedResults.LocalRedirect($"{page}{refusedTo}?error={Uri.EscapeDataString(error)}")
            : TypedResults.LocalRedirect($"{page}?done={Uri.EscapeDataString(outcome.Done!)}");
    }

    /// <summary>The challenge's version from a hidden field; empty means none (allowed only when setting up).</summary>
    private static bool TryVersion(string? raw, out long? version, bool allowNone)
    {
        version = null;
        if (string.IsNullOrEmpty(raw))
        {
            return allowNone;
        }

        if (!long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
        {
            return false;
        }

        version = v;
        return true;
    }
}
