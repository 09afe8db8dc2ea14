using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Market.Contracts;
using TechMarket.Market.Events;
using TechMarket.Market.Hosting;
using Affinity = TechMarket.Scheduling.Affinity;
using CampaignEvent = TechMarket.Scheduling.CampaignEvent;
using CampaignInput = TechMarket.Scheduling.CampaignInput;
using CampaignParticipant = TechMarket.Scheduling.CampaignParticipant;
using CampaignPlanner = TechMarket.Scheduling.CampaignPlanner;

namespace TechMarket.Market.Grains;

/// <summary>
/// One campaign's interests and plan. The rows are the truth: every call reloads what it decides on, and each write
/// goes through EF Core with the audit log in one transaction. Registrations are made by the events' grains, so
/// their rules (open, deadline, capacity, one per organisation) hold whoever registers.
/// </summary>
internal sealed class CampaignGrain(IServiceScopeFactory scopes, [FromKeyedServices(MarketClock.Key)] TimeProvider clock, ILogger<CampaignGrain> log) : Grain, ICampaignGrain
{
    private long Id => this.GetPrimaryKeyLong();

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<OpResult<CampaignInterestView>> DeclareInterestAsync(Actor actor, CampaignInterestDraft draft)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(draft);
        if (actor.OrganisationId is not { } org)
        {
            return OpResult<CampaignInterestView>.Forbidden("只有企业、高校院所或服务机构的成员可以意向报名");
        }

        var errors = CampaignPlanRules.Validate(draft);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        if (!await db.Campaigns.AnyAsync(c => c.Id == Id))
        {
            return OpResult<CampaignInterestView>.NotFound();
        }

        var listingIds = (draft.ListingIds ?? []).Distinct().ToList();
        if (errors.Count == 0 && listingIds.Count > 0
            && await db.Listings.CountAsync(l => listingIds.Contains(l.Id) && l.OrganisationId == org && l.Status == ListingStatus.Published) != listingIds.Count)
        {
            errors["listingIds"] = ["只能带本机构已发布的需求或成果"];
        }

        if (errors.Count > 0)
        {
            return OpResult<CampaignInterestView>.Invalid(errors);
        }

        var row = await db.CampaignInterests.SingleOrDefaultAsync(i => i.CampaignId == Id && i.OrganisationId == org);
        if (row is null)
        {
            row = new CampaignInterest { CampaignId = Id, OrganisationId = org, CreatedAt = Now, Version = 1 };
            db.CampaignInterests.Add(row);
        }

        CampaignPlanRules.Apply(draft, row);
        row.Status = InterestStatus.Active;
        row.UserId = actor.UserId;
        row.UpdatedAt = Now;
        db.ActorId = actor.UserId;
        if (await SaveAsync(db) is { } failed)
        {
            return failed.As<CampaignInterestView>();
        }

