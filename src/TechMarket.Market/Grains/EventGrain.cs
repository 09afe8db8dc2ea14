using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Market.Alerts;
using TechMarket.Market.Contracts;
using TechMarket.Market.Events;
using TechMarket.Market.Hosting;

namespace TechMarket.Market.Grains;

/// <summary>Gives new events and campaigns their rows (and so their ids); any activation will do.</summary>
[StatelessWorker]
internal sealed class EventDeskGrain(IServiceScopeFactory scopes, [FromKeyedServices(MarketClock.Key)] TimeProvider clock) : Grain, IEventDeskGrain
{
    public async Task<OpResult<EventView>> CreateEventAsync(Actor actor, EventDraft draft)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(draft);
        if (!actor.IsReviewer)
        {
            return OpResult<EventView>.Forbidden("只有组织方或管理员可以创建活动");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var errors = EventRules.Validate(draft, now, creating: true);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        Campaign? campaign = null;
        if (draft.CampaignId is { } campaignId && (campaign = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == campaignId)) is null)
        {
            errors["campaignId"] = ["所属活动计划不存在"];
        }

        if (errors.Count > 0)
        {
            return OpResult<EventView>.Invalid(errors);
        }

        var row = new MarketEvent { Status = EventStatus.Draft, CreatedById = actor.UserId, CreatedAt = now, UpdatedAt = now, Version = 1 };
        EventRules.Apply(draft, row);
        db.ActorId = actor.UserId;
        db.Events.Add(row);
        await db.SaveChangesAsync();
        return OpResult<EventView>.Ok(EventRules.View(row, campaign?.Name, 0, 0));
    }

    public async Task<OpResult<long>> CreateCampaignAsync(Actor actor, CampaignDraft draft)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(draft);
        if (!actor.IsReviewer)
        {
            return OpResult<long>.Forbidden("只有组织方或管理员可以创建活动计划");
        }

        var errors = EventRules.Validate(draft);
        if (errors.Count > 0)
        {
            return OpResult<long>.Invalid(errors);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var row = new Campaign
        {
            Name = draft.Name!.Trim(),
            Year = draft.Year!.Value,
            Description = draft.Description?.Trim() ?? "",
            TargetEvents = draft.TargetEvents ?? 0,
            TargetParticipants = draft.TargetParticipants ?? 0,
            TargetMeetings = draft.TargetMeetings ?? 0,
            TargetAgreements = draft.TargetAgreements ?? 0,
            TargetDeals = draft.TargetDeals ?? 0,
            TargetAmountWan = draft.TargetAmountWan ?? 0,
            CreatedById = actor.UserId,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        db.ActorId = actor.UserId;
        db.Campaigns.Add(row);
        await db.SaveChangesAsync();
        return OpResult<long>.Ok(row.Id);
    }
}

