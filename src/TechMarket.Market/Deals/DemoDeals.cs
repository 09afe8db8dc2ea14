using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Model;

namespace TechMarket.Market.Deals;

/// <summary>
/// Deals and the brokers' work for the demo market (示例数据), written after the demo matches and events: a contract
/// for every meeting both sides marked 签约 at a held event and for every match in 已成交, most of them registered by
/// the demo registrar, some waiting for registration, one refused with its reason and one still to be applied for;
/// the demo broker's 回访 (one due soon, one done) and a need it mined with the enterprise's consent and one waiting
/// for it. Runs once; a market with deals is left alone.
/// </summary>
public static class DemoDeals
{
    private static readonly (ContractType Type, string Title)[] Kinds =
    [
        (ContractType.Licence, "{0}技术许可合同"),
        (ContractType.Development, "{0}合作开发合同"),
        (ContractType.Transfer, "{0}技术转让合同"),
        (ContractType.Service, "{0}技术服务合同"),
        (ContractType.Consulting, "{0}技术咨询合同"),
    ];

    private static readonly DealStatus[] Statuses =
    [
        DealStatus.Registered, DealStatus.Registered, DealStatus.Applied, DealStatus.Registered, DealStatus.Refused,
        DealStatus.Registered, DealStatus.Contracted, DealStatus.Registered, DealStatus.Applied, DealStatus.Registered,
    ];

    private static readonly string[] Refusals =
    [
        "合同未约定技术成果的交付内容和验收标准，不属于技术合同认定范围。",
        "合同主要为设备买卖，技术服务部分未单独计价。",
    ];

