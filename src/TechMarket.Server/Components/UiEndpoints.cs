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