/// <summary>
/// One event. Its row is reloaded for every call that decides something (registrations change under it from other
/// events' grains never, but the organisers' pages read the tables), so the rules always see the truth; writes go
/// through EF Core with the audit log and the row's version in one transaction.
/// </summary>
internal sealed partial class EventGrain(IServiceScopeFactory scopes, [FromKeyedServices(MarketClock.Key)] TimeProvider clock, IMailSender mail, ILogger<EventGrain> log) : Grain, IEventGrain, IRemindable
{
    private long Id => this.GetPrimaryKeyLong();

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<OpResult<EventView>> GetAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var row = await db.Events.AsNoTracking().Include(e => e.Campaign).SingleOrDefaultAsync(e => e.Id == Id);
        return row is null ? OpResult<EventView>.NotFound() : OpResult<EventView>.Ok(await ViewAsync(db, row));
    }

    public async Task<OpResult<EventView>> UpdateAsync(Actor actor, long expectedVersion, EventDraft draft)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(draft);
        return await ChangeAsync(actor, expectedVersion, async (db, row) =>
        {
            if (row.Status is EventStatus.Held or EventStatus.Cancelled)
            {
                return OpResult<EventView>.Conflict($"活动{Labels.Of(row.Status)}，不能再修改");
            }

            var errors = EventRules.Validate(draft, Now, creating: row.Status == EventStatus.Draft);
            if (draft.CampaignId is { } campaignId && !await db.Campaigns.AnyAsync(c => c.Id == campaignId))
            {
                errors["campaignId"] = ["所属活动计划不存在"];
            }

            if (errors.Count == 0 && draft.Capacity < await db.EventRegistrations.CountAsync(r => r.EventId == Id && r.Status == RegistrationStatus.Approved))
            {
                errors["capacity"] = ["已通过的报名多于新的名额上限，请先处理报名"];
            }

            if (errors.Count > 0)
            {
                return OpResult<EventView>.Invalid(errors);
            }

            EventRules.Apply(draft, row);
            return null;
        });
    }

    public Task<OpResult<EventView>> SetStatusAsync(Actor actor, long expectedVersion, string status)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!Enum.TryParse<EventStatus>(status, ignoreCase: true, out var target) || !Enum.IsDefined(target) || target == EventStatus.Draft)
        {
            return Task.FromResult(OpResult<EventView>.Invalid(new Dictionary<string, string[]> { ["status"] = ["状态应为 Open（开放报名）、Closed（截止报名）、Held（已举办）或 Cancelled（取消）"] }));
        }

        return ChangeAsync(actor, expectedVersion, (_, row) =>
        {
            var allowed = (row.Status, target) switch
            {
                (EventStatus.Draft, EventStatus.Open) => true,
                (EventStatus.Open, EventStatus.Closed) => true,
                (EventStatus.Closed, EventStatus.Open) => row.RegistrationDeadline > Now,
                (EventStatus.Open or EventStatus.Closed, EventStatus.Held) => row.StartsAt <= Now,
                (EventStatus.Draft or EventStatus.Open or EventStatus.Closed, EventStatus.Cancelled) => true,
                _ => false,
            };
            if (!allowed)
            {
                return Task.FromResult<OpResult<EventView>?>(OpResult<EventView>.Conflict(target == EventStatus.Held && row.StartsAt > Now
                    ? "活动尚未开始，不能标记为已举办"
                    : $"活动当前为「{Labels.Of(row.Status)}」，不能改为「{Labels.Of(target)}」"));
            }

            row.Status = target;
            return Task.FromResult<OpResult<EventView>?>(null);
        }, afterSave: SyncRemindersAsync);
    }

    public async Task<OpResult<RegistrationView>> RegisterAsync(Actor actor, RegistrationDraft draft)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(draft);
        if (actor.OrganisationId is not { } org)
        {
            return OpResult<RegistrationView>.Forbidden("只有企业、高校院所或服务机构的成员可以报名");
        }

        var errors = new Dictionary<string, string[]>();
        if (draft.Offers is { Length: > 1000 })
        {
            errors["offers"] = ["“可提供”不能超过 1000 个字"];
        }

        if (draft.Seeks is { Length: > 1000 })
        {
            errors["seeks"] = ["“希望对接”不能超过 1000 个字"];
        }

        var listingIds = (draft.ListingIds ?? []).Distinct().ToList();
        var unavailable = (draft.UnavailableSlots ?? []).Distinct().ToList();
        if (listingIds.Count > 20)
        {
            errors["listingIds"] = ["最多带 20 项需求或成果参加"];
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var row = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Id == Id);
        if (row is null || row.Status == EventStatus.Draft)
        {
            return OpResult<RegistrationView>.NotFound();
        }

        if (unavailable.Any(s => s < 0 || s >= Math.Max(row.SlotCount, 1)) || unavailable.Count > EventRules.MaxSlots)
        {
            errors["unavailableSlots"] = [row.SlotCount == 0 ? "该活动没有洽谈时段" : $"不便参会的时段应在 1 到 {row.SlotCount} 之间"];
        }

        if (row.Status != EventStatus.Open || row.RegistrationDeadline < Now)
        {
            return OpResult<RegistrationView>.Conflict(row.Status == EventStatus.Open ? "报名已截止" : $"活动{Labels.Of(row.Status)}，不接受报名");
        }

        if (errors.Count == 0 && listingIds.Count > 0)
        {
            var own = await db.Listings.AsNoTracking().Where(l => listingIds.Contains(l.Id) && l.OrganisationId == org && l.Status == ListingStatus.Published).CountAsync();
            if (own != listingIds.Count)
            {
                errors["listingIds"] = ["只能带本机构已发布的需求或成果"];
            }
        }

        if (errors.Count > 0)
        {
            return OpResult<RegistrationView>.Invalid(errors);
        }

        var existing = await db.EventRegistrations.SingleOrDefaultAsync(r => r.EventId == Id && r.OrganisationId == org);
        if (existing is { Status: RegistrationStatus.Pending or RegistrationStatus.Approved })
        {
            return OpResult<RegistrationView>.Conflict("本机构已报名该活动");
        }

        var registration = existing ?? new EventRegistration { EventId = Id, OrganisationId = org, CreatedAt = Now, Version = 1 };
        registration.UserId = actor.UserId;
        registration.Status = RegistrationStatus.Pending;
        registration.Offers = draft.Offers?.Trim() ?? "";
        registration.Seeks = draft.Seeks?.Trim() ?? "";
        registration.ListingIds = string.Join(',', listingIds.Select(i => i.ToString(CultureInfo.InvariantCulture)));
        registration.UnavailableSlots = EventScheduling.FormatSlots(unavailable);
        registration.DecisionNote = "";
        registration.DecidedAt = null;
        registration.UpdatedAt = Now;
        if (existing is null)
        {
            db.EventRegistrations.Add(registration);
        }

        db.ActorId = actor.UserId;
        if (await SaveAsync(db) is { } failed)
        {
            return failed.As<RegistrationView>();
        }

        var organisation = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == org);
        return OpResult<RegistrationView>.Ok(EventRules.View(registration, organisation));
    }

    public async Task<OpResult<RegistrationView>> WithdrawRegistrationAsync(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var registration = actor.OrganisationId is { } org
            ? await db.EventRegistrations.Include(r => r.Organisation).SingleOrDefaultAsync(r => r.EventId == Id && r.OrganisationId == org)
            : null;
        if (registration is null || registration.Status is RegistrationStatus.Withdrawn or RegistrationStatus.Rejected)
        {
            return OpResult<RegistrationView>.NotFound("本机构没有该活动的有效报名");
        }

        registration.Status = RegistrationStatus.Withdrawn;
        registration.UpdatedAt = Now;
        foreach (var m in await db.EventMeetings.Where(m => m.EventId == Id && (m.RequesterId == registration.Id || m.TargetId == registration.Id) && Open.Contains(m.Status)).ToListAsync())
        {
            (m.Status, m.Slot, m.Table, m.UnplacedReason, m.UpdatedAt) = (MeetingStatus.Cancelled, null, null, "", Now);
        }

        _stamp++;
        db.ActorId = actor.UserId;
        return await SaveAsync(db) is { } failed ? failed.As<RegistrationView>() : OpResult<RegistrationView>.Ok(EventRules.View(registration, registration.Organisation));
    }

    public async Task<OpResult<RegistrationView>> DecideAsync(Actor actor, long registrationId, bool approve, string? note)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsReviewer)
        {
            return OpResult<RegistrationView>.Forbidden("只有组织方或管理员可以审核报名");
        }

        if (note is { Length: > 1000 })
        {
            return OpResult<RegistrationView>.Invalid(new Dictionary<string, string[]> { ["note"] = ["说明不能超过 1000 个字"] });
        }

        if (!approve && string.IsNullOrWhiteSpace(note))
        {
            return OpResult<RegistrationView>.Invalid(new Dictionary<string, string[]> { ["note"] = ["不通过时请写明原因"] });
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var registration = await db.EventRegistrations.Include(r => r.Organisation).SingleOrDefaultAsync(r => r.Id == registrationId && r.EventId == Id);
        if (registration is null)
        {
            return OpResult<RegistrationView>.NotFound();
        }

        if (registration.Status != RegistrationStatus.Pending)
        {
            return OpResult<RegistrationView>.Conflict($"该报名当前为「{Labels.Of(registration.Status)}」，无需审核");
        }

        var row = await db.Events.AsNoTracking().SingleAsync(e => e.Id == Id);
        if (approve && await db.EventRegistrations.CountAsync(r => r.EventId == Id && r.Status == RegistrationStatus.Approved) >= row.Capacity)
        {
            return OpResult<RegistrationView>.Conflict($"名额已满（{row.Capacity} 家），请先调整名额上限");
        }

        registration.Status = approve ? RegistrationStatus.Approved : RegistrationStatus.Rejected;
        if (approve && registration.CheckInCode.Length == 0)
        {
            registration.CheckInCode = NewCheckInCode(await db.EventRegistrations.AsNoTracking().Where(r => r.EventId == Id).Select(r => r.CheckInCode).ToHashSetAsync());
        }

        _stamp++;
        registration.DecisionNote = note?.Trim() ?? "";
        registration.DecidedAt = Now;
        registration.UpdatedAt = Now;
        db.ActorId = actor.UserId;
        return await SaveAsync(db) is { } failed ? failed.As<RegistrationView>() : OpResult<RegistrationView>.Ok(EventRules.View(registration, registration.Organisation));
    }

    public async Task<OpResult<CampaignAdmissionResult[]>> AdmitFromCampaignAsync(Actor actor, CampaignAdmission[] admissions)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(admissions);
        if (!actor.IsReviewer)
        {
            return OpResult<CampaignAdmissionResult[]>.Forbidden("只有组织方或管理员可以按分配方案报名");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var row = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Id == Id);
        if (row is null)
        {
            return OpResult<CampaignAdmissionResult[]>.NotFound();
        }

        if (row.Status != EventStatus.Open || row.RegistrationDeadline < Now)
        {
            var why = row.Status == EventStatus.Open ? "活动报名已截止" : $"活动{Labels.Of(row.Status)}，不接受报名";
            return OpResult<CampaignAdmissionResult[]>.Ok([.. admissions.Select(a => new CampaignAdmissionResult { AssignmentId = a.AssignmentId, Refusal = why })]);
        }

        var orgs = admissions.Select(a => a.OrganisationId).ToHashSet();
        var existing = await db.EventRegistrations.Where(r => r.EventId == Id && orgs.Contains(r.OrganisationId)).ToDictionaryAsync(r => r.OrganisationId);
        var approved = await db.EventRegistrations.CountAsync(r => r.EventId == Id && r.Status == RegistrationStatus.Approved);
        var codes = await db.EventRegistrations.AsNoTracking().Where(r => r.EventId == Id).Select(r => r.CheckInCode).ToHashSetAsync();
        var wanted = admissions.SelectMany(a => a.ListingIds).ToHashSet();
        var published = await db.Listings.AsNoTracking().Where(l => wanted.Contains(l.Id) && l.Status == ListingStatus.Published).Select(l => new { l.Id, l.OrganisationId }).ToListAsync();
        var results = new List<CampaignAdmissionResult>();
        var fresh = new List<EventRegistration>();
        foreach (var a in admissions)
        {
            var registration = existing.GetValueOrDefault(a.OrganisationId);
            if (registration is { Status: RegistrationStatus.Approved })
            {
                results.Add(new CampaignAdmissionResult { AssignmentId = a.AssignmentId, RegistrationId = registration.Id });
                continue;
            }

            if (approved >= row.Capacity)
            {
                results.Add(new CampaignAdmissionResult { AssignmentId = a.AssignmentId, Refusal = $"名额已满（{row.Capacity} 家）" });
                continue;
            }

            var isNew = registration is null;
            if (registration is null)
            {
                registration = new EventRegistration { EventId = Id, OrganisationId = a.OrganisationId, CreatedAt = Now, Version = 1 };
                db.EventRegistrations.Add(registration);
                existing[a.OrganisationId] = registration;
            }

            if (isNew || registration.Status != RegistrationStatus.Pending)
            {
                // New, or withdrawn or rejected before: registered with the interest's profile. A pending registration
                // keeps the profile its organisation wrote.
                registration.Offers = Cut(a.Offers, 1000);
                registration.Seeks = Cut(a.Seeks, 1000);
                registration.ListingIds = string.Join(',', a.ListingIds.Where(l => published.Any(p => p.Id == l && p.OrganisationId == a.OrganisationId)).Take(20).Select(l => l.ToString(CultureInfo.InvariantCulture)));
                registration.UserId = a.UserId;
                registration.UnavailableSlots = "";
            }

            registration.Status = RegistrationStatus.Approved;
            registration.DecisionNote = "按活动计划的场次分配方案报名";
            registration.DecidedAt = Now;
            registration.UpdatedAt = Now;
            if (registration.CheckInCode.Length == 0)
            {
                registration.CheckInCode = NewCheckInCode(codes);
                codes.Add(registration.CheckInCode);
            }

            approved++;
            fresh.Add(registration);
            await NotifyAsync(db, a.OrganisationId, $"已为您报名：{row.Title}", $"根据您在活动计划中的意向报名，组织方已安排贵单位参加「{row.Title}」（{row.StartsAt.AddHours(8):yyyy年M月d日 HH:mm}，{row.Venue}）。如不能参加，请在活动页面取消报名");
            results.Add(new CampaignAdmissionResult { AssignmentId = a.AssignmentId });
        }

        _stamp++;
        db.ActorId = actor.UserId;
        if (await SaveAsync(db) is { } failed)
        {
            return failed.As<CampaignAdmissionResult[]>();
        }

        // Ids exist only after the save: fill them in for the lines registered here.
        return OpResult<CampaignAdmissionResult[]>.Ok([.. results.Select(r => r.RegistrationId is null && r.Refusal.Length == 0
            ? r with { RegistrationId = existing[admissions.Single(a => a.AssignmentId == r.AssignmentId).OrganisationId].Id }
            : r)]);
    }

    /// <summary>A six-digit 签到码 not yet used at this event.</summary>
    private static string NewCheckInCode(HashSet<string> taken)
    {
        string code;
        do
        {
            code = System.Security.Cryptography.RandomNumberGenerator.GetInt32(100000, 1000000).ToString(CultureInfo.InvariantCulture);
        }
        while (taken.Contains(code));
        return code;
    }

    private async Task<OpResult<EventView>> ChangeAsync(Actor actor, long expectedVersion, Func<MarketDb, MarketEvent, Task<OpResult<EventView>?>> change, Func<MarketEvent, Task>? afterSave = null)
    {
        if (!actor.IsReviewer)
        {
            return OpResult<EventView>.Forbidden("只有组织方或管理员可以修改活动");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var row = await db.Events.Include(e => e.Campaign).SingleOrDefaultAsync(e => e.Id == Id);
        if (row is null)
        {
            return OpResult<EventView>.NotFound();
        }

        if (row.Version != expectedVersion)
        {
            return OpResult<EventView>.Conflict($"该活动已被他人修改（当前版本 {row.Version}，您提交的版本 {expectedVersion}），请刷新后重试");
        }

        if (await change(db, row) is { } refused)
        {
            return refused;
        }

        row.UpdatedAt = Now;
        db.ActorId = actor.UserId;
        if (await SaveAsync(db) is { } failed)
        {
            return failed;
        }

        await (afterSave ?? SyncRemindersAsync)(row);
        await db.Entry(row).Reference(e => e.Campaign).LoadAsync();
        return OpResult<EventView>.Ok(await ViewAsync(db, row));
    }

    /// <summary>Saves; a concurrent write answers a conflict, a database failure a storage exception.</summary>
    private async Task<OpResult<EventView>?> SaveAsync(MarketDb db)
    {
        try
        {
            await db.SaveChangesAsync();
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            return OpResult<EventView>.Conflict("该记录刚刚被他人修改，请刷新后重试");
        }
        catch (DbUpdateException ex) when (SaveErrors.IsUniqueViolation(ex))
        {
            return OpResult<EventView>.Conflict("本机构已报名该活动");
        }
        catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException)
        {
            log.LogError(ex, "Saving event {Id} failed", Id);
            throw new MarketStorageException("数据库暂时无法保存，请稍后重试");
        }
    }

    private static async Task<EventView> ViewAsync(MarketDb db, MarketEvent row)
    {
        var counts = await db.EventRegistrations.AsNoTracking().Where(r => r.EventId == row.Id).GroupBy(r => r.Status)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        return EventRules.View(row, row.Campaign?.Name,
            counts.Where(c => c.Key == RegistrationStatus.Approved).Sum(c => c.Count), counts.Where(c => c.Key == RegistrationStatus.Pending).Sum(c => c.Count));
    }
}
