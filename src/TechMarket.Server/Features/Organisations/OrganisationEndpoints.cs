using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Rules;
using TechMarket.Server.Features.Accounts;
using TechMarket.Server.Features.Listings;
using TechMarket.Server.Infrastructure;

namespace TechMarket.Server.Features.Organisations;

/// <summary>Public organisation profiles, the broker registry, and edits of one's own organisation.</summary>
internal static class OrganisationEndpoints
{
    public static RouteGroupBuilder MapOrganisations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/organisations").WithTags("Organisations").RequireAuthorization(Policies.Member);
        group.MapGet("/", List).AllowAnonymous().CacheOutput(PublicPageCache.Policy).WithSummary("机构名录");
        group.MapGet("/{id:long}", Get).AllowAnonymous().CacheOutput(PublicPageCache.Policy).WithSummary("机构详情");
        group.MapPut("/{id:long}", Update).WithSummary("修改本机构资料（If-Match 版本号）");
        group.MapGet("/{id:long}/members", Members).WithSummary("本机构成员");
        group.MapPost("/{id:long}/members", AddMember).WithSummary("为本机构添加成员账号");

        app.MapGet("/api/brokers", Brokers).WithTags("Brokers").AllowAnonymous().WithSummary("技术经纪人名录");
        return group;
    }

    internal sealed record UpdateOrganisationRequest(string? Name, string? District, IReadOnlyList<string>? Fields, IReadOnlyList<string>? Qualifications, string? Introduction);

    private static async Task<Results<Ok<Paged<OrganisationView>>, ValidationProblem>> List(string? kind, string? district, int? page, int? pageSize, MarketDb db, HttpContext http, CancellationToken ct)
    {
        var p = page ?? 1;
        var size = pageSize ?? 20;
        var k = AccountService.ParseKind(kind);
        if (!Paging.IsValid(p, size) || (kind is { Length: > 0 } && k is null) || (district is { Length: > 0 } && !Labels.Districts.Contains(district)))
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["query"] = ["kind 可选 enterprise/institute/agency；district 须为宁波的区县市；页码从 1 开始，每页 1 到 100 条"] }, "查询条件有误");
        }

        var q = db.Organisations.AsNoTracking();
        if (k is { } kk)
        {
            q = q.Where(o => o.Kind == kk);
        }

        if (!string.IsNullOrEmpty(district))
        {
            q = q.Where(o => o.District == district);
        }

        var total = await q.CountAsync(ct);
        var rows = await q.OrderBy(o => o.Name).Skip((p - 1) * size).Take(size).ToListAsync(ct);
        var actor = Actors.From(http.User);
        return TypedResults.Ok(new Paged<OrganisationView>([.. rows.Select(o => Shown(o, actor))], total, p, size));
    }

    private static async Task<Results<Ok<OrganisationView>, ProblemHttpResult>> Get(long id, MarketDb db, HttpContext http, CancellationToken ct)
    {
        var org = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        return org is null ? Problems.NotFound() : TypedResults.Ok(Shown(org, Actors.From(http.User)));
    }

    /// <summary>A name under review is shown only to the organisation's own members and to reviewers.</summary>
    private static OrganisationView Shown(TechMarket.Data.Model.Organisation org, Actor? actor)
    {
        var view = OrganisationView.From(org);
        return actor is not null && (actor.OrganisationId == org.Id || actor.IsReviewer) ? view : view.Public();
    }

    private static async Task<IResult> Update(long id, UpdateOrganisationRequest request, HttpContext http, IGrainFactory grains)
    {
        if (!ListingEndpoints.TryReadVersion(http, out var version, out var problem))
        {
            return problem!;
        }

        var change = new OrganisationChange
        {
            Name = request.Name,
            District = request.District,
            Fields = request.Fields?.ToArray(),
            Qualifications = request.Qualifications?.ToArray(),
            Introduction = request.Introduction,
        };
        var result = await grains.GetGrain<IOrganisationGrain>(id).UpdateProfileAsync(Actors.From(http.User)!, version, change);
        if (!result.IsOk)
        {
            return Problems.From(result);
        }

        http.Response.Headers.ETag = ListingEndpoints.ETag(result.Value!.Version);
        return TypedResults.Ok(result.Value);
    }

    internal sealed record MemberView(long Id, string Email, string DisplayName, DateTime CreatedAt);

    internal sealed record AddMemberRequest(string? Email, string? DisplayName, string? Password);

    private static async Task<IResult> Members(long id, HttpContext http, MarketDb db, CancellationToken ct)
    {
        if (Actors.From(http.User)!.OrganisationId != id)
        {
            return Problems.Forbidden("只能查看本机构的成员");
        }

        var members = await db.Users.AsNoTracking().Where(u => u.OrganisationId == id).OrderBy(u => u.Id)
            .Select(u => new MemberView(u.Id, u.Email ?? "", u.DisplayName, u.CreatedAt)).ToListAsync(ct);
        return TypedResults.Ok(members);
    }

    private static async Task<IResult> AddMember(long id, AddMemberRequest request, HttpContext http, AccountService accounts, CancellationToken ct)
    {
        var actor = Actors.From(http.User)!;
        var result = await accounts.AddMemberAsync(actor, id, request.Email, request.DisplayName, request.Password, ct);
        return result.IsOk ? TypedResults.Created($"/api/organisations/{id}/members", result.Value) : Problems.From(result);
    }

    private static async Task<Results<Ok<Paged<BrokerView>>, ValidationProblem>> Brokers(string? district, int? page, int? pageSize, MarketDb db, CancellationToken ct)
    {
        var p = page ?? 1;
        var size = pageSize ?? 20;
        if (!Paging.IsValid(p, size) || (district is { Length: > 0 } && !Labels.Districts.Contains(district)))
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["query"] = ["district 须为宁波的区县市；页码从 1 开始，每页 1 到 100 条"] }, "查询条件有误");
        }

        var q = db.Brokers.AsNoTracking().Include(b => b.User).AsQueryable();
        if (!string.IsNullOrEmpty(district))
        {
            q = q.Where(b => b.District == district);
        }

        var total = await q.CountAsync(ct);
        var rows = await q.OrderBy(b => b.Id).Skip((p - 1) * size).Take(size).ToListAsync(ct);
        return TypedResults.Ok(new Paged<BrokerView>(
            [.. rows.Select(b => BrokerView.From(b, b.User?.DisplayName ?? ""))],
            total, p, size));
    }
}
