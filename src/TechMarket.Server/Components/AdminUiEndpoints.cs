using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.WebUtilities;
using TechMarket.Server.Features.Admin;
using TechMarket.Server.Infrastructure;

namespace TechMarket.Server.Components;

/// <summary>
/// The form posts of the admin pages (/admin/users, /admin/brokers, /admin/organisations): roles, the broker
/// registry, and the organisations' name review and verification. Each checks the antiforgery token, calls the same
/// service or grain as the admin API (where the rules are) and goes back to the page it came from with done= or
/// error= in Chinese.
/// </summary>
internal static class AdminUiEndpoints
{
    public static IEndpointRouteBuilder MapAdminUi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/ui/admin/users/{id:long}/roles", SetRolesAsync).RequireAuthorization(Policies.Admin).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/ui/admin/brokers", RegisterBrokerAsync).RequireAuthorization(Policies.Admin).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/ui/admin/brokers/{id:long}", UpdateBrokerAsync).RequireAuthorization(Policies.Admin).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/ui/admin/organisations/{id:long}/name/approve", ApproveNameAsync).RequireAuthorization(Policies.Reviewer).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/ui/admin/organisations/{id:long}/name/reject", RejectNameAsync).RequireAuthorization(Policies.Reviewer).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/ui/admin/organisations/{id:long}/verify", VerifyAsync).RequireAuthorization(Policies.Reviewer).DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private static Task<IResult> SetRolesAsync(long id, HttpContext http, IAntiforgery antiforgery, AdminDesk desk) =>
        FormAsync(http, antiforgery, "/admin/users", async (actor, form) =>
        {
            var result = await desk.SetRolesAsync(actor, id, [.. form["roles"].Select(r => r ?? "")]);
            return Outcome.From(result, v => v.Roles.Count == 0
                ? "已取消该用户的全部平台角色"
                : $"角色已保存：{string.Join("、", v.Roles.Select(AdminDesk.RoleLabel))}（用户重新登录后生效）");
        });

    private static Task<IResult> RegisterBrokerAsync(HttpContext http, IAntiforgery antiforgery, AdminDesk desk, IGrainFactory grains) =>
        FormAsync(http, antiforgery, "/admin/brokers", async (actor, form) =>
        {
            if (await desk.FindUserAsync(form["user"], http.RequestAborted) is not { } userId)
            {
                return Outcome.Refused("找不到该用户：请填写用户 ID 或注册邮箱");
            }

            var result = await grains.GetGrain<IBrokerGrain>(userId).RegisterAsync(actor, Registration(form));
            return Outcome.From(result, b => $"已备案：{b.Name}（{b.CertificateNumber}，{b.Level}）");
        });

    private static Task<IResult> UpdateBrokerAsync(long id, HttpContext http, IAntiforgery antiforgery, IGrainFactory grains) =>
        FormAsync(http, antiforgery, "/admin/brokers", async (actor, form) =>
            Outcome.From(await grains.GetGrain<IBrokerGrain>(id).UpdateAsync(actor, Registration(form)), b => $"备案已更正：{b.Name}（{b.CertificateNumber}，{b.Level}，{b.District}）"));

    private static Task<IResult> ApproveNameAsync(long id, HttpContext http, IAntiforgery antiforgery, IGrainFactory grains) =>
        FormAsync(http, antiforgery, "/admin/organisations", async (actor, form) =>
            !long.TryParse(form["version"], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
                ? Outcome.Refused("请求不完整，请刷新页面后重试")
                : Outcome.From(await grains.GetGrain<IOrganisationGrain>(id).ReviewNameAsync(actor, version, approve: true, reason: null), o => $"已通过名称变更：{o.Name}"));

    private static Task<IResult> RejectNameAsync(long id, HttpContext http, IAntiforgery antiforgery, IGrainFactory grains) =>
        FormAsync(http, antiforgery, "/admin/organisations", async (actor, form) =>
            !long.TryParse(form["version"], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
                ? Outcome.Refused("请求不完整，请刷新页面后重试")
                : Outcome.From(await grains.GetGrain<IOrganisationGrain>(id).ReviewNameAsync(actor, version, approve: false, reason: form["reason"]), o => $"已不予通过，{o.Name} 保留原名称"));

    private static Task<IResult> VerifyAsync(long id, HttpContext http, IAntiforgery antiforgery, IGrainFactory grains) =>
        FormAsync(http, antiforgery, "/admin/organisations", async (actor, form) =>
        {
            var verified = form["verified"] != "false";
            return Outcome.From(await grains.GetGrain<IOrganisationGrain>(id).VerifyAsync(actor, verified), o => verified ? $"已核验：{o.Name}" : $"已撤销核验：{o.Name}");
        });

    private static BrokerRegistration Registration(IFormCollection form) => new()
    {
        CertificateNumber = form["certificateNumber"],
        Level = form["level"],
        Agency = form["agency"],
        District = form["district"],
        Specialties = form["specialties"],
    };

    private sealed record Outcome(string? Done, string? Error)
    {
        public static Outcome Refused(string error) => new(null, error);

        public static Outcome From<T>(OpResult<T> result, Func<T, string> done) =>
            result.IsOk ? new(done(result.Value!), null) : Refused(result.Errors?.Values.SelectMany(v => v).FirstOrDefault() ?? result.Message ?? "操作未完成");
    }

    /// <summary>
    /// One form post: the token, the form, the step; then back to the page in the form's "back" field (an /admin/
    /// address, with its filters) or to <paramref name="page"/>, with done= or error=.
    /// </summary>
    private static async Task<IResult> FormAsync(HttpContext http, IAntiforgery antiforgery, string page, Func<Actor, IFormCollection, Task<Outcome>> step)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return TypedResults.BadRequest("请求已失效，请刷新页面后重试");
        }

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

        return TypedResults.LocalRedirect(BackTo(form["back"], page, outcome));
    }

    /// <summary>The page to go back to, its own done/error dropped and the new one added.</summary>
    private static string BackTo(string? back, string page, Outcome outcome)
    {
        var target = back is { Length: > 0 } b && b.StartsWith("/admin/", StringComparison.Ordinal) && Ui.SafeReturnUrl(b) == b ? b : page;
        var q = target.IndexOf('?', StringComparison.Ordinal);
        var path = q < 0 ? target : target[..q];
        var kept = q < 0 ? [] : QueryHelpers.ParseQuery(target[q..])
            .Where(kv => kv.Key is not ("done" or "error"))
            .Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value.ToString()));
        return Ui.Query(path, [.. kept, outcome.Error is { } e ? new("error", e) : new("done", outcome.Done)]);
    }
}
