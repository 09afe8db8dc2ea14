using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using TechMarket.Data.Model;
using TechMarket.Server.Infrastructure;

namespace TechMarket.Server.Features.Accounts;

/// <summary>Registration and sign-in: a cookie for the web, a bearer token for API clients.</summary>
internal static class AuthEndpoints
{
    public static RouteGroupBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/register", Register).AllowAnonymous().WithSummary("注册机构及其第一位成员");
        group.MapPost("/login", Login).AllowAnonymous().WithSummary("登录：默认返回 Bearer 令牌；useCookies=true 时写入 Cookie");
        group.MapPost("/logout", Logout).RequireAuthorization(Policies.SignedIn).WithSummary("退出登录（Cookie）");
        group.MapGet("/me", Me).RequireAuthorization(Policies.SignedIn).WithSummary("当前用户");
        return group;
    }

    internal sealed record LoginRequest(string? Email, string? Password);

    private static async Task<IResult> Register(RegisterRequest request, AccountService accounts, CancellationToken ct)
    {
        var result = await accounts.RegisterAsync(request, ct);
        return result.IsOk ? TypedResults.Created("/api/auth/me", result.Value) : Problems.From(result);
    }

    private static async Task<IResult> Login(LoginRequest request, bool? useCookies, SignInManager<AppUser> signIn, LoginThrottle throttle, HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (await throttle.IsBlockedAsync(address))
        {
            http.Response.Headers.RetryAfter = throttle.WindowSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problems.Status(429, throttle.BlockedMessage, "too-many-failures");
        }

        if (string.IsNullOrWhiteSpace(request.Email) || string.IsNullOrEmpty(request.Password) || request.Email.Length > 254 || request.Password.Length > 128)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["email"] = ["请填写邮箱和密码"] });
        }

        signIn.AuthenticationScheme = useCookies == true ? IdentityConstants.ApplicationScheme : IdentityConstants.BearerScheme;
        var result = await signIn.PasswordSignInAsync(request.Email.Trim(), request.Password, isPersistent: true, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            return Problems.Status(429, "登录失败次数过多，账号已暂时锁定，请 5 分钟后再试", "locked-out");
        }

        if (!result.Succeeded)
        {
            await throttle.RecordFailureAsync(address);
            return Problems.Status(401, "邮箱或密码不正确", "bad-credentials");
        }

        // The sign-in manager has already written the cookie or the token response.
        return TypedResults.Empty;
    }

    private static async Task<NoContent> Logout(SignInManager<AppUser> signIn)
    {
        await signIn.SignOutAsync();
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<AccountView>, ProblemHttpResult>> Me(HttpContext http, AccountService accounts, CancellationToken ct)
    {
        var actor = Actors.From(http.User)!;
        var view = await accounts.GetAsync(actor.UserId, ct);
        return view is null ? Problems.NotFound() : TypedResults.Ok(view);
    }
}
