using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Server.Infrastructure;

namespace TechMarket.Server.Features.Events;

/// <summary>百日百场 meetings: requests and answers, proposals, the schedule, agendas and calendars, the day itself, outcomes.</summary>
internal static class MeetingEndpoints
{
    internal sealed record AnswerRequest(string? Answer, int? Slot, string? Note);

    internal sealed record PinRequest(int? Slot, int? Table);

    internal sealed record OutcomeRequest(string? Outcome);

    internal sealed record ScheduleRequest(bool? Final);

    internal sealed record ProposalsRequest(int? PerEnterprise);

    internal sealed record ProposalsResult(int Considered, int Proposed);

    internal sealed record CheckInRequest(long? RegistrationId, string? Code);

    internal sealed record NoShowRequest(bool? NoShow);

    internal sealed record WalkInRequest(long? RequesterRegistrationId, long? TargetRegistrationId, int? Slot, int? Table);

    public static void MapMeetings(this IEndpointRouteBuilder app)
    {
        var events = app.MapGroup("/api/events/{id:long}").WithTags("Events");
        events.MapGet("/meetings", ListMeetings).RequireAuthorization(Policies.SignedIn).WithSummary("会谈列表：组织方看全部，参会方看本机构的");
        events.MapPost("/meetings", (long id, MeetingRequestDraft draft, HttpContext http, IGrainFactory grains) =>
            Created(id, grains.GetGrain<IEventGrain>(id).RequestMeetingAsync(Actors.From(http.User)!, draft))).RequireAuthorization(Policies.Member).WithSummary("约请会谈（已通过审核的参会方，预约时间内）");
        events.MapPost("/meetings/{meetingId:long}/answer", (long id, long meetingId, AnswerRequest body, HttpContext http, IGrainFactory grains) =>
            Answer(grains.GetGrain<IEventGrain>(id).AnswerMeetingAsync(Actors.From(http.User)!, meetingId, body.Answer ?? "", body.Slot, body.Note))).RequireAuthorization(Policies.Member).WithSummary("回复会谈：Accept 接受、Decline 婉拒、Propose 另约时段（slot 从 0 起）");
        events.MapPost("/meetings/{meetingId:long}/cancel", (long id, long meetingId, HttpContext http, IGrainFactory grains) =>
            Answer(grains.GetGrain<IEventGrain>(id).CancelMeetingAsync(Actors.From(http.User)!, meetingId))).RequireAuthorization(Policies.SignedIn).WithSummary("取消会谈（双方或组织方）");
        events.MapPost("/meetings/{meetingId:long}/pin", (long id, long meetingId, PinRequest body, HttpContext http, IGrainFactory grains) =>
            Answer(grains.GetGrain<IEventGrain>(id).PinMeetingAsync(Actors.From(http.User)!, meetingId, body.Slot, body.Table))).RequireAuthorization(Policies.Reviewer).WithSummary("锁定会谈的时段与桌号（组织方；都为空则解除）");
        events.MapPost("/meetings/{meetingId:long}/outcome", (long id, long meetingId, OutcomeRequest body, HttpContext http, IGrainFactory grains) =>
            Answer(grains.GetGrain<IEventGrain>(id).RecordOutcomeAsync(Actors.From(http.User)!, meetingId, body.Outcome ?? ""))).RequireAuthorization(Policies.Member).WithSummary("填写会谈结果：未进行、无合作意向、有合作可能、达成意向、签约");
        events.MapPost("/proposals", Propose).RequireAuthorization(Policies.Reviewer).WithSummary("按撮合模型的得分为已通过的企业与院所推荐会谈（组织方）");
        events.MapPost("/schedule", RunSchedule).RequireAuthorization(Policies.Reviewer).WithSummary("排程：初步日程或正式日程（组织方；在后台计算，返回 202，轮询 GET 查看）");
        events.MapGet("/schedule", GetSchedule).RequireAuthorization(Policies.SignedIn).WithSummary("日程：组织方看时段×桌号、未能安排的原因、空闲时段与参会名单；参会方只看本机构的会谈；?statusOnly=true 只返回排程状态");
        events.MapGet("/agenda", GetAgenda).RequireAuthorization(Policies.SignedIn).WithSummary("个人日程（本机构；组织方可用 ?registration= 查看任一参会方）");
        events.MapGet("/agenda.ics", GetAgendaIcs).RequireAuthorization(Policies.SignedIn).WithSummary("个人日程的 iCalendar 文件");
        events.MapGet("/calendar.ics", GetEventIcs).AllowAnonymous().WithSummary("活动的 iCalendar 文件（组织方含全部会谈）");
        events.MapPost("/checkin", (long id, CheckInRequest body, HttpContext http, IGrainFactory grains) =>
            Answer(grains.GetGrain<IEventGrain>(id).CheckInAsync(Actors.From(http.User)!, body.RegistrationId, body.Code))).RequireAuthorization(Policies.Reviewer).WithSummary("签到（组织方，按名单或签到码）");
        events.MapPost("/registrations/{registrationId:long}/no-show", (long id, long registrationId, NoShowRequest body, HttpContext http, IGrainFactory grains) =>
            Answer(grains.GetGrain<IEventGrain>(id).SetNoShowAsync(Actors.From(http.User)!, registrationId, body.NoShow ?? true))).RequireAuthorization(Policies.Reviewer).WithSummary("登记或撤销缺席（组织方；正式日程中释放其会谈位置）");
        events.MapPost("/walk-ins", WalkIn).RequireAuthorization(Policies.Reviewer).WithSummary("现场加约（组织方，空闲的时段与桌号）");
    }