    /// <summary>Adds the demo deals, tasks and mined needs; returns how many deals were written.</summary>
    public static async Task<int> SeedAsync(MarketDb db, DateTime now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (await db.Deals.AnyAsync(ct))
        {
            return 0;
        }

        var registrar = await db.Users.AsNoTracking().Where(u => u.NormalizedEmail == "REGISTRAR@DEMO.TECHMARKET").Select(u => (long?)u.Id).FirstOrDefaultAsync(ct);
        var broker = await db.Users.AsNoTracking().Where(u => u.NormalizedEmail == "BROKER@DEMO.TECHMARKET").Select(u => (long?)u.Id).FirstOrDefaultAsync(ct);
        var orgs = await db.Organisations.AsNoTracking().Where(o => o.IsDemo).ToDictionaryAsync(o => o.Id, ct);

        // Contracts of the meetings both sides marked 签约, then of the matches in 已成交 that no meeting covers.
        var signed = await db.EventMeetings.AsNoTracking()
            .Where(m => m.RequesterOutcome == MeetingOutcome.Contracted && m.TargetOutcome == MeetingOutcome.Contracted)
            .Select(m => new { m.Id, m.EventId, m.NeedId, m.AchievementId, A = m.Requester!.OrganisationId, B = m.Target!.OrganisationId, StartsAt = db.Events.Where(e => e.Id == m.EventId).Select(e => e.StartsAt).First() })
            .ToListAsync(ct);
        var matches = await db.Matches.AsNoTracking().Where(m => m.State == MatchState.Deal || m.State == MatchState.Negotiating)
            .Select(m => new { m.Id, m.NeedId, m.AchievementId, m.State, m.BrokerUserId, m.UpdatedAt, NeedOrg = m.Need!.OrganisationId, AchievementOrg = m.Achievement!.OrganisationId, Title = m.Achievement.Title })
            .ToListAsync(ct);
        var titles = await db.Achievements.AsNoTracking().Where(a => a.IsDemo).Select(a => new { a.Id, a.Title }).ToDictionaryAsync(a => a.Id, a => a.Title, ct);

        var drafts = new List<(Deal Deal, long? Broker)>();
        foreach (var m in signed)
        {
            var match = matches.FirstOrDefault(x => x.NeedId == m.NeedId && x.AchievementId == m.AchievementId);
            var (buyer, seller) = orgs.TryGetValue(m.A, out var a) && a.Kind == OrganisationKind.Enterprise ? (m.A, m.B) : (m.B, m.A);
            var title = m.AchievementId is { } ach && titles.TryGetValue(ach, out var t) ? t : "对接会成果";
            drafts.Add((NewDeal(drafts.Count, title, buyer, seller, orgs, DateOnly.FromDateTime(m.StartsAt.AddDays(7)), match?.Id, m.Id, m.EventId, now), match?.BrokerUserId ?? broker));
        }

        foreach (var m in matches.Where(m => m.State == MatchState.Deal && !drafts.Any(d => d.Deal.MatchId == m.Id)))
        {
            drafts.Add((NewDeal(drafts.Count, m.Title, m.NeedOrg, m.AchievementOrg, orgs, DateOnly.FromDateTime(m.UpdatedAt), m.Id, null, null, now), m.BrokerUserId));
        }

        var sequence = new Dictionary<string, int>(StringComparer.Ordinal);
        var refusals = 0;
        foreach (var (deal, k) in drafts.Select((d, k) => (d.Deal, k)))
        {
            var status = Statuses[k % Statuses.Length];
            deal.Status = status;
            var signedAt = deal.SignedOn.ToDateTime(new TimeOnly(10, 0), DateTimeKind.Utc);
            if (status != DealStatus.Contracted)
            {
                deal.AppliedAt = signedAt.AddDays(3);
            }

            if (status == DealStatus.Registered)
            {
                deal.RegisteredAt = Min(signedAt.AddDays(12), now.AddHours(-2));
                deal.RegisteredType = deal.ContractType;
                deal.RegisteredAmountWan = Math.Round(deal.AmountWan * (0.7m + (0.05m * (k % 7))), 2);
                deal.RegistrarUserId = registrar;
                var prefix = DealRules.NumberPrefix(deal.RegisteredAt.Value, deal.District);
                sequence[prefix] = sequence.GetValueOrDefault(prefix) + 1;
                deal.RegistrationNumber = prefix + sequence[prefix].ToString("D6", CultureInfo.InvariantCulture);
            }
            else if (status == DealStatus.Refused)
            {
                deal.RegistrarUserId = registrar;
                deal.DecisionNote = Refusals[refusals++ % Refusals.Length];
            }

            deal.UpdatedAt = deal.RegisteredAt ?? deal.AppliedAt ?? deal.CreatedAt;
        }

        db.Deals.AddRange(drafts.Select(d => d.Deal));
        await db.SaveChangesAsync(ct);
        db.DealBrokers.AddRange(drafts.Where(d => d.Broker is not null).Select(d => new DealBroker { DealId = d.Deal.Id, UserId = d.Broker!.Value }));

        if (broker is { } b)
        {
            await BrokerWorkAsync(db, b, now, ct);
        }

        await db.SaveChangesAsync(ct);
        return drafts.Count;
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private static Deal NewDeal(int k, string achievementTitle, long buyer, long seller, Dictionary<long, Organisation> orgs, DateOnly signedOn, long? matchId, long? meetingId, long? eventId, DateTime now)
    {
        var (type, title) = Kinds[k % Kinds.Length];
        var subject = achievementTitle.Length > 40 ? achievementTitle[..40] : achievementTitle;
        var today = DateOnly.FromDateTime(now.AddHours(8));
        var on = signedOn > today ? today : signedOn;
        var created = on.ToDateTime(new TimeOnly(9, 0), DateTimeKind.Utc);
        return new Deal
        {
            Title = string.Format(CultureInfo.InvariantCulture, title, subject),
            ContractType = type,
            BuyerOrganisationId = buyer,
            SellerOrganisationId = seller,
            AmountWan = 30 + (37 * k % 270),
            SignedOn = on,
            MatchId = matchId,
            MeetingId = meetingId,
            EventId = eventId,
            District = orgs.TryGetValue(seller, out var s) ? s.District : "",
            CreatedById = 0,
            CreatedAt = created,
            UpdatedAt = created,
            Version = 1,
            IsDemo = true,
        };
    }

    /// <summary>The demo broker's 回访 on its open matches, and mined needs: one consented (sent to review), one waiting.</summary>
    private static async Task BrokerWorkAsync(MarketDb db, long broker, DateTime now, CancellationToken ct)
    {
        var open = await db.Matches.AsNoTracking().Where(m => m.BrokerUserId == broker && m.State != MatchState.Deal && m.State != MatchState.Declined)
            .OrderBy(m => m.Id).Select(m => new { m.Id, Need = m.Need!.Title }).Take(3).ToListAsync(ct);
        string[] notes = ["电话回访双方，确认样品测试进度", "约企业技术负责人到院所实验室交流", "跟进报价与付款方式，准备合同草稿"];
        foreach (var (m, k) in open.Select((m, k) => (m, k)))
        {
            var done = k == 1;
            db.BrokerTasks.Add(new BrokerTask
            {
                BrokerUserId = broker,
                Kind = BrokerTaskKind.FollowUp,
                MatchId = m.Id,
                Note = notes[k % notes.Length],
                DueAt = done ? now.AddDays(-3) : now.AddDays(2 + (k * 3)),
                Status = done ? BrokerTaskStatus.Done : BrokerTaskStatus.Open,
                Outcome = done ? "双方同意下周到现场看样" : "",
                DoneAt = done ? now.AddDays(-3) : null,
                RemindedAt = done ? now.AddDays(-3) : null,
                CreatedAt = now.AddDays(-7),
                Version = 1,
                IsDemo = true,
            });
        }

        // Mined needs: the brokers' own enterprise visits. One already consented (submitted by the enterprise) and
        // one draft that waits for the enterprise to check it.
        var published = await db.Needs.Where(n => n.IsDemo && n.Status == ListingStatus.Published && n.MinedByUserId == null).OrderBy(n => n.Id).Skip(5).Take(2).ToListAsync(ct);
        foreach (var n in published)
        {
            n.MinedByUserId = broker;
            n.MiningConsentAt = n.PublishedAt?.AddDays(-1) ?? n.CreatedAt;
        }

        var draft = await db.Needs.Where(n => n.IsDemo && n.Status == ListingStatus.Draft && n.MinedByUserId == null).OrderBy(n => n.Id).Skip(1).FirstOrDefaultAsync(ct);
        if (draft is not null)
        {
            draft.MinedByUserId = broker;
        }
    }
}
