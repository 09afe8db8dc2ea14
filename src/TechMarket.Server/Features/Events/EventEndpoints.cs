using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Market.Events;
using TechMarket.Server.Features.Listings;
using TechMarket.Server.Infrastructure;

namespace TechMarket.Server.Features.Events;

/// <summary>A campaign with its targets, what has been reached so far, and its events.</summary>
internal sealed record CampaignView(
    long Id, string Name, int Year, string Description, CampaignFigures Targets, CampaignFigures Reached, IReadOnlyList<EventView> Events, bool IsDemo);

/// <summary>
/// A campaign's figures. Meetings, agreements and deals are counted from the held events' meetings (see
/// <see cref="CampaignProgress"/>); the amount is the 核定技术交易额 of the registered deals credited to its events.
/// </summary>
internal sealed record CampaignFigures(int Events, int Participants, int? Meetings, int? Agreements, int? Deals, decimal? AmountWan);

/// <summary>百日百场: campaigns, events, and organisations' registrations with the organisers' approval.</summary>
internal static class EventEndpoints
{
    internal sealed record StatusRequest(string? Status);

    internal sealed record DecisionRequest(string? Note);

    public static void MapEvents(this IEndpointRouteBuilder app)
    {
        var campaigns = app.MapGroup("/api/campaigns").WithTags("Events");
        campaigns.MapGet("/", async (MarketDb db, CancellationToken ct) => TypedResults.Ok(await CampaignsAsync(db, null, false, ct))).AllowAnonymous().WithSummary("活动计划（如百日百场）及其目标与进度");
        campaigns.MapGet("/{id:long}", async (long id, HttpContext http, MarketDb db, CancellationToken ct) =>
            (await CampaignsAsync(db, id, Actors.From(http.User)?.IsReviewer == true, ct)) is [var c] ? Results.Ok(c) : Problems.NotFound()).AllowAnonymous().WithSummary("活动计划详情：目标、进度与其中的活动");
        campaigns.MapGet("/{id:long}/records", GetCampaignRecords).AllowAnonymous().WithSummary("进度数字背后的记录：figure=events|participants|meetings|agreements|deals（会谈只列机构名称与结果）");
        campaigns.MapPost("/", CreateCampaign).RequireAuthorization(Policies.Reviewer).WithSummary("创建活动计划（组织方）");

        var events = app.MapGroup("/api/events").WithTags("Events");
        events.MapGet("/", ListEvents).AllowAnonymous().WithSummary("活动列表（筹备中的活动仅组织方可见）");
        events.MapPost("/", CreateEvent).RequireAuthorization(Policies.Reviewer).WithSummary("创建活动（组织方）：专场对接会、院所开放日、成果路演、揭榜挂帅发布会、专家企业行");
        events.MapGet("/{id:long}", GetEvent).AllowAnonymous().WithSummary("活动详情");
        events.MapPut("/{id:long}", UpdateEvent).RequireAuthorization(Policies.Reviewer).WithSummary("修改活动（组织方，If-Match 版本号）");
        events.MapPost("/{id:long}/status", SetStatus).RequireAuthorization(Policies.Reviewer).WithSummary("开放报名 / 截止报名 / 标记已举办 / 取消（组织方，If-Match 版本号）");
        events.MapPost("/{id:long}/registrations", Register).RequireAuthorization(Policies.Member).WithSummary("本机构报名参加（可提供、希望对接、带去的需求或成果）");
        events.MapDelete("/{id:long}/registrations/mine", Withdraw).RequireAuthorization(Policies.Member).WithSummary("取消本机构的报名");
        events.MapGet("/{id:long}/registrations", Registrations).RequireAuthorization(Policies.SignedIn).WithSummary("报名名单：组织方看全部，成员看本机构的");
        events.MapPost("/{id:long}/registrations/{registrationId:long}/approve", (long id, long registrationId, DecisionRequest? body, HttpContext http, IGrainFactory grains) =>
            Decide(id, registrationId, true, body?.Note, http, grains)).RequireAuthorization(Policies.Reviewer).WithSummary("通过报名（组织方，不超过名额）");
        events.MapPost("/{id:long}/registrations/{registrationId:long}/reject", (long id, long registrationId, DecisionRequest? body, HttpContext http, IGrainFactory grains) =>
            Decide(id, registrationId, false, body?.Note, http, grains)).RequireAuthorization(Policies.Reviewer).WithSummary("不通过报名（须写明原因）");
    }

