using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Market.Brokers;

namespace TechMarket.Server.Features.Brokers;

/// <summary>A match on the broker's board (or offered to claim).</summary>
internal sealed record PipelineCard(
    long MatchId, long NeedId, string NeedTitle, string NeedOrganisation, long AchievementId, string AchievementTitle, string AchievementOrganisation,
    string Field, string District, string State, string StateLabel, string Stage, string StageLabel, double Score, bool BothInterested,
    DateTime? BrokerSince, bool CanUndo, DateTime? NextFollowUp, string DeclineLabel, DateTime UpdatedAt, bool IsDemo);

/// <summary>A need the broker mined, and whether the enterprise has consented.</summary>
internal sealed record MinedNeed(long Id, string Title, long OrganisationId, string Organisation, string Status, string StatusLabel, DateTime CreatedAt, DateTime? ConsentAt);

/// <summary>An event where the broker's matches met, or a deal credited to the broker was linked.</summary>
internal sealed record BrokerEvent(long Id, string Title, DateTime StartsAt, string Status, int Meetings);

/// <summary>Everything on the broker's workspace page.</summary>
internal sealed record WorkspaceView(
    BrokerView? Profile,
    IReadOnlyList<PipelineCard> Board,
    IReadOnlyList<PipelineCard> Claimable,
    IReadOnlyList<BrokerTaskView> Tasks,
    IReadOnlyList<MinedNeed> Mined,
    IReadOnlyList<BrokerEvent> Events,
    IReadOnlyList<DealView> Deals);

/// <summary>
/// The broker's workspace, read from the tables: the board (matches they follow up), the matches they may claim
/// (interest shown, no broker yet, both listings published; best fit to their specialties and district first),
/// their tasks, mined needs, events and credited deals.
/// </summary>
internal static class BrokerWorkspace
{
    public const int ClaimableLimit = 30;

