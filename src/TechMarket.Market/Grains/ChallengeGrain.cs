using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Market.Contracts;
using TechMarket.Market.Hosting;

namespace TechMarket.Market.Grains;

/// <summary>
/// One 揭榜挂帅 challenge. The rows are the state and are read on every call (the need may be withdrawn at any time
/// by its own grain); what makes 抢榜 fair is that the grain is not reentrant: claims are served one turn at a
/// time in the order they reach it, each takes the next arrival sequence number and, while places remain, a place,
/// and is saved (with its audit entry, in one transaction) before the next claim is looked at.
/// </summary>
internal sealed class ChallengeGrain(IServiceScopeFactory scopes, [FromKeyedServices(MarketClock.Key)] TimeProvider clock, ILogger<ChallengeGrain> log)
    : Grain, IChallengeGrain
{
    public const int MaxPlaces = 100;
    public const int MaxReviewers = 20;
    public const int MaxRequirements = 4000;
    public const int MaxPlan = 8000;
    public const int MaxTeam = 2000;
    public const int MaxComment = 2000;
    public const int MaxMilestoneTitle = 200;

    private long NeedId => this.GetPrimaryKeyLong();

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private DateOnly Today => DateOnly.FromDateTime(clock.GetLocalNow().DateTime);

    public async Task<OpResult<ChallengeView>> SetUpAsync(Actor actor, long? expectedVersion, ChallengeSetup setup)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(setup);
        var errors = new Dictionary<string, string[]>();
        if (setup.Rule is not (ChallengeRule.Open or ChallengeRule.FirstCome))
        {
            errors["rule"] = ["请选择揭榜方式：公开揭榜或抢榜"];
        }

        if (setup.Places is < 1 or > MaxPlaces)
        {
            errors["places"] = [$"名额应在 1 到 {MaxPlaces} 之间"];
        }

        var requirements = setup.Requirements?.Trim() ?? "";
        if (requirements.Length > MaxRequirements)
        {
            errors["requirements"] = [$"揭榜要求不能超过 {MaxRequirements} 个字符"];
        }

        var reviewers = (setup.ReviewerUserIds ?? []).Distinct().ToArray();
        if (reviewers.Length > MaxReviewers)
        {
            errors["reviewerUserIds"] = [$"评审专家不能超过 {MaxReviewers} 位"];
        }

        if (errors.Count > 0)
        {
            return OpResult<ChallengeView>.Invalid(errors);
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var need = await db.Needs.Include(n => n.Organisation).SingleOrDefaultAsync(n => n.Id == NeedId);
        if (need is null || (need.Status != ListingStatus.Published && need.OrganisationId != actor.OrganisationId && !actor.IsReviewer))
        {
            return OpResult<ChallengeView>.NotFound();
        }

        if (need.OrganisationId != actor.OrganisationId && !actor.IsReviewer)
        {
            return OpResult<ChallengeView>.Forbidden("只有需求方或组织方可以发榜");
        }

        if (!need.IsChallenge || need.Status != ListingStatus.Published)
        {
            return OpResult<ChallengeView>.Conflict("只有已发布、且标明为揭榜挂帅（含榜单金额和截止日期）的需求才能发榜");
        }

        var known = await ReviewerCandidatesAsync(db, reviewers);
        var unknown = reviewers.Where(r => !known.Contains(r)).ToArray();
        if (unknown.Length > 0)
        {
            return OpResult<ChallengeView>.Invalid(new Dictionary<string, string[]>
            {
                ["reviewerUserIds"] = [$"评审专家须为组织方或技术经纪人：用户 {string.Join("、", unknown)} 不符合"],
            });
        }

        var now = Now;
        var challenge = await db.Challenges.SingleOrDefaultAsync(c => c.NeedId == NeedId);
        if (challenge is null)
        {
            if (expectedVersion is not (null or 0))
            {
                return OpResult<ChallengeView>.Conflict("该需求尚未发榜，请刷新后重试");
            }

            challenge = new Challenge { NeedId = NeedId, Status = ChallengeStatus.Open, CreatedAt = now, Version = 1 };
            db.Challenges.Add(challenge);
        }
        else
        {
            if (expectedVersion != challenge.Version)
            {
                return VersionConflict(challenge, expectedVersion);
            }

            if (challenge.Status == ChallengeStatus.Awarded)
            {
                return OpResult<ChallengeView>.Conflict("已定榜，不能再修改榜单");
            }

            // Changing the rule or the places once someone has applied would change the race after the start.
            var anyApplied = await db.ChallengeApplications.AnyAsync(a => a.NeedId == NeedId);
            if (anyApplied && (challenge.Rule != setup.Rule || challenge.Places != setup.Places || challenge.OpensAt != setup.OpensAt))
            {
                return OpResult<ChallengeView>.Conflict("已有机构揭榜，不能再修改揭榜方式、名额或开始时间");
            }
        }

        challenge.Rule = setup.Rule;
        challenge.Places = setup.Places;
        challenge.Requirements = requirements;
        challenge.OpensAt = setup.OpensAt?.ToUniversalTime();
        challenge.UpdatedAt = now;

        var current = await db.ChallengeReviewers.Where(r => r.NeedId == NeedId).ToListAsync();
        db.ChallengeReviewers.RemoveRange(current.Where(r => !reviewers.Contains(r.UserId)));
        db.ChallengeReviewers.AddRange(reviewers.Where(u => current.All(r => r.UserId != u)).Select(u => new ChallengeReviewer { NeedId = NeedId, UserId = u }));

        var saved = await SaveAsync(db, actor);
        return saved ?? OpResult<ChallengeView>.Ok(await ViewAsync(db, actor));
    }

    public async Task<OpResult<ApplicationView>> ApplyAsync(Actor actor, ApplicationInput input)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();

        // A claim at a 抢榜 is one short turn: one connection, the need's state, the organisation (remembered), one
        // insert with its audit entry; the challenge and who has applied are kept from earlier turns.
        await db.Database.OpenConnectionAsync();
        var need = await db.Needs.AsNoTracking().Where(n => n.Id == NeedId).Select(n => new { n.Status, n.ChallengeDeadline }).SingleOrDefaultAsync();
        var state = need is null ? null : await StateAsync(db);
        if (need is null || state is null || need.Status != ListingStatus.Published)
        {
            return OpResult<ApplicationView>.NotFound("该需求没有正在发布的揭榜挂帅榜单");
        }

        var organisation = actor.OrganisationId is { } org ? await OrganisationAsync(db, org) : null;
        if (organisation?.Kind != OrganisationKind.Institute)
        {
            return OpResult<ApplicationView>.Forbidden("只有高校院所的成员可以揭榜");
        }

        var challenge = state.Challenge;
        var plan = input.Plan?.Trim() ?? "";
        var team = input.Team?.Trim() ?? "";
        var errors = new Dictionary<string, string[]>();
        if (challenge.Rule == ChallengeRule.Open && plan.Length == 0)
        {
            errors["plan"] = ["请填写技术方案"];
        }

        if (plan.Length > MaxPlan)
        {
            errors["plan"] = [$"技术方案不能超过 {MaxPlan} 个字符"];
        }

        if (team.Length > MaxTeam)
        {
            errors["team"] = [$"团队介绍不能超过 {MaxTeam} 个字符"];
        }

        if (input.PriceWan is < 0 or > 1_000_000)
        {
            errors["priceWan"] = ["报价应在 0 到 1000000 万元之间（不填为面议）"];
        }

        if (errors.Count > 0)
        {
            return OpResult<ApplicationView>.Invalid(errors);
        }

        var now = Now;
        if (challenge.Status != ChallengeStatus.Open)
        {
            return OpResult<ApplicationView>.Conflict($"揭榜已截止（{Labels.Of(challenge.Status)}）");
        }

        if (challenge.OpensAt is { } opens && now < opens)
        {
            return OpResult<ApplicationView>.Conflict($"尚未开始揭榜，开始时间：{TimeZoneInfo.ConvertTimeFromUtc(opens, clock.LocalTimeZone):yyyy-MM-dd HH:mm}");
        }

        if (need.ChallengeDeadline is { } deadline && Today > deadline)
        {
            return OpResult<ApplicationView>.Conflict($"已过揭榜截止日期（{deadline:yyyy-MM-dd}）");
        }

        if (state.Applied.Contains(organisation.Id))
        {
            return OpResult<ApplicationView>.Conflict("本机构已揭榜，不能重复提交");
        }

        var status = challenge.Rule != ChallengeRule.FirstCome ? ApplicationStatus.Submitted
            : state.PlacesWon < challenge.Places ? ApplicationStatus.PlaceWon
            : ApplicationStatus.PlaceMissed;
        var application = new ChallengeApplication
        {
            NeedId = NeedId,
            OrganisationId = organisation.Id,
            UserId = actor.UserId,
            Plan = plan,
            Team = team,
            PriceWan = input.PriceWan,
            ArrivedAt = now,
            ArrivalSeq = state.LastSeq + 1,
            Status = status,
            UpdatedAt = now,
            Version = 1,
        };
        db.ChallengeApplications.Add(application);
        OpResult<ChallengeView>? refused;
        try
        {
            refused = await SaveAsync(db, actor);
        }
        catch (MarketStorageException)
        {
            _state = null;
            throw;
        }

        if (refused is not null)
        {
            _state = null;
            return refused.As<ApplicationView>();
        }

        state.Applied.Add(organisation.Id);
        state.LastSeq = application.ArrivalSeq;
        state.PlacesWon += status == ApplicationStatus.PlaceWon ? 1 : 0;
        return OpResult<ApplicationView>.Ok(View(application, organisation.Name, []));
    }

    /// <summary>What a claim needs to know, kept between turns; dropped after any other write or a failed one.</summary>
    private sealed class RaceState(Challenge challenge)
    {
        public Challenge Challenge { get; } = challenge;

        public HashSet<long> Applied { get; } = [];

        public int LastSeq { get; set; }

        public int PlacesWon { get; set; }
    }

    private sealed record OrganisationInfo(long Id, OrganisationKind Kind, string Name);

    private RaceState? _state;

    private readonly Dictionary<long, OrganisationInfo> _organisations = [];

    private async Task<RaceState?> StateAsync(MarketDb db)
    {
        if (_state is not null)
        {
            return _state;
        }

        var challenge = await db.Challenges.AsNoTracking().SingleOrDefaultAsync(c => c.NeedId == NeedId);
        if (challenge is null)
        {
            return null;
        }

        var state = new RaceState(challenge);
        var rows = await db.ChallengeApplications.AsNoTracking().Where(a => a.NeedId == NeedId)
            .Select(a => new { a.OrganisationId, a.ArrivalSeq, a.Status }).ToListAsync();
        foreach (var r in rows)
        {
            state.Applied.Add(r.OrganisationId);
            state.LastSeq = Math.Max(state.LastSeq, r.ArrivalSeq);
        }

        state.PlacesWon = rows.Count(r => r.Status == ApplicationStatus.PlaceWon);
        return _state = state;
    }

    private async Task<OrganisationInfo?> OrganisationAsync(MarketDb db, long id)
    {
        if (_organisations.TryGetValue(id, out var known))
        {
            return known;
        }

        var info = await db.Organisations.AsNoTracking().Where(o => o.Id == id).Select(o => new OrganisationInfo(o.Id, o.Kind, o.Name)).SingleOrDefaultAsync();
        if (info is not null)
        {
            _organisations[id] = info;
        }

        return info;
    }

    public async Task<OpResult<ChallengeView>> CloseApplicationsAsync(Actor actor, long expectedVersion)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var (challenge, refusal) = await OwnChallengeAsync(db, actor, "只有需求方或组织方可以截止揭榜");
        if (refusal is not null)
        {
            return refusal;
        }

        if (challenge!.Version != expectedVersion)
        {
            return VersionConflict(challenge, expectedVersion);
        }

        if (challenge.Status != ChallengeStatus.Open)
        {
            return OpResult<ChallengeView>.Conflict($"当前状态（{Labels.Of(challenge.Status)}）不能截止揭榜");
        }

        if (!await db.ChallengeApplications.AnyAsync(a => a.NeedId == NeedId && (a.Status == ApplicationStatus.Submitted || a.Status == ApplicationStatus.PlaceWon)))
        {
            return OpResult<ChallengeView>.Conflict("还没有可评审的揭榜申请，不能截止揭榜");
        }

        challenge.Status = ChallengeStatus.Reviewing;
        challenge.UpdatedAt = Now;
        return await SaveAsync(db, actor) ?? OpResult<ChallengeView>.Ok(await ViewAsync(db, actor));
    }

    public async Task<OpResult<ReviewView>> ReviewAsync(Actor actor, long applicationId, int score, string? comment)
    {
        ArgumentNullException.ThrowIfNull(actor);
        comment = comment?.Trim() ?? "";
        var errors = new Dictionary<string, string[]>();
        if (score is < 0 or > 100)
        {
            errors["score"] = ["评分应在 0 到 100 之间"];
        }

        if (comment.Length > MaxComment)
        {
            errors["comment"] = [$"评审意见不能超过 {MaxComment} 个字符"];
        }

        if (errors.Count > 0)
        {
            return OpResult<ReviewView>.Invalid(errors);
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var challenge = await db.Challenges.SingleOrDefaultAsync(c => c.NeedId == NeedId);
        var application = challenge is null ? null : await db.ChallengeApplications.SingleOrDefaultAsync(a => a.Id == applicationId && a.NeedId == NeedId);
        if (application is null)
        {
            return OpResult<ReviewView>.NotFound();
        }

        if (!await db.ChallengeReviewers.AnyAsync(r => r.NeedId == NeedId && r.UserId == actor.UserId))
        {
            return OpResult<ReviewView>.Forbidden("只有本榜单指定的评审专家可以评榜");
        }

        if (challenge!.Status != ChallengeStatus.Reviewing)
        {
            return OpResult<ReviewView>.Conflict($"当前状态（{Labels.Of(challenge.Status)}）不能评榜");
        }

        if (application.Status is not (ApplicationStatus.Submitted or ApplicationStatus.PlaceWon))
        {
            return OpResult<ReviewView>.Conflict($"该申请（{Labels.Of(application.Status)}）不在评审范围内");
        }

        var review = await db.ChallengeReviews.SingleOrDefaultAsync(r => r.ApplicationId == applicationId && r.ReviewerUserId == actor.UserId);
        if (review is null)
        {
            review = new ChallengeReview { ApplicationId = applicationId, ReviewerUserId = actor.UserId };
            db.ChallengeReviews.Add(review);
        }

        review.Score = score;
        review.Comment = comment;
        review.CreatedAt = Now;
        var refused = await SaveAsync(db, actor);
        return refused is not null
            ? refused.As<ReviewView>()
            : OpResult<ReviewView>.Ok(new ReviewView(review.Id, review.ApplicationId, review.ReviewerUserId, review.Score, review.Comment, review.CreatedAt));
    }

    public async Task<OpResult<ChallengeView>> AwardAsync(Actor actor, long expectedVersion, long applicationId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var challenge = await db.Challenges.SingleOrDefaultAsync(c => c.NeedId == NeedId);
        if (challenge is null)
        {
            return OpResult<ChallengeView>.NotFound();
        }

        if (!actor.IsReviewer)
        {
            return OpResult<ChallengeView>.Forbidden("只有组织方可以定榜");
        }

        if (challenge.Version != expectedVersion)
        {
            return VersionConflict(challenge, expectedVersion);
        }

        if (challenge.Status != ChallengeStatus.Reviewing)
        {
            return OpResult<ChallengeView>.Conflict($"当前状态（{Labels.Of(challenge.Status)}）不能定榜，请先截止揭榜并完成评榜");
        }

        var candidates = await db.ChallengeApplications
            .Where(a => a.NeedId == NeedId && (a.Status == ApplicationStatus.Submitted || a.Status == ApplicationStatus.PlaceWon)).ToListAsync();
        var winner = candidates.SingleOrDefault(a => a.Id == applicationId);
        if (winner is null)
        {
            return await db.ChallengeApplications.AnyAsync(a => a.Id == applicationId && a.NeedId == NeedId)
                ? OpResult<ChallengeView>.Conflict("该申请不在评审范围内，不能中榜")
                : OpResult<ChallengeView>.Invalid(new Dictionary<string, string[]> { ["applicationId"] = ["本榜单没有该申请"] });
        }

        var now = Now;
        foreach (var a in candidates)
        {
            a.Status = a.Id == applicationId ? ApplicationStatus.Awarded : ApplicationStatus.NotAwarded;
            a.UpdatedAt = now;
        }

        challenge.Status = ChallengeStatus.Awarded;
        challenge.AwardedApplicationId = applicationId;
        challenge.AwardedAt = now;
        challenge.UpdatedAt = now;
        return await SaveAsync(db, actor) ?? OpResult<ChallengeView>.Ok(await ViewAsync(db, actor));
    }

    public async Task<OpResult<MilestoneView>> AddMilestoneAsync(Actor actor, string? title, DateOnly dueDate)
    {
        ArgumentNullException.ThrowIfNull(actor);
        title = title?.Trim() ?? "";
        if (title.Length is 0 or > MaxMilestoneTitle)
        {
            return OpResult<MilestoneView>.Invalid(new Dictionary<string, string[]> { ["title"] = [$"请填写节点名称（不超过 {MaxMilestoneTitle} 个字符）"] });
        }

        if (dueDate == default)
        {
            return OpResult<MilestoneView>.Invalid(new Dictionary<string, string[]> { ["dueDate"] = ["请填写节点的计划完成日期"] });
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var (challenge, refusal) = await OwnChallengeAsync(db, actor, "只有需求方或组织方可以管理节点");
        if (refusal is not null)
        {
            return refusal.As<MilestoneView>();
        }

        if (challenge!.Status != ChallengeStatus.Awarded)
        {
            return OpResult<MilestoneView>.Conflict("定榜之后才能设置节点");
        }

        var milestone = new ChallengeMilestone { NeedId = NeedId, Title = title, DueDate = dueDate, CreatedAt = Now };
        db.ChallengeMilestones.Add(milestone);
        var refused = await SaveAsync(db, actor);
        return refused is not null ? refused.As<MilestoneView>() : OpResult<MilestoneView>.Ok(View(milestone));
    }

    public async Task<OpResult<MilestoneView>> CompleteMilestoneAsync(Actor actor, long milestoneId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var (_, refusal) = await OwnChallengeAsync(db, actor, "只有需求方或组织方可以管理节点");
        if (refusal is not null)
        {
            return refusal.As<MilestoneView>();
        }

        var milestone = await db.ChallengeMilestones.SingleOrDefaultAsync(m => m.Id == milestoneId && m.NeedId == NeedId);
        if (milestone is null)
        {
            return OpResult<MilestoneView>.NotFound();
        }

        if (milestone.DoneAt is not null)
        {
            return OpResult<MilestoneView>.Conflict("该节点已标记完成");
        }

        milestone.DoneAt = Now;
        var refused = await SaveAsync(db, actor);
        return refused is not null ? refused.As<MilestoneView>() : OpResult<MilestoneView>.Ok(View(milestone));
    }

    public async Task<OpResult<ChallengeView>> GetAsync(Actor? actor)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var need = await db.Needs.AsNoTracking().Where(n => n.Id == NeedId).Select(n => new { n.Status, n.OrganisationId }).SingleOrDefaultAsync();
        var visible = need is not null && await db.Challenges.AnyAsync(c => c.NeedId == NeedId)
            && (need.Status is ListingStatus.Published or ListingStatus.Closed
                || (actor is not null && (need.OrganisationId == actor.OrganisationId || actor.IsReviewer)));
        return visible ? OpResult<ChallengeView>.Ok(await ViewAsync(db, actor)) : OpResult<ChallengeView>.NotFound();
    }

    /// <summary>The challenge when <paramref name="actor"/> belongs to the need's organisation or is an organiser.</summary>
    private async Task<(Challenge? Challenge, OpResult<ChallengeView>? Refusal)> OwnChallengeAsync(MarketDb db, Actor actor, string forbidden)
    {
        var challenge = await db.Challenges.Include(c => c.Need).SingleOrDefaultAsync(c => c.NeedId == NeedId);
        if (challenge is null)
        {
            return (null, OpResult<ChallengeView>.NotFound());
        }

        return challenge.Need!.OrganisationId != actor.OrganisationId && !actor.IsReviewer
            ? (null, OpResult<ChallengeView>.Forbidden(forbidden))
            : (challenge, null);
    }

    private static OpResult<ChallengeView> VersionConflict(Challenge challenge, long? expected) =>
        OpResult<ChallengeView>.Conflict($"榜单已被他人修改（当前版本 {challenge.Version}，您提交的版本 {expected?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "无"}），请刷新后重试");

    /// <summary>Users who may review: organisers, admins and brokers.</summary>
    private static async Task<HashSet<long>> ReviewerCandidatesAsync(MarketDb db, long[] userIds)
    {
        if (userIds.Length == 0)
        {
            return [];
        }

        string[] names = [Roles.Organiser, Roles.Admin, Roles.Broker];
        var ids = await db.UserRoles.Where(ur => userIds.Contains(ur.UserId))
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
            .Where(x => names.Contains(x.Name!))
            .Select(x => x.UserId).Distinct().ToListAsync();
        return [.. ids];
    }

    /// <summary>Saves the pending changes with their audit entries in one transaction; a lost race answers 409.</summary>
    private async Task<OpResult<ChallengeView>?> SaveAsync(MarketDb db, Actor actor)
    {
        db.ActorId = actor.UserId;
        if (db.ChangeTracker.Entries<Challenge>().Any())
        {
            _state = null;
        }

        try
        {
            await db.SaveChangesAsync();
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            return OpResult<ChallengeView>.Conflict("榜单刚刚被他人修改，请刷新后重试");
        }
        catch (DbUpdateException ex) when (SaveErrors.IsUniqueViolation(ex))
        {
            // A unique index (one application per institute, one sequence number per need) refused a row written
            // beside this grain; nothing was saved.
            return OpResult<ChallengeView>.Conflict("本机构已揭榜或揭榜顺序冲突，请刷新后重试");
        }
        catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException)
        {
            log.LogError(ex, "Saving challenge {NeedId} failed", NeedId);
            throw new MarketStorageException("数据库暂时无法保存，请稍后重试");
        }
    }

    private async Task<ChallengeView> ViewAsync(MarketDb db, Actor? actor)
    {
        var c = await db.Challenges.AsNoTracking().SingleAsync(x => x.NeedId == NeedId);
        var need = await db.Needs.AsNoTracking().Include(n => n.Organisation).SingleAsync(n => n.Id == NeedId);
        var reviewers = await db.ChallengeReviewers.AsNoTracking().Where(r => r.NeedId == NeedId).Select(r => r.UserId).OrderBy(u => u).ToArrayAsync();
        var seesAll = actor is not null && (actor.OrganisationId == need.OrganisationId || actor.IsReviewer || reviewers.Contains(actor.UserId));
        var query = db.ChallengeApplications.AsNoTracking().Where(a => a.NeedId == NeedId);
        var counts = await query.GroupBy(a => a.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        var applications = seesAll ? await query.Include(a => a.Organisation).OrderBy(a => a.ArrivalSeq).ToListAsync()
            : actor?.OrganisationId is { } org ? await query.Include(a => a.Organisation).Where(a => a.OrganisationId == org).ToListAsync()
            : [];
        var ids = applications.Select(a => a.Id).ToArray();
        var reviews = seesAll
            ? (await db.ChallengeReviews.AsNoTracking().Where(r => ids.Contains(r.ApplicationId)).OrderBy(r => r.Id).ToListAsync()).ToLookup(r => r.ApplicationId)
            : Array.Empty<ChallengeReview>().ToLookup(r => r.ApplicationId);
        var awarded = c.AwardedApplicationId is { } w
            ? await db.ChallengeApplications.Where(a => a.Id == w).Select(a => a.Organisation!.Name).SingleOrDefaultAsync() ?? ""
            : "";
        var milestones = await db.ChallengeMilestones.AsNoTracking().Where(m => m.NeedId == NeedId).OrderBy(m => m.DueDate).ThenBy(m => m.Id).ToListAsync();
        return new ChallengeView
        {
            NeedId = NeedId,
            NeedTitle = need.Title,
            OrganisationId = need.OrganisationId,
            OrganisationName = need.Organisation?.Name ?? "",
            BountyWan = need.BountyWan,
            Deadline = need.ChallengeDeadline,
            Rule = c.Rule.ToString(),
            RuleLabel = Labels.Of(c.Rule),
            Places = c.Places,
            PlacesTaken = c.Rule == ChallengeRule.FirstCome
                ? counts.Where(x => x.Key is ApplicationStatus.PlaceWon or ApplicationStatus.Awarded or ApplicationStatus.NotAwarded).Sum(x => x.Count)
                : 0,
            Requirements = c.Requirements,
            OpensAt = c.OpensAt,
            Status = c.Status.ToString(),
            StatusLabel = Labels.Of(c.Status),
            ApplicationCount = counts.Sum(x => x.Count),
            ReviewerUserIds = seesAll ? reviewers : [],
            Applications = [.. applications.Select(a => View(a, a.Organisation?.Name ?? "", [.. reviews[a.Id]]))],
            AwardedApplicationId = c.AwardedApplicationId,
            AwardedOrganisationName = awarded,
            Milestones = [.. milestones.Select(View)],
            Version = c.Version,
        };
    }

    private static ApplicationView View(ChallengeApplication a, string organisationName, ChallengeReview[] reviews) => new()
    {
        Id = a.Id,
        NeedId = a.NeedId,
        OrganisationId = a.OrganisationId,
        OrganisationName = organisationName,
        Plan = a.Plan,
        Team = a.Team,
        PriceWan = a.PriceWan,
        ArrivedAt = a.ArrivedAt,
        ArrivalSeq = a.ArrivalSeq,
        Status = a.Status.ToString(),
        StatusLabel = Labels.Of(a.Status),
        Reviews = [.. reviews.Select(r => new ReviewView(r.Id, r.ApplicationId, r.ReviewerUserId, r.Score, r.Comment, r.CreatedAt))],
        AverageScore = reviews.Length == 0 ? null : reviews.Average(r => r.Score),
        Version = a.Version,
    };

    private static MilestoneView View(ChallengeMilestone m) => new(m.Id, m.NeedId, m.Title, m.DueDate, m.DoneAt);
}
