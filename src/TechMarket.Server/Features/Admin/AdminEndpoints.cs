using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Server.Features.Listings;
using TechMarket.Server.Infrastructure;

namespace TechMarket.Server.Features.Admin;

/// <summary>Admin-only: the audit log and role assignment.</summary>
internal static class AdminEndpoints
{
    public static RouteGroupBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin").WithTags("Admin").RequireAuthorization(Policies.Admin);
        group.MapGet("/audit", Audit).WithSummary("审计日志：谁、何时、改了什么");
        group.MapPut("/users/{id:long}/roles", SetRoles).WithSummary("设置用户的平台角色（组织方、管理员、技术经纪人）");
        group.MapPost("/brokers", RegisterBroker).WithSummary("技术经纪人备案（登记证书编号、等级、所属机构、区县市、专长）");
        group.MapPut("/brokers/{id:long}", UpdateBroker).WithSummary("更正技术经纪人备案信息");
        return group;
    }

    internal sealed record AuditView(long Id, DateTime At, long? UserId, string? UserName, string EntityType, long EntityId, string Action, string Changes);

    internal sealed record RolesRequest(IReadOnlyList<string>? Roles);

    private static async Task<Results<Ok<Paged<AuditView>>, ValidationProblem>> Audit(
        string? entityType, long? entityId, long? userId, int? page, int? pageSize, MarketDb db, CancellationToken ct)
    {
        var p = page ?? 1;
        var size = pageSize ?? 50;
        if (!Paging.IsValid(p, size) || entityType is { Length: > 50 })
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["page"] = ["页码从 1 开始，每页 1 到 100 条"] }, "查询条件有误");
        }

        var q = db.AuditLog.AsNoTracking();
        if (!string.IsNullOrEmpty(entityType))
        {
            q = q.Where(a => a.EntityType == entityType);
        }

        if (entityId is { } eid)
        {
            q = q.Where(a => a.EntityId == eid);
        }

        if (userId is { } uid)
        {
            q = q.Where(a => a.UserId == uid);
        }

        var total = await q.CountAsync(ct);
        var rows = await q.OrderByDescending(a => a.Id).Skip((p - 1) * size).Take(size)
            .Select(a => new AuditView(a.Id, a.At, a.UserId, db.Users.Where(u => u.Id == a.UserId).Select(u => u.DisplayName).FirstOrDefault(), a.EntityType, a.EntityId, a.Action, a.Changes))
            .ToListAsync(ct);
        return TypedResults.Ok(new Paged<AuditView>(rows, total, p, size));
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

    private static async Task<IResult> SetRoles(long id, RolesRequest request, UserManager<AppUser> users, MarketDb db, HttpContext http)
    {
        string[] assignable = [Roles.Organiser, Roles.Admin, Roles.Broker, Roles.Registrar];
        var wanted = request.Roles ?? [];
        var unknown = wanted.Where(r => !assignable.Contains(r)).ToList();
        if (unknown.Count > 0)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["roles"] = [$"未知或不可分配的角色：{string.Join("、", unknown)}（可分配：{string.Join("、", assignable)}）"] });
        }

        var user = await users.FindByIdAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (user is null)
        {
            return Problems.NotFound();
        }

        var actor = Actors.From(http.User)!;
        if (actor.UserId == id && !wanted.Contains(Roles.Admin))
        {
            return Problems.Conflict("不能取消自己的管理员角色");
        }

        var current = await users.GetRolesAsync(user);
        await users.RemoveFromRolesAsync(user, current.Where(r => assignable.Contains(r) && !wanted.Contains(r)));
        await users.AddToRolesAsync(user, wanted.Where(r => !current.Contains(r)));
        db.AuditLog.Add(new AuditEntry
        {
            At = DateTime.UtcNow,
            UserId = actor.UserId,
            EntityType = "User",
            EntityId = id,
            Action = "roles",
            Changes = System.Text.Json.JsonSerializer.Serialize(new { Roles = new[] { current.ToArray(), wanted.ToArray() } }),
        });
        await db.SaveChangesAsync();
        return TypedResults.Ok(new { id, roles = wanted });
    }
}
