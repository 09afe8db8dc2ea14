using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Market.Contracts;
using TechMarket.Market.Deals;
using TechMarket.Market.Hosting;

namespace TechMarket.Market.Grains;

/// <summary>Gives new deals their rows (and so their ids); any activation will do.</summary>
[StatelessWorker]
internal sealed class DealDeskGrain(IServiceScopeFactory scopes, [FromKeyedServices(MarketClock.Key)] TimeProvider clock, IConfiguration config) : Grain, IDealDeskGrain
{
    public async Task<OpResult<DealView>> CreateAsync(Actor actor, DealDraft draft)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(draft);
        var now = clock.GetUtcNow().UtcDateTime;
        var errors = new Dictionary<string, string[]>();
        var title = draft.Title?.Trim() ?? "";
        if (title.Length is < 2 or > 200)
        {
            errors["title"] = ["合同名称应为 2 到 200 个字"];
        }

        if (!DealRules.TryParseType(draft.ContractType, out var type))
        {
            errors["contractType"] = [$"请选择合同类别（{string.Join("、", Labels.ContractTypes.Select(Labels.Of))}）"];
        }

        if (draft.AmountWan is not ({ } amount and > 0 and <= 10_000_000))
        {
            errors["amountWan"] = ["合同金额应大于 0 且不超过 1000 亿元（单位：万元）"];
        }

        var today = DateOnly.FromDateTime(now.AddHours(8));
        if (draft.SignedOn is not { } signed || signed > today || signed.Year < 2000)
        {
            errors["signedOn"] = ["请填写签订日期（不晚于今天）"];
        }

        if (draft.BuyerOrganisationId is not { } buyer || draft.SellerOrganisationId is not { } seller || buyer == seller)
        {
            errors["sellerOrganisationId"] = ["请选择买方和卖方（两家不同的单位）"];
            return OpResult<DealView>.Invalid(errors);
        }

        var brokers = (draft.BrokerUserIds ?? []).Concat(actor.IsBroker ? [actor.UserId] : []).Distinct().ToList();
        if (brokers.Count > 5)
        {
            errors["brokerUserIds"] = ["最多记 5 名技术经纪人"];
        }

        if (!actor.IsReviewer && !actor.IsBroker && actor.OrganisationId != buyer && actor.OrganisationId != seller)
        {
            return OpResult<DealView>.Forbidden("只有合同双方、技术经纪人或组织方可以登记成交");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var orgs = await db.Organisations.AsNoTracking().Where(o => o.Id == buyer || o.Id == seller).ToDictionaryAsync(o => o.Id);
        if (orgs.Count != 2)
        {
            errors["sellerOrganisationId"] = ["买方或卖方单位不存在"];
        }

        var brokerRole = await db.Roles.AsNoTracking().Where(r => r.Name == Roles.Broker).Select(r => r.Id).SingleOrDefaultAsync();
        if (brokers.Count > 0 && await db.UserRoles.CountAsync(ur => ur.RoleId == brokerRole && brokers.Contains(ur.UserId)) != brokers.Count)
        {
            errors["brokerUserIds"] = ["记入的技术经纪人须为平台备案的经纪人"];
        }

        long? matchId = null;
        if (draft.NeedId is { } needId && draft.AchievementId is { } achievementId)
        {
            var need = await db.Needs.AsNoTracking().Where(n => n.Id == needId).Select(n => (long?)n.OrganisationId).SingleOrDefaultAsync();
            var achievement = await db.Achievements.AsNoTracking().Where(a => a.Id == achievementId).Select(a => (long?)a.OrganisationId).SingleOrDefaultAsync();
            if (need != buyer || achievement != seller)
            {
                errors["needId"] = ["撮合的需求应属于买方、成果应属于卖方"];
            }
            else
            {
                var match = await db.Matches.AsNoTracking().Where(m => m.NeedId == needId && m.AchievementId == achievementId)
                    .Select(m => new { m.Id, m.BrokerUserId }).SingleOrDefaultAsync();
                matchId = match?.Id;

                // The broker following the match up is credited with its deal, whoever records it.
                if (match?.BrokerUserId is { } follower && !brokers.Contains(follower))
                {
                    brokers.Add(follower);
                }
            }
        }
        else if (draft.NeedId is not null || draft.AchievementId is not null)
        {
            errors["needId"] = ["关联撮合时请同时给出需求和成果"];
        }

        long? eventId = null;
        if (draft.MeetingId is { } meetingId)
        {
            var meeting = await db.EventMeetings.AsNoTracking().Where(m => m.Id == meetingId)
                .Select(m => new { m.EventId, A = m.Requester!.OrganisationId, B = m.Target!.OrganisationId }).SingleOrDefaultAsync();
            if (meeting is null || !(new[] { meeting.A, meeting.B }.Order().SequenceEqual(new[] { buyer, seller }.Order())))
            {
                errors["meetingId"] = ["关联的会谈应在买卖双方之间"];
            }
            else
            {
                eventId = meeting.EventId;
            }
        }

        if (errors.Count > 0)
        {
            return OpResult<DealView>.Invalid(errors);
        }

        var row = new Deal
        {
            Title = title,
            ContractType = type,
            BuyerOrganisationId = buyer,
            SellerOrganisationId = seller,
            AmountWan = draft.AmountWan!.Value,
            SignedOn = draft.SignedOn!.Value,
            MatchId = matchId,
            MeetingId = draft.MeetingId,
            EventId = eventId,
            District = orgs[seller].District,
            Status = DealStatus.Contracted,
            CreatedById = actor.UserId,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };
        db.ActorId = actor.UserId;
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            db.Deals.Add(row);
            await db.SaveChangesAsync();
            db.DealBrokers.AddRange(brokers.Select(b => new DealBroker { DealId = row.Id, UserId = b }));
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }

