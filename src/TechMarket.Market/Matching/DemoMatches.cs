using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Seeding;
using TechMarket.Matching;

namespace TechMarket.Market.Matching;

/// <summary>
/// Matches for the demo market (示例数据), drawn from the matching pipeline's own suggestions so that every pair is
/// one the platform would propose, and spread over every state: the demo enterprise finds institutes' interest in
/// its inbox, the demo institute finds enterprises', the demo broker follows some up, and some ended in a deal or a
/// decline with its reason. Runs once, after the demo listings are indexed; a market with matches is left alone.
/// </summary>
public static class DemoMatches
{
    private static readonly string[] NeedMessages =
    [
        "我们对贵方这项成果很感兴趣，想了解中试条件和转让方式。",
        "贵方成果与我公司的产线问题很契合，能否安排一次技术交流？",
        "请问该技术在我们的工况下能否达到需求中的指标？希望进一步沟通。",
        "我公司有意开展合作开发，想先了解样品和报价。",
    ];

    private static readonly string[] AchievementMessages =
    [
        "我们团队在这个方向有多年积累，可以先到贵公司现场看看问题。",
        "该成果已完成中试，可提供样品供贵公司验证。",
        "欢迎来实验室参观交流，我们可以根据贵方工况调整方案。",
        "我们可以采用先用后转的方式合作，降低贵方前期投入。",
    ];

    private static readonly (DeclineReason Reason, string Note)[] Declines =
    [
        (DeclineReason.WrongStage, "成果还在实验室阶段，我们需要能直接上线的方案。"),
        (DeclineReason.WrongPrice, "报价超出本年度预算。"),
        (DeclineReason.HasPartner, "已与其他高校签订合作协议。"),
        (DeclineReason.NotRelevant, "技术路线与我们的需求不一致。"),
    ];

    /// <summary>The states in the order they are dealt out, so that even a small demo market shows each of them.</summary>
    private static readonly MatchState[] States =
    [
        MatchState.AchievementInterested, MatchState.NeedInterested, MatchState.BothInterested, MatchState.BrokerAssigned,
        MatchState.MeetingRequested, MatchState.Met, MatchState.Negotiating, MatchState.Deal, MatchState.Declined, MatchState.Proposed,
    ];

    /// <summary>Adds the demo matches; returns how many were written (0 when the market already has matches).</summary>
    public static async Task<int> SeedAsync(MarketDb db, MatchPipeline pipeline, DateTime now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(pipeline);
        if (await db.Matches.AnyAsync(ct))
        {
            return 0;
        }

        var emails = DemoMarket.Accounts.Select(a => a.Email.ToUpperInvariant()).ToList();
        var demoUsers = await db.Users.AsNoTracking().Where(u => emails.Contains(u.NormalizedEmail!)).ToListAsync(ct);
        AppUser? Demo(string email) => demoUsers.FirstOrDefault(u => string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase));
        var enterprise = Demo("enterprise@demo.techmarket");
        var institute = Demo("institute@demo.techmarket");
        var broker = Demo("broker@demo.techmarket");
        if (enterprise?.OrganisationId is null || institute?.OrganisationId is null)
        {
            return 0;
        }

        // The demo enterprise's needs and the demo institute's achievements first, then a spread of others.
        var needs = await db.Needs.AsNoTracking().Include(n => n.Organisation).Where(n => n.Status == ListingStatus.Published && n.IsDemo)
            .OrderByDescending(n => n.OrganisationId == enterprise.OrganisationId).ThenBy(n => n.Id).Take(24).ToListAsync(ct);
        var achievements = await db.Achievements.AsNoTracking().Include(a => a.Organisation).Where(a => a.Status == ListingStatus.Published && a.IsDemo)
            .OrderByDescending(a => a.OrganisationId == institute.OrganisationId).ThenBy(a => a.Id).Take(8).ToListAsync(ct);

        var pairs = new List<(long NeedId, long AchievementId, MatchSuggestion S)>();
        var seen = new HashSet<(long, long)>();
        foreach (var need in needs)
        {
            foreach (var s in (await pipeline.SuggestAsync(MatchCatalog.Side(need), new MatchOptions { Top = 2, ExcludeOrganisationId = need.OrganisationId }, ct)).Where(s => seen.Add((need.Id, s.Candidate.Id))))
            {
                pairs.Add((need.Id, s.Candidate.Id, s));
            }
        }

        var fromAchievements = new List<(long NeedId, long AchievementId, MatchSuggestion S)>();
        foreach (var achievement in achievements)
        {
            foreach (var s in (await pipeline.SuggestAsync(MatchCatalog.Side(achievement), new MatchOptions { Top = 2, ExcludeOrganisationId = achievement.OrganisationId }, ct)).Where(s => seen.Add((s.Candidate.Id, achievement.Id))))
            {
                fromAchievements.Add((s.Candidate.Id, achievement.Id, s));
            }
        }

