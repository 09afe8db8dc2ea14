using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Market.Alerts;
using TechMarket.Market.Contracts;
using TechMarket.Market.Events;
using TechMarket.Scheduling;

namespace TechMarket.Market.Grains;

/// <summary>
/// The event's meetings: requests and answers, the organisers' proposals and pins, the schedule (computed outside the
/// grain's turn and reported back), the day itself (check-in, no-shows, walk-ins), outcomes, and the reminders.
/// </summary>
internal sealed partial class EventGrain
{
    public const string DayReminder = "day-before";

    public const string HourReminder = "hour-before";

    public const int MaxMessage = 500;

    public const int MaxProposals = 5000;

    private static readonly MeetingStatus[] Open = [MeetingStatus.Requested, MeetingStatus.Accepted, MeetingStatus.Countered];

    /// <summary>The run under way, if any (in memory: after a restart the organiser simply runs again).</summary>
    private Guid? _run;

    private bool _runFinal;

    /// <summary>Counts changes to what the scheduler reads; a result computed from an older input is computed again.</summary>
    private long _stamp;

    private int _completed;

    private string _lastError = "";

    public async Task<OpResult<MeetingView>> RequestMeetingAsync(Actor actor, MeetingRequestDraft draft)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(draft);
        var message = draft.Message?.Trim() ?? "";
        if (message.Length > MaxMessage)
        {
            return Invalid<MeetingView>("message", $"留言不能超过 {MaxMessage} 个字");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var (ev, refusal) = await BookableAsync(db);
        if (refusal is not null)
        {
            return refusal;
        }

        if (draft.Slot is { } wanted && (wanted < 0 || wanted >= ev!.SlotCount))
        {
            return Invalid<MeetingView>("slot", $"时段应在 1 到 {ev!.SlotCount} 之间");
        }

        var mine = await OwnApprovedAsync(db, actor);
        if (mine is null)
        {
            return OpResult<MeetingView>.Forbidden("本机构的报名通过后才能约请会谈");
        }

        var target = await db.EventRegistrations.Include(r => r.Organisation)
            .SingleOrDefaultAsync(r => r.Id == draft.TargetRegistrationId && r.EventId == Id && r.Status == RegistrationStatus.Approved);
        if (target is null)
        {
            return OpResult<MeetingView>.NotFound("对方不是本活动已通过审核的参会方");
        }

        if (target.Id == mine.Id)
        {
            return Invalid<MeetingView>("targetRegistrationId", "不能约请本机构");
        }

        if (await OpenBetweenAsync(db, mine.Id, target.Id))
        {
            return OpResult<MeetingView>.Conflict("双方之间已有会谈请求，请在原请求上回复");
        }

        var meeting = new EventMeeting
        {
            EventId = Id,
            RequesterId = mine.Id,
            TargetId = target.Id,
            Origin = MeetingOrigin.Request,
            Status = MeetingStatus.Requested,
            RequestedByUserId = actor.UserId,
            Message = message,
            Score = EventScheduling.RequestScore,
            RequesterAcceptedAt = Now,
            ProposedSlot = draft.Slot,
            ProposedByRegistrationId = draft.Slot is null ? null : mine.Id,
            CreatedAt = Now,
            UpdatedAt = Now,
            Version = 1,
        };
        db.EventMeetings.Add(meeting);
        await NotifyAsync(db, target.OrganisationId, $"会谈邀请：{mine.Organisation!.Name}", message.Length > 0 ? message : $"{mine.Organisation.Name}希望在「{ev!.Title}」与贵单位洽谈");
        db.ActorId = actor.UserId;
        if (await SaveAsync(db) is { } failed)
        {
            return failed.As<MeetingView>();
        }

        return OpResult<MeetingView>.Ok(EventScheduling.View(meeting, ev!, mine.Organisation.Name, target.Organisation!.Name));
    }

    public async Task<OpResult<MeetingView>> AnswerMeetingAsync(Actor actor, long meetingId, string answer, int? slot, string? note)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var kind = answer?.Trim().ToUpperInvariant() switch
        {
            "ACCEPT" => 1,
            "DECLINE" => 2,
            "PROPOSE" => 3,
            _ => 0,
        };
        if (kind == 0)
        {
            return Invalid<MeetingView>("answer", "回复应为 Accept（接受）、Decline（婉拒）或 Propose（另约时间）");
        }