    private static async Task<IResult> Created(long id, Task<OpResult<MeetingView>> call)
    {
        var result = await call;
        return result.IsOk ? TypedResults.Created($"/api/events/{id}/meetings/{result.Value!.Id}", result.Value) : Problems.From(result);
    }

    private static async Task<IResult> Answer<T>(Task<OpResult<T>> call)
    {
        var result = await call;
        return result.IsOk ? TypedResults.Ok(result.Value) : Problems.From(result);
    }

    /// <summary>The event if <paramref name="actor"/> may see it (drafts: organisers only).</summary>
    internal static async Task<MarketEvent?> VisibleAsync(MarketDb db, long id, Actor? actor, CancellationToken ct)
    {
        var ev = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
        return ev is null || (ev.Status == EventStatus.Draft && actor?.IsReviewer != true) ? null : ev;
    }

    private static async Task<IResult> ListMeetings(long id, HttpContext http, MarketDb db, EventBoard board, CancellationToken ct)
    {
        var actor = Actors.From(http.User)!;
        return await VisibleAsync(db, id, actor, ct) is { } ev ? TypedResults.Ok(await board.MeetingsAsync(ev, actor, ct)) : Problems.NotFound();
    }

    private static async Task<IResult> Propose(long id, ProposalsRequest? body, HttpContext http, MarketDb db, EventBoard board, IGrainFactory grains, CancellationToken ct)
    {
        var per = body?.PerEnterprise ?? 5;
        if (per is < 1 or > 50)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["perEnterprise"] = ["每家企业推荐的会谈数应在 1 到 50 之间"] });
        }

        if (await VisibleAsync(db, id, Actors.From(http.User), ct) is null)
        {
            return Problems.NotFound();
        }

        var proposals = await board.ProposalsAsync(id, per, ct);
        var result = await grains.GetGrain<IEventGrain>(id).ProposeMeetingsAsync(Actors.From(http.User)!, [.. proposals]);
        return result.IsOk ? TypedResults.Ok(new ProposalsResult(proposals.Count, result.Value)) : Problems.From(result);
    }

    private static async Task<IResult> RunSchedule(long id, ScheduleRequest? body, HttpContext http, IGrainFactory grains)
    {
        var result = await grains.GetGrain<IEventGrain>(id).RunScheduleAsync(Actors.From(http.User)!, body?.Final ?? false);
        return result.IsOk ? TypedResults.Accepted($"/api/events/{id}/schedule", result.Value) : Problems.From(result);
    }

    private static async Task<IResult> GetSchedule(long id, bool? statusOnly, HttpContext http, MarketDb db, EventBoard board, IGrainFactory grains, CancellationToken ct)
    {
        var actor = Actors.From(http.User)!;
        if (await VisibleAsync(db, id, actor, ct) is not { } ev)
        {
            return Problems.NotFound();
        }

        // ?statusOnly=true is what a poller needs: whether the run is done, without the whole board.
        var status = await grains.GetGrain<IEventGrain>(id).GetScheduleStatusAsync();
        return statusOnly == true ? TypedResults.Ok(status) : TypedResults.Ok(await board.BoardAsync(ev, status, actor, ct));
    }

    /// <summary>The agenda asked for: the actor's own organisation's, or (organisers) any registration's.</summary>
    private static async Task<(PersonalAgenda? Agenda, IResult? Problem)> AgendaForAsync(long id, long? registration, HttpContext http, MarketDb db, EventBoard board, CancellationToken ct)
    {
        var actor = Actors.From(http.User)!;
        if (await VisibleAsync(db, id, actor, ct) is not { } ev)
        {
            return (null, Problems.NotFound());
        }

        var which = registration is not null && actor.IsReviewer ? registration : await board.MyRegistrationIdAsync(id, actor, ct);
        return which is { } r && await board.AgendaAsync(ev, r, ct) is { } agenda
            ? (agenda, null)
            : (null, Problems.NotFound("本机构没有该活动已通过的报名"));
    }

    private static async Task<IResult> GetAgenda(long id, long? registration, HttpContext http, MarketDb db, EventBoard board, CancellationToken ct)
    {
        var (agenda, problem) = await AgendaForAsync(id, registration, http, db, board, ct);
        return problem ?? TypedResults.Ok(agenda);
    }

    private static async Task<IResult> GetAgendaIcs(long id, long? registration, HttpContext http, MarketDb db, EventBoard board, TimeProvider time, CancellationToken ct)
    {
        var (agenda, problem) = await AgendaForAsync(id, registration, http, db, board, ct);
        return problem ?? TypedResults.File(System.Text.Encoding.UTF8.GetBytes(EventBoard.AgendaIcs(agenda!, time)), "text/calendar; charset=utf-8", $"agenda-{id}-{agenda!.RegistrationId}.ics");
    }

    private static async Task<IResult> GetEventIcs(long id, HttpContext http, MarketDb db, EventBoard board, TimeProvider time, CancellationToken ct)
    {
        var actor = Actors.From(http.User);
        if (await VisibleAsync(db, id, actor, ct) is not { } ev)
        {
            return Problems.NotFound();
        }

        var ics = await board.EventIcsAsync(ev, actor?.IsReviewer == true, time, ct);
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(ics), "text/calendar; charset=utf-8", $"event-{id}.ics");
    }

    private static async Task<IResult> WalkIn(long id, WalkInRequest body, HttpContext http, IGrainFactory grains)
    {
        if (body.RequesterRegistrationId is not { } a || body.TargetRegistrationId is not { } b || body.Slot is not { } slot || body.Table is not { } table)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["walkIn"] = ["请给出双方的报名编号、时段和桌号"] });
        }

        var result = await grains.GetGrain<IEventGrain>(id).AddWalkInAsync(Actors.From(http.User)!, a, b, slot, table);
        return result.IsOk ? TypedResults.Created($"/api/events/{id}/meetings/{result.Value!.Id}", result.Value) : Problems.From(result);
    }
}
