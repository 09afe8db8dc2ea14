using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Market.Matching;
using TechMarket.Matching;
using TechMarket.Search;

namespace TechMarket.Server.Features.Matching;

/// <summary>A suggested listing as the API and the pages show it.</summary>
internal sealed record SuggestionView(
    long Id,
    string Kind,
    string Title,
    string TitleHtml,
    string SnippetHtml,
    long OrganisationId,
    string OrganisationName,
    string? District,
    string? Field,
    string? Maturity,
    double? PriceWan,
    double Score,
    IReadOnlyList<MatchReason> Reasons,
    long? MatchId,
    string? MatchState,
    string? MatchStateLabel);

/// <summary>An institute (or other supplier) suggested to an enterprise, with the achievements that fit its needs.</summary>
internal sealed record SupplierView(long OrganisationId, string OrganisationName, string? District, double Score, IReadOnlyList<SupplierFitView> Fits);

/// <summary>One achievement of a suggested supplier and the enterprise's need it fits.</summary>
internal sealed record SupplierFitView(long NeedId, string NeedTitle, long AchievementId, string AchievementTitle, int Rank, IReadOnlyList<MatchReason> Reasons);

/// <summary>An entry of the inbox: a match in which the other side has spoken and this organisation has not.</summary>
internal sealed record InboxItem(long MatchId, long NeedId, string NeedTitle, long AchievementId, string AchievementTitle, string FromOrganisation, string Message, DateTime At, string State, string StateLabel);

/// <summary>
/// Suggestions for a need (achievements that fit) or an achievement (needs that fit), through the matching pipeline
/// over the search index and the tables; interest and declines go to the pair's match grain.
/// </summary>
internal sealed class MatchService(MarketDb db, SqlSearchIndex index, MatchModelHolder models, IGrainFactory grains)
{
    /// <summary>Who may see a listing's suggestions: its organisation, brokers, organisers and admins.</summary>
    public static bool MaySeeSuggestions(Actor? actor, Listing listing) =>
        actor is not null && (actor.OrganisationId == listing.OrganisationId || actor.IsBroker || actor.IsReviewer || actor.IsAdmin);

    /// <summary>Null when the listing does not exist or is not published; forbidden is the caller's to decide first.</summary>
    public async Task<(Listing? Listing, IReadOnlyList<SuggestionView> Suggestions)> SuggestAsync(long listingId, bool? needs, Actor? actor, int top, CancellationToken ct)
    {
        var listing = await db.Listings.AsNoTracking().Include(l => l.Organisation).SingleOrDefaultAsync(l => l.Id == listingId, ct);
        if (listing is null || (needs == true && listing is not Need) || (needs == false && listing is not Achievement))
        {
            return (null, []);
        }

        if (!MaySeeSuggestions(actor, listing) || listing.Status != ListingStatus.Published)
        {
            return (listing, []);
        }

        var pipeline = new MatchPipeline(index, new MatchCatalog(db), () => models.Current);
        var suggestions = await pipeline.SuggestAsync(MatchCatalog.Side(listing), new MatchOptions
        {
            Top = top,
            ExcludeOrganisationId = listing.OrganisationId,
        }, ct);
        var ids = suggestions.Select(s => s.Candidate.Id).ToList();
        var matches = listing is Need
            ? await db.Matches.AsNoTracking().Where(m => m.NeedId == listing.Id && ids.Contains(m.AchievementId)).ToDictionaryAsync(m => m.AchievementId, ct)
            : await db.Matches.AsNoTracking().Where(m => m.AchievementId == listing.Id && ids.Contains(m.NeedId)).ToDictionaryAsync(m => m.NeedId, ct);
        return (listing, [.. suggestions.Select(s =>
        {
            var m = matches.GetValueOrDefault(s.Candidate.Id);
            var c = s.Candidate;
            return new SuggestionView(c.Id, c.Kind == ListingKind.Need ? "need" : "achievement", c.Title, s.Title.ToHtml("<mark>", "</mark>"),
                s.Snippet.ToHtml("<mark>", "</mark>"), c.OrganisationId, c.OrganisationName, c.District, c.Field, c.Maturity, c.Price,
                Math.Round(s.Score, 4), s.Reasons, m?.Id, m?.State.ToString(), m is null ? null : Labels.Of(m.State));
        })]);
    }

    /// <summary>Who may see an organisation's suggested suppliers: its members, brokers, organisers and admins.</summary>
    public static bool MaySeeSuppliers(Actor? actor, long organisationId) =>
        actor is not null && (actor.OrganisationId == organisationId || actor.IsBroker || actor.IsReviewer || actor.IsAdmin);

    /// <summary>
    /// Suppliers for an organisation's published needs (the 10 most recent), aggregated from each need's suggestions
    /// by <see cref="SupplierAggregation"/>.
    /// </summary>
    public async Task<IReadOnlyList<SupplierView>> SuppliersAsync(long organisationId, int top, CancellationToken ct)
    {
        var needs = await db.Needs.AsNoTracking().Include(n => n.Organisation)
            .Where(n => n.OrganisationId == organisationId && n.Status == ListingStatus.Published)
            .OrderByDescending(n => n.PublishedAt).Take(10).ToListAsync(ct);
        if (needs.Count == 0)
        {
            return [];
        }

        var pipeline = new MatchPipeline(index, new MatchCatalog(db), () => models.Current);
        var suppliers = await SupplierAggregation.SuggestAsync(pipeline, [.. needs.Select(n => MatchCatalog.Side(n))], top, ct: ct);
        return [.. suppliers.Select(s => new SupplierView(s.OrganisationId, s.OrganisationName, s.District, s.Score,
            [.. s.Fits.Select(f => new SupplierFitView(f.Need.Id, f.Need.Title, f.Achievement.Candidate.Id, f.Achievement.Candidate.Title, f.Rank, f.Achievement.Reasons))]))];
    }