        note = note?.Trim() ?? "";
        if (note.Length > MaxMessage)
        {
            return Invalid<MeetingView>("note", $"说明不能超过 {MaxMessage} 个字");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var (ev, meeting, mine, other) = await PartyAsync(db, actor, meetingId);
        if (meeting is null || ev is null)
        {
            return OpResult<MeetingView>.NotFound();
        }

        if (mine is null)
        {
            return OpResult<MeetingView>.Forbidden("只有会谈双方可以回复");
        }

        if (meeting.Status is not (MeetingStatus.Requested or MeetingStatus.Countered))
        {
            return OpResult<MeetingView>.Conflict($"该会谈当前为「{Labels.Of(meeting.Status)}」，无需回复");
        }

        if (!EventScheduling.Awaits(meeting, mine.Id))
        {
            return OpResult<MeetingView>.Conflict("正在等待对方回复");
        }

        if (kind == 3 && (slot is null || slot < 0 || slot >= ev.SlotCount))
        {
            return Invalid<MeetingView>("slot", ev.SlotCount == 0 ? "该活动没有洽谈时段" : $"请选择第 1 到 {ev.SlotCount} 个时段");
        }

        var iAmRequester = mine.Id == meeting.RequesterId;
        string title;
        switch (kind)
        {
            case 1:
                // Accepting a time the other side proposed pins the meeting to it.
                if (meeting.ProposedSlot is { } proposed && meeting.ProposedByRegistrationId != mine.Id)
                {
                    meeting.PinSlot = proposed;
                    meeting.PinTable = null;
                    meeting.RequesterAcceptedAt ??= Now;
                    meeting.TargetAcceptedAt ??= Now;
                }

                if (iAmRequester)
                {
                    meeting.RequesterAcceptedAt = Now;
                }
                else
                {
                    meeting.TargetAcceptedAt = Now;
                }

                if (meeting.RequesterAcceptedAt is not null && meeting.TargetAcceptedAt is not null)
                {
                    meeting.Status = MeetingStatus.Accepted;
                    title = $"{mine.Organisation!.Name}接受了会谈";
                }
                else
                {
                    meeting.Status = MeetingStatus.Requested;
                    title = $"{mine.Organisation!.Name}接受了组织方推荐的会谈，等待您确认";
                }

                break;
            case 2:
                meeting.Status = MeetingStatus.Declined;
                title = $"{mine.Organisation!.Name}婉拒了会谈";
                break;
            default:
                meeting.Status = MeetingStatus.Countered;
                meeting.ProposedSlot = slot;
                meeting.ProposedByRegistrationId = mine.Id;
                // Proposing another time is the proposer's agreement to it, and withdraws the other side's.
                meeting.RequesterAcceptedAt = iAmRequester ? Now : null;
                meeting.TargetAcceptedAt = iAmRequester ? null : Now;
                title = $"{mine.Organisation!.Name}提议改到第 {slot + 1} 个时段（{EventScheduling.SlotStart(ev, slot!.Value).AddHours(8):HH:mm}）";
                break;
        }

        meeting.ReplyNote = note;
        meeting.UpdatedAt = Now;
        await NotifyAsync(db, other!.OrganisationId, title, note.Length > 0 ? note : $"活动：{ev.Title}");
        var accepted = meeting.Status == MeetingStatus.Accepted;
        if (accepted)
        {
            await RescheduleIfFinalAsync(db, ev, added: meeting);
        }

        db.ActorId = actor.UserId;
        if (await SaveAsync(db) is { } failed)
        {
            return failed.As<MeetingView>();
        }

        if (accepted)
        {
            _stamp++;
            await AdvanceMatchAsync(actor, meeting, MatchState.MeetingRequested, ev.Title);
        }

        return OpResult<MeetingView>.Ok(View(meeting, ev));
    }

    public async Task<OpResult<MeetingView>> CancelMeetingAsync(Actor actor, long meetingId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var (ev, meeting, mine, _) = await PartyAsync(db, actor, meetingId);
        if (meeting is null || ev is null)
        {
            return OpResult<MeetingView>.NotFound();
        }

        if (mine is null && !actor.IsReviewer)
        {
            return OpResult<MeetingView>.Forbidden("只有会谈双方或组织方可以取消会谈");
        }

        if (!Open.Contains(meeting.Status))
        {
            return OpResult<MeetingView>.Conflict($"该会谈当前为「{Labels.Of(meeting.Status)}」，不能取消");
        }

        var wasAccepted = meeting.Status == MeetingStatus.Accepted;
        if (wasAccepted)
        {
            await RescheduleIfFinalAsync(db, ev, cancelled: meeting);
        }

        meeting.Status = MeetingStatus.Cancelled;
        meeting.Slot = null;
        meeting.Table = null;
        meeting.UnplacedReason = "";
        meeting.UpdatedAt = Now;
        foreach (var side in new[] { meeting.Requester!, meeting.Target! }.Where(r => r.OrganisationId != actor.OrganisationId))
        {
            await NotifyAsync(db, side.OrganisationId, "会谈已取消", $"「{ev.Title}」中与{(side.Id == meeting.RequesterId ? meeting.Target!.Organisation!.Name : meeting.Requester!.Organisation!.Name)}的会谈已取消");
        }

        db.ActorId = actor.UserId;
        if (await SaveAsync(db) is { } failed)
        {
            return failed.As<MeetingView>();
        }

        if (wasAccepted)
        {
            _stamp++;
        }

        return OpResult<MeetingView>.Ok(View(meeting, ev));
    }

    public async Task<OpResult<int>> ProposeMeetingsAsync(Actor actor, MeetingProposal[] proposals)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(proposals);
        if (!actor.IsReviewer)
        {
            return OpResult<int>.Forbidden("只有组织方可以推荐会谈");
        }

        if (proposals.Length > MaxProposals)
        {
            return Invalid<int>("proposals", $"一次最多推荐 {MaxProposals} 场会谈");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var ev = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Id == Id);
        if (ev is null)
        {
            return OpResult<int>.NotFound();
        }

        if (ev.Format != EventFormat.Bilateral || ev.Status is EventStatus.Held or EventStatus.Cancelled)
        {
            return OpResult<int>.Conflict(ev.Format != EventFormat.Bilateral ? "只有专场对接会安排一对一会谈" : $"活动{Labels.Of(ev.Status)}，不能再推荐会谈");
        }

