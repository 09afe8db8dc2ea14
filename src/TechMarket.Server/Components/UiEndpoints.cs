using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using TechMarket.Data.Model;
using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Server.Features.Alerts;
using TechMarket.Server.Features.Matching;
using TechMarket.Server.Infrastructure;

namespace TechMarket.Server.Components;

/// <summary>The few web-UI actions that are plain form posts rather than pages.</summary>
internal static class UiEndpoints
{
    public static IEndpointRouteBuilder MapUi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/logout", LogoutAsync).RequireAuthorization(Policies.SignedIn).ExcludeFromDescription();
        app.MapPost("/ui/matches/interest", InterestAsync).RequireAuthorization(Policies.Member).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/ui/matches/decline", DeclineAsync).RequireAuthorization(Policies.Member).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/ui/saved-searches", SaveSearchAsync).RequireAuthorization(Policies.SignedIn).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/ui/saved-searches/delete", DeleteSearchAsync).RequireAuthorization(Policies.SignedIn).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/ui/events/{id:long}/register", (long id, HttpContext http, IAntiforgery antiforgery, IGrainFactory grains) =>
            EventFormAsync(http, antiforgery, id, "已报名，等待组织方审核", (actor, form) => grains.GetGrain<IEventGrain>(id).RegisterAsync(actor, new RegistrationDraft
            {
                Offers = form["offers"],
                Seeks = form["seeks"],
                ListingIds = [.. form["listingIds"].Select(v => long.TryParse(v, out var l) ? l : -1)],
            }))).RequireAuthorization(Policies.Member).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/ui/events/{id:long}/withdraw", (long id, HttpContext http, IAntiforgery antiforgery, IGrainFactory grains) =>
            EventFormAsync(http, antiforgery, id, "已取消报名", (actor, _) => grains.GetGrain<IEventGrain>(id).WithdrawRegistrationAsync(actor)))
            .RequireAuthorization(Policies.Member).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/ui/events/{id:long}/registrations/{registrationId:long}/approve", (long id, long registrationId, HttpContext http, IAntiforgery antiforgery, IGrainFactory grains) =>
            EventFormAsync(http, antiforgery, id, "已通过报名", (actor, _) => grains.GetGrain<IEventGrain>(id).DecideAsync(actor, registrationId, true, null)))
            .RequireAuthorization(Policies.Reviewer).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/ui/events/{id:long}/registrations/{registrationId:long}/reject", (long id, long registrationId, HttpContext http, IAntiforgery antiforgery, IGrainFactory grains) =>
            EventFormAsync(http, antiforgery, id, "已标记为不通过", (actor, form) => grains.GetGrain<IEventGrain>(id).DecideAsync(actor, registrationId, false, form["note"])))
            .RequireAuthorization(Policies.Reviewer).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/ui/events/{id:long}/status", (long id, HttpContext http, IAntiforgery antiforgery, IGrainFactory grains) =>
            EventFormAsync(http, antiforgery, id, "活动状态已更新", async (actor, form) =>
                (await grains.GetGrain<IEventGrain>(id).SetStatusAsync(actor, long.TryParse(form["version"], out var v) ? v : -1, form["status"].ToString())).As<bool>()))
            .RequireAuthorization(Policies.Reviewer).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/ui/events/new", CreateEventAsync).RequireAuthorization(Policies.Reviewer).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/ui/challenges/apply", ApplyAsync).RequireAuthorization(Policies.Institute).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/ui/notifications/read-all", ReadAllAsync).RequireAuthorization(Policies.SignedIn).DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<RedirectHttpResult, BadRequest<string>>> LogoutAsync(
        HttpContext http, IAntiforgery antiforgery, SignInManager<AppUser> signIn)
    {
        // The token in the layout's form keeps another site from signing users out.
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return TypedResults.BadRequest("请求已失效，请刷新页面后重试");
        }

        await signIn.SignOutAsync();
        return TypedResults.LocalRedirect("/");
    }

    /// <summary>我感兴趣 from a suggestion or the inbox; back to the page with the outcome, or the refusal shown.</summary>
    private static Task<IResult> InterestAsync(HttpContext http, IAntiforgery antiforgery, MatchService matches) =>
        PairFormAsync(http, antiforgery, "interest", (actor, needId, achievementId, form) =>
            matches.InterestAsync(actor, needId, achievementId, form["message"], http.RequestAborted));

    private static Task<IResult> DeclineAsync(HttpContext http, IAntiforgery antiforgery, MatchService matches) =>
        PairFormAsync(http, antiforgery, "declined", (actor, needId, achievementId, form) =>
            matches.DeclineAsync(actor, needId, achievementId, MatchEndpoints.ParseReason(form["reason"]), form["note"]));

    /// <summary>保存搜索 from a browse page: back to the same results with the outcome.</summary>
    private static async Task<IResult> SaveSearchAsync(HttpContext http, IAntiforgery antiforgery, SavedSearchService searches)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return TypedResults.BadRequest("请求已失效，请刷新页面后重试");
        }

        var form = http.Request.Form;
        var (saved, errors) = await searches.SaveAsync(Actors.From(http.User)!.UserId,
            new SavedSearchRequest(form["query"], form["kind"], form["field"], form["district"]), http.RequestAborted);
        var to = Ui.SafeReturnUrl(form["returnUrl"]);
        var sep = to.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return saved is null
            ? TypedResults.LocalRedirect($"{to}{sep}saveError={Uri.EscapeDataString(errors.Values.SelectMany(v => v).First())}")
            : TypedResults.LocalRedirect($"{to}{sep}saved=1");
    }

    private static async Task<IResult> DeleteSearchAsync(HttpContext http, IAntiforgery antiforgery, SavedSearchService searches)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return TypedResults.BadRequest("请求已失效，请刷新页面后重试");
        }

        var deleted = long.TryParse(http.Request.Form["id"], out var id) && await searches.DeleteAsync(Actors.From(http.User)!.UserId, id, http.RequestAborted);
        return TypedResults.LocalRedirect(deleted ? "/alerts?deleted=1" : "/alerts");
    }

    /// <summary>揭榜 / 抢榜 from a challenge's page: back to it with the outcome, or the refusal shown.</summary>
    private static async Task<IResult> ApplyAsync(HttpContext http, IAntiforgery antiforgery, IGrainFactory grains)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return TypedResults.BadRequest("请求已失效，请刷新页面后重试");
        }

        var form = http.Request.Form;
        if (!long.TryParse(form["needId"], CultureInfo.InvariantCulture, out var needId))
        {
            return TypedResults.BadRequest("请求不完整，请刷新页面后重试");
        }

        var to = $"/challenges/{needId.ToString(CultureInfo.InvariantCulture)}";
        decimal? price = null;
        if (form["priceWan"].ToString() is { Length: > 0 } raw)
        {
            if (!decimal.TryParse(raw, NumberStyles.Number, CultureInfo.InvariantCulture, out var p))
            {
                return TypedResults.LocalRedirect($"{to}?error={Uri.EscapeDataString("报价应为数字（万元）")}");
            }

            price = p;
        }

        var result = await grains.GetGrain<IChallengeGrain>(needId).ApplyAsync(Actors.From(http.User)!, new ApplicationInput(form["plan"], form["team"], price));
        if (!result.IsOk)
        {
            var message = result.Errors?.Values.SelectMany(v => v).FirstOrDefault() ?? result.Message ?? "操作未完成";
            return TypedResults.LocalRedirect($"{to}?error={Uri.EscapeDataString(message)}");
        }

        var done = $"{result.Value!.StatusLabel}：到达顺序第 {result.Value.ArrivalSeq.ToString(CultureInfo.InvariantCulture)} 位";
        return TypedResults.LocalRedirect($"{to}?applied={Uri.EscapeDataString(done)}");
    }

    private static async Task<IResult> ReadAllAsync(HttpContext http, IAntiforgery antiforgery, MarketDb db, TimeProvider clock)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return TypedResults.BadRequest("请求已失效，请刷新页面后重试");
        }

        var user = Actors.From(http.User)!.UserId;
        await db.Notifications.Where(n => n.UserId == user && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, clock.GetUtcNow().UtcDateTime), http.RequestAborted);
        return TypedResults.LocalRedirect("/alerts");
    }

    /// <summary>创建活动 from /events/new: times are entered in Beijing time; back to the form with the first error.</summary>
    private static async Task<IResult> CreateEventAsync(HttpContext http, IAntiforgery antiforgery, IGrainFactory grains)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return TypedResults.BadRequest("请求已失效，请刷新页面后重试");
        }

        var f = http.Request.Form;
        static DateTime? Beijing(string? s) => DateTime.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var t)
            ? DateTime.SpecifyKind(t - Ui.ChinaOffset, DateTimeKind.Utc) : null;
        static int? Int(string? s) => int.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var i) ? i : null;
        var draft = new EventDraft
        {
            Format = f["format"],
            CampaignId = long.TryParse(f["campaignId"], out var c) ? c : null,
            Title = f["title"],
            Theme = f["theme"],
            Fields = [.. f["fields"].OfType<string>()],
            StartsAt = Beijing(f["startsAt"]),
            RegistrationDeadline = Beijing(f["registrationDeadline"]),
            Venue = f["venue"],
            District = f["district"],
            Capacity = Int(f["capacity"]),
            Tables = Int(f["tables"]),
            SlotCount = Int(f["slotCount"]),
            SlotMinutes = Int(f["slotMinutes"]),
        };
        var result = await grains.GetGrain<IEventDeskGrain>(0).CreateEventAsync(Actors.From(http.User)!, draft);
        return result.IsOk
            ? TypedResults.LocalRedirect($"/events/{result.Value!.Id}?done={Uri.EscapeDataString("活动已创建（筹备中），确认无误后开放报名")}")
            : TypedResults.LocalRedirect($"/events/new?error={Uri.EscapeDataString(result.Errors?.Values.SelectMany(v => v).FirstOrDefault() ?? result.Message ?? "操作未完成")}");
    }

    /// <summary>An event form post: the antiforgery token, the grain's call, then back to the event's page with the outcome.</summary>
    private static async Task<IResult> EventFormAsync<T>(HttpContext http, IAntiforgery antiforgery, long id, string done, Func<Actor, IFormCollection, Task<OpResult<T>>> act)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return TypedResults.BadRequest("请求已失效，请刷新页面后重试");
        }

        var result = await act(Actors.From(http.User)!, http.Request.Form);
        var message = result.IsOk ? done : result.Errors?.Values.SelectMany(v => v).FirstOrDefault() ?? result.Message ?? "操作未完成";
        return TypedResults.LocalRedirect($"/events/{id}?{(result.IsOk ? "done" : "error")}={Uri.EscapeDataString(message)}");
    }

    /// <summary>A match form post: the antiforgery token, the pair's ids, the action, then back to the page.</summary>
    private static async Task<IResult> PairFormAsync(HttpContext http, IAntiforgery antiforgery, string done, Func<Actor, long, long, IFormCollection, Task<OpResult<MatchView>>> act)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return TypedResults.BadRequest("请求已失效，请刷新页面后重试");
        }

        var form = http.Request.Form;
        if (!long.TryParse(form["needId"], out var needId) || !long.TryParse(form["achievementId"], out var achievementId))
        {
            return TypedResults.BadRequest("请求不完整，请刷新页面后重试");
        }

        return Back(form["returnUrl"], await act(Actors.From(http.User)!, needId, achievementId, form), done);
    }

    private static RedirectHttpResult Back(string? returnUrl, OpResult<MatchView> result, string done)
    {
        var to = Ui.SafeReturnUrl(returnUrl);
        if (!result.IsOk)
        {
            var message = result.Errors?.Values.SelectMany(v => v).FirstOrDefault() ?? result.Message ?? "操作未完成";
            return TypedResults.LocalRedirect($"{to}{(to.Contains('?', StringComparison.Ordinal) ? '&' : '?')}matchError={Uri.EscapeDataString(message)}");
        }

        return TypedResults.LocalRedirect($"{to}{(to.Contains('?', StringComparison.Ordinal) ? '&' : '?')}match={done}");
    }
}