    /// <summary>我感兴趣 from a suggestion (or from a listing's page): the pair's grain records it.</summary>
    public async Task<OpResult<MatchView>> InterestAsync(Actor actor, long needId, long achievementId, string? message, CancellationToken ct)
    {
        // The model's score and reasons at this moment go with the first record of the pair.
        MatchProposal? proposal = null;
        var mine = actor.OrganisationId;
        var fromNeed = await db.Needs.AsNoTracking().AnyAsync(n => n.Id == needId && n.OrganisationId == mine, ct);
        var (_, suggestions) = await SuggestAsync(fromNeed ? needId : achievementId, null, actor, 50, ct);
        if (suggestions.FirstOrDefault(s => s.Id == (fromNeed ? achievementId : needId)) is { } s)
        {
            proposal = new MatchProposal(s.Score, [.. s.Reasons.Select(r => r.Text)]);
        }

        return await grains.GetGrain<IMatchGrain>(MatchKey.Of(needId, achievementId)).ExpressInterestAsync(actor, message, proposal);
    }

    public Task<OpResult<MatchView>> DeclineAsync(Actor actor, long needId, long achievementId, DeclineReason reason, string? note) =>
        grains.GetGrain<IMatchGrain>(MatchKey.Of(needId, achievementId)).DeclineAsync(actor, reason, note);

    public async Task<OpResult<MatchView>> GetAsync(Actor actor, long matchId, CancellationToken ct)
    {
        var pair = await db.Matches.AsNoTracking().Where(m => m.Id == matchId).Select(m => new { m.NeedId, m.AchievementId }).SingleOrDefaultAsync(ct);
        return pair is null
            ? OpResult<MatchView>.NotFound()
            : await grains.GetGrain<IMatchGrain>(MatchKey.Of(pair.NeedId, pair.AchievementId)).GetAsync(actor);
    }

    /// <summary>Interest received by the actor's organisation and not yet answered, newest first.</summary>
    public async Task<IReadOnlyList<InboxItem>> InboxAsync(Actor actor, CancellationToken ct)
    {
        var org = actor.OrganisationId;
        var rows = await db.Matches.AsNoTracking().Include(m => m.Need!).ThenInclude(n => n.Organisation).Include(m => m.Achievement!).ThenInclude(a => a.Organisation)
            .Where(m => (m.State == MatchState.NeedInterested && m.Achievement!.OrganisationId == org) ||
                        (m.State == MatchState.AchievementInterested && m.Need!.OrganisationId == org))
            .ToListAsync(ct);
        return [.. rows.Select(m =>
        {
            var needSpoke = m.State == MatchState.NeedInterested;
            return new InboxItem(m.Id, m.NeedId, m.Need!.Title, m.AchievementId, m.Achievement!.Title,
                needSpoke ? m.Need.Organisation!.Name : m.Achievement.Organisation!.Name,
                needSpoke ? m.NeedMessage : m.AchievementMessage, (needSpoke ? m.NeedInterestAt : m.AchievementInterestAt) ?? m.UpdatedAt,
                m.State.ToString(), Labels.Of(m.State));
        }).OrderByDescending(i => i.At)];
    }

    /// <summary>Every match the actor's organisation is a party to, newest first.</summary>
    public async Task<IReadOnlyList<InboxItem>> MineAsync(Actor actor, CancellationToken ct)
    {
        var org = actor.OrganisationId;
        var rows = await db.Matches.AsNoTracking().Include(m => m.Need!).ThenInclude(n => n.Organisation).Include(m => m.Achievement!).ThenInclude(a => a.Organisation)
            .Where(m => m.Need!.OrganisationId == org || m.Achievement!.OrganisationId == org)
            .ToListAsync(ct);
        return [.. rows.Select(m =>
        {
            var other = m.Need!.OrganisationId == org ? m.Achievement!.Organisation!.Name : m.Need.Organisation!.Name;
            return new InboxItem(m.Id, m.NeedId, m.Need.Title, m.AchievementId, m.Achievement!.Title, other, "", m.UpdatedAt, m.State.ToString(), Labels.Of(m.State));
        }).OrderByDescending(i => i.At)];
    }

    /// <summary>Whether the actor's organisation and this listing's are parties to a match both sides have accepted.</summary>
    public static Task<bool> HaveMutualMatchAsync(MarketDb db, long? organisationId, Listing listing, CancellationToken ct) =>
        organisationId is not { } org ? Task.FromResult(false)
        : db.Matches.AsNoTracking().AnyAsync(m => m.State >= MatchState.BothInterested && m.State <= MatchState.Deal &&
            ((m.NeedId == listing.Id && m.Achievement!.OrganisationId == org) || (m.AchievementId == listing.Id && m.Need!.OrganisationId == org)), ct);
}