    private static async Task<IResult> CreateCampaign(CampaignDraft draft, HttpContext http, IGrainFactory grains, MarketDb db, CancellationToken ct)
    {
        var result = await grains.GetGrain<IEventDeskGrain>(0).CreateCampaignAsync(Actors.From(http.User)!, draft);
        if (!result.IsOk)
        {
            return Problems.From(result);
        }

        return (await CampaignsAsync(db, result.Value, true, ct)) is [var c] ? TypedResults.Created($"/api/campaigns/{c.Id}", c) : Problems.NotFound();
    }

    private static async Task<IResult> GetCampaignRecords(long id, string? figure, HttpContext http, MarketDb db, CancellationToken ct)
    {
        var wanted = figure?.Trim().ToLowerInvariant() ?? "";
        if (!CampaignProgress.Figures.Contains(wanted))
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["figure"] = ["figure 应为 events、participants、meetings、agreements 或 deals"] });
        }

        return await CampaignProgress.RecordsAsync(db, id, wanted, Actors.From(http.User)?.IsReviewer == true, ct) is { } records ? TypedResults.Ok(records) : Problems.NotFound();
    }

    private static async Task<IResult> ListEvents(string? status, long? campaign, HttpContext http, MarketDb db, CancellationToken ct)
    {
        EventStatus? wanted = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!Enum.TryParse<EventStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(status, out _))
            {
                return Problems.Invalid(new Dictionary<string, string[]> { ["status"] = ["状态应为 Draft、Open、Closed、Held 或 Cancelled"] });
            }

            wanted = parsed;
        }

        var reviewer = Actors.From(http.User)?.IsReviewer == true;
        return TypedResults.Ok(await EventsAsync(db, q => q.Where(e => (reviewer || e.Status != EventStatus.Draft)
            && (wanted == null || e.Status == wanted) && (campaign == null || e.CampaignId == campaign)), ct));
    }

    private static async Task<IResult> CreateEvent(EventDraft draft, HttpContext http, IGrainFactory grains)
    {
        var result = await grains.GetGrain<IEventDeskGrain>(0).CreateEventAsync(Actors.From(http.User)!, draft);
        return result.IsOk ? TypedResults.Created($"/api/events/{result.Value!.Id}", result.Value) : Problems.From(result);
    }

    private static async Task<IResult> GetEvent(long id, HttpContext http, IGrainFactory grains)
    {
        var result = await grains.GetGrain<IEventGrain>(id).GetAsync();
        return result.IsOk && (result.Value!.Status != nameof(EventStatus.Draft) || Actors.From(http.User)?.IsReviewer == true)
            ? WithETag(http, result.Value)
            : Problems.NotFound();
    }

    private static async Task<IResult> UpdateEvent(long id, EventDraft draft, HttpContext http, IGrainFactory grains)
    {
        if (!ListingEndpoints.TryReadVersion(http, out var version, out var problem))
        {
            return problem!;
        }

        var result = await grains.GetGrain<IEventGrain>(id).UpdateAsync(Actors.From(http.User)!, version, draft);
        return result.IsOk ? WithETag(http, result.Value!) : Problems.From(result);
    }

    private static async Task<IResult> SetStatus(long id, StatusRequest request, HttpContext http, IGrainFactory grains)
    {
        if (!ListingEndpoints.TryReadVersion(http, out var version, out var problem))
        {
            return problem!;
        }

        var result = await grains.GetGrain<IEventGrain>(id).SetStatusAsync(Actors.From(http.User)!, version, request.Status ?? "");
        return result.IsOk ? WithETag(http, result.Value!) : Problems.From(result);
    }

    private static async Task<IResult> Register(long id, RegistrationDraft draft, HttpContext http, IGrainFactory grains)
    {
        var result = await grains.GetGrain<IEventGrain>(id).RegisterAsync(Actors.From(http.User)!, draft);
        return result.IsOk ? TypedResults.Created($"/api/events/{id}/registrations/{result.Value!.Id}", result.Value) : Problems.From(result);
    }

    private static async Task<IResult> Withdraw(long id, HttpContext http, IGrainFactory grains)
    {
        var result = await grains.GetGrain<IEventGrain>(id).WithdrawRegistrationAsync(Actors.From(http.User)!);
        return result.IsOk ? TypedResults.Ok(result.Value) : Problems.From(result);
    }

    private static async Task<IResult> Registrations(long id, HttpContext http, MarketDb db, CancellationToken ct)
    {
        var actor = Actors.From(http.User)!;
        var ev = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
        if (ev is null || (ev.Status == EventStatus.Draft && !actor.IsReviewer))
        {
            return Problems.NotFound();
        }

        var rows = await db.EventRegistrations.AsNoTracking().Include(r => r.Organisation)
            .Where(r => r.EventId == id && (actor.IsReviewer || r.OrganisationId == actor.OrganisationId))
            .OrderBy(r => r.Id).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(r => EventRules.View(r, r.Organisation)).ToList());
    }

    private static async Task<IResult> Decide(long id, long registrationId, bool approve, string? note, HttpContext http, IGrainFactory grains)
    {
        var result = await grains.GetGrain<IEventGrain>(id).DecideAsync(Actors.From(http.User)!, registrationId, approve, note);
        return result.IsOk ? TypedResults.Ok(result.Value) : Problems.From(result);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.Ok<EventView> WithETag(HttpContext http, EventView view)
    {
        http.Response.Headers.ETag = $"\"{view.Version}\"";
        return TypedResults.Ok(view);
    }

    /// <summary>Events read from the tables (lists span many records: never through the grains).</summary>
    internal static async Task<List<EventView>> EventsAsync(MarketDb db, Func<IQueryable<MarketEvent>, IQueryable<MarketEvent>> filter, CancellationToken ct)
    {
        var rows = await filter(db.Events.AsNoTracking().Include(e => e.Campaign)).OrderBy(e => e.StartsAt).ThenBy(e => e.Id).Take(500).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var counts = await db.EventRegistrations.AsNoTracking().Where(r => ids.Contains(r.EventId))
            .GroupBy(r => new { r.EventId, r.Status }).Select(g => new { g.Key.EventId, g.Key.Status, Count = g.Count() }).ToListAsync(ct);
        int Count(long eventId, RegistrationStatus s) => counts.Where(c => c.EventId == eventId && c.Status == s).Sum(c => c.Count);
        return [.. rows.Select(r => EventRules.View(r, r.Campaign?.Name, Count(r.Id, RegistrationStatus.Approved), Count(r.Id, RegistrationStatus.Pending)))];
    }

    /// <summary>Campaigns (one when <paramref name="id"/> is given) with targets, what has been reached, and their events.</summary>
    internal static async Task<List<CampaignView>> CampaignsAsync(MarketDb db, long? id, bool withDrafts, CancellationToken ct)
    {
        var rows = await db.Campaigns.AsNoTracking().Where(c => id == null || c.Id == id).OrderByDescending(c => c.Year).ThenBy(c => c.Id).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var events = await EventsAsync(db, q => q.Where(e => e.CampaignId != null && ids.Contains(e.CampaignId.Value) && (withDrafts || e.Status != EventStatus.Draft)), ct);
        var participants = await CampaignProgress.ParticipantsAsync(db, ids, ct);
        var meetings = await CampaignProgress.MeetingsAsync(db, ids, false, ct);
        // 技术交易额: the registered amounts of the deals credited to the campaign's events, each deal once (summed
        // here: SQLite keeps decimals as text and cannot add them up).
        var eventIds = events.Select(e => e.Id).ToList();
        var registered = await db.Deals.AsNoTracking().Where(d => d.Status == DealStatus.Registered && d.EventId != null && eventIds.Contains(d.EventId.Value))
            .Select(d => new { EventId = d.EventId!.Value, d.RegisteredAmountWan }).ToListAsync(ct);
        return [.. rows.Select(c =>
        {
            var own = events.Where(e => e.CampaignId == c.Id).ToList();
            var mine = meetings.Where(m => m.CampaignId == c.Id).ToList();
            var amount = registered.Where(d => own.Any(e => e.Id == d.EventId)).Sum(d => d.RegisteredAmountWan ?? 0);
            return new CampaignView(c.Id, c.Name, c.Year, c.Description,
                new CampaignFigures(c.TargetEvents, c.TargetParticipants, c.TargetMeetings, c.TargetAgreements, c.TargetDeals, c.TargetAmountWan),
                new CampaignFigures(own.Count(e => CampaignProgress.CountsAsEvent(e.Status)), participants.Count(p => p.CampaignId == c.Id),
                    mine.Count, mine.Count(m => CampaignProgress.IsAgreement(m.Outcome)), mine.Count(m => CampaignProgress.IsDeal(m.Outcome)), amount),
                own, c.IsDemo);
        })];
    }
}
