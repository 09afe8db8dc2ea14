using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Server.Infrastructure;

namespace TechMarket.Server.Features.Listings;

/// <summary>
/// Needs and achievements for the REST API and the web UI alike: reads that span many listings query the tables;
/// every write goes to the listing's grain (TechMarket.Market), where the rules are.
/// </summary>
internal sealed class ListingService(MarketDb db, IGrainFactory grains)
{
    public const int MaxPageSize = Paging.MaxPageSize;

    private IQueryable<Listing> Query(bool needs) =>
        needs ? db.Needs.Include(n => n.Organisation) : db.Achievements.Include(a => a.Organisation);

    /// <summary>Validates browse filters; null when they are fine.</summary>
    public static Dictionary<string, string[]>? ValidateFilter(ListingFilter f)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!Paging.IsValid(f.Page, f.PageSize))
        {
            errors["page"] = [$"页码应在 1 到 {Paging.MaxPage} 之间，每页条数应在 1 到 {Paging.MaxPageSize} 之间"];
        }

        if (!string.IsNullOrEmpty(f.Field) && !Labels.Fields.Contains(f.Field))
        {
            errors["field"] = [$"未知的领域：{f.Field}"];
        }

        if (!string.IsNullOrEmpty(f.District) && !Labels.Districts.Contains(f.District))
        {
            errors["district"] = [$"未知的区县市：{f.District}"];
        }

        if (!string.IsNullOrEmpty(f.Maturity) && !Labels.TryParseMaturity(f.Maturity, out _))
        {
            errors["maturity"] = [$"未知的成果阶段：{f.Maturity}"];
        }

        if (!string.IsNullOrEmpty(f.Mode) && (!Labels.TryParseModes(f.Mode, out var m) || m == TransferModes.None))
        {
            errors["mode"] = [$"未知的合作方式：{f.Mode}"];
        }

        if (f.Q is { Length: > 200 })
        {
            errors["q"] = ["关键词不能超过 200 个字符"];
        }

        return errors.Count == 0 ? null : errors;
    }

    /// <summary>Published listings, newest first, with filters. Visible to everyone.</summary>
    public async Task<Paged<ListingView>> BrowseAsync(bool needs, ListingFilter f, CancellationToken ct)
    {
        var q = ApplyFilter(Query(needs).AsNoTracking().Where(l => l.Status == ListingStatus.Published), needs, f);
        var page = await PageAsync(q.OrderByDescending(l => l.PublishedAt).ThenByDescending(l => l.Id), f.Page, f.PageSize, ct);
        return page with { Items = [.. page.Items.Select(WithoutContacts)] };
    }

    /// <summary>Lists open to everyone carry no contacts; a listing's page shows them to signed-in people.</summary>
    private static ListingView WithoutContacts(ListingView v) => v with { ContactName = "", ContactPhone = "" };

    /// <summary>Applies browse filters (validated by <see cref="ValidateFilter"/>) to a listing query.</summary>
    public static IQueryable<Listing> ApplyFilter(IQueryable<Listing> q, bool needs, ListingFilter f)
    {
        if (!string.IsNullOrWhiteSpace(f.Field))
        {
            q = q.Where(l => l.Field == f.Field);
        }

        if (!string.IsNullOrWhiteSpace(f.District))
        {
            q = q.Where(l => l.Organisation!.District == f.District);
        }

        if (!needs && Labels.TryParseMaturity(f.Maturity, out var maturity))
        {
            q = q.Where(l => ((Achievement)l).Maturity == maturity);
        }

        if (Labels.TryParseModes(f.Mode, out var mode) && mode != TransferModes.None)
        {
            q = q.Where(l => (l.TransferModes & mode) == mode);
        }

        if (needs && f.Challenge == true)
        {
            q = q.Where(l => ((Need)l).IsChallenge);
        }

        if (!string.IsNullOrWhiteSpace(f.Q))
        {
            var term = f.Q.Trim();
            q = q.Where(l => l.Title.Contains(term) || l.Keywords.Contains(term) || l.Summary.Contains(term));
        }

        return q;
    }

    /// <summary>Published listings by id (for search hits), keyed by id.</summary>
    public async Task<Dictionary<long, ListingView>> PublishedByIdsAsync(IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        var rows = await db.Listings.Include(l => l.Organisation).AsNoTracking()
            .Where(l => ids.Contains(l.Id) && l.Status == ListingStatus.Published).ToListAsync(ct);
        return rows.ToDictionary(l => l.Id, l => WithoutContacts(ListingView.From(l)));
    }

    /// <summary>The actor's organisation's listings in every state.</summary>
    public async Task<Paged<ListingView>> MineAsync(Actor actor, bool needs, ListingStatus? status, int page, int pageSize, CancellationToken ct)
    {
        var q = Query(needs).AsNoTracking().Where(l => l.OrganisationId == actor.OrganisationId);
        if (status is { } s)
        {
            q = q.Where(l => l.Status == s);
        }

        return await PageAsync(q.OrderByDescending(l => l.UpdatedAt).ThenByDescending(l => l.Id), page, pageSize, ct);
    }

    /// <summary>Listings waiting for review, oldest first.</summary>
    public async Task<Paged<ListingView>> ReviewQueueAsync(bool? needs, int page, int pageSize, CancellationToken ct)
    {
        IQueryable<Listing> q = db.Listings.Include(l => l.Organisation).AsNoTracking().Where(l => l.Status == ListingStatus.Submitted);
        if (needs == true)
        {
            q = q.OfType<Need>();
        }
        else if (needs == false)
        {
            q = q.OfType<Achievement>();
        }

        return await PageAsync(q.OrderBy(l => l.UpdatedAt).ThenBy(l => l.Id), page, pageSize, ct);
    }

    /// <summary>One listing: published ones for everybody; others for their organisation and reviewers.</summary>
    public async Task<ListingView?> GetAsync(bool? needs, long id, Actor? actor, CancellationToken ct)
    {
        var listing = await db.Listings.Include(l => l.Organisation).AsNoTracking().SingleOrDefaultAsync(l => l.Id == id, ct);
        if (listing is null || (needs == true && listing is not Need) || (needs == false && listing is not Achievement))
        {
            return null;
        }

        var visible = listing.Status == ListingStatus.Published
            || (actor is not null && (actor.IsReviewer || actor.OrganisationId == listing.OrganisationId));
        if (!visible)
        {
            return null;
        }

        // Contacts are for signed-in people (and, between two parties, revealed by a match both accepted).
        var view = ListingView.From(listing);
        return actor is null ? view with { ContactName = "", ContactPhone = "" } : view;
    }

    /// <summary>
    /// 参考价 of an achievement the caller may see (<see cref="TechMarket.Market.Deals.PriceGuidance"/>), or null when
    /// it does not exist or is hidden from the caller.
    /// </summary>
    public async Task<TechMarket.Market.Deals.PriceGuidanceView?> PriceGuidanceAsync(long id, Actor? actor, CancellationToken ct)
    {
        var achievement = await db.Achievements.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct);
        var visible = achievement is not null && (achievement.Status == ListingStatus.Published
            || (actor is not null && (actor.IsReviewer || actor.OrganisationId == achievement.OrganisationId)));
        return visible ? await TechMarket.Market.Deals.PriceGuidance.ForAsync(db, achievement!, ct) : null;
    }

    // Writes: each goes to the grain of the listing (or, for a new one, of its organisation), which holds the rules.
    private static ListingType Kind(bool needs) => needs ? ListingType.Need : ListingType.Achievement;

    private IListingGrain Grain(long id) => grains.GetGrain<IListingGrain>(id);

    public Task<OpResult<ListingView>> CreateAsync(Actor actor, bool needs, ListingInput input) =>
        actor.OrganisationId is { } org
            ? grains.GetGrain<IOrganisationGrain>(org).CreateListingAsync(actor, Kind(needs), input)
            : Task.FromResult(OpResult<ListingView>.Forbidden("只有企业或高校院所的成员才能发布"));

    public Task<OpResult<ListingView>> UpdateAsync(Actor actor, bool needs, long id, long expectedVersion, ListingInput input) =>
        Grain(id).UpdateAsync(actor, Kind(needs), expectedVersion, input);

    public Task<OpResult<ListingView>> SubmitAsync(Actor actor, bool needs, long id, long expectedVersion) =>
        Grain(id).SubmitAsync(actor, Kind(needs), expectedVersion);

    public Task<OpResult<ListingView>> WithdrawAsync(Actor actor, bool needs, long id, long expectedVersion) =>
        Grain(id).WithdrawAsync(actor, Kind(needs), expectedVersion);

    public Task<OpResult<ListingView>> CloseAsync(Actor actor, bool needs, long id, long expectedVersion) =>
        Grain(id).CloseAsync(actor, Kind(needs), expectedVersion);

    public Task<OpResult<bool>> DeleteDraftAsync(Actor actor, bool needs, long id, long expectedVersion) =>
        Grain(id).DeleteDraftAsync(actor, Kind(needs), expectedVersion);

    /// <summary>A reviewer publishes a submitted listing or returns it with reasons (整改意见).</summary>
    public Task<OpResult<ListingView>> ReviewAsync(Actor actor, long id, long expectedVersion, bool publish, string? note) =>
        Grain(id).ReviewAsync(actor, expectedVersion, publish, note);

    private static async Task<Paged<ListingView>> PageAsync(IQueryable<Listing> q, int page, int pageSize, CancellationToken ct)
    {
        var total = await q.CountAsync(ct);
        var items = await q.Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return new Paged<ListingView>([.. items.Select(l => ListingView.From(l))], total, page, pageSize);
    }
}
