using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Market.Events;
using TechMarket.Market.Hosting;
using TechMarket.Market.Matching;
using TechMarket.Matching;
using TechMarket.Search;
using TechMarket.Server.Features.Matching;

namespace TechMarket.Server.Features.Events;

/// <summary>One line of a campaign's plan as the organisers see it.</summary>
internal sealed record PlanLine(
    long Id, long InterestId, long OrganisationId, string OrganisationName, string OrganisationKind, long EventId, string EventTitle, DateTime EventStartsAt,
    double Score, string Reason, string Status, string StatusLabel, long? RegistrationId, string Note);

/// <summary>One entry of a campaign's shared lists.</summary>
internal sealed record SharedListing(long ListingId, string Title, string OrganisationName, string Field, string Note, decimal? BountyWan, DateOnly? Deadline);

/// <summary>A campaign's shared lists: achievements it promotes (推介成果) and 揭榜挂帅 challenges.</summary>
internal sealed record CampaignSharedLists(long CampaignId, IReadOnlyList<SharedListing> Achievements, IReadOnlyList<SharedListing> Challenges);

/// <summary>A campaign's interests and plan: organisers see all, a member its own organisation's.</summary>
internal sealed record CampaignPlanView(long CampaignId, string CampaignName, DateTime? PlannedAt, string Summary, IReadOnlyList<CampaignInterestView> Interests, IReadOnlyList<PlanLine> Lines);

/// <summary>
/// The read side of campaign planning, and the affinities the plan runs on. An interested organisation's affinity
/// to an open event of the campaign (0–100) is 60 × the share of its fields the event covers, + 30 × its best
/// matching potential with the event's other side (registered or interested organisations in the event's fields,
/// scored by the matching pipeline from its listings: 1 for the top suggestion, falling linearly with the
/// suggestion's rank), + 10 when the event is in its district. Events with neither a field in common nor a
/// potential partner get no affinity, so the plan never sends anyone there.
/// </summary>
internal sealed class CampaignPlanning(MarketDb db, SqlSearchIndex index, MatchModelHolder models, [FromKeyedServices(MarketClock.Key)] TimeProvider clock)
{
    private const int SuggestionsPerListing = 100;

    public async Task<CampaignPlanView?> ViewAsync(long campaignId, Actor? actor, CancellationToken ct)
    {
        var campaign = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == campaignId, ct);
        if (campaign is null)
        {
            return null;
        }

        var reviewer = actor?.IsReviewer == true;
        var org = actor?.OrganisationId;
        if (!reviewer && org is null)
        {
            return new CampaignPlanView(campaign.Id, campaign.Name, campaign.PlannedAt, "", [], []);
        }

