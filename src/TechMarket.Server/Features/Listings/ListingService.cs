using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Server.Infrastructure;

namespace TechMarket.Server.Features.Listings;

/// <summary>
/// The rules of needs and achievements — who may see, edit, submit, review — used by both the REST API and
/// the web UI so they can never disagree.
/// </summary>
internal sealed class ListingService(MarketDb db, TimeProvider clock)
{
    public const int MaxPageSize = Paging.MaxPageSize;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private DateOnly Today => DateOnly.FromDateTime(clock.GetLocalNow().DateTime);

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
        return await PageAsync(q.OrderByDescending(l => l.PublishedAt).ThenByDescending(l => l.Id), f.Page, f.PageSize, ct);
    }

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
        return rows.ToDictionary(l => l.Id, ListingView.From);
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
        return visible ? ListingView.From(listing) : null;
    }

    public async Task<OpResult<ListingView>> CreateAsync(Actor actor, bool needs, ListingInput input, CancellationToken ct)
    {
        if (actor.OrganisationId is not { } org)
        {
            return OpResult<ListingView>.Forbidden("只有企业或高校院所的成员才能发布");
        }

        var errors = ListingRules.Validate(input, needs, forSubmission: false, Today);
        if (errors.Count > 0)
        {
            return OpResult<ListingView>.Invalid(errors);
        }

        Listing listing = needs ? new Need() : new Achievement();
        ListingRules.Apply(input, listing);
        listing.OrganisationId = org;
        listing.CreatedById = actor.UserId;
        listing.Status = ListingStatus.Draft;
        listing.CreatedAt = listing.UpdatedAt = Now;
        listing.Version = 1;
        db.ActorId = actor.UserId;
        db.Listings.Add(listing);
        await db.SaveChangesAsync(ct);
        await db.Entry(listing).Reference(l => l.Organisation).LoadAsync(ct);
        return OpResult<ListingView>.Ok(ListingView.From(listing));
    }

    public Task<OpResult<ListingView>> UpdateAsync(Actor actor, bool needs, long id, long expectedVersion, ListingInput input, CancellationToken ct) =>
        ChangeOwnAsync(actor, needs, id, expectedVersion, listing =>
        {
            if (listing.Status is ListingStatus.Closed or ListingStatus.Expired)
            {
                return OpResult<ListingView>.Conflict($"{Labels.Of(listing.Status)}的信息不能再修改");
            }

            var errors = ListingRules.Validate(input, needs, forSubmission: listing.Status is ListingStatus.Submitted or ListingStatus.Published, Today);
            if (errors.Count > 0)
            {
                return OpResult<ListingView>.Invalid(errors);
            }

            ListingRules.Apply(input, listing);

            // Nothing a visitor sees may be unreviewed: an edit of a published listing goes back to review.
            if (listing.Status == ListingStatus.Published)
            {
                listing.Status = ListingStatus.Submitted;
            }

            return null;
        }, ct);

    public Task<OpResult<ListingView>> SubmitAsync(Actor actor, bool needs, long id, long expectedVersion, CancellationToken ct) =>
        ChangeOwnAsync(actor, needs, id, expectedVersion, listing =>
        {
            if (listing.Status is not (ListingStatus.Draft or ListingStatus.Returned or ListingStatus.Withdrawn))
            {
                return OpResult<ListingView>.Conflict($"当前状态（{Labels.Of(listing.Status)}）不能提交审核");
            }

            var errors = ListingRules.Validate(ListingRules.ToInput(listing), needs, forSubmission: true, Today);
            if (errors.Count > 0)
            {
                return OpResult<ListingView>.Invalid(errors, "还有必填项未完成，不能提交审核");
            }

            listing.Status = ListingStatus.Submitted;
            listing.ReviewNote = null;
            return null;
        }, ct);

    public Task<OpResult<ListingView>> WithdrawAsync(Actor actor, bool needs, long id, long expectedVersion, CancellationToken ct) =>
        ChangeOwnAsync(actor, needs, id, expectedVersion, listing =>
        {
            if (listing.Status is not (ListingStatus.Submitted or ListingStatus.Published))
            {
                return OpResult<ListingView>.Conflict($"当前状态（{Labels.Of(listing.Status)}）不能撤回");
            }

            listing.Status = ListingStatus.Withdrawn;
            return null;
        }, ct);

    public Task<OpResult<ListingView>> CloseAsync(Actor actor, bool needs, long id, long expectedVersion, CancellationToken ct) =>
        ChangeOwnAsync(actor, needs, id, expectedVersion, listing =>
        {
            if (listing.Status != ListingStatus.Published)
            {
                return OpResult<ListingView>.Conflict("只有已发布的信息才能标记为成交关闭");
            }

            listing.Status = ListingStatus.Closed;
            return null;
        }, ct);

    public async Task<OpResult<bool>> DeleteDraftAsync(Actor actor, bool needs, long id, long expectedVersion, CancellationToken ct)
    {
        var result = await ChangeOwnAsync(actor, needs, id, expectedVersion, listing =>
        {
            if (listing.Status != ListingStatus.Draft)
            {
                return OpResult<ListingView>.Conflict("只能删除草稿；已提交的信息请撤回");
            }

            db.Listings.Remove(listing);
            return null;
        }, ct);
        return result.Status == OpStatus.Ok ? OpResult<bool>.Ok(true) : new OpResult<bool>(result.Status, false, result.Message, result.Errors);
    }

    /// <summary>A reviewer publishes a submitted listing or returns it with reasons (整改意见).</summary>
    public async Task<OpResult<ListingView>> ReviewAsync(Actor actor, long id, long expectedVersion, bool publish, string? note, CancellationToken ct)
    {
        if (!actor.IsReviewer)
        {
            return OpResult<ListingView>.Forbidden("只有组织方或管理员可以审核");
        }

        if (!publish && string.IsNullOrWhiteSpace(note))
        {
            return OpResult<ListingView>.Invalid(new Dictionary<string, string[]> { ["note"] = ["退回时请写明原因"] });
        }

        if (note is { Length: > 2000 })
        {
            return OpResult<ListingView>.Invalid(new Dictionary<string, string[]> { ["note"] = ["审核意见不能超过 2000 个字符"] });
        }

        var listing = await db.Listings.Include(l => l.Organisation).SingleOrDefaultAsync(l => l.Id == id, ct);
        if (listing is null)
        {
            return OpResult<ListingView>.NotFound();
        }

        if (listing.Status != ListingStatus.Submitted)
        {
            return OpResult<ListingView>.Conflict($"当前状态（{Labels.Of(listing.Status)}）不在待审核队列中");
        }

        listing.Status = publish ? ListingStatus.Published : ListingStatus.Returned;
        listing.ReviewNote = publish ? null : note!.Trim();
        if (publish)
        {
            listing.PublishedAt = Now;
        }

        return await SaveAsync(actor, listing, expectedVersion, ct);
    }

    private async Task<OpResult<ListingView>> ChangeOwnAsync(
        Actor actor, bool needs, long id, long expectedVersion, Func<Listing, OpResult<ListingView>?> change, CancellationToken ct)
    {
        var listing = await Query(needs).SingleOrDefaultAsync(l => l.Id == id, ct);
        if (listing is null)
        {
            return OpResult<ListingView>.NotFound();
        }

        if (listing.OrganisationId != actor.OrganisationId)
        {
            return OpResult<ListingView>.Forbidden("只能修改本机构的信息");
        }

        var refused = change(listing);
        return refused ?? await SaveAsync(actor, listing, expectedVersion, ct);
    }

    private async Task<OpResult<ListingView>> SaveAsync(Actor actor, Listing listing, long expectedVersion, CancellationToken ct)
    {
        if (listing.Version != expectedVersion)
        {
            return OpResult<ListingView>.Conflict($"该信息已被他人修改（当前版本 {listing.Version}，您提交的版本 {expectedVersion}），请刷新后重试");
        }

        if (db.Entry(listing).State != EntityState.Deleted)
        {
            listing.UpdatedAt = Now;
        }

        db.ActorId = actor.UserId;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return OpResult<ListingView>.Conflict("该信息刚刚被他人修改，请刷新后重试");
        }

        return OpResult<ListingView>.Ok(ListingView.From(listing));
    }

    private static async Task<Paged<ListingView>> PageAsync(IQueryable<Listing> q, int page, int pageSize, CancellationToken ct)
    {
        var total = await q.CountAsync(ct);
        var items = await q.Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return new Paged<ListingView>([.. items.Select(ListingView.From)], total, page, pageSize);
    }
}
