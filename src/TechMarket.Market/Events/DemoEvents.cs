using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Scheduling;

namespace TechMarket.Market.Events;

/// <summary>
/// The demo market's 百日百场 campaign (示例数据): targets, three 专场对接会 already held with final schedules computed by
/// the real <see cref="MeetingScheduler"/>, check-ins, no-shows and outcomes; a 院所开放日 held; an open 专场对接会 taking
/// registrations and meeting requests; and a 揭榜挂帅发布会. The participants are the demo's own enterprises and
/// institutes, and each meeting joins a published need of the enterprise with a published achievement of the
/// institute (the pipeline's demo matches first). Rows are written directly: events in the past cannot be created
/// through the event's grain. Runs once, after the demo matches; a market with a demo campaign is left alone.
/// </summary>
public static class DemoEvents
{
    public const string CampaignName = "2026年宁波百日百场科技成果对接活动";

    private const int Seed = 20260315;

    /// <summary>Venues by the fields they suit; the last is the fallback.</summary>
    private static readonly (string Venue, string District, string[] Fields)[] Venues =
    [
        ("宁波新材料国际创新中心", "镇海区", ["新材料", "磁性材料", "绿色石化", "节能环保"]),
        ("甬江实验室 学术报告厅", "镇海区", ["光学电子", "集成电路", "生命健康", "生物医药"]),
        ("宁波国家高新区研发园 A 区会议中心", "高新区", ["工业互联网", "数字经济", "智能机器人", "高端装备"]),
        ("前湾新区汽车零部件产业创新中心", "前湾新区", ["汽车及零部件", "关键核心基础件"]),
        ("梅山湾科创中心", "北仑区", ["海洋科技", "现代农业"]),
        ("宁波科技大市场 路演大厅", "高新区", []),
    ];

    private static readonly string[] RequestMessages =
    [
        "希望当面了解贵方成果的中试数据和转让方式。",
        "我们的产线正遇到相关问题，想请贵方团队现场交流。",
        "贵方的需求与我们团队的研究方向高度契合，希望面谈合作方式。",
        "想了解贵方对合作开发的预算和周期安排。",
    ];

    private static readonly string[] DeclineNotes = ["时段冲突，会后另行联系。", "本次以模具方向为主，暂不安排。"];

    /// <summary>What the placed meetings of a held event recorded, dealt out in order (lower of the two sides).</summary>
    private static readonly MeetingOutcome[] Spread =
    [
        MeetingOutcome.Possible, MeetingOutcome.Intention, MeetingOutcome.NoInterest, MeetingOutcome.Possible, MeetingOutcome.Possible,
        MeetingOutcome.Intention, MeetingOutcome.Possible, MeetingOutcome.NoInterest, MeetingOutcome.Possible, MeetingOutcome.None,
        MeetingOutcome.Possible, MeetingOutcome.NotHeld, MeetingOutcome.Intention, MeetingOutcome.Possible, MeetingOutcome.NoInterest,
        MeetingOutcome.Possible, MeetingOutcome.Intention, MeetingOutcome.Possible,
    ];

    private sealed record Org(Organisation Organisation, long UserId);

    private sealed record Pair(Org Enterprise, Org Institute, long? NeedId, long? AchievementId, double MatchScore, string Field);

    private sealed class Listings
    {
        public Dictionary<long, List<(long Id, string Field, string Title)>> Needs { get; } = [];

        public Dictionary<long, List<(long Id, string Field, string Title)>> Achievements { get; } = [];
    }