        var interests = await db.CampaignInterests.AsNoTracking().Include(i => i.Organisation)
            .Where(i => i.CampaignId == campaignId && (reviewer || i.OrganisationId == org)).OrderBy(i => i.Id).ToListAsync(ct);
        var lines = await db.CampaignAssignments.AsNoTracking().Include(a => a.Interest!).ThenInclude(i => i.Organisation).Include(a => a.Event)
            .Where(a => a.CampaignId == campaignId && (reviewer || a.Interest!.OrganisationId == org)).ToListAsync(ct);
        return new CampaignPlanView(campaign.Id, campaign.Name, campaign.PlannedAt, reviewer ? campaign.PlanSummary : "",
            [.. interests.Select(i => CampaignPlanRules.View(i, i.Organisation))],
            [.. lines.OrderBy(a => a.Event!.StartsAt).ThenBy(a => a.EventId).ThenByDescending(a => a.Score).ThenBy(a => a.Id).Select(a => new PlanLine(
                a.Id, a.InterestId, a.Interest!.OrganisationId, a.Interest.Organisation!.Name, Labels.Of(a.Interest.Organisation.Kind), a.EventId, a.Event!.Title, a.Event.StartsAt,
                a.Score, a.Reason, a.Status.ToString(), Labels.Of(a.Status), a.RegistrationId, a.Note))]);
    }

    /// <summary>The shared lists, published listings only (a listing withdrawn since drops out of view, not off the list).</summary>
    public async Task<CampaignSharedLists?> SharedListsAsync(long campaignId, CancellationToken ct)
    {
        if (!await db.Campaigns.AnyAsync(c => c.Id == campaignId, ct))
        {
            return null;
        }

        var rows = await db.CampaignListings.AsNoTracking().Include(c => c.Listing!).ThenInclude(l => l.Organisation)
            .Where(c => c.CampaignId == campaignId && c.Listing!.Status == ListingStatus.Published).OrderBy(c => c.Id).ToListAsync(ct);
        SharedListing Entry(CampaignListing c) => new(c.ListingId, c.Listing!.Title, c.Listing.Organisation?.Name ?? "", c.Listing.Field, c.Note,
            (c.Listing as Need)?.BountyWan, (c.Listing as Need)?.ChallengeDeadline);
        return new CampaignSharedLists(campaignId, [.. rows.Where(c => c.Listing is Achievement).Select(Entry)], [.. rows.Where(c => c.Listing is Need).Select(Entry)]);
    }

    /// <summary>The affinities of the active interests to the campaign's open events (see the class).</summary>
    public async Task<List<CampaignAffinity>> AffinitiesAsync(long campaignId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var events = (await db.Events.AsNoTracking().Where(e => e.CampaignId == campaignId && e.Status == EventStatus.Open).ToListAsync(ct))
            .Where(e => CampaignPlanRules.Plannable(e, now)).ToList();
        var interests = await db.CampaignInterests.AsNoTracking().Include(i => i.Organisation)
            .Where(i => i.CampaignId == campaignId && i.Status == InterestStatus.Active).ToListAsync(ct);
        if (events.Count == 0 || interests.Count == 0)
        {
            return [];
        }

        var orgIds = interests.Select(i => i.OrganisationId).ToList();
        var listings = (await db.Listings.AsNoTracking().Include(l => l.Organisation)
                .Where(l => orgIds.Contains(l.OrganisationId) && l.Status == ListingStatus.Published).ToListAsync(ct))
            .GroupBy(l => l.OrganisationId).ToDictionary(g => g.Key, g => g.OrderByDescending(l => l.PublishedAt).ThenByDescending(l => l.Id).ToList());
        var eventIds = events.Select(e => e.Id).ToList();
        var registered = (await db.EventRegistrations.AsNoTracking()
                .Where(r => eventIds.Contains(r.EventId) && (r.Status == RegistrationStatus.Approved || r.Status == RegistrationStatus.Pending))
                .Select(r => new { r.EventId, r.OrganisationId }).ToListAsync(ct))
            .GroupBy(r => r.EventId).ToDictionary(g => g.Key, g => g.Select(r => r.OrganisationId).ToHashSet());

        var fields = interests.ToDictionary(i => i.Id, i => FieldsOf(i, listings.GetValueOrDefault(i.OrganisationId) ?? []));
        var names = interests.ToDictionary(i => i.OrganisationId, i => i.Organisation!.Name);
        var pipeline = new MatchPipeline(index, new MatchCatalog(db), () => models.Current);
        var affinities = new List<CampaignAffinity>();
        foreach (var interest in interests)
        {
            // Its partners by rank: the best rank at which any of its listings suggested each organisation.
            var brought = CampaignPlanRules.ParseIds(interest.ListingIds);
            var own = listings.GetValueOrDefault(interest.OrganisationId) ?? [];
            var from = (brought.Length > 0 ? own.Where(l => brought.Contains(l.Id)) : own).Take(5).ToList();
            var partners = new Dictionary<long, int>();
            foreach (var listing in from)
            {
                var suggestions = await pipeline.SuggestAsync(MatchCatalog.Side(listing),
                    new MatchOptions { Top = SuggestionsPerListing, WithReasons = false, ExcludeOrganisationId = interest.OrganisationId }, ct);
                for (var rank = 0; rank < suggestions.Count; rank++)
                {
                    var partner = suggestions[rank].Candidate.OrganisationId;
                    partners[partner] = Math.Min(partners.GetValueOrDefault(partner, int.MaxValue), rank);
                }
            }

            var mine = fields[interest.Id];
            foreach (var ev in events)
            {
                var eventFields = EventFields(ev);
                var common = mine.Where(eventFields.Contains).ToList();
                var fit = eventFields.Count == 0 ? 0.5 : mine.Count == 0 ? 0 : (double)common.Count / mine.Count;

                // The event's other side: who is registered there, and who is interested in its fields.
                var there = registered.GetValueOrDefault(ev.Id) ?? [];
                var best = partners
                    .Where(p => p.Key != interest.OrganisationId && (there.Contains(p.Key)
                        || interests.Any(o => o.OrganisationId == p.Key && (eventFields.Count == 0 || fields[o.Id].Any(eventFields.Contains)))))
                    .OrderBy(p => p.Value).Select(p => (KeyValuePair<long, int>?)p).FirstOrDefault();
                var potential = best is { } b ? 1 - ((double)b.Value / SuggestionsPerListing) : 0;
                var district = interest.Organisation!.District.Length > 0 && interest.Organisation.District == ev.District;
                if (common.Count == 0 && eventFields.Count > 0 && potential <= 0)
                {
                    continue;
                }

                var score = Math.Round((60 * fit) + (30 * potential) + (district ? 10 : 0), 1);
                if (score <= 0)
                {
                    continue;
                }

                var why = new List<string>();
                if (common.Count > 0)
                {
                    why.Add($"领域契合：{string.Join("、", common)}");
                }

                if (best is { } partner)
                {
                    why.Add($"可对接：{(names.TryGetValue(partner.Key, out var n) ? n : await OrganisationNameAsync(partner.Key, ct))}");
                }

                if (district)
                {
                    why.Add($"同在{ev.District}");
                }

                affinities.Add(new CampaignAffinity { InterestId = interest.Id, EventId = ev.Id, Score = score, Reason = string.Join("；", why) });
            }
        }

        return affinities;
    }

    private async Task<string> OrganisationNameAsync(long id, CancellationToken ct) =>
        await db.Organisations.AsNoTracking().Where(o => o.Id == id).Select(o => o.Name).SingleOrDefaultAsync(ct) ?? id.ToString(CultureInfo.InvariantCulture);

    private static HashSet<string> EventFields(MarketEvent e) => [.. e.Fields.Split('、', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>The fields it declared, else those of its published listings, else its organisation's.</summary>
    private static HashSet<string> FieldsOf(CampaignInterest i, List<Listing> listings)
    {
        var declared = CampaignPlanRules.ParseFields(i.Fields);
        if (declared.Length > 0)
        {
            return [.. declared];
        }

        var fromListings = listings.Select(l => l.Field).Where(f => f.Length > 0).ToHashSet();
        return fromListings.Count > 0 ? fromListings : [.. i.Organisation!.Fields.Split('、', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }
}