        var approved = await db.EventRegistrations.AsNoTracking().Include(r => r.Organisation)
            .Where(r => r.EventId == Id && r.Status == RegistrationStatus.Approved).ToDictionaryAsync(r => r.Id);
        var open = (await db.EventMeetings.AsNoTracking().Where(m => m.EventId == Id && Open.Contains(m.Status)).Select(m => new { m.RequesterId, m.TargetId }).ToListAsync())
            .Select(m => Pair(m.RequesterId, m.TargetId)).ToHashSet();
        var notified = new Dictionary<long, int>();
        var added = 0;
        foreach (var p in proposals)
        {
            if (!approved.TryGetValue(p.RequesterRegistrationId, out var requester) || !approved.TryGetValue(p.TargetRegistrationId, out var target) || requester == target)
            {
                return Invalid<int>("proposals", "推荐的双方都须是本活动已通过审核的参会方，且不能是同一家");
            }

            if (!open.Add(Pair(p.RequesterRegistrationId, p.TargetRegistrationId)))
            {
                continue;
            }

            db.EventMeetings.Add(new EventMeeting
            {
                EventId = Id,
                RequesterId = p.RequesterRegistrationId,
                TargetId = p.TargetRegistrationId,
                Origin = MeetingOrigin.Organiser,
                Status = MeetingStatus.Requested,
                RequestedByUserId = actor.UserId,
                Message = p.Reason.Length > MaxMessage ? p.Reason[..MaxMessage] : p.Reason,
                Score = EventScheduling.ProposalScore(double.IsFinite(p.MatchScore) ? p.MatchScore : 0),
                NeedId = p.NeedId,
                AchievementId = p.AchievementId,
                CreatedAt = Now,
                UpdatedAt = Now,
                Version = 1,
            });
            foreach (var org in new[] { requester.OrganisationId, target.OrganisationId })
            {
                notified[org] = notified.GetValueOrDefault(org) + 1;
            }

            added++;
        }

        foreach (var (org, count) in notified)
        {
            await NotifyAsync(db, org, $"组织方为您推荐了 {count} 场会谈", $"活动：{ev.Title}。请在活动页面接受或婉拒");
        }