        var orgOfListing = needs.ToDictionary(n => n.Id, n => n.OrganisationId);
        foreach (var a in achievements)
        {
            orgOfListing[a.Id] = a.OrganisationId;
        }

        foreach (var (needId, achievementId, s) in pairs.Concat(fromAchievements))
        {
            orgOfListing.TryAdd(needId, s.Candidate.Kind == Search.ListingKind.Need ? s.Candidate.OrganisationId : 0);
            orgOfListing.TryAdd(achievementId, s.Candidate.Kind == Search.ListingKind.Achievement ? s.Candidate.OrganisationId : 0);
        }

        var usersByOrg = (await db.Users.AsNoTracking().Where(u => u.OrganisationId != null).Select(u => new { u.Id, u.OrganisationId }).ToListAsync(ct))
            .GroupBy(u => u.OrganisationId!.Value).ToDictionary(g => g.Key, g => g.OrderBy(u => u.Id).First().Id);
        long? UserOf(long listingId) => orgOfListing.TryGetValue(listingId, out var org) && usersByOrg.TryGetValue(org, out var user) ? user : null;

        // The demo institute's achievements have enterprises' interest waiting; the demo enterprise's needs have
        // institutes' interest waiting; the rest of the states are dealt round the remaining pairs.
        var rows = new List<Match>();
        var k = 0;
        foreach (var (needId, achievementId, s) in pairs.Concat(fromAchievements))
        {
            var state = fromAchievements.Any(p => p.NeedId == needId && p.AchievementId == achievementId) && orgOfListing[achievementId] == institute.OrganisationId && rows.Count(r => r.State == MatchState.NeedInterested) < 3
                ? MatchState.NeedInterested
                : orgOfListing[needId] == enterprise.OrganisationId && rows.Count(r => r.State == MatchState.AchievementInterested) < 3
                    ? MatchState.AchievementInterested
                    : States[k++ % States.Length];
            var created = now.AddDays(-(5 + ((rows.Count * 7) % 50))).AddHours(-(rows.Count % 9));
            var m = new Match
            {
                NeedId = needId,
                AchievementId = achievementId,
                State = state,
                Score = Math.Round(s.Score, 4),
                Reasons = string.Join("\n", s.Reasons.Select(r => r.Text)),
                CreatedAt = created,
                UpdatedAt = created,
                Version = 1,
            };
            var needFirst = rows.Count % 2 == 0;
            switch (state)
            {
                case MatchState.Proposed:
                    m.ProposedBy = broker is null ? "organiser" : "broker";
                    m.BrokerUserId = broker?.Id;
                    break;
                case MatchState.NeedInterested:
                    Speak(m, need: true, UserOf(needId), created, rows.Count);
                    break;
                case MatchState.AchievementInterested:
                    Speak(m, need: false, UserOf(achievementId), created, rows.Count);
                    break;
                case MatchState.Declined:
                    Speak(m, need: needFirst, UserOf(needFirst ? needId : achievementId), created, rows.Count);
                    var (reason, note) = Declines[rows.Count % Declines.Length];
                    m.DeclineReason = reason;
                    m.DeclineNote = note;
                    m.DeclinedByOrganisationId = orgOfListing[needFirst ? achievementId : needId];
                    m.DeclinedAt = created.AddDays(2);
                    m.UpdatedAt = m.DeclinedAt.Value;
                    break;
                default:
                    Speak(m, need: needFirst, UserOf(needFirst ? needId : achievementId), created, rows.Count);
                    Speak(m, need: !needFirst, UserOf(needFirst ? achievementId : needId), created.AddDays(1), rows.Count + 1);
                    m.ProposedBy = needFirst ? "need" : "achievement";
                    if (state >= MatchState.BrokerAssigned)
                    {
                        m.BrokerUserId = broker?.Id;
                    }

                    m.UpdatedAt = created.AddDays(1 + (int)state);
                    break;
            }

            rows.Add(m);
        }

        db.Matches.AddRange(rows);
        await db.SaveChangesAsync(ct);
        return rows.Count;
    }

    private static void Speak(Match m, bool need, long? userId, DateTime at, int n)
    {
        if (need)
        {
            m.NeedInterestAt = at;
            m.NeedInterestUserId = userId;
            m.NeedMessage = NeedMessages[n % NeedMessages.Length];
        }
        else
        {
            m.AchievementInterestAt = at;
            m.AchievementInterestUserId = userId;
            m.AchievementMessage = AchievementMessages[n % AchievementMessages.Length];
        }

        if (string.IsNullOrEmpty(m.ProposedBy))
        {
            m.ProposedBy = need ? "need" : "achievement";
        }
    }
}