    /// <summary>Adds the demo campaign and its events; returns how many events were written (0 when the demo already has a campaign).</summary>
    public static async Task<int> SeedAsync(MarketDb db, DateTime now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (await db.Campaigns.AnyAsync(c => c.IsDemo, ct))
        {
            return 0;
        }

        var organiser = await db.Users.AsNoTracking().Where(u => u.NormalizedEmail == "ORGANISER@DEMO.TECHMARKET").Select(u => (long?)u.Id).FirstOrDefaultAsync(ct);
        var demoEnterprise = await OrgOfAsync(db, "ENTERPRISE@DEMO.TECHMARKET", ct);
        var demoInstitute = await OrgOfAsync(db, "INSTITUTE@DEMO.TECHMARKET", ct);
        var usersByOrg = (await db.Users.AsNoTracking().Where(u => u.OrganisationId != null).Select(u => new { u.Id, u.OrganisationId }).ToListAsync(ct))
            .GroupBy(u => u.OrganisationId!.Value).ToDictionary(g => g.Key, g => g.Min(u => u.Id));
        var orgs = (await db.Organisations.AsNoTracking().Where(o => o.IsDemo && (o.Kind == OrganisationKind.Enterprise || o.Kind == OrganisationKind.Institute)).OrderBy(o => o.Id).ToListAsync(ct))
            .Where(o => usersByOrg.ContainsKey(o.Id)).Select(o => new Org(o, usersByOrg[o.Id])).ToDictionary(o => o.Organisation.Id);
        if (!orgs.Values.Any(o => o.Organisation.Kind == OrganisationKind.Enterprise) || !orgs.Values.Any(o => o.Organisation.Kind == OrganisationKind.Institute))
        {
            return 0;
        }

        var listings = new Listings();
        foreach (var n in await db.Needs.AsNoTracking().Where(n => n.IsDemo && n.Status == ListingStatus.Published).OrderBy(n => n.Id).Select(n => new { n.Id, n.OrganisationId, n.Field, n.Title }).ToListAsync(ct))
        {
            if (orgs.TryGetValue(n.OrganisationId, out var o) && o.Organisation.Kind == OrganisationKind.Enterprise)
            {
                Add(listings.Needs, n.OrganisationId, (n.Id, n.Field, n.Title));
            }
        }

        foreach (var a in await db.Achievements.AsNoTracking().Where(a => a.IsDemo && a.Status == ListingStatus.Published).OrderBy(a => a.Id).Select(a => new { a.Id, a.OrganisationId, a.Field, a.Title }).ToListAsync(ct))
        {
            if (orgs.TryGetValue(a.OrganisationId, out var o) && o.Organisation.Kind == OrganisationKind.Institute)
            {
                Add(listings.Achievements, a.OrganisationId, (a.Id, a.Field, a.Title));
            }
        }

        // The pipeline's own pairs (the demo matches) between an enterprise's need and an institute's achievement.
        var matches = await db.Matches.AsNoTracking().OrderByDescending(m => m.Score).ThenBy(m => m.Id)
            .Select(m => new { m.NeedId, m.AchievementId, m.Score, NeedOrg = m.Need!.OrganisationId, AchievementOrg = m.Achievement!.OrganisationId, m.Need.Field }).ToListAsync(ct);
        var matchPairs = matches.Where(m => orgs.TryGetValue(m.NeedOrg, out var e) && e.Organisation.Kind == OrganisationKind.Enterprise
                && orgs.TryGetValue(m.AchievementOrg, out var i) && i.Organisation.Kind == OrganisationKind.Institute)
            .Select(m => new Pair(orgs[m.NeedOrg], orgs[m.AchievementOrg], m.NeedId, m.AchievementId, m.Score, m.Field)).ToList();

        // The fields where the demo has both enterprises' needs and institutes' achievements, the busiest first.
        var fields = Labels.Fields
            .Select(f => (Field: f, Enterprises: listings.Needs.Count(n => n.Value.Any(x => x.Field == f)), Institutes: listings.Achievements.Count(a => a.Value.Any(x => x.Field == f))))
            .Where(f => f.Enterprises > 0 && f.Institutes > 0).OrderByDescending(f => Math.Min(f.Enterprises, f.Institutes * 3)).ThenBy(f => f.Field, StringComparer.Ordinal)
            .Select(f => f.Field).ToList();
        if (fields.Count == 0)
        {
            fields = [.. Labels.Fields.Take(3)];
        }

        var rng = new Random(Seed);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var campaign = new Campaign
        {
            Name = CampaignName,
            Year = 2026,
            Description = "围绕宁波市重点产业链，百日内举办百场专场对接会、院所开放日、成果路演和揭榜挂帅发布会，推动高校院所科技成果与企业技术需求精准对接（示例数据）。",
            TargetEvents = 100,
            TargetParticipants = 2000,
            TargetMeetings = 3000,
            TargetAgreements = 300,
            TargetDeals = 80,
            TargetAmountWan = 50000,
            CreatedById = organiser,
            CreatedAt = now.AddDays(-60),
            UpdatedAt = now.AddDays(-60),
            Version = 1,
            IsDemo = true,
        };
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync(ct);

        var used = new HashSet<(long, long)>();
        var written = 0;
        var bilaterals = 0;
        var contracted = 0;

        // Three 专场对接会 already held, each in one of the busiest fields.
        var pastDays = new[] { -38, -24, -9 };
        for (var k = 0; k < pastDays.Length && k < fields.Count; k++)
        {
            var field = fields[k];
            var pairs = PairsFor(field, matchPairs, orgs, listings, used, k == 0 ? demoEnterprise : null, k == 0 ? demoInstitute : null, 22);
            if (pairs.Count < 4)
            {
                continue;
            }

            var ev = NewEvent(campaign, organiser, EventFormat.Bilateral, EventStatus.Held, field, Local(now, pastDays[k], 13, 30), k);
            ev.Title = $"{field}产业专场对接会（第{Ordinal(k + 1)}场）";
            ev.Theme = $"聚焦{field}产业链关键技术，组织企业与高校院所面对面洽谈";
            await WriteBilateralAsync(db, ev, pairs, orgs, listings, rng, contracted, ct);
            contracted += await db.EventMeetings.CountAsync(m => m.EventId == ev.Id && m.RequesterOutcome == MeetingOutcome.Contracted && m.TargetOutcome == MeetingOutcome.Contracted, ct);
            written++;
            bilaterals++;
        }

        // A 院所开放日 held at an institute: enterprises visited, no meetings.
        var host = demoInstitute is { } di && orgs.TryGetValue(di, out var hostOrg) ? hostOrg : orgs.Values.First(o => o.Organisation.Kind == OrganisationKind.Institute);
        var openDay = NewEvent(campaign, organiser, EventFormat.OpenDay, EventStatus.Held, Main(host.Organisation, fields[0]), Local(now, -16, 9, 30), 9);
        openDay.Title = $"{host.Organisation.Name}院所开放日";
        openDay.Theme = "参观实验室与中试平台，了解可转化的科技成果";
        openDay.Venue = host.Organisation.Name;
        openDay.District = host.Organisation.District;
        openDay.Capacity = 30;
        db.Events.Add(openDay);
        await db.SaveChangesAsync(ct);
        var visitors = orgs.Values.Where(o => o.Organisation.Kind == OrganisationKind.Enterprise && o.Organisation.Fields.Contains(Main(host.Organisation, fields[0]), StringComparison.Ordinal))
            .Concat(orgs.Values.Where(o => o.Organisation.Kind == OrganisationKind.Enterprise)).Distinct().Take(14).ToList();
        var codes = new HashSet<string>();
        foreach (var (v, i) in visitors.Select((v, i) => (v, i)))
        {
            var r = Registration(openDay, v, listings, openDay.Fields, RegistrationStatus.Approved, codes, rng);
            r.CheckedInAt = i == visitors.Count - 1 ? null : openDay.StartsAt.AddMinutes(-rng.Next(5, 35));
            r.NoShow = i == visitors.Count - 1;
            db.EventRegistrations.Add(r);
        }

        await db.SaveChangesAsync(ct);
        written++;

        // An open 专场对接会: registrations approved or pending, a few meeting requests, no schedule yet.
        var upcomingField = fields[Math.Min(3, fields.Count - 1)];
        var upcoming = NewEvent(campaign, organiser, EventFormat.Bilateral, EventStatus.Open, upcomingField, Local(now, 12, 13, 30), 3);
        upcoming.Title = $"{upcomingField}产业专场对接会（第{Ordinal(bilaterals + 1)}场）";
        upcoming.Theme = $"面向{upcomingField}企业的技术需求，邀请高校院所带成果参会洽谈";
        upcoming.RegistrationDeadline = Local(now, 7, 17, 0);
        await WriteUpcomingAsync(db, upcoming, PairsFor(upcomingField, matchPairs, orgs, listings, used, demoEnterprise, demoInstitute, 8), orgs, listings, rng, now, ct);
        written++;

        // A 揭榜挂帅发布会, open for registration.
        var challenge = await db.Challenges.AsNoTracking().Where(c => c.Need!.IsDemo).OrderBy(c => c.NeedId).Select(c => new { c.Need!.Title, c.Need.Field }).FirstOrDefaultAsync(ct);
        var launchField = challenge?.Field is { Length: > 0 } cf ? cf : fields[0];
        var launch = NewEvent(campaign, organiser, EventFormat.ChallengeLaunch, EventStatus.Open, launchField, Local(now, 20, 9, 30), 5);
        launch.Title = $"{launchField}领域揭榜挂帅发布会";
        launch.Theme = challenge is null ? $"发布{launchField}领域企业关键核心技术榜单，邀请高校院所揭榜攻关" : $"发布「{challenge.Title}」等关键核心技术榜单，邀请高校院所揭榜攻关";
        launch.Capacity = 80;
        launch.RegistrationDeadline = Local(now, 15, 17, 0);
        db.Events.Add(launch);
        await db.SaveChangesAsync(ct);
        written++;

        // Interest in the campaign (意向报名) from organisations in the open events' fields that have not registered
        // yet: the organiser's plan page has someone to assign.
        await WriteInterestsAsync(db, campaign, [upcoming, launch], orgs, listings, rng, now, ct);

        // The shared lists: two achievements of each of the campaign's busiest fields to promote, and the demo's
        // 揭榜挂帅 challenges.
        var promoted = fields.Take(4).SelectMany(f => listings.Achievements.Values.SelectMany(a => a).Where(a => a.Field == f).Take(2)).ToList();
        var challenges = await db.Needs.AsNoTracking().Where(n => n.IsDemo && n.IsChallenge && n.Status == ListingStatus.Published).OrderBy(n => n.Id).Select(n => n.Id).Take(6).ToListAsync(ct);
        foreach (var id in promoted.Select(a => a.Id).Concat(challenges).Distinct())
        {
            db.CampaignListings.Add(new CampaignListing { CampaignId = campaign.Id, ListingId = id, Note = promoted.Any(a => a.Id == id) ? "百日百场重点推介成果" : "", AddedById = organiser ?? 0, AddedAt = now.AddDays(-50) });
        }

        await db.SaveChangesAsync(ct);

        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return written;
    }

