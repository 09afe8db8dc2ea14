using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Market.Deals;
using TechMarket.Server.Infrastructure;

namespace TechMarket.Server.Features.Deals;

/// <summary>Deals (technology contracts) and their registration (技术合同认定登记).</summary>
internal static class DealEndpoints
{
    internal sealed record ReasonRequest(string? Reason);

    internal sealed record NoteRequest(string? Note);

    public static void MapDeals(this IEndpointRouteBuilder app)
    {
        var deals = app.MapGroup("/api/deals").WithTags("Deals");
        deals.MapGet("/", List).RequireAuthorization(Policies.SignedIn).WithSummary("成交合同：双方成员看本单位的，经纪人看记入自己的，登记员、组织方与管理员看全部；status= 筛选");
        deals.MapPost("/", async (DealDraft draft, HttpContext http, IGrainFactory grains) =>
            Created(await grains.GetGrain<IDealDeskGrain>(0).CreateAsync(Actors.From(http.User)!, draft))).RequireAuthorization(Policies.SignedIn).WithSummary("录入成交的技术合同（合同双方、技术经纪人、组织方），可关联撮合、会谈与经纪人");
        deals.MapGet("/{id:long}", async (long id, HttpContext http, IGrainFactory grains) =>
            Reply(await grains.GetGrain<IDealGrain>(id).GetAsync(Actors.From(http.User)!))).RequireAuthorization(Policies.SignedIn).WithSummary("合同详情（含登记号、核定技术交易额与经纪人奖励）");
        deals.MapPost("/{id:long}/apply", async (long id, HttpContext http, IGrainFactory grains) =>
            Reply(await grains.GetGrain<IDealGrain>(id).ApplyAsync(Actors.From(http.User)!))).RequireAuthorization(Policies.Member).WithSummary("申请技术合同认定登记（卖方）");
        deals.MapPost("/{id:long}/register", async (long id, DealRegistration body, HttpContext http, IGrainFactory grains) =>
            Reply(await grains.GetGrain<IDealGrain>(id).RegisterAsync(Actors.From(http.User)!, body))).RequireAuthorization(Policies.Registrar).WithSummary("登记（登记员）：合同类别与核定技术交易额，生成登记号");
        deals.MapPost("/{id:long}/refuse", async (long id, ReasonRequest body, HttpContext http, IGrainFactory grains) =>
            Reply(await grains.GetGrain<IDealGrain>(id).RefuseAsync(Actors.From(http.User)!, body.Reason))).RequireAuthorization(Policies.Registrar).WithSummary("未予登记（登记员，须写明原因）");
        deals.MapPost("/{id:long}/cancel", async (long id, NoteRequest? body, HttpContext http, IGrainFactory grains) =>
            Reply(await grains.GetGrain<IDealGrain>(id).CancelAsync(Actors.From(http.User)!, body?.Note))).RequireAuthorization(Policies.SignedIn).WithSummary("撤销录入有误的合同（申请登记之前）");
    }

    private static async Task<IResult> List(string? status, HttpContext http, MarketDb db, IConfiguration config, CancellationToken ct)
    {
        DealStatus? wanted = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!Enum.TryParse<DealStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(status, out _))
            {
                return Problems.Invalid(new Dictionary<string, string[]> { ["status"] = ["status 应为 Contracted、Applied、Registered、Refused 或 Cancelled"] });
            }

            wanted = parsed;
        }

        var actor = Actors.From(http.User)!;
        var all = actor.IsReviewer || actor.IsRegistrar;
        var rows = await db.Deals.AsNoTracking().Include(d => d.Buyer).Include(d => d.Seller)
            .Where(d => (wanted == null || d.Status == wanted)
                && (all || d.BuyerOrganisationId == actor.OrganisationId || d.SellerOrganisationId == actor.OrganisationId
                    || db.DealBrokers.Any(b => b.DealId == d.Id && b.UserId == actor.UserId)))
            .OrderByDescending(d => d.Id).Take(500).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var brokers = (await db.DealBrokers.AsNoTracking().Where(b => ids.Contains(b.DealId)).ToListAsync(ct)).ToLookup(b => b.DealId, b => b.UserId);
        var rate = DealRules.RewardRate(config);
        return TypedResults.Ok(rows.Select(d => DealRules.View(d, [.. brokers[d.Id].Order()], rate)).ToList());
    }

    private static IResult Created(OpResult<DealView> result) =>
        result.IsOk ? TypedResults.Created($"/api/deals/{result.Value!.Id}", result.Value) : Problems.From(result);

    private static IResult Reply(OpResult<DealView> result) => result.IsOk ? TypedResults.Ok(result.Value) : Problems.From(result);
}