        if (draft.NeedId is { } n && draft.AchievementId is { } a)
        {
            // The match it concludes moves to 已成交 (forward only; a party or organiser may move it, and a match is
            // made for the pair when there was none), and the deal links to it.
            var moved = await GrainFactory.GetGrain<IMatchGrain>(MatchKey.Of(n, a)).AdvanceFromEventAsync(actor, MatchState.Deal, title);
            if (row.MatchId is null && moved.IsOk)
            {
                row.MatchId = await db.Matches.AsNoTracking().Where(m => m.NeedId == n && m.AchievementId == a).Select(m => (long?)m.Id).SingleOrDefaultAsync();
                await db.SaveChangesAsync();
            }
        }

        return OpResult<DealView>.Ok(await DealRules.ViewAsync(db, row, DealRules.RewardRate(config)));
    }
}

/// <summary>One deal. Its row is reloaded for every decision; each write goes with the audit log in one transaction.</summary>
internal sealed class DealGrain(IServiceScopeFactory scopes, [FromKeyedServices(MarketClock.Key)] TimeProvider clock, IConfiguration config, ILogger<DealGrain> log) : Grain, IDealGrain
{
    private long Id => this.GetPrimaryKeyLong();

    public async Task<OpResult<DealView>> GetAsync(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var row = await db.Deals.AsNoTracking().SingleOrDefaultAsync(d => d.Id == Id);
        return row is null || !await MaySeeAsync(db, actor, row) ? OpResult<DealView>.NotFound() : OpResult<DealView>.Ok(await DealRules.ViewAsync(db, row, DealRules.RewardRate(config)));
    }

    public Task<OpResult<DealView>> ApplyAsync(Actor actor) => ChangeAsync(actor, async (db, row) =>
    {
        if (actor.OrganisationId != row.SellerOrganisationId)
        {
            return OpResult<DealView>.Forbidden("技术合同认定登记由卖方申请");
        }

        if (row.Status is not (DealStatus.Contracted or DealStatus.Refused))
        {
            return OpResult<DealView>.Conflict($"合同当前为「{Labels.Of(row.Status)}」，不能申请登记");
        }

        (row.Status, row.AppliedAt, row.DecisionNote) = (DealStatus.Applied, Now, "");
        await Task.CompletedTask;
        return null;
    });