    /// <summary>Up to six enterprises and six institutes per open event's field, with their days and how many events they will attend.</summary>
    private static async Task WriteInterestsAsync(MarketDb db, Campaign campaign, MarketEvent[] open, Dictionary<long, Org> orgs, Listings listings, Random rng, DateTime now, CancellationToken ct)
    {
        var ids = open.Select(e => e.Id).ToList();
        var registered = (await db.EventRegistrations.AsNoTracking().Where(r => ids.Contains(r.EventId)).Select(r => r.OrganisationId).ToListAsync(ct)).ToHashSet();
        var dates = open.Select(e => CampaignPlanRules.LocalDate(e.StartsAt)).Distinct().ToList();
        var taken = new HashSet<long>();
        foreach (var ev in open)
        {
            foreach (var kind in new[] { OrganisationKind.Enterprise, OrganisationKind.Institute })
            {
                var mine = kind == OrganisationKind.Enterprise ? listings.Needs : listings.Achievements;
                var candidates = orgs.Values
                    .Where(o => o.Organisation.Kind == kind && !registered.Contains(o.Organisation.Id) && !taken.Contains(o.Organisation.Id)
                        && mine.TryGetValue(o.Organisation.Id, out var l) && l.Any(x => x.Field == ev.Fields))
                    .Take(6).ToList();
                foreach (var o in candidates)
                {
                    taken.Add(o.Organisation.Id);
                    var own = mine[o.Organisation.Id].Where(x => x.Field == ev.Fields).ToList();
                    var onlyOneDay = rng.Next(3) == 0;
                    db.CampaignInterests.Add(new CampaignInterest
                    {
                        CampaignId = campaign.Id,
                        OrganisationId = o.Organisation.Id,
                        UserId = o.UserId,
                        Status = InterestStatus.Active,
                        Fields = ev.Fields,
                        AvailableDates = onlyOneDay ? CampaignPlanRules.FormatDates([CampaignPlanRules.LocalDate(ev.StartsAt)]) : CampaignPlanRules.FormatDates(dates),
                        MaxEvents = onlyOneDay ? 1 : rng.Next(1, 3),
                        Offers = kind == OrganisationKind.Institute ? $"成果：{own[0].Title}" : "",
                        Seeks = kind == OrganisationKind.Enterprise ? $"需求：{own[0].Title}" : $"希望对接{ev.Fields}方向有技术需求的企业",
                        ListingIds = string.Join(',', own.Take(2).Select(x => x.Id.ToString(CultureInfo.InvariantCulture))),
                        CreatedAt = now.AddDays(-rng.Next(1, 10)),
                        UpdatedAt = now.AddDays(-rng.Next(0, 1)),
                        Version = 1,
                        IsDemo = true,
                    });
                }
            }
        }
    }