        db.ActorId = actor.UserId;
        return await SaveAsync(db) is { } failed ? failed.As<int>() : OpResult<int>.Ok(added);
    }

    public async Task<OpResult<MeetingView>> PinMeetingAsync(Actor actor, long meetingId, int? slot, int? table)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsReviewer)
        {
            return OpResult<MeetingView>.Forbidden("只有组织方可以锁定会谈");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var (ev, meeting, _, _) = await PartyAsync(db, actor, meetingId);
        if (meeting is null || ev is null)
        {
            return OpResult<MeetingView>.NotFound();
        }

        if (meeting.Status != MeetingStatus.Accepted)
        {
            return OpResult<MeetingView>.Conflict("只能锁定双方已接受的会谈");
        }

        if (slot is null != table is null || slot < 0 || slot >= ev.SlotCount || table < 0 || table >= ev.Tables)
        {
            return Invalid<MeetingView>("slot", $"请同时给出时段（1–{ev.SlotCount}）和桌号（1–{ev.Tables}），或都不填以解除锁定");
        }

        if (slot is { } s && table is { } t)
        {
            var clash = await db.EventMeetings.AsNoTracking().Where(m => m.EventId == Id && m.Id != meetingId && m.Status == MeetingStatus.Accepted && m.PinSlot == s
                && (m.PinTable == t || m.RequesterId == meeting.RequesterId || m.TargetId == meeting.RequesterId || m.RequesterId == meeting.TargetId || m.TargetId == meeting.TargetId)).AnyAsync();
            if (clash)
            {
                return OpResult<MeetingView>.Conflict("该时段的这张桌子或其中一方已锁定了别的会谈");
            }
        }

        meeting.PinSlot = slot;
        meeting.PinTable = table;
        meeting.UpdatedAt = Now;
        db.ActorId = actor.UserId;
        if (await SaveAsync(db) is { } failed)
        {
            return failed.As<MeetingView>();
        }

        _stamp++;
        return OpResult<MeetingView>.Ok(View(meeting, ev));
    }

    public async Task<OpResult<ScheduleStatus>> RunScheduleAsync(Actor actor, bool final)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsReviewer)
        {
            return OpResult<ScheduleStatus>.Forbidden("只有组织方可以排程");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var ev = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Id == Id);
        if (ev is null)
        {
            return OpResult<ScheduleStatus>.NotFound();
        }

        if (ev.Format != EventFormat.Bilateral || ev.Status is EventStatus.Draft or EventStatus.Cancelled or EventStatus.Held)
        {
            return OpResult<ScheduleStatus>.Conflict(ev.Format != EventFormat.Bilateral ? "只有专场对接会需要排程" : $"活动{Labels.Of(ev.Status)}，不能排程");
        }

        if (_run is not null)
        {
            return OpResult<ScheduleStatus>.Conflict("正在排程，请稍候");
        }

        await StartRunAsync(db, ev, final);
        return OpResult<ScheduleStatus>.Ok(await GetScheduleStatusAsync());
    }

    /// <summary>A finished computation, run as a turn of this activation; a result for another run is ignored.</summary>
    private async Task CompleteScheduleAsync(ScheduleComputation computation)
    {
        ArgumentNullException.ThrowIfNull(computation);
        if (_run != computation.RunId)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var ev = await db.Events.SingleOrDefaultAsync(e => e.Id == Id);
        if (ev is null)
        {
            _run = null;
            return;
        }

        if (computation.Stamp != _stamp && computation.Error.Length == 0)
        {
            // The meetings changed while it ran: compute again from what the tables hold now.
            await StartRunAsync(db, ev, computation.Final);
            return;
        }

        _run = null;
        try
        {
            await ApplyAsync(db, ev, computation);
            _lastError = computation.Error;
        }
        catch (MarketStorageException ex)
        {
            _lastError = ex.Message;
        }
        finally
        {
            _completed++;
        }
    }

    private async Task ApplyAsync(MarketDb db, MarketEvent ev, ScheduleComputation computation)
    {
        if (computation.Error.Length > 0)
        {
            return;
        }

        var meetings = await db.EventMeetings.Where(m => m.EventId == Id && (m.Status == MeetingStatus.Accepted || m.Slot != null || m.UnplacedReason != "")).ToDictionaryAsync(m => m.Id);
        var inRun = new HashSet<long>(computation.MeetingIds);
        foreach (var m in meetings.Values.Where(m => !inRun.Contains(m.Id)))
        {
            (m.Slot, m.Table, m.UnplacedReason) = (null, null, m.Status == MeetingStatus.Accepted ? "一方的报名已不在通过名单中" : "");
        }

        for (var i = 0; i < computation.MeetingIds.Length; i++)
        {
            if (meetings.TryGetValue(computation.MeetingIds[i], out var m))
            {
                var placed = computation.Slots[i] >= 0;
                m.Slot = placed ? computation.Slots[i] : null;
                m.Table = placed ? computation.Tables[i] : null;
                m.UnplacedReason = placed ? "" : Cut(computation.Reasons[i], 300);
            }
        }

        var wasFinal = ev.ScheduleKind == ScheduleKind.Final;
        var hadSchedule = ev.ScheduleKind != ScheduleKind.None;
        ev.ScheduleKind = computation.Final ? ScheduleKind.Final : ScheduleKind.Preliminary;
        ev.ScheduledAt = Now;
        ev.ScheduleSummary = Cut(computation.Summary, 500);
        ev.UpdatedAt = Now;
        // Participants hear of the first preliminary schedule, of the final one and of a rerun after it; the
        // organisers' preliminary reruns are theirs alone.
        if (computation.Final || !hadSchedule)
        {
            var title = wasFinal ? $"「{ev.Title}」日程已更新" : $"「{ev.Title}」{(computation.Final ? "正式日程" : "初步日程")}已发布";
            var users = await db.Users.AsNoTracking()
                .Where(u => u.OrganisationId != null && db.EventRegistrations.Any(r => r.EventId == Id && r.Status == RegistrationStatus.Approved && r.OrganisationId == u.OrganisationId))
                .Select(u => u.Id).ToListAsync();
            foreach (var user in users)
            {
                db.Notifications.Add(new Notification { UserId = user, Kind = "event", Title = Cut(title, 200), Body = "请查看您的个人日程", Link = $"/events/{Id}/agenda", CreatedAt = Now });
            }
        }

        db.ActorId = ev.CreatedById;
        if (await SaveAsync(db) is { } failed)
        {
            throw new MarketStorageException(failed.Message ?? "日程保存失败，请重新排程");
        }

        if (computation.Final)
        {
            await SyncRemindersAsync(ev);
        }
    }

    public async Task<ScheduleStatus> GetScheduleStatusAsync()
    {
        // This call interleaves with a run being applied: the activation's own state is read first, so a status
        // that counts a run as completed never carries the row as it was before that run was saved.
        var (running, completed, error) = (_run is not null, _completed, _lastError);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var ev = await db.Events.AsNoTracking().Where(e => e.Id == Id).Select(e => new { e.ScheduleKind, e.ScheduledAt, e.ScheduleSummary }).SingleOrDefaultAsync();
        var kind = ev?.ScheduleKind ?? ScheduleKind.None;
        return new ScheduleStatus
        {
            Kind = kind.ToString(),
            KindLabel = Labels.Of(kind),
            Running = running,
            ScheduledAt = ev?.ScheduledAt,
            Summary = ev?.ScheduleSummary ?? "",
            Completed = completed,
            Error = error,
        };
    }

    public async Task<OpResult<RegistrationView>> CheckInAsync(Actor actor, long? registrationId, string? code)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsReviewer)
        {
            return OpResult<RegistrationView>.Forbidden("只有组织方可以办理签到");
        }

        code = code?.Trim();
        if (registrationId is null && string.IsNullOrEmpty(code))
        {
            return Invalid<RegistrationView>("code", "请输入签到码或从名单中选择");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var ev = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Id == Id);
        if (ev is null || ev.Status is EventStatus.Draft or EventStatus.Cancelled)
        {
            return OpResult<RegistrationView>.NotFound();
        }

        var registration = await db.EventRegistrations.Include(r => r.Organisation)
            .SingleOrDefaultAsync(r => r.EventId == Id && r.Status == RegistrationStatus.Approved && (registrationId != null ? r.Id == registrationId : r.CheckInCode == code));
        if (registration is null)
        {
            return OpResult<RegistrationView>.NotFound(registrationId is null ? "签到码无效：没有对应的已通过报名" : "没有这条已通过的报名");
        }

        if (registration.CheckedInAt is null || registration.NoShow)
        {
            registration.CheckedInAt ??= Now;
            registration.NoShow = false;
            registration.UpdatedAt = Now;
            db.ActorId = actor.UserId;
            if (await SaveAsync(db) is { } failed)
            {
                return failed.As<RegistrationView>();
            }

            _stamp++;
        }

        return OpResult<RegistrationView>.Ok(EventRules.View(registration, registration.Organisation));
    }

    public async Task<OpResult<RegistrationView>> SetNoShowAsync(Actor actor, long registrationId, bool noShow)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsReviewer)
        {
            return OpResult<RegistrationView>.Forbidden("只有组织方可以登记缺席");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var ev = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Id == Id);
        var registration = await db.EventRegistrations.Include(r => r.Organisation).SingleOrDefaultAsync(r => r.Id == registrationId && r.EventId == Id && r.Status == RegistrationStatus.Approved);
        if (ev is null || registration is null)
        {
            return OpResult<RegistrationView>.NotFound();
        }

        if (noShow && registration.CheckedInAt is not null)
        {
            return OpResult<RegistrationView>.Conflict("该单位已签到，不能登记为缺席");
        }

        if (registration.NoShow != noShow)
        {
            if (noShow)
            {
                await RescheduleIfFinalAsync(db, ev, absent: registration);
            }

            registration.NoShow = noShow;
            registration.UpdatedAt = Now;
            db.ActorId = actor.UserId;
            if (await SaveAsync(db) is { } failed)
            {
                return failed.As<RegistrationView>();
            }

            _stamp++;
        }

        return OpResult<RegistrationView>.Ok(EventRules.View(registration, registration.Organisation));
    }

    public async Task<OpResult<MeetingView>> AddWalkInAsync(Actor actor, long requesterRegistrationId, long targetRegistrationId, int slot, int table)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsReviewer)
        {
            return OpResult<MeetingView>.Forbidden("只有组织方可以现场加约");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var ev = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Id == Id);
        if (ev is null)
        {
            return OpResult<MeetingView>.NotFound();
        }

        if (ev.Format != EventFormat.Bilateral || ev.Status is EventStatus.Draft or EventStatus.Cancelled)
        {
            return OpResult<MeetingView>.Conflict(ev.Format != EventFormat.Bilateral ? "只有专场对接会安排一对一会谈" : $"活动{Labels.Of(ev.Status)}，不能加约");
        }

        if (slot < 0 || slot >= ev.SlotCount || table < 0 || table >= ev.Tables || requesterRegistrationId == targetRegistrationId)
        {
            return Invalid<MeetingView>("slot", $"时段应在 1–{ev.SlotCount}、桌号在 1–{ev.Tables} 之间，且双方不能是同一家");
        }

        var regs = await db.EventRegistrations.Include(r => r.Organisation)
            .Where(r => r.EventId == Id && r.Status == RegistrationStatus.Approved && (r.Id == requesterRegistrationId || r.Id == targetRegistrationId)).ToListAsync();
        if (regs.Count != 2)
        {
            return OpResult<MeetingView>.NotFound("双方都须是本活动已通过审核的参会方");
        }

        var busy = await db.EventMeetings.AsNoTracking().Where(m => m.EventId == Id && m.Status == MeetingStatus.Accepted && m.Slot == slot
            && (m.Table == table || m.RequesterId == requesterRegistrationId || m.TargetId == requesterRegistrationId || m.RequesterId == targetRegistrationId || m.TargetId == targetRegistrationId)).AnyAsync();
        if (busy)
        {
            return OpResult<MeetingView>.Conflict("该时段这张桌子已有会谈，或其中一方已有安排");
        }

        if (regs.Any(r => r.NoShow))
        {
            return OpResult<MeetingView>.Conflict("缺席的单位不能加约，请先签到");
        }

        var existing = await db.EventMeetings.Include(m => m.Requester).Include(m => m.Target)
            .SingleOrDefaultAsync(m => m.EventId == Id && Open.Contains(m.Status) && ((m.RequesterId == requesterRegistrationId && m.TargetId == targetRegistrationId) || (m.RequesterId == targetRegistrationId && m.TargetId == requesterRegistrationId)));
        if (existing is { Slot: not null })
        {
            return OpResult<MeetingView>.Conflict("双方已安排了会谈");
        }

        var meeting = existing ?? new EventMeeting
        {
            EventId = Id,
            RequesterId = requesterRegistrationId,
            TargetId = targetRegistrationId,
            Origin = MeetingOrigin.WalkIn,
            RequestedByUserId = actor.UserId,
            Score = EventScheduling.WalkInScore,
            CreatedAt = Now,
            Version = 1,
        };
        meeting.Status = MeetingStatus.Accepted;
        meeting.RequesterAcceptedAt ??= Now;
        meeting.TargetAcceptedAt ??= Now;
        (meeting.PinSlot, meeting.PinTable, meeting.Slot, meeting.Table, meeting.UnplacedReason) = (slot, table, slot, table, "");
        meeting.UpdatedAt = Now;
        if (existing is null)
        {
            db.EventMeetings.Add(meeting);
        }

        foreach (var r in regs)
        {
            await NotifyAsync(db, r.OrganisationId, "现场加约", $"第 {slot + 1} 时段（{EventScheduling.SlotStart(ev, slot).AddHours(8):HH:mm}）{table + 1} 号桌：与{regs.Single(o => o.Id != r.Id).Organisation!.Name}洽谈");
        }

        db.ActorId = actor.UserId;
        if (await SaveAsync(db) is { } failed)
        {
            return failed.As<MeetingView>();
        }

        _stamp++;
        return OpResult<MeetingView>.Ok(EventScheduling.View(meeting, ev, regs.Single(r => r.Id == meeting.RequesterId).Organisation!.Name, regs.Single(r => r.Id == meeting.TargetId).Organisation!.Name));
    }

    public async Task<OpResult<MeetingView>> RecordOutcomeAsync(Actor actor, long meetingId, string outcome)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!Labels.TryParseOutcome(outcome, out var parsed))
        {
            return Invalid<MeetingView>("outcome", $"会谈结果应为：{string.Join("、", Labels.MeetingOutcomes.Select(Labels.Of))}");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var (ev, meeting, mine, _) = await PartyAsync(db, actor, meetingId);
        if (meeting is null || ev is null)
        {
            return OpResult<MeetingView>.NotFound();
        }

        if (mine is null)
        {
            return OpResult<MeetingView>.Forbidden("只有会谈双方可以填写会谈结果");
        }

        if (meeting.Status != MeetingStatus.Accepted)
        {
            return OpResult<MeetingView>.Conflict("只有双方已接受的会谈才有结果");
        }

        if (ev.StartsAt > Now)
        {
            return OpResult<MeetingView>.Conflict("活动开始后才能填写会谈结果");
        }

        if (mine.Id == meeting.RequesterId)
        {
            meeting.RequesterOutcome = parsed;
        }
        else
        {
            meeting.TargetOutcome = parsed;
        }

        meeting.UpdatedAt = Now;
        db.ActorId = actor.UserId;
        if (await SaveAsync(db) is { } failed)
        {
            return failed.As<MeetingView>();
        }

        if (EventScheduling.TargetState(meeting.RequesterOutcome, meeting.TargetOutcome) is { } target)
        {
            await AdvanceMatchAsync(actor, meeting, target, ev.Title);
        }

        return OpResult<MeetingView>.Ok(View(meeting, ev));
    }

    /// <summary>Sends the reminders whose time has come and that were not sent yet; returns how many notices went out.</summary>
    public async Task<int> SendDueRemindersAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var ev = await db.Events.SingleOrDefaultAsync(e => e.Id == Id);
        if (ev is null || ev.Status is EventStatus.Cancelled or EventStatus.Draft or EventStatus.Held || ev.StartsAt <= Now)
        {
            await SyncRemindersAsync(ev);
            return 0;
        }

        var dayDue = ev.DayReminderSentAt is null && Now >= ev.StartsAt.AddDays(-1);
        var hourDue = ev.HourReminderSentAt is null && Now >= ev.StartsAt.AddHours(-1);
        if (!dayDue && !hourDue)
        {
            await SyncRemindersAsync(ev);
            return 0;
        }

        var regs = await db.EventRegistrations.AsNoTracking().Include(r => r.Organisation).Where(r => r.EventId == Id && r.Status == RegistrationStatus.Approved).ToListAsync();
        var meetings = await db.EventMeetings.AsNoTracking().Where(m => m.EventId == Id && m.Status == MeetingStatus.Accepted && m.Slot != null).ToListAsync();
        var names = regs.ToDictionary(r => r.Id, r => r.Organisation!.Name);
        var when = hourDue ? "一小时后" : "明天";
        var sent = 0;
        var mails = new List<OutgoingMail>();
        foreach (var r in regs)
        {
            var mine = meetings.Where(m => m.RequesterId == r.Id || m.TargetId == r.Id).OrderBy(m => m.Slot).ToList();
            var lines = mine.Select(m => $"{EventScheduling.SlotStart(ev, m.Slot!.Value).AddHours(8):HH:mm} {m.Table + 1} 号桌 · {names.GetValueOrDefault(m.RequesterId == r.Id ? m.TargetId : m.RequesterId, "")}");
            var body = $"{ev.Title}{when}（{ev.StartsAt.AddHours(8):M月d日 HH:mm}）在{ev.Venue}举行。签到码：{r.CheckInCode}。" + (mine.Count > 0 ? "您的会谈：" + string.Join("；", lines) : "");
            var users = await db.Users.AsNoTracking().Where(u => u.OrganisationId == r.OrganisationId).Select(u => new { u.Id, u.Email }).ToListAsync();
            foreach (var u in users)
            {
                db.Notifications.Add(new Notification { UserId = u.Id, Kind = "event", Title = Cut($"活动提醒：{ev.Title}{when}开始", 200), Body = Cut(body, 2000), Link = $"/events/{Id}/agenda", CreatedAt = Now });
                if (!string.IsNullOrEmpty(u.Email))
                {
                    mails.Add(new OutgoingMail(u.Email, $"活动提醒：{ev.Title}{when}开始", body, $"/events/{Id}/agenda"));
                }

                sent++;
            }
        }

        // An hour-before reminder makes a missed day-before one moot.
        ev.DayReminderSentAt ??= Now;
        if (hourDue)
        {
            ev.HourReminderSentAt = Now;
        }

        await db.SaveChangesAsync();
        foreach (var m in mails)
        {
            try
            {
                await mail.SendAsync(m);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException)
            {
                log.LogWarning(ex, "Reminder mail for event {Id} to {To} failed", Id, m.To);
            }
        }

        await SyncRemindersAsync(ev);
        return sent;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName is DayReminder or HourReminder ? SendDueRemindersAsync() : Task.CompletedTask;

    /// <summary>Keeps one durable reminder per reminder still to send (due at its time), and none once sent or moot.</summary>
    private async Task SyncRemindersAsync(MarketEvent? ev)
    {
        foreach (var (name, at, sent) in new[] { (DayReminder, ev?.StartsAt.AddDays(-1), ev?.DayReminderSentAt), (HourReminder, ev?.StartsAt.AddHours(-1), ev?.HourReminderSentAt) })
        {
            var wanted = ev is { Status: EventStatus.Open or EventStatus.Closed } && sent is null && ev.StartsAt > Now;
            var existing = await this.GetReminder(name);
            if (wanted)
            {
                var due = at!.Value - Now;
                await this.RegisterOrUpdateReminder(name, due < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : due, TimeSpan.FromHours(1));
            }
            else if (existing is not null)
            {
                await this.UnregisterReminder(existing);
            }
        }
    }

    /// <summary>Starts a computation on the thread pool, outside the grain's turn; it reports back through the grain's reference.</summary>
    private async Task StartRunAsync(MarketDb db, MarketEvent ev, bool final)
    {
        var approved = await db.EventRegistrations.AsNoTracking().Include(r => r.Organisation).Where(r => r.EventId == Id && r.Status == RegistrationStatus.Approved).ToListAsync();
        var accepted = await db.EventMeetings.AsNoTracking().Where(m => m.EventId == Id && m.Status == MeetingStatus.Accepted).ToListAsync();
        var prepared = EventScheduling.BuildInput(ev, approved, accepted);
        var run = Guid.NewGuid();
        var stamp = _stamp;
        _run = run;
        _runFinal = final;
        var id = Id;

        // The computation runs on the thread pool; its result comes back as a turn of this activation (on the grain's
        // own task scheduler), so requests are served while it runs and the rows are written one turn at a time.
        var grainScheduler = TaskScheduler.Current;
        _ = Task.Run(() =>
        {
            try
            {
                var result = new MeetingScheduler().Schedule(prepared.Input);
                return EventScheduling.ToComputation(prepared.MeetingIds, result, run, final, stamp);
            }
            catch (ScheduleInputException ex)
            {
                return new ScheduleComputation { RunId = run, Final = final, Error = "无法排程：" + ex.Message, Stamp = stamp };
            }
#pragma warning disable CA1031 // Whatever goes wrong must reach the grain, or the run would never end.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                log.LogError(ex, "Scheduling event {Id} failed", id);
                return new ScheduleComputation { RunId = run, Final = final, Error = "排程失败，请稍后重试", Stamp = stamp };
            }
        }).ContinueWith(t => CompleteScheduleAsync(t.Result), CancellationToken.None, TaskContinuationOptions.None, grainScheduler).Unwrap();
    }

    /// <summary>
    /// In a final schedule a late change keeps what it can: the scheduler's incremental change (a new meeting into a
    /// common free slot or along a short Kempe chain; a cancellation or absence frees places refilled without moving
    /// anyone). The rows are updated in the caller's unit of work.
    /// </summary>
    private async Task RescheduleIfFinalAsync(MarketDb db, MarketEvent ev, EventMeeting? added = null, EventMeeting? cancelled = null, EventRegistration? absent = null)
    {
        if (ev.ScheduleKind != ScheduleKind.Final)
        {
            return;
        }

        var approved = await db.EventRegistrations.AsNoTracking().Include(r => r.Organisation).Where(r => r.EventId == Id && r.Status == RegistrationStatus.Approved).ToListAsync();
        var tracked = await db.EventMeetings.Where(m => m.EventId == Id && (m.Slot != null || m.UnplacedReason != "")).ToListAsync();
        var inRun = tracked.Where(m => m.Id != added?.Id).ToList();
        var (prepared, previous) = EventScheduling.Stored(ev, approved, inRun);
        ScheduleChange change;
        var ids = prepared.MeetingIds.ToList();
        if (added is not null)
        {
            var pin = added.PinSlot is { } s && added.PinTable is { } t ? new MeetingLock(s, t) : null;
            change = new AddMeeting(new MeetingRequest(EventScheduling.ParticipantId(added.RequesterId), EventScheduling.ParticipantId(added.TargetId), added.Score, pin));
            ids.Add(added.Id);
        }
        else if (cancelled is not null && ids.Contains(cancelled.Id))
        {
            change = new CancelMeeting(EventScheduling.ParticipantId(cancelled.RequesterId), EventScheduling.ParticipantId(cancelled.TargetId));
            ids.Remove(cancelled.Id);
        }
        else if (absent is not null)
        {
            change = new ParticipantAbsent(EventScheduling.ParticipantId(absent.Id));
        }
        else
        {
            return;
        }

        ScheduleResult result;
        try
        {
            result = new MeetingScheduler().Reschedule(previous, change);
        }
        catch (ScheduleInputException ex)
        {
            log.LogWarning(ex, "Incremental change of event {Id} refused; the organiser reruns the schedule", Id);
            return;
        }

        var rows = tracked.ToDictionary(m => m.Id);
        if (added is not null)
        {
            rows[added.Id] = added;
        }

        var computation = EventScheduling.ToComputation(ids, result, Guid.Empty, true, _stamp);
        for (var i = 0; i < ids.Count; i++)
        {
            var m = rows[ids[i]];
            var placed = computation.Slots[i] >= 0;
            m.Slot = placed ? computation.Slots[i] : null;
            m.Table = placed ? computation.Tables[i] : null;
            m.UnplacedReason = placed ? "" : Cut(computation.Reasons[i], 300);
        }

        var tracking = await db.Events.SingleAsync(e => e.Id == Id);
        tracking.ScheduleSummary = Cut(computation.Summary, 500);
        tracking.ScheduledAt = Now;
        tracking.UpdatedAt = Now;
    }

    private async Task AdvanceMatchAsync(Actor actor, EventMeeting meeting, MatchState target, string title)
    {
        if (meeting.NeedId is { } need && meeting.AchievementId is { } achievement)
        {
            var moved = await GrainFactory.GetGrain<IMatchGrain>(MatchKey.Of(need, achievement)).AdvanceFromEventAsync(actor, target, title);
            if (!moved.IsOk)
            {
                log.LogInformation("Meeting {Meeting} of event {Id} did not move match {Need}:{Achievement}: {Problem}", meeting.Id, Id, need, achievement, moved.Message);
            }
        }
    }

    private async Task<(MarketEvent? Event, OpResult<MeetingView>? Refusal)> BookableAsync(MarketDb db)
    {
        var ev = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Id == Id);
        if (ev is null || ev.Status == EventStatus.Draft)
        {
            return (null, OpResult<MeetingView>.NotFound());
        }

        if (ev.Format != EventFormat.Bilateral)
        {
            return (null, OpResult<MeetingView>.Conflict("只有专场对接会安排一对一会谈"));
        }

        if (ev.Status is not (EventStatus.Open or EventStatus.Closed))
        {
            return (null, OpResult<MeetingView>.Conflict($"活动{Labels.Of(ev.Status)}，不能再约请会谈"));
        }

        if (ev.BookingOpensAt is { } opens && Now < opens)
        {
            return (null, OpResult<MeetingView>.Conflict($"会谈预约 {opens.AddHours(8):yyyy-MM-dd HH:mm} 开放"));
        }

        if (Now > (ev.BookingClosesAt ?? ev.StartsAt))
        {
            return (null, OpResult<MeetingView>.Conflict("会谈预约已截止，请联系组织方现场加约"));
        }

        return (ev, null);
    }

    private async Task<EventRegistration?> OwnApprovedAsync(MarketDb db, Actor actor) =>
        actor.OrganisationId is { } org
            ? await db.EventRegistrations.Include(r => r.Organisation).SingleOrDefaultAsync(r => r.EventId == Id && r.OrganisationId == org && r.Status == RegistrationStatus.Approved)
            : null;

    private Task<bool> OpenBetweenAsync(MarketDb db, long a, long b) =>
        db.EventMeetings.AnyAsync(m => m.EventId == Id && Open.Contains(m.Status) && ((m.RequesterId == a && m.TargetId == b) || (m.RequesterId == b && m.TargetId == a)));

    /// <summary>The event, the meeting (tracked, with both registrations), the actor's side and the other side.</summary>
    private async Task<(MarketEvent? Event, EventMeeting? Meeting, EventRegistration? Mine, EventRegistration? Other)> PartyAsync(MarketDb db, Actor actor, long meetingId)
    {
        var ev = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Id == Id);
        var meeting = await db.EventMeetings.Include(m => m.Requester!).ThenInclude(r => r.Organisation).Include(m => m.Target!).ThenInclude(r => r.Organisation)
            .SingleOrDefaultAsync(m => m.Id == meetingId && m.EventId == Id);
        if (ev is null || meeting is null)
        {
            return (null, null, null, null);
        }

        var mine = actor.OrganisationId == meeting.Requester!.OrganisationId ? meeting.Requester
            : actor.OrganisationId == meeting.Target!.OrganisationId ? meeting.Target
            : null;
        var other = mine is null ? null : mine.Id == meeting.RequesterId ? meeting.Target : meeting.Requester;
        return (ev, meeting, mine, other);
    }

    private async Task NotifyAsync(MarketDb db, long organisationId, string title, string body)
    {
        foreach (var user in await db.Users.Where(u => u.OrganisationId == organisationId).Select(u => u.Id).ToListAsync())
        {
            db.Notifications.Add(new Notification { UserId = user, Kind = "event", Title = Cut(title, 200), Body = Cut(body, 2000), Link = $"/events/{Id}", CreatedAt = Now });
        }
    }

    private static MeetingView View(EventMeeting m, MarketEvent ev) =>
        EventScheduling.View(m, ev, m.Requester?.Organisation?.Name ?? "", m.Target?.Organisation?.Name ?? "");

    private static (long, long) Pair(long a, long b) => a < b ? (a, b) : (b, a);

    private static OpResult<T> Invalid<T>(string field, string message) =>
        OpResult<T>.Invalid(new Dictionary<string, string[]> { [field] = [message] });

    private static string Cut(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
