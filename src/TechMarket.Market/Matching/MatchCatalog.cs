using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Matching;
using TechMarket.Search;

namespace TechMarket.Market.Matching;

/// <summary>The matcher's view of the market's published listings, read from the tables (never through grains).</summary>
public sealed class MatchCatalog(MarketDb db) : IMatchCatalog
{
    public async Task<IReadOnlyDictionary<long, MatchSide>> LoadAsync(IReadOnlyCollection<long> ids, CancellationToken ct = default)
    {
        var rows = await db.Listings.AsNoTracking().Include(l => l.Organisation)
            .Where(l => ids.Contains(l.Id) && l.Status == ListingStatus.Published).ToListAsync(ct);
        var orgs = rows.Select(r => r.OrganisationId).Distinct().ToList();

        // The supplier's record: interest it answered (its side spoke after the other's) on either side of a match.
        var answered = await db.Matches.AsNoTracking()
            .Where(m => m.NeedInterestAt != null && m.AchievementInterestAt != null)
            .Select(m => new { NeedOrg = m.Need!.OrganisationId, AchievementOrg = m.Achievement!.OrganisationId, NeedFirst = m.NeedInterestAt < m.AchievementInterestAt })
            .Where(m => orgs.Contains(m.NeedOrg) || orgs.Contains(m.AchievementOrg))
            .ToListAsync(ct);
        var record = orgs.ToDictionary(o => o, o => answered.Count(m => (m.NeedFirst && m.AchievementOrg == o) || (!m.NeedFirst && m.NeedOrg == o)));
        return rows.ToDictionary(r => r.Id, r => Side(r, record.GetValueOrDefault(r.OrganisationId)));
    }

    /// <summary>A listing row as the matcher sees it.</summary>
    public static MatchSide Side(Listing l, int answered = 0) => new()
    {
        Id = l.Id,
        Kind = l is Need ? ListingKind.Need : ListingKind.Achievement,
        Title = l.Title,
        Body = l switch
        {
            Need n => string.Join("\n", new[] { n.Summary, n.Problem, n.KeyPoints, n.Targets }.Where(s => !string.IsNullOrWhiteSpace(s))),
            Achievement a => string.Join("\n", new[] { a.Summary, a.IntellectualProperty }.Where(s => !string.IsNullOrWhiteSpace(s))),
            _ => l.Summary,
        },
        Keywords = ListingRules.SplitKeywords(l.Keywords),
        Field = string.IsNullOrEmpty(l.Field) ? null : l.Field,
        District = l.Organisation?.District,
        Maturity = l switch
        {
            Achievement { Maturity: not Maturity.Unspecified } a2 => Labels.Of(a2.Maturity),
            Need { MaturityWanted: not Maturity.Unspecified } n2 => Labels.Of(n2.MaturityWanted),
            _ => null,
        },
        Price = l switch
        {
            Need { BudgetWan: { } b } => (double)b,
            Achievement { PriceWan: { } p } => (double)p,
            _ => null,
        },
        OrganisationId = l.OrganisationId,
        OrganisationName = l.Organisation?.Name ?? "",
        Record = new SupplierRecord(answered, 0, 0),
    };
}