    private static async Task<long?> OrgOfAsync(MarketDb db, string normalizedEmail, CancellationToken ct) =>
        await db.Users.AsNoTracking().Where(u => u.NormalizedEmail == normalizedEmail).Select(u => u.OrganisationId).FirstOrDefaultAsync(ct);

    private static void Add(Dictionary<long, List<(long, string, string)>> map, long org, (long, string, string) item)
    {
        if (!map.TryGetValue(org, out var list))
        {
            map[org] = list = [];
        }

        list.Add(item);
    }

    private static string Ordinal(int n) => n switch { 1 => "一", 2 => "二", 3 => "三", 4 => "四", _ => n.ToString(CultureInfo.InvariantCulture) };

    private static string Main(Organisation org, string fallback) => org.Fields.Split('、', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? fallback;

    /// <summary>Beijing time <paramref name="hour"/>:<paramref name="minute"/> on the day <paramref name="days"/> from now, in UTC.</summary>
    private static DateTime Local(DateTime now, int days, int hour, int minute) =>
        DateTime.SpecifyKind(now.AddHours(8).Date.AddDays(days).AddHours(hour).AddMinutes(minute).AddHours(-8), DateTimeKind.Utc);

    private static MarketEvent NewEvent(Campaign campaign, long? organiser, EventFormat format, EventStatus status, string field, DateTime startsAt, int n)
    {
        var (venue, district, _) = Venues.FirstOrDefault(v => v.Fields.Contains(field), Venues[^1]);
        var created = startsAt.AddDays(-30);
        return new MarketEvent
        {
            CampaignId = campaign.Id,
            Format = format,
            Status = status,
            Fields = field,
            StartsAt = startsAt,
            Venue = venue,
            District = district,
            Capacity = 40,
            Tables = format == EventFormat.Bilateral ? 12 : 0,
            SlotMinutes = format == EventFormat.Bilateral ? 20 : 0,
            SlotCount = format == EventFormat.Bilateral ? 8 : 0,
            RegistrationDeadline = startsAt.AddDays(-5).Date.AddHours(9),
            CreatedById = organiser,
            CreatedAt = created.AddHours(n),
            UpdatedAt = created.AddHours(n),
            Version = 1,
            IsDemo = true,
        };
    }

    /// <summary>
    /// Enterprise–institute pairs for an event in <paramref name="field"/>: the demo accounts' pair first (when given),
    /// then the pipeline's pairs in the field, then pairs of a need and an achievement in the field; each enterprise
    /// meets at most four institutes.
    /// </summary>
    private static List<Pair> PairsFor(string field, List<Pair> matchPairs, Dictionary<long, Org> orgs, Listings listings, HashSet<(long, long)> used, long? enterprise, long? institute, int most)
    {
        var pairs = new List<Pair>();
        var seen = new HashSet<(long, long)>();
        bool Take(Pair p, bool demo = false)
        {
            var key = (p.Enterprise.Organisation.Id, p.Institute.Organisation.Id);
            if (pairs.Count >= most || (used.Contains(key) && !demo) || !seen.Add(key) || pairs.Count(x => x.Enterprise == p.Enterprise) >= 4 || pairs.Count(x => x.Institute == p.Institute) >= 6)
            {
                return false;
            }

            pairs.Add(p);
            return true;
        }

        if (enterprise is { } e && institute is { } i && orgs.TryGetValue(e, out var eo) && orgs.TryGetValue(i, out var io))
        {
            var need = listings.Needs.GetValueOrDefault(e)?.OrderByDescending(n => n.Field == field).FirstOrDefault();
            var achievement = listings.Achievements.GetValueOrDefault(i)?.OrderByDescending(a => a.Field == field).FirstOrDefault();
            Take(matchPairs.FirstOrDefault(p => p.Enterprise == eo && p.Institute == io) ?? new Pair(eo, io, need?.Id, achievement?.Id, 0.5, field), demo: true);
        }

        foreach (var p in matchPairs.Where(p => p.Field == field).Take(most / 3))
        {
            Take(p);
        }

        // Then a few enterprises of the field each meet up to three of the field's institutes, as at a real session.
        var institutes = listings.Achievements.Where(a => a.Value.Any(x => x.Field == field)).Select(a => a.Key).Order().ToList();
        var enterprises = listings.Needs.Where(n => n.Value.Any(x => x.Field == field)).Select(n => n.Key).Order().Take((most / 3) + 1).ToList();
        for (var round = 0; round < 3 && pairs.Count < most && institutes.Count > 0; round++)
        {
            foreach (var (ent, k) in enterprises.Select((x, k) => (x, k)))
            {
                var inst = institutes[(k + round) % institutes.Count];
                var need = listings.Needs[ent].First(x => x.Field == field);
                var achievement = listings.Achievements[inst].First(x => x.Field == field);
                Take(new Pair(orgs[ent], orgs[inst], need.Id, achievement.Id, 0, field));
            }
        }

        foreach (var p in pairs)
        {
            used.Add((p.Enterprise.Organisation.Id, p.Institute.Organisation.Id));
        }

        return pairs;
    }

    private static EventRegistration Registration(MarketEvent ev, Org org, Listings listings, string field, RegistrationStatus status, HashSet<string> codes, Random rng)
    {
        var enterprise = org.Organisation.Kind == OrganisationKind.Enterprise;
        var own = (enterprise ? listings.Needs : listings.Achievements).GetValueOrDefault(org.Organisation.Id) ?? [];
        var brought = own.OrderByDescending(l => l.Field == field).ThenBy(l => l.Id).Take(2).ToList();
        var registered = ev.RegistrationDeadline.AddDays(-rng.Next(2, 12)).AddHours(-rng.Next(0, 8));
        var code = "";
        if (status == RegistrationStatus.Approved)
        {
            do
            {
                code = rng.Next(100000, 1000000).ToString(CultureInfo.InvariantCulture);
            }
            while (!codes.Add(code));
        }

        return new EventRegistration
        {
            EventId = ev.Id,
            OrganisationId = org.Organisation.Id,
            UserId = org.UserId,
            Status = status,
            Offers = brought.Count > 0 ? string.Join("；", brought.Select(l => l.Title)) : enterprise ? $"{field}方向的应用场景与产线验证条件" : $"{field}方向的科研团队与成果",
            Seeks = enterprise ? $"能解决上述问题的{field}高校院所团队" : $"有{field}技术需求、可开展中试验证的企业",
            ListingIds = string.Join(',', brought.Select(l => l.Id.ToString(CultureInfo.InvariantCulture))),
            DecisionNote = status == RegistrationStatus.Rejected ? "本场名额已满，欢迎报名本计划的下一场活动" : "",
            DecidedAt = status is RegistrationStatus.Approved or RegistrationStatus.Rejected ? registered.AddDays(1) : null,
            CheckInCode = code,
            CreatedAt = registered,
            UpdatedAt = registered,
            Version = 1,
        };
    }

    private static EventMeeting NewMeeting(MarketEvent ev, Pair p, EventRegistration ent, EventRegistration inst, int n, long? organiser, DateTime at)
    {
        // Every third meeting is the organiser's proposal from the match score; the rest are requests, from either side.
        var origin = n % 3 == 2 && organiser is not null ? MeetingOrigin.Organiser : MeetingOrigin.Request;
        var instituteAsks = origin == MeetingOrigin.Request && n % 4 == 1;
        var (requester, target) = instituteAsks ? (inst, ent) : (ent, inst);
        return new EventMeeting
        {
            EventId = ev.Id,
            RequesterId = requester.Id,
            TargetId = target.Id,
            Origin = origin,
            Status = MeetingStatus.Requested,
            RequestedByUserId = origin == MeetingOrigin.Organiser ? organiser!.Value : requester.UserId,
            Message = origin == MeetingOrigin.Organiser ? "" : RequestMessages[n % RequestMessages.Length],
            RequesterAcceptedAt = origin == MeetingOrigin.Request ? at : null,
            Score = origin == MeetingOrigin.Organiser ? Math.Round(EventScheduling.ProposalScore(p.MatchScore), 4) : EventScheduling.RequestScore,
            NeedId = p.NeedId,
            AchievementId = p.AchievementId,
            CreatedAt = at,
            UpdatedAt = at,
            Version = 1,
        };
    }

    private static void Accept(EventMeeting m, DateTime at)
    {
        m.Status = MeetingStatus.Accepted;
        m.RequesterAcceptedAt ??= at;
        m.TargetAcceptedAt = at;
        m.UpdatedAt = at;
    }

    /// <summary>A held 专场对接会: registrations, accepted meetings, the final schedule, check-ins, no-shows and outcomes.</summary>
    private static async Task WriteBilateralAsync(MarketDb db, MarketEvent ev, List<Pair> pairs, Dictionary<long, Org> orgs, Listings listings, Random rng, int contractedSoFar, CancellationToken ct)
    {
        db.Events.Add(ev);
        await db.SaveChangesAsync(ct);

        var codes = new HashSet<string>();
        var regs = new Dictionary<long, EventRegistration>();
        foreach (var org in pairs.SelectMany(p => new[] { p.Enterprise, p.Institute }).Distinct())
        {
            var r = Registration(ev, org, listings, ev.Fields, RegistrationStatus.Approved, codes, rng);
            regs[org.Organisation.Id] = r;
            db.EventRegistrations.Add(r);
        }

        // One organisation too many for the room: refused with its reason.
        var refused = orgs.Values.FirstOrDefault(o => o.Organisation.Kind == OrganisationKind.Enterprise && !regs.ContainsKey(o.Organisation.Id) && o.Organisation.Fields.Contains(ev.Fields, StringComparison.Ordinal));
        if (refused is not null)
        {
            db.EventRegistrations.Add(Registration(ev, refused, listings, ev.Fields, RegistrationStatus.Rejected, codes, rng));
        }

        await db.SaveChangesAsync(ct);

        var meetings = new List<EventMeeting>();
        foreach (var (p, n) in pairs.Select((p, n) => (p, n)))
        {
            var at = ev.RegistrationDeadline.AddDays(-3).AddHours(n % 7);
            var m = NewMeeting(ev, p, regs[p.Enterprise.Organisation.Id], regs[p.Institute.Organisation.Id], n, ev.CreatedById, at);
            if (n % 11 == 10)
            {
                m.Status = MeetingStatus.Declined;
                m.ReplyNote = DeclineNotes[n % DeclineNotes.Length];
                m.UpdatedAt = at.AddHours(5);
            }
            else
            {
                Accept(m, at.AddHours(6));
            }

            meetings.Add(m);
        }

        db.EventMeetings.AddRange(meetings);
        await db.SaveChangesAsync(ct);

        var accepted = meetings.Where(m => m.Status == MeetingStatus.Accepted).ToList();
        // One or two participants with the fewest meetings did not come (never the first pair: the demo accounts'
        // organisations at the first event); everyone else checked in before the start.
        var first = new[] { pairs[0].Enterprise.Organisation.Id, pairs[0].Institute.Organisation.Id };
        var absent = regs.Values.Where(r => !first.Contains(r.OrganisationId))
            .Select(r => (Registration: r, Meetings: accepted.Count(m => m.RequesterId == r.Id || m.TargetId == r.Id))).Where(r => r.Meetings > 0)
            .OrderBy(r => r.Meetings).ThenBy(r => r.Registration.Id).Take(regs.Count >= 10 ? 2 : 1).Select(r => r.Registration).ToList();
        foreach (var r in regs.Values)
        {
            r.NoShow = absent.Contains(r);
            r.CheckedInAt = r.NoShow ? null : ev.StartsAt.AddMinutes(-rng.Next(5, 40));
        }

        // The final schedule, by the scheduler itself, over the approved registrations and the accepted meetings; an
        // absent participant's meetings are left out with their reason, as marking a no-show does in a final schedule.
        var approved = regs.Values.Select(r => new EventRegistration { Id = r.Id, Organisation = orgs[r.OrganisationId].Organisation, NoShow = r.NoShow, UnavailableSlots = r.UnavailableSlots });
        var prepared = EventScheduling.BuildInput(ev, approved, accepted);
        var result = new MeetingScheduler().Schedule(prepared.Input);
        var computation = EventScheduling.ToComputation(prepared.MeetingIds, result, Guid.Empty, final: true, stamp: 0);
        var byId = accepted.ToDictionary(m => m.Id);
        for (var i = 0; i < computation.MeetingIds.Length; i++)
        {
            var m = byId[computation.MeetingIds[i]];
            var placed = computation.Slots[i] >= 0;
            m.Slot = placed ? computation.Slots[i] : null;
            m.Table = placed ? computation.Tables[i] : null;
            m.UnplacedReason = placed ? "" : computation.Reasons[i];
        }

        ev.ScheduleKind = ScheduleKind.Final;
        ev.ScheduledAt = ev.StartsAt.AddDays(-3);
        ev.ScheduleSummary = computation.Summary.Length > 500 ? computation.Summary[..500] : computation.Summary;
        ev.DayReminderSentAt = ev.StartsAt.AddDays(-1);
        ev.HourReminderSentAt = ev.StartsAt.AddHours(-1);

        // Outcomes on the placed meetings: a believable spread, one 签约 in each of the first two events.
        var deal = contractedSoFar < 2;
        foreach (var (m, n) in accepted.Where(m => m.Slot is not null).OrderBy(m => m.Slot).ThenBy(m => m.Table).Select((m, n) => (m, n)))
        {
            var outcome = deal && n == 3 ? MeetingOutcome.Contracted : Spread[(int)((n + ev.Id) % Spread.Length)];
            deal &= outcome != MeetingOutcome.Contracted;
            var recordedAt = ev.StartsAt.AddDays(1 + (n % 3));
            (m.RequesterOutcome, m.TargetOutcome) = outcome switch
            {
                MeetingOutcome.None => (MeetingOutcome.None, MeetingOutcome.None),
                MeetingOutcome.Contracted => (MeetingOutcome.Contracted, MeetingOutcome.Contracted),

                // Some meetings only one side recorded; some sides saw it one step better than the other.
                _ when n % 5 == 4 => (outcome, MeetingOutcome.None),
                _ when n % 4 == 1 && outcome is MeetingOutcome.Possible => (outcome, MeetingOutcome.Intention),
                _ => (outcome, outcome),
            };
            m.UpdatedAt = recordedAt;
        }

        ev.UpdatedAt = ev.StartsAt.AddHours(4);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>An open 专场对接会: approved and pending registrations, requests waiting for an answer and some accepted; no schedule.</summary>
    private static async Task WriteUpcomingAsync(MarketDb db, MarketEvent ev, List<Pair> pairs, Dictionary<long, Org> orgs, Listings listings, Random rng, DateTime now, CancellationToken ct)
    {
        db.Events.Add(ev);
        await db.SaveChangesAsync(ct);
        var codes = new HashSet<string>();
        var regs = new Dictionary<long, EventRegistration>();
        var all = pairs.SelectMany(p => new[] { p.Enterprise, p.Institute }).Distinct().ToList();
        foreach (var (org, k) in all.Select((o, k) => (o, k)))
        {
            // The last few registered only now and wait for the organiser's decision.
            var status = k >= all.Count - 3 && k > 3 ? RegistrationStatus.Pending : RegistrationStatus.Approved;
            var r = Registration(ev, org, listings, ev.Fields, status, codes, rng);
            if (r.CreatedAt > now)
            {
                (r.CreatedAt, r.UpdatedAt) = (now.AddDays(-1), now.AddDays(-1));
            }

            if (r.DecidedAt > now)
            {
                r.DecidedAt = now.AddHours(-12);
            }

            regs[org.Organisation.Id] = r;
            db.EventRegistrations.Add(r);
        }

        await db.SaveChangesAsync(ct);
        var meetings = new List<EventMeeting>();
        foreach (var (p, n) in pairs.Select((p, n) => (p, n)))
        {
            var (ent, inst) = (regs[p.Enterprise.Organisation.Id], regs[p.Institute.Organisation.Id]);
            if (ent.Status != RegistrationStatus.Approved || inst.Status != RegistrationStatus.Approved)
            {
                continue;
            }

            var at = now.AddHours(-(30 - n));
            var m = NewMeeting(ev, p, ent, inst, n, ev.CreatedById, at);
            if (n % 2 == 1)
            {
                Accept(m, at.AddHours(3));
            }
            else if (m.Origin == MeetingOrigin.Organiser)
            {
                // The organiser's proposal: the enterprise accepted, the institute has yet to.
                m.RequesterAcceptedAt = at.AddHours(2);
            }

            meetings.Add(m);
        }

        db.EventMeetings.AddRange(meetings);
        await db.SaveChangesAsync(ct);
    }
}
