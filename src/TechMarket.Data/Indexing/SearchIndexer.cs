using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Search;
using Listing = TechMarket.Data.Model.Listing;

namespace TechMarket.Data.Indexing;

/// <summary>
/// Keeps the search index in step with the market: every save that publishes, edits, withdraws, closes, expires or
/// deletes a listing writes the index in the SAME database transaction (the index's tables live in the market's
/// database), so a crash can never leave the records and the index disagreeing. Only published listings are indexed.
/// </summary>
public sealed class SearchIndexer(SqlSearchIndex index) : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, List<(Listing Listing, bool Removed)>> _pending = [];

    public SqlSearchIndex Index => index;

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            var changed = context.ChangeTracker.Entries<Listing>()
                .Where(e => e.State is EntityState.Modified or EntityState.Deleted || (e.State == EntityState.Added && e.Entity.Status == ListingStatus.Published))
                .Select(e => (e.Entity, e.State == EntityState.Deleted))
                .ToList();
            if (changed.Count > 0)
            {
                _pending.AddOrUpdate(context, changed);
            }
        }

        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is MarketDb db && _pending.TryGetValue(db, out var changed))
        {
            _pending.Remove(db);
            await ApplyAsync(db, changed, cancellationToken);
        }

        return result;
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            _pending.Remove(context);
        }

        return Task.CompletedTask;
    }

    private async Task ApplyAsync(MarketDb db, List<(Listing Listing, bool Removed)> changed, CancellationToken ct)
    {
        var published = changed.Where(c => !c.Removed && c.Listing.Status == ListingStatus.Published).Select(c => c.Listing).ToList();
        var gone = changed.Where(c => c.Removed || c.Listing.Status != ListingStatus.Published).Select(c => c.Listing.Id).ToList();
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        if (published.Count > 0)
        {
            await index.UpsertAsync(await ToDocumentsAsync(db, published, ct), connection, transaction, ct);
        }

        if (gone.Count > 0)
        {
            await index.DeleteAsync(gone, connection, transaction, ct);
        }
    }

    /// <summary>Rebuilds the index from the records (published listings only), in batches.</summary>
    public async Task<int> RebuildAsync(MarketDb db, IProgress<(int Done, int Total)>? progress = null, CancellationToken ct = default)
    {
        var ids = await db.Listings.AsNoTracking().Where(l => l.Status == ListingStatus.Published).OrderBy(l => l.Id).Select(l => l.Id).ToListAsync(ct);
        await index.ClearAsync(ct);
        for (var i = 0; i < ids.Count; i += 1000)
        {
            var batch = ids.Skip(i).Take(1000).ToList();
            var listings = await db.Listings.AsNoTracking().Include(l => l.Organisation).Where(l => batch.Contains(l.Id)).ToListAsync(ct);
            await index.UpsertAsync(await ToDocumentsAsync(db, listings, ct), ct);
            progress?.Report((Math.Min(i + batch.Count, ids.Count), ids.Count));
        }

        await index.OptimizeAsync(ct);
        return ids.Count;
    }

    /// <summary>Rebuilds when the index does not hold exactly the published listings (a new or older database).</summary>
    public async Task<bool> CatchUpAsync(MarketDb db, CancellationToken ct)
    {
        var published = await db.Listings.CountAsync(l => l.Status == ListingStatus.Published, ct);
        var indexed = (await index.SearchAsync(new SearchQuery { PageSize = 1, IncludeFacets = false, IncludeHighlights = false }, ct)).Total;
        if (published == indexed)
        {
            return false;
        }

        await RebuildAsync(db, null, ct);
        return true;
    }

    private static async Task<List<SearchDocument>> ToDocumentsAsync(MarketDb db, List<Listing> listings, CancellationToken ct)
    {
        var missing = listings.Where(l => l.Organisation is null).Select(l => l.OrganisationId).Distinct().ToList();
        var districts = missing.Count == 0
            ? []
            : await db.Organisations.AsNoTracking().Where(o => missing.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.District, ct);
        return [.. listings.Select(l => ToDocument(l, l.Organisation?.District ?? districts.GetValueOrDefault(l.OrganisationId)))];
    }

    /// <summary>Opens the index that lives in the market's own database.</summary>
    public static SqlSearchIndex OpenIndex(DatabaseOptions database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.IsPostgres
            ? new PostgresSearchIndex(database.ConnectionString!)
            : new SqliteSearchIndex(database.ConnectionString!);
    }

    /// <summary>The search engine's view of a listing: every descriptive field as body, its facets.</summary>
    public static SearchDocument ToDocument(Listing l, string? district)
    {
        var body = l switch
        {
            Need n => string.Join("\n", new[] { n.Summary, n.Problem, n.KeyPoints, n.Targets }.Where(s => !string.IsNullOrWhiteSpace(s))),
            Achievement a => string.Join("\n", new[] { a.Summary, a.IntellectualProperty }.Where(s => !string.IsNullOrWhiteSpace(s))),
            _ => l.Summary,
        };
        var price = l switch
        {
            Need n => n.BudgetWan,
            Achievement a => a.PriceWan,
            _ => null,
        };
        var maturity = l is Achievement { Maturity: not Maturity.Unspecified } ach ? Labels.Of(ach.Maturity) : null;
        return new SearchDocument
        {
            Id = l.Id,
            Kind = l is Need ? ListingKind.Need : ListingKind.Achievement,
            Title = l.Title,
            Body = body,
            Keywords = ListingRules.SplitKeywords(l.Keywords),
            Field = string.IsNullOrEmpty(l.Field) ? null : l.Field,
            District = district,
            Maturity = maturity,
            TransferModes = [.. Labels.TransferModeLabels.Where(t => l.TransferModes.HasFlag(t.Mode)).Select(t => t.Label)],
            Price = price is { } p ? (double)p : null,
            Status = "published",
            UpdatedAt = new DateTimeOffset(DateTime.SpecifyKind(l.PublishedAt ?? l.UpdatedAt, DateTimeKind.Utc)),
        };
    }
}
