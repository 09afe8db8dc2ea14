using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Market.Brokers;
using TechMarket.Market.Contracts;
using TechMarket.Market.Hosting;

namespace TechMarket.Market.Grains;

/// <summary>
/// One need × achievement pair. The row in "Matches" (absent until someone acts on a suggestion) is the state; the
/// two listings are read on every call, since their owners may withdraw them at any time. Each change is saved with
/// its audit entry and the inbox messages it causes, in one transaction.
/// </summary>
internal sealed class MatchGrain(IServiceScopeFactory scopes, [FromKeyedServices(MarketClock.Key)] TimeProvider clock) : Grain, IMatchGrain
{
    public const int MaxMessage = 500;

    private (long NeedId, long AchievementId) Key => MatchKey.Parse(this.GetPrimaryKeyString());

    private enum Side
    {
        None,
        Need,
        Achievement,
    }

    public async Task<OpResult<MatchView>> ExpressInterestAsync(Actor actor, string? message, MatchProposal? proposal)
    {
        ArgumentNullException.ThrowIfNull(actor);
        message = message?.Trim() ?? "";
        if (message.Length > MaxMessage)
        {
            return OpResult<MatchView>.Invalid(new Dictionary<string, string[]> { ["message"] = [$"留言不能超过 {MaxMessage} 个字符"] });
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var (party, refusal) = await PartyAsync(db, actor, "只有需求方或成果方的成员可以表达意向");
        if (refusal is not null)
        {
            return refusal;
        }

        var (need, achievement, match, side) = party;

        if (need.Status != ListingStatus.Published || achievement.Status != ListingStatus.Published)
        {
            return OpResult<MatchView>.Conflict("需求或成果已不在发布状态，不能再表达意向");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (match is null)
        {
            match = new Match
            {
                NeedId = need.Id,
                AchievementId = achievement.Id,
                State = MatchState.Proposed,
                ProposedBy = proposal is null ? (side == Side.Need ? "need" : "achievement") : "model",
                Score = proposal?.Score ?? 0,
                Reasons = proposal is null ? "" : string.Join("\n", proposal.Reasons.Take(10)),
                CreatedAt = now,
                UpdatedAt = now,
                Version = 1,
            };
            db.Matches.Add(match);
        }

        if (match.State == MatchState.Declined)
        {
            return OpResult<MatchView>.Conflict("该撮合已被婉拒");
        }

        var already = side == Side.Need ? match.NeedInterestAt is not null : match.AchievementInterestAt is not null;
        if (already)
        {
            return OpResult<MatchView>.Conflict("您已表达过意向，请等待对方回应");
        }

        if (side == Side.Need)
        {
            match.NeedInterestAt = now;
            match.NeedInterestUserId = actor.UserId;
            match.NeedMessage = message;
        }
        else
        {
            match.AchievementInterestAt = now;
            match.AchievementInterestUserId = actor.UserId;
            match.AchievementMessage = message;
        }

        var both = match.NeedInterestAt is not null && match.AchievementInterestAt is not null;
        if (match.State is MatchState.Proposed or MatchState.NeedInterested or MatchState.AchievementInterested)
        {
            match.State = both ? MatchState.BothInterested : side == Side.Need ? MatchState.NeedInterested : MatchState.AchievementInterested;
        }

        match.UpdatedAt = now;
        match.PreviousState = null;
        db.ActorId = actor.UserId;
        await using var tx = await db.Database.BeginTransactionAsync();
        await db.SaveChangesAsync();
        var link = $"/matches/{match.Id}";
        (Listing mine, Listing theirs) = side == Side.Need ? ((Listing)need, (Listing)achievement) : (achievement, need);
        if (both)
        {
            await NotifyAsync(db, need.OrganisationId, "mutual", $"双方均有合作意向：{achievement.Title}", $"「{need.Title}」与「{achievement.Title}」双方均已表达意向，现在可以查看对方联系人。", link, now);
            await NotifyAsync(db, achievement.OrganisationId, "mutual", $"双方均有合作意向：{need.Title}", $"「{need.Title}」与「{achievement.Title}」双方均已表达意向，现在可以查看对方联系人。", link, now);
        }
        else
        {
            var body = message.Length > 0 ? $"{mine.Organisation!.Name}：{message}" : $"{mine.Organisation!.Name}对「{theirs.Title}」感兴趣。";
            await NotifyAsync(db, theirs.OrganisationId, "interest", $"收到合作意向：{mine.Title}", body, link, now);
        }

        await db.SaveChangesAsync();
        await tx.CommitAsync();
        return OpResult<MatchView>.Ok(View(need, achievement, match, side));
    }

    public async Task<OpResult<MatchView>> DeclineAsync(Actor actor, DeclineReason reason, string? note)
    {
        ArgumentNullException.ThrowIfNull(actor);
        note = note?.Trim() ?? "";
        if (!Labels.DeclineReasons.Contains(reason) || note.Length > MaxMessage || (reason == DeclineReason.Other && note.Length == 0))
        {
            return OpResult<MatchView>.Invalid(new Dictionary<string, string[]>
            {
                ["reason"] = [$"请选择婉拒原因（{string.Join("、", Labels.DeclineReasons.Select(Labels.Of))}），选“其他”时请写明原因，说明不超过 {MaxMessage} 字"],
            });
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var (party, refusal) = await PartyAsync(db, actor, "只有需求方或成果方的成员可以婉拒");
        if (refusal is not null)
        {
            return refusal;
        }

        var (need, achievement, match, side) = party;

        var now = clock.GetUtcNow().UtcDateTime;
        if (match is null)
        {
            match = new Match
            {
                NeedId = need.Id,
                AchievementId = achievement.Id,
                ProposedBy = "model",
                CreatedAt = now,
                Version = 1,
            };
            db.Matches.Add(match);
        }
        else if (match.State is MatchState.Declined or MatchState.Deal)
        {
            return OpResult<MatchView>.Conflict(match.State == MatchState.Deal ? "已成交的撮合不能婉拒" : "该撮合已被婉拒");
        }

        var wasInterested = side == Side.Need ? match.AchievementInterestAt is not null : match.NeedInterestAt is not null;
        match.State = MatchState.Declined;
        match.DeclineReason = reason;
        match.DeclineNote = note;
        match.DeclinedAt = now;
        match.DeclinedByOrganisationId = actor.OrganisationId;
        match.UpdatedAt = now;
        match.PreviousState = null;
        db.ActorId = actor.UserId;
        await using var tx = await db.Database.BeginTransactionAsync();
        await db.SaveChangesAsync();
        if (wasInterested)
        {
            (Listing mine, Listing theirs) = side == Side.Need ? ((Listing)need, (Listing)achievement) : (achievement, need);
            await NotifyAsync(db, theirs.OrganisationId, "declined", $"对方婉拒了合作意向：{mine.Title}", $"原因：{Labels.Of(reason)}{(note.Length > 0 ? "。" + note : "")}", $"/matches/{match.Id}", now);
            await db.SaveChangesAsync();
        }

        await tx.CommitAsync();
        return OpResult<MatchView>.Ok(View(need, achievement, match, side));
    }

    public async Task<OpResult<MatchView>> GetAsync(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var pair = await LoadAsync(db);
        if (pair is not { Match: { } match } loaded)
        {
            return OpResult<MatchView>.NotFound();
        }

        var side = SideOf(actor, loaded.Need, loaded.Achievement);
        return side == Side.None && !(actor.IsBroker || actor.IsReviewer || actor.IsAdmin)
            ? OpResult<MatchView>.NotFound()
            : OpResult<MatchView>.Ok(View(loaded.Need, loaded.Achievement, match, side, await BrokerNameAsync(db, match)));
    }

    public async Task<OpResult<MatchView>> AdvanceFromEventAsync(Actor actor, MatchState target, string eventTitle)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(eventTitle);
        if (target is not (MatchState.MeetingRequested or MatchState.Met or MatchState.Negotiating or MatchState.Deal or MatchState.Declined))
        {
            return OpResult<MatchView>.Invalid(new Dictionary<string, string[]> { ["state"] = ["活动只能把撮合推进到已约见面、已见面、洽谈中、已成交或已婉拒"] });
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        if (await LoadAsync(db) is not { } pair)
        {
            return OpResult<MatchView>.NotFound();
        }

        var side = SideOf(actor, pair.Need, pair.Achievement);
        // A broker moves a match only by recording its deal.
        if (side == Side.None && !actor.IsReviewer && !(actor.IsBroker && target == MatchState.Deal))
        {
            return OpResult<MatchView>.Forbidden("只有需求方、成果方或组织方可以记录对接结果");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var match = pair.Match;
        if (match is null)
        {
            match = new Match { NeedId = pair.Need.Id, AchievementId = pair.Achievement.Id, ProposedBy = "organiser", CreatedAt = now, Version = 1 };
            db.Matches.Add(match);
        }
        else if (match.State is MatchState.Declined or MatchState.Deal || (target != MatchState.Declined && match.State >= target))
        {
            return OpResult<MatchView>.Ok(View(pair.Need, pair.Achievement, match, side));
        }

        match.State = target;
        if (target == MatchState.Declined)
        {
            match.DeclineReason = DeclineReason.Other;
            match.DeclineNote = Cut($"{eventTitle}：会谈后无合作意向", MaxMessage);
            match.DeclinedAt = now;
            match.DeclinedByOrganisationId = actor.OrganisationId;
        }

        match.UpdatedAt = now;
        match.PreviousState = null;
        db.ActorId = actor.UserId;
        await db.SaveChangesAsync();
        return OpResult<MatchView>.Ok(View(pair.Need, pair.Achievement, match, side));
    }

    public async Task<OpResult<MatchView>> ClaimAsync(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        if (!actor.IsBroker || !await db.Brokers.AnyAsync(b => b.UserId == actor.UserId))
        {
            return OpResult<MatchView>.Forbidden("只有已备案的技术经纪人可以认领撮合");
        }

        if (await LoadAsync(db) is not { } pair)
        {
            return OpResult<MatchView>.NotFound();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var (match, refusal) = OpenForBroker(pair, db, now);
        if (refusal is not null)
        {
            return refusal;
        }

        if (match!.BrokerUserId is { } current)
        {
            return OpResult<MatchView>.Conflict(current == actor.UserId ? "您已在跟进该撮合" : "该撮合已由其他技术经纪人跟进");
        }

        return await HandOverAsync(db, pair, match, actor, actor.UserId, now, assigned: false);
    }

    public async Task<OpResult<MatchView>> AssignAsync(Actor actor, long? brokerUserId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsReviewer)
        {
            return OpResult<MatchView>.Forbidden("只有组织方可以分派技术经纪人");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        if (await LoadAsync(db) is not { } pair)
        {
            return OpResult<MatchView>.NotFound();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var (match, refusal) = OpenForBroker(pair, db, now);
        if (refusal is not null)
        {
            return refusal;
        }

        long broker;
        if (brokerUserId is { } wanted)
        {
            if (!await db.Brokers.AnyAsync(b => b.UserId == wanted))
            {
                return OpResult<MatchView>.Invalid(new Dictionary<string, string[]> { ["brokerUserId"] = ["该用户不是已备案的技术经纪人"] });
            }

            broker = wanted;
        }
        else
        {
            var profiles = await db.Brokers.AsNoTracking().ToListAsync();
            var open = await db.Matches.AsNoTracking()
                .Where(m => m.BrokerUserId != null && m.State != MatchState.Deal && m.State != MatchState.Declined)
                .GroupBy(m => m.BrokerUserId!.Value).Select(g => new { g.Key, Count = g.Count() })
                .ToDictionaryAsync(g => g.Key, g => g.Count);
            var district = pair.Need.Organisation?.District ?? "";
            var best = profiles
                .Select(b => (b.UserId, Fit: BrokerStages.Fit(b, pair.Need.Field, district), Open: open.GetValueOrDefault(b.UserId)))
                .Where(b => b.Fit > 0)
                .OrderByDescending(b => b.Fit).ThenBy(b => b.Open).ThenBy(b => b.UserId)
                .FirstOrDefault();
            if (best.UserId == 0)
            {
                return OpResult<MatchView>.Conflict($"没有专长为「{pair.Need.Field}」或在{(district.Length > 0 ? district : "该区县市")}的已备案技术经纪人，请指定经纪人");
            }

            broker = best.UserId;
        }

        if (match!.BrokerUserId == broker)
        {
            return OpResult<MatchView>.Conflict("该撮合已由这位技术经纪人跟进");
        }

        return await HandOverAsync(db, pair, match, actor, broker, now, assigned: true);
    }

    public Task<OpResult<MatchView>> ReleaseAsync(Actor actor) =>
        BrokerStepAsync(actor, (match, now) =>
        {
            if (match.State == MatchState.Deal)
            {
                return OpResult<MatchView>.Conflict("已成交的撮合不能退回");
            }

            match.BrokerUserId = null;
            match.BrokerSince = null;
            match.PreviousState = null;
            if (match.State == MatchState.BrokerAssigned)
            {
                match.State = InterestState(match);
            }

            return null;
        });

    public Task<OpResult<MatchView>> MoveAsync(Actor actor, string stage, DeclineReason reason, string? note)
    {
        ArgumentNullException.ThrowIfNull(actor);
        note = note?.Trim() ?? "";
        if (BrokerStages.MoveTarget(stage) is not { } target)
        {
            return Task.FromResult(OpResult<MatchView>.Invalid(new Dictionary<string, string[]> { ["stage"] = ["只能移到已联系（contacted）、已见面（met）、洽谈中（negotiating）或已婉拒（declined）；成交须录入合同"] }));
        }

        if (note.Length > MaxMessage || (target == MatchState.Declined && (!Labels.DeclineReasons.Contains(reason) || (reason == DeclineReason.Other && note.Length == 0))))
        {
            return Task.FromResult(OpResult<MatchView>.Invalid(new Dictionary<string, string[]>
            {
                ["reason"] = [$"移到已婉拒须选择原因（{string.Join("、", Labels.DeclineReasons.Select(Labels.Of))}），选“其他”时请写明原因，说明不超过 {MaxMessage} 字"],
            }));
        }

        return BrokerStepAsync(actor, (match, now) =>
        {
            if (!BrokerStages.IsOpen(match.State))
            {
                return OpResult<MatchView>.Conflict("已成交或已婉拒的撮合不能再移动");
            }

            if (target != MatchState.Declined && match.State >= target)
            {
                return OpResult<MatchView>.Conflict($"该撮合已在「{BrokerStages.Label(BrokerStages.Of(match.State))}」，只能向后移动；移错了请撤销上一步");
            }

            match.PreviousState = match.State;
            match.State = target;
            if (target == MatchState.Declined)
            {
                match.DeclineReason = reason;
                match.DeclineNote = note;
                match.DeclinedAt = now;
                match.DeclinedByOrganisationId = null;
            }

            return null;
        });
    }

    public Task<OpResult<MatchView>> UndoMoveAsync(Actor actor) =>
        BrokerStepAsync(actor, (match, _) =>
        {
            if (match.PreviousState is not { } previous)
            {
                return OpResult<MatchView>.Conflict("没有可撤销的移动（只能撤销经纪人自己的上一步）");
            }

            if (match.State == MatchState.Declined)
            {
                match.DeclineReason = DeclineReason.None;
                match.DeclineNote = "";
                match.DeclinedAt = null;
                match.DeclinedByOrganisationId = null;
            }

            match.State = previous;
            match.PreviousState = null;
            return null;
        });

    /// <summary>
    /// A step by the match's broker (or an organiser) on an existing match: <paramref name="step"/> changes the row,
    /// or returns the refusal; the change is saved with its audit entry.
    /// </summary>
    private async Task<OpResult<MatchView>> BrokerStepAsync(Actor actor, Func<Match, DateTime, OpResult<MatchView>?> step)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var (pair, refusal) = await BrokersMatchAsync(db, actor);
        if (refusal is not null)
        {
            return refusal;
        }

        var match = pair.Match!;
        var now = clock.GetUtcNow().UtcDateTime;
        if (step(match, now) is { } refused)
        {
            return refused;
        }

        match.UpdatedAt = now;
        db.ActorId = actor.UserId;
        await db.SaveChangesAsync();
        return OpResult<MatchView>.Ok(View(pair.Need, pair.Achievement, match, SideOf(actor, pair.Need, pair.Achievement), await BrokerNameAsync(db, match)));
    }

    /// <summary>The pair's row, created when absent, or why a broker cannot take it up.</summary>
    private static (Match? Match, OpResult<MatchView>? Refusal) OpenForBroker((Need Need, Achievement Achievement, Match? Match) pair, MarketDb db, DateTime now)
    {
        if (pair.Match is { } existing)
        {
            return BrokerStages.IsOpen(existing.State) ? (existing, null) : (null, OpResult<MatchView>.Conflict("已婉拒或已成交的撮合不能再分派经纪人"));
        }

        if (pair.Need.Status != ListingStatus.Published || pair.Achievement.Status != ListingStatus.Published)
        {
            return (null, OpResult<MatchView>.Conflict("需求或成果已不在发布状态"));
        }

        var match = new Match { NeedId = pair.Need.Id, AchievementId = pair.Achievement.Id, ProposedBy = "broker", CreatedAt = now, UpdatedAt = now, Version = 1 };
        db.Matches.Add(match);
        return (match, null);
    }

    private static async Task<OpResult<MatchView>> HandOverAsync(MarketDb db, (Need Need, Achievement Achievement, Match? Match) pair, Match match, Actor actor, long broker, DateTime now, bool assigned)
    {
        match.BrokerUserId = broker;
        match.BrokerSince = now;
        match.PreviousState = null;
        match.UpdatedAt = now;
        db.ActorId = actor.UserId;
        await using var tx = await db.Database.BeginTransactionAsync();
        await db.SaveChangesAsync();
        var name = await BrokerNameAsync(db, match);
        var link = $"/matches/{match.Id}";
        var body = $"技术经纪人{name}将跟进「{pair.Need.Title}」与「{pair.Achievement.Title}」的对接。";
        await NotifyAsync(db, pair.Need.OrganisationId, "broker", $"技术经纪人跟进：{pair.Achievement.Title}", body, link, now);
        await NotifyAsync(db, pair.Achievement.OrganisationId, "broker", $"技术经纪人跟进：{pair.Need.Title}", body, link, now);
        if (assigned)
        {
            db.Notifications.Add(new Notification { UserId = broker, Kind = "assigned", Title = Cut($"分派给您的撮合：{pair.Need.Title}", 200), Body = Cut(body, 2000), Link = "/broker", CreatedAt = now });
        }

        await db.SaveChangesAsync();
        await tx.CommitAsync();
        return OpResult<MatchView>.Ok(View(pair.Need, pair.Achievement, match, SideOf(actor, pair.Need, pair.Achievement), name));
    }

    /// <summary>The pair with its row, when the actor is its broker or an organiser; otherwise the refusal.</summary>
    private async Task<((Need Need, Achievement Achievement, Match? Match) Pair, OpResult<MatchView>? Refusal)> BrokersMatchAsync(MarketDb db, Actor actor)
    {
        if (await LoadAsync(db) is not { Match: { } match } pair)
        {
            return (default, OpResult<MatchView>.NotFound());
        }

        if (match.BrokerUserId is null)
        {
            return (default, actor.IsBroker || actor.IsReviewer ? OpResult<MatchView>.Conflict("该撮合还没有技术经纪人跟进") : OpResult<MatchView>.NotFound());
        }

        return match.BrokerUserId == actor.UserId || actor.IsReviewer
            ? (pair, null)
            : (default, OpResult<MatchView>.Forbidden("只有跟进该撮合的技术经纪人或组织方可以操作"));
    }

    private static MatchState InterestState(Match m) =>
        m.NeedInterestAt is not null && m.AchievementInterestAt is not null ? MatchState.BothInterested
        : m.NeedInterestAt is not null ? MatchState.NeedInterested
        : m.AchievementInterestAt is not null ? MatchState.AchievementInterested
        : MatchState.Proposed;

    private static async Task<string> BrokerNameAsync(MarketDb db, Match match) =>
        match.BrokerUserId is { } id ? await db.Users.Where(u => u.Id == id).Select(u => u.DisplayName).SingleOrDefaultAsync() ?? "" : "";

    /// <summary>The pair and the actor's side in it, or the refusal: not found, or not a party.</summary>
    private async Task<((Need Need, Achievement Achievement, Match? Match, Side Side) Party, OpResult<MatchView>? Refusal)> PartyAsync(MarketDb db, Actor actor, string notAParty)
    {
        if (await LoadAsync(db) is not { } pair)
        {
            return (default, OpResult<MatchView>.NotFound());
        }

        var side = SideOf(actor, pair.Need, pair.Achievement);
        return side == Side.None
            ? (default, OpResult<MatchView>.Forbidden(notAParty))
            : ((pair.Need, pair.Achievement, pair.Match, side), null);
    }

    private async Task<(Need Need, Achievement Achievement, Match? Match)?> LoadAsync(MarketDb db)
    {
        var (needId, achievementId) = Key;
        var need = await db.Needs.Include(n => n.Organisation).SingleOrDefaultAsync(n => n.Id == needId);
        var achievement = await db.Achievements.Include(a => a.Organisation).SingleOrDefaultAsync(a => a.Id == achievementId);
        if (need is null || achievement is null)
        {
            return null;
        }

        var match = await db.Matches.SingleOrDefaultAsync(m => m.NeedId == needId && m.AchievementId == achievementId);
        return (need, achievement, match);
    }

    private static Side SideOf(Actor actor, Need need, Achievement achievement) =>
        actor.OrganisationId is not { } org ? Side.None
        : org == need.OrganisationId ? Side.Need
        : org == achievement.OrganisationId ? Side.Achievement
        : Side.None;

    private static async Task NotifyAsync(MarketDb db, long organisationId, string kind, string title, string body, string link, DateTime now)
    {
        var members = await db.Users.Where(u => u.OrganisationId == organisationId).Select(u => u.Id).ToListAsync();
        foreach (var user in members)
        {
            db.Notifications.Add(new Notification { UserId = user, Kind = kind, Title = Cut(title, 200), Body = Cut(body, 2000), Link = link, CreatedAt = now });
        }
    }

    private static string Cut(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";

    /// <summary>Contacts only to the parties, and only once both are interested (and not declined).</summary>
    private static MatchView View(Need need, Achievement achievement, Match match, Side side, string brokerName = "") => new()
    {
        Id = match.Id,
        NeedId = need.Id,
        NeedTitle = need.Title,
        NeedOrganisationId = need.OrganisationId,
        NeedOrganisationName = need.Organisation?.Name ?? "",
        AchievementId = achievement.Id,
        AchievementTitle = achievement.Title,
        AchievementOrganisationId = achievement.OrganisationId,
        AchievementOrganisationName = achievement.Organisation?.Name ?? "",
        State = match.State.ToString(),
        StateLabel = Labels.Of(match.State),
        ProposedBy = match.ProposedBy,
        Score = match.Score,
        Reasons = match.Reasons.Length == 0 ? [] : match.Reasons.Split('\n'),
        NeedInterestAt = match.NeedInterestAt,
        NeedMessage = match.NeedMessage,
        AchievementInterestAt = match.AchievementInterestAt,
        AchievementMessage = match.AchievementMessage,
        DeclineReason = match.State == MatchState.Declined ? match.DeclineReason.ToString() : "",
        DeclineReasonLabel = match.State == MatchState.Declined ? Labels.Of(match.DeclineReason) : "",
        DeclineNote = match.DeclineNote,
        // Double opt-in, or a meeting both sides accepted at an event; a broker's note of contact reveals nothing.
        Contacts = side != Side.None && match.State != MatchState.Declined
            && ((match.NeedInterestAt is not null && match.AchievementInterestAt is not null) || match.State is >= MatchState.MeetingRequested and <= MatchState.Deal)
            ? new MatchContacts(need.ContactName, need.ContactPhone, achievement.ContactName, achievement.ContactPhone)
            : null,
        Version = match.Version,
        UpdatedAt = match.UpdatedAt,
        BrokerUserId = match.BrokerUserId,
        BrokerName = brokerName,
        Stage = BrokerStages.Of(match.State),
        CanUndo = match.PreviousState is not null,
    };
}