    public async Task<OpResult<DealView>> RegisterAsync(Actor actor, DealRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        // The sequence is the highest of the point and year plus one; a number taken meanwhile by another
        // registration (a unique index) is simply drawn again.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await ChangeAsync(actor, async (db, row) =>
                {
                    if (!actor.IsRegistrar)
                    {
                        return OpResult<DealView>.Forbidden("只有登记员可以登记技术合同");
                    }

                    if (row.Status != DealStatus.Applied)
                    {
                        return OpResult<DealView>.Conflict($"合同当前为「{Labels.Of(row.Status)}」，不在待登记状态");
                    }

                    var type = row.ContractType;
                    if (registration.ContractType is { Length: > 0 } t && !DealRules.TryParseType(t, out type))
                    {
                        return DealRules.Invalid<DealView>("contractType", $"请选择合同类别（{string.Join("、", Labels.ContractTypes.Select(Labels.Of))}）");
                    }

                    if (registration.RegisteredAmountWan is not ({ } amount and > 0) || amount > row.AmountWan)
                    {
                        return DealRules.Invalid<DealView>("registeredAmountWan", $"核定技术交易额应大于 0 且不超过合同金额（{row.AmountWan.ToString("0.##", CultureInfo.InvariantCulture)} 万元）");
                    }

                    var prefix = DealRules.NumberPrefix(Now, row.District);
                    var last = await db.Deals.AsNoTracking().Where(d => d.RegistrationNumber != null && d.RegistrationNumber.StartsWith(prefix))
                        .OrderByDescending(d => d.RegistrationNumber).Select(d => d.RegistrationNumber).FirstOrDefaultAsync();
                    var next = (last is null ? 0 : int.Parse(last.AsSpan(prefix.Length), CultureInfo.InvariantCulture)) + 1;
                    row.RegistrationNumber = string.Create(CultureInfo.InvariantCulture, $"{prefix}{next:D6}");
                    (row.Status, row.RegisteredType, row.RegisteredAmountWan, row.RegistrarUserId, row.RegisteredAt, row.DecisionNote) =
                        (DealStatus.Registered, type, amount, actor.UserId, Now, "");
                    return null;
                });
            }
            catch (DbUpdateException ex) when (SaveErrors.IsUniqueViolation(ex) && attempt < 3)
            {
                log.LogInformation("Registration number taken meanwhile for deal {Id}; drawing again", Id);
            }
        }
    }

    public Task<OpResult<DealView>> RefuseAsync(Actor actor, string? reason) => ChangeAsync(actor, async (_, row) =>
    {
        if (!actor.IsRegistrar)
        {
            return OpResult<DealView>.Forbidden("只有登记员可以审查技术合同");
        }

        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 500)
        {
            return DealRules.Invalid<DealView>("reason", "未予登记须写明原因（不超过 500 字）");
        }

        if (row.Status != DealStatus.Applied)
        {
            return OpResult<DealView>.Conflict($"合同当前为「{Labels.Of(row.Status)}」，不在待登记状态");
        }

        (row.Status, row.DecisionNote, row.RegistrarUserId) = (DealStatus.Refused, reason.Trim(), actor.UserId);
        await Task.CompletedTask;
        return null;
    });

    public Task<OpResult<DealView>> CancelAsync(Actor actor, string? note) => ChangeAsync(actor, async (_, row) =>
    {
        if (actor.UserId != row.CreatedById && actor.OrganisationId != row.BuyerOrganisationId && actor.OrganisationId != row.SellerOrganisationId && !actor.IsReviewer)
        {
            return OpResult<DealView>.Forbidden("只有录入人、合同双方或组织方可以撤销");
        }

        if (row.Status != DealStatus.Contracted)
        {
            return OpResult<DealView>.Conflict(row.Status == DealStatus.Cancelled ? "该记录已撤销" : "已申请登记的合同不能撤销");
        }

        if (note is { Length: > 500 })
        {
            return DealRules.Invalid<DealView>("note", "说明不能超过 500 字");
        }

        (row.Status, row.DecisionNote) = (DealStatus.Cancelled, note?.Trim() is { Length: > 0 } n ? n : "录入有误，已撤销");
        await Task.CompletedTask;
        return null;
    });

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>The parties' members, its brokers, registrars, organisers and admins.</summary>
    private static async Task<bool> MaySeeAsync(MarketDb db, Actor actor, Deal row) =>
        actor.IsReviewer || actor.IsRegistrar || actor.OrganisationId == row.BuyerOrganisationId || actor.OrganisationId == row.SellerOrganisationId
        || await db.DealBrokers.AnyAsync(b => b.DealId == row.Id && b.UserId == actor.UserId);

    private async Task<OpResult<DealView>> ChangeAsync(Actor actor, Func<MarketDb, Deal, Task<OpResult<DealView>?>> change)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var row = await db.Deals.SingleOrDefaultAsync(d => d.Id == Id);
        if (row is null || !await MaySeeAsync(db, actor, row))
        {
            return OpResult<DealView>.NotFound();
        }

        if (await change(db, row) is { } refused)
        {
            return refused;
        }

        row.UpdatedAt = Now;
        db.ActorId = actor.UserId;
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateConcurrencyException)
        {
            return OpResult<DealView>.Conflict("该合同刚刚被他人修改，请刷新后重试");
        }
        catch (DbUpdateException ex) when (SaveErrors.IsUniqueViolation(ex))
        {
            throw;
        }
        catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException)
        {
            log.LogError(ex, "Saving deal {Id} failed", Id);
            throw new MarketStorageException("数据库暂时无法保存，请稍后重试");
        }

        return OpResult<DealView>.Ok(await DealRules.ViewAsync(db, row, DealRules.RewardRate(config)));
    }
}