        return OpResult<CampaignInterestView>.Ok(CampaignPlanRules.View(row, await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == org)));
    }

    public async Task<OpResult<CampaignInterestView>> WithdrawInterestAsync(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var row = actor.OrganisationId is { } org
            ? await db.CampaignInterests.Include(i => i.Organisation).SingleOrDefaultAsync(i => i.CampaignId == Id && i.OrganisationId == org && i.Status == InterestStatus.Active)
            : null;
        if (row is null)
        {
            return OpResult<CampaignInterestView>.NotFound("本机构没有该活动计划的有效意向报名");
        }

        row.Status = InterestStatus.Withdrawn;
        row.UpdatedAt = Now;
        foreach (var line in await db.CampaignAssignments.Where(a => a.InterestId == row.Id && a.Status == AssignmentStatus.Planned).ToListAsync())
        {
            (line.Status, line.Note, line.UpdatedAt) = (AssignmentStatus.Dropped, "单位已撤回意向", Now);
        }

        db.ActorId = actor.UserId;
        return await SaveAsync(db) is { } failed ? failed.As<CampaignInterestView>() : OpResult<CampaignInterestView>.Ok(CampaignPlanRules.View(row, row.Organisation));
    }

    public async Task<OpResult<CampaignPlanResult>> PlanAsync(Actor actor, CampaignAffinity[] affinities)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(affinities);
        if (!actor.IsReviewer)
        {
            return OpResult<CampaignPlanResult>.Forbidden("只有组织方或管理员可以分配场次");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var campaign = await db.Campaigns.SingleOrDefaultAsync(c => c.Id == Id);
        if (campaign is null)
        {
            return OpResult<CampaignPlanResult>.NotFound();
        }

        var now = Now;
        var events = (await db.Events.AsNoTracking().Where(e => e.CampaignId == Id && e.Status == EventStatus.Open).ToListAsync())
            .Where(e => CampaignPlanRules.Plannable(e, now)).ToDictionary(e => e.Id);
        var interests = await db.CampaignInterests.AsNoTracking().Where(i => i.CampaignId == Id && i.Status == InterestStatus.Active).ToDictionaryAsync(i => i.Id);
        if (events.Count == 0)
        {
            return OpResult<CampaignPlanResult>.Conflict("该活动计划没有开放报名的场次，无法分配");
        }

        if (interests.Count == 0)
        {
            return OpResult<CampaignPlanResult>.Conflict("还没有单位意向报名，无法分配");
        }

        var eventIds = events.Keys.ToList();
        var held = await db.EventRegistrations.AsNoTracking()
            .Where(r => eventIds.Contains(r.EventId) && (r.Status == RegistrationStatus.Approved || r.Status == RegistrationStatus.Pending))
            .Select(r => new { r.EventId, r.OrganisationId }).ToListAsync();
        var taken = held.GroupBy(r => r.EventId).ToDictionary(g => g.Key, g => g.Count());
        var registered = held.Select(r => (r.OrganisationId, r.EventId)).ToHashSet();
        var allDates = events.Values.Select(e => CampaignPlanRules.LocalDate(e.StartsAt)).Distinct().ToList();

        // An organisation already registered at some of these events spends those places and days first.
        var participants = interests.Values.Select(i =>
        {
            var mine = held.Where(r => r.OrganisationId == i.OrganisationId).Select(r => CampaignPlanRules.LocalDate(events[r.EventId].StartsAt)).ToHashSet();
            var dates = CampaignPlanRules.ParseDates(i.AvailableDates);
            IReadOnlyList<DateOnly>? usable = dates.Length == 0 && mine.Count == 0 ? null : [.. (dates.Length == 0 ? allDates : [.. dates]).Where(d => !mine.Contains(d))];
            return new CampaignParticipant(Key(i), MaxEvents: Math.Max(0, i.MaxEvents - mine.Count), AvailableDates: usable);
        }).ToList();
        var usableAffinities = affinities
            .Where(a => interests.TryGetValue(a.InterestId, out var i) && events.ContainsKey(a.EventId) && !registered.Contains((i.OrganisationId, a.EventId))
                && double.IsFinite(a.Score) && a.Score > 0 && a.Score <= 100)
            .GroupBy(a => (a.InterestId, a.EventId)).Select(g => g.First()).ToList();
        var input = new CampaignInput(
            [.. events.Values.Select(e => new CampaignEvent(Key(e), CampaignPlanRules.LocalDate(e.StartsAt), Math.Max(0, e.Capacity - taken.GetValueOrDefault(e.Id))))],
            participants,
            [.. usableAffinities.Select(a => new Affinity($"i{a.InterestId}", $"e{a.EventId}", a.Score))]);
        var plan = new CampaignPlanner(clock).Plan(input);

        foreach (var stale in await db.CampaignAssignments.Where(a => a.CampaignId == Id && a.Status == AssignmentStatus.Planned).ToListAsync())
        {
            db.CampaignAssignments.Remove(stale);
        }

        var reasons = usableAffinities.ToDictionary(a => ($"i{a.InterestId}", $"e{a.EventId}"), a => a.Reason);
        foreach (var line in plan.Assignments)
        {
            db.CampaignAssignments.Add(new CampaignAssignment
            {
                CampaignId = Id,
                InterestId = long.Parse(line.Participant.AsSpan(1), CultureInfo.InvariantCulture),
                EventId = long.Parse(line.Event.AsSpan(1), CultureInfo.InvariantCulture),
                Score = line.Score,
                Reason = Cut(reasons.GetValueOrDefault((line.Participant, line.Event)) ?? "", 500),
                Status = AssignmentStatus.Planned,
                Note = "",
                CreatedAt = now,
                UpdatedAt = now,
                Version = 1,
            });
        }

        var placedInterests = plan.Assignments.Select(a => a.Participant).ToHashSet(StringComparer.Ordinal);
        var unassigned = participants.Count(p => p.MaxEvents > 0 && !placedInterests.Contains(p.Id));
        var result = new CampaignPlanResult
        {
            Assigned = plan.Assignments.Count,
            Unassigned = unassigned,
            TotalScore = plan.TotalScore,
            Summary = $"为 {placedInterests.Count} 家意向单位安排了 {plan.Assignments.Count} 个场次名额（{events.Count} 场开放报名的活动，总匹配度 {plan.TotalScore.ToString("0.#", CultureInfo.InvariantCulture)}）"
                + (unassigned > 0 ? $"；{unassigned} 家暂未安排：没有领域契合、日期合适且有余位的场次" : ""),
        };
        campaign.PlannedAt = now;
        campaign.PlanSummary = Cut(result.Summary, 500);
        campaign.UpdatedAt = now;
        db.ActorId = actor.UserId;
        return await SaveAsync(db) is { } failed ? failed.As<CampaignPlanResult>() : OpResult<CampaignPlanResult>.Ok(result);
    }

    public async Task<OpResult<CampaignPlanResult>> ConfirmPlanAsync(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsReviewer)
        {
            return OpResult<CampaignPlanResult>.Forbidden("只有组织方或管理员可以确认场次分配");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        if (!await db.Campaigns.AnyAsync(c => c.Id == Id))
        {
            return OpResult<CampaignPlanResult>.NotFound();
        }

        var lines = await db.CampaignAssignments.Include(a => a.Interest)
            .Where(a => a.CampaignId == Id && a.Status == AssignmentStatus.Planned).ToListAsync();
        if (lines.Count == 0)
        {
            return OpResult<CampaignPlanResult>.Conflict("没有待确认的场次分配，请先计算分配方案");
        }

        var registeredCount = 0;
        foreach (var group in lines.GroupBy(a => a.EventId))
        {
            var admissions = group.Select(a => new CampaignAdmission
            {
                AssignmentId = a.Id,
                OrganisationId = a.Interest!.OrganisationId,
                UserId = a.Interest.UserId,
                Offers = a.Interest.Offers,
                Seeks = a.Interest.Seeks,
                ListingIds = CampaignPlanRules.ParseIds(a.Interest.ListingIds),
            }).ToArray();
            var answer = await GrainFactory.GetGrain<IEventGrain>(group.Key).AdmitFromCampaignAsync(actor, admissions);
            foreach (var line in group)
            {
                var r = answer.IsOk ? answer.Value!.SingleOrDefault(x => x.AssignmentId == line.Id) : null;
                line.UpdatedAt = Now;
                if (r?.RegistrationId is { } registration)
                {
                    (line.Status, line.RegistrationId, line.Note) = (AssignmentStatus.Registered, registration, "");
                    registeredCount++;
                }
                else
                {
                    (line.Status, line.Note) = (AssignmentStatus.Dropped, Cut(r?.Refusal ?? answer.Message ?? "活动未接受报名", 300));
                }
            }
        }

        db.ActorId = actor.UserId;
        var dropped = lines.Count - registeredCount;
        var summary = $"已按分配方案报名 {registeredCount} 个场次名额" + (dropped > 0 ? $"；{dropped} 个未能报名（见各行说明）" : "");
        return await SaveAsync(db) is { } failed
            ? failed.As<CampaignPlanResult>()
            : OpResult<CampaignPlanResult>.Ok(new CampaignPlanResult { Assigned = registeredCount, Unassigned = dropped, TotalScore = lines.Where(l => l.Status == AssignmentStatus.Registered).Sum(l => l.Score), Summary = summary });
    }

    public async Task<OpResult<CampaignPlanResult>> DropAssignmentAsync(Actor actor, long assignmentId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsReviewer)
        {
            return OpResult<CampaignPlanResult>.Forbidden("只有组织方或管理员可以调整场次分配");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var line = await db.CampaignAssignments.SingleOrDefaultAsync(a => a.Id == assignmentId && a.CampaignId == Id);
        if (line is null)
        {
            return OpResult<CampaignPlanResult>.NotFound();
        }

        if (line.Status != AssignmentStatus.Planned)
        {
            return OpResult<CampaignPlanResult>.Conflict(line.Status == AssignmentStatus.Registered ? "该单位已报名，请在活动的报名名单中处理" : "该分配已移除");
        }

        (line.Status, line.Note, line.UpdatedAt) = (AssignmentStatus.Dropped, "组织方移除", Now);
        db.ActorId = actor.UserId;
        return await SaveAsync(db) is { } failed
            ? failed.As<CampaignPlanResult>()
            : OpResult<CampaignPlanResult>.Ok(new CampaignPlanResult { Assigned = 0, Unassigned = 1, Summary = "已移除该分配" });
    }

    public async Task<OpResult<bool>> AddListingAsync(Actor actor, long listingId, string? note)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsReviewer)
        {
            return OpResult<bool>.Forbidden("只有组织方或管理员可以编辑活动计划的推介清单");
        }

        if (note is { Length: > 200 })
        {
            return OpResult<bool>.Invalid(new Dictionary<string, string[]> { ["note"] = ["说明不能超过 200 字"] });
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        if (!await db.Campaigns.AnyAsync(c => c.Id == Id))
        {
            return OpResult<bool>.NotFound();
        }

        var listing = await db.Listings.AsNoTracking().SingleOrDefaultAsync(l => l.Id == listingId && l.Status == ListingStatus.Published);
        if (listing is not (Achievement or Need { IsChallenge: true }))
        {
            return OpResult<bool>.Invalid(new Dictionary<string, string[]> { ["listingId"] = ["只能加入已发布的科技成果或揭榜挂帅需求"] });
        }

        if (await db.CampaignListings.AnyAsync(c => c.CampaignId == Id && c.ListingId == listingId))
        {
            return OpResult<bool>.Conflict("已在推介清单中");
        }

        db.CampaignListings.Add(new CampaignListing { CampaignId = Id, ListingId = listingId, Note = note?.Trim() ?? "", AddedById = actor.UserId, AddedAt = Now });
        db.ActorId = actor.UserId;
        return await SaveAsync(db) is { } failed ? failed : OpResult<bool>.Ok(true);
    }

    public async Task<OpResult<bool>> RemoveListingAsync(Actor actor, long listingId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsReviewer)
        {
            return OpResult<bool>.Forbidden("只有组织方或管理员可以编辑活动计划的推介清单");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var row = await db.CampaignListings.SingleOrDefaultAsync(c => c.CampaignId == Id && c.ListingId == listingId);
        if (row is null)
        {
            return OpResult<bool>.NotFound();
        }

        db.CampaignListings.Remove(row);
        db.ActorId = actor.UserId;
        return await SaveAsync(db) is { } failed ? failed : OpResult<bool>.Ok(true);
    }

    private static string Key(CampaignInterest i) => $"i{i.Id}";

    private static string Key(MarketEvent e) => $"e{e.Id}";

    private async Task<OpResult<bool>?> SaveAsync(MarketDb db)
    {
        try
        {
            await db.SaveChangesAsync();
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            return OpResult<bool>.Conflict("该记录刚刚被他人修改，请刷新后重试");
        }
        catch (DbUpdateException ex) when (SaveErrors.IsUniqueViolation(ex))
        {
            return OpResult<bool>.Conflict("记录已存在（本机构已意向报名，或已在推介清单中），请刷新后重试");
        }
        catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException)
        {
            log.LogError(ex, "Saving campaign {Id} failed", Id);
            throw new MarketStorageException("数据库暂时无法保存，请稍后重试");
        }
    }

    private static string Cut(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