    public static async Task<WorkspaceView> LoadAsync(MarketDb db, long brokerUserId, IConfiguration config, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var profile = await db.Brokers.AsNoTracking().Include(b => b.User).SingleOrDefaultAsync(b => b.UserId == brokerUserId, ct);
        var board = await CardsAsync(db, db.Matches.Where(m => m.BrokerUserId == brokerUserId), ct);
        var nextTasks = await db.BrokerTasks.AsNoTracking()
            .Where(t => t.BrokerUserId == brokerUserId && t.Status == BrokerTaskStatus.Open && t.MatchId != null)
            .GroupBy(t => t.MatchId!.Value).Select(g => new { g.Key, Due = g.Min(t => t.DueAt) }).ToDictionaryAsync(g => g.Key, g => g.Due, ct);
        board = [.. board.Select(c => c with { NextFollowUp = nextTasks.TryGetValue(c.MatchId, out var due) ? due : null })];

        IReadOnlyList<PipelineCard> claimable = [];
        if (profile is not null)
        {
            var open = await CardsAsync(db, db.Matches.Where(m => m.BrokerUserId == null
                && (m.State == MatchState.NeedInterested || m.State == MatchState.AchievementInterested || m.State == MatchState.BothInterested)
                && m.Need!.Status == ListingStatus.Published && m.Achievement!.Status == ListingStatus.Published), ct, take: 500);
            claimable = [.. open
                .Select(c => (Card: c, Fit: BrokerStages.Fit(profile, c.Field, c.District)))
                .OrderByDescending(x => x.Fit).ThenByDescending(x => x.Card.BothInterested).ThenByDescending(x => x.Card.UpdatedAt)
                .Take(ClaimableLimit).Select(x => x.Card)];
        }

        var tasks = await db.BrokerTasks.AsNoTracking().Where(t => t.BrokerUserId == brokerUserId)
            .OrderBy(t => t.Status).ThenBy(t => t.DueAt).Take(200).ToListAsync(ct);
        var mined = await db.Needs.AsNoTracking().Where(n => n.MinedByUserId == brokerUserId).OrderByDescending(n => n.Id).Take(100)
            .Select(n => new { n.Id, n.Title, n.OrganisationId, Org = n.Organisation!.Name, n.Status, n.CreatedAt, n.MiningConsentAt }).ToListAsync(ct);

        var pairs = board.Select(c => new { c.NeedId, c.AchievementId }).ToList();
        var needIds = pairs.Select(p => p.NeedId).Distinct().ToList();
        var meetings = await db.EventMeetings.AsNoTracking().Where(m => m.NeedId != null && needIds.Contains(m.NeedId.Value))
            .Select(m => new { m.EventId, m.NeedId, m.AchievementId }).ToListAsync(ct);
        var mine = meetings.Where(m => pairs.Any(p => p.NeedId == m.NeedId && p.AchievementId == m.AchievementId)).ToList();
        var dealIds = await db.DealBrokers.AsNoTracking().Where(b => b.UserId == brokerUserId).Select(b => b.DealId).ToListAsync(ct);
        var deals = await db.Deals.AsNoTracking().Include(d => d.Buyer).Include(d => d.Seller).Where(d => dealIds.Contains(d.Id)).OrderByDescending(d => d.Id).ToListAsync(ct);
        var eventIds = mine.Select(m => m.EventId).Concat(deals.Where(d => d.EventId != null).Select(d => d.EventId!.Value)).Distinct().ToList();
        var events = await db.Events.AsNoTracking().Where(e => eventIds.Contains(e.Id)).OrderByDescending(e => e.StartsAt).ToListAsync(ct);
        var brokersOf = (await db.DealBrokers.AsNoTracking().Where(b => dealIds.Contains(b.DealId)).ToListAsync(ct)).ToLookup(b => b.DealId, b => b.UserId);
        var rate = Market.Deals.DealRules.RewardRate(config);

        return new WorkspaceView(
            profile is null ? null : BrokerView.From(profile, profile.User?.DisplayName ?? ""),
            board,
            claimable,
            [.. tasks.Select(BrokerTaskView.From)],
            [.. mined.Select(n => new MinedNeed(n.Id, n.Title, n.OrganisationId, n.Org, n.Status.ToString(), Labels.Of(n.Status), n.CreatedAt, n.MiningConsentAt))],
            [.. events.Select(e => new BrokerEvent(e.Id, e.Title, e.StartsAt, Labels.Of(e.Status), mine.Count(m => m.EventId == e.Id)))],
            [.. deals.Select(d => Market.Deals.DealRules.View(d, [.. brokersOf[d.Id].Order()], rate))]);
    }

    private static async Task<List<PipelineCard>> CardsAsync(MarketDb db, IQueryable<Match> matches, CancellationToken ct, int take = 1000)
    {
        var rows = await matches.AsNoTracking().OrderByDescending(m => m.UpdatedAt).Take(take)
            .Select(m => new
            {
                m.Id,
                m.NeedId,
                NeedTitle = m.Need!.Title,
                NeedOrg = m.Need.Organisation!.Name,
                m.AchievementId,
                AchievementTitle = m.Achievement!.Title,
                AchievementOrg = m.Achievement.Organisation!.Name,
                m.Need.Field,
                m.Need.Organisation.District,
                m.State,
                m.Score,
                Both = m.NeedInterestAt != null && m.AchievementInterestAt != null,
                m.BrokerSince,
                m.PreviousState,
                m.DeclineReason,
                m.UpdatedAt,
                m.Need.IsDemo,
            }).ToListAsync(ct);
        return
        [
            .. rows.Select(r =>
            {
                var stage = BrokerStages.Of(r.State);
                return new PipelineCard(r.Id, r.NeedId, r.NeedTitle, r.NeedOrg, r.AchievementId, r.AchievementTitle, r.AchievementOrg, r.Field, r.District,
                    r.State.ToString(), Labels.Of(r.State), stage, BrokerStages.Label(stage), r.Score, r.Both, r.BrokerSince, r.PreviousState is not null,
                    null, r.State == MatchState.Declined ? Labels.Of(r.DeclineReason) : "", r.UpdatedAt, r.IsDemo);
            }),
        ];
    }
}
