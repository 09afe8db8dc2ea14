using Microsoft.AspNetCore.Http.HttpResults;
using TechMarket.Server.Features.Listings;
using TechMarket.Server.Infrastructure;

namespace TechMarket.Server.Features.Admin;

/// <summary>
/// Admin-only: users and roles, the audit log, the broker registry; and, for organisers and admins, the
/// organisations under review (name changes, verification). The rules are in <see cref="AdminDesk"/> and the grains,
/// which the admin pages call too.
/// </summary>
internal static class AdminEndpoints
{
    public static RouteGroupBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin").WithTags("Admin").RequireAuthorization(Policies.Admin);
        group.MapGet("/audit", Audit).WithSummary("审计日志：谁、何时、改了什么（按记录类型、记录、操作人、日期、操作筛选）");
        group.MapGet("/users", Users).WithSummary("用户列表（按姓名或邮箱搜索），含所属机构和角色");
        group.MapPut("/users/{id:long}/roles", SetRoles).WithSummary("设置用户的平台角色（组织方、管理员、技术经纪人、登记员）");
        group.MapPost("/brokers", RegisterBroker).WithSummary("技术经纪人备案（登记证书编号、等级、所属机构、区县市、专长）");
        group.MapPut("/brokers/{id:long}", UpdateBroker).WithSummary("更正技术经纪人备案信息");

        var organisations = app.MapGroup("/api/admin/organisations").WithTags("Admin").RequireAuthorization(Policies.Reviewer);
        organisations.MapGet("/", Organisations).WithSummary("机构审核：待审核的名称变更（pending=true）、核验状态");
        organisations.MapPost("/{id:long}/name/approve", ApproveName).WithSummary("通过机构名称变更（If-Match 版本号）");
        organisations.MapPost("/{id:long}/name/reject", RejectName).WithSummary("不予通过机构名称变更，须填写理由（If-Match 版本号）");
        organisations.MapPost("/{id:long}/verify", Verify).WithSummary("核验机构（已核对统一社会信用代码）；verified=false 撤销核验");
        return group;
    }

    internal sealed record RolesRequest(IReadOnlyList<string>? Roles);

    internal sealed record RejectRequest(string? Reason);

    internal sealed record VerifyRequest(bool? Verified);

    private static async Task<Results<Ok<Paged<AuditView>>, ValidationProblem>> Audit(
        string? entityType, long? entityId, long? userId, DateOnly? from, DateOnly? to, string? action, int? page, int? pageSize, AdminDesk desk, CancellationToken ct)
    {
        var filter = new AuditFilter(entityType, entityId, userId, from, to, action, page ?? 1, pageSize ?? 50);
        var errors = filter.Validate();
        return errors.Count > 0 ? Problems.Invalid(errors, "查询条件有误") : TypedResults.Ok(await desk.AuditAsync(filter, ct));
    }

    private static async Task<Results<Ok<Paged<AdminUserView>>, ValidationProblem>> Users(string? q, int? page, int? pageSize, AdminDesk desk, CancellationToken ct)
    {
        var p = page ?? 1;
        var size = pageSize ?? 20;
        if (!Paging.IsValid(p, size) || q is { Length: > 100 })
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["query"] = ["搜索词不超过 100 个字符；页码从 1 开始，每页 1 到 100 条"] }, "查询条件有误");
        }

        return TypedResults.Ok(await desk.UsersAsync(q, p, size, ct));
    }

    private static async Task<IResult> SetRoles(long id, RolesRequest request, AdminDesk desk, HttpContext http)
    {
        var result = await desk.SetRolesAsync(Actors.From(http.User)!, id, request.Roles);
        return result.IsOk ? TypedResults.Ok(result.Value) : Problems.From(result);
    }

    internal sealed record BrokerRequest(long UserId, string? CertificateNumber, string? Level, string? Agency, string? District, string? Specialties)
    {
        public BrokerRegistration ToRegistration() => new()
        {
            CertificateNumber = CertificateNumber,
            Level = Level,
            Agency = Agency,
            District = District,
            Specialties = Specialties,
        };
    }

    private static async Task<IResult> RegisterBroker(BrokerRequest request, IGrainFactory grains, HttpContext http)
    {
        var result = await grains.GetGrain<IBrokerGrain>(request.UserId).RegisterAsync(Actors.From(http.User)!, request.ToRegistration());
        return result.IsOk ? TypedResults.Created("/api/brokers", result.Value) : Problems.From(result);
    }

    private static async Task<IResult> UpdateBroker(long id, BrokerRequest request, IGrainFactory grains, HttpContext http)
    {
        var result = await grains.GetGrain<IBrokerGrain>(id).UpdateAsync(Actors.From(http.User)!, request.ToRegistration());
        return result.IsOk ? TypedResults.Ok(result.Value) : Problems.From(result);
    }

    private static async Task<Results<Ok<Paged<OrganisationView>>, ValidationProblem>> Organisations(
        bool? pending, bool? verified, string? q, int? page, int? pageSize, AdminDesk desk, CancellationToken ct)
    {
        var p = page ?? 1;
        var size = pageSize ?? 20;
        if (!Paging.IsValid(p, size) || q is { Length: > 100 })
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["query"] = ["搜索词不超过 100 个字符；页码从 1 开始，每页 1 到 100 条"] }, "查询条件有误");
        }

        return TypedResults.Ok(await desk.OrganisationsAsync(pending, verified, q, p, size, ct));
    }

    private static async Task<IResult> ApproveName(long id, HttpContext http, IGrainFactory grains) =>
        await ReviewNameAsync(id, http, grains, approve: true, reason: null);

    private static async Task<IResult> RejectName(long id, RejectRequest request, HttpContext http, IGrainFactory grains) =>
        await ReviewNameAsync(id, http, grains, approve: false, reason: request.Reason);

    private static async Task<IResult> ReviewNameAsync(long id, HttpContext http, IGrainFactory grains, bool approve, string? reason)
    {
        if (!ListingEndpoints.TryReadVersion(http, out var version, out var problem))
        {
            return problem!;
        }

        var result = await grains.GetGrain<IOrganisationGrain>(id).ReviewNameAsync(Actors.From(http.User)!, version, approve, reason);
        if (!result.IsOk)
        {
            return Problems.From(result);
        }

        http.Response.Headers.ETag = ListingEndpoints.ETag(result.Value!.Version);
        return TypedResults.Ok(result.Value);
    }

    /// <summary>The body is optional: an empty POST verifies, {"verified": false} withdraws a verification.</summary>
    private static async Task<IResult> Verify(long id, VerifyRequest? request, HttpContext http, IGrainFactory grains)
    {
        var result = await grains.GetGrain<IOrganisationGrain>(id).VerifyAsync(Actors.From(http.User)!, request?.Verified ?? true);
        return result.IsOk ? TypedResults.Ok(result.Value) : Problems.From(result);
    }
}
