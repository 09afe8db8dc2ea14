namespace TechMarket.Search;

/// <summary>Result order.</summary>
public enum SearchSort
{
    /// <summary>BM25 score, best first; ties by id. With no query text, the same as <see cref="Newest"/>.</summary>
    Relevance = 0,

    /// <summary>Most recently updated first.</summary>
    Newest = 1,

    /// <summary>Cheapest first; negotiable prices last.</summary>
    PriceAscending = 2,

    /// <summary>Most expensive first; negotiable prices last.</summary>
    PriceDescending = 3,
}

/// <summary>
/// A search request. Every value is accepted: the text is analysed as plain words (no operator syntax),
/// out-of-range paging is clamped, unknown facet values simply match nothing.
/// </summary>
public sealed record SearchQuery
{
    /// <summary>What the user typed; null or blank browses every listing that passes the filters.</summary>
    public string? Text { get; init; }

    /// <summary>Only needs or only achievements; null for both.</summary>
    public ListingKind? Kind { get; init; }

    /// <summary>Any of these fields (领域); empty for no restriction.</summary>
    public IReadOnlyList<string> Fields { get; init; } = [];

    /// <summary>Any of these districts; empty for no restriction.</summary>
    public IReadOnlyList<string> Districts { get; init; } = [];

    /// <summary>Any of these maturities; empty for no restriction.</summary>
    public IReadOnlyList<string> Maturities { get; init; } = [];

    /// <summary>Listings offering any of these transfer modes; empty for no restriction.</summary>
    public IReadOnlyList<string> TransferModes { get; init; } = [];

    /// <summary>Any of these price bands (see <see cref="PriceBands"/>); empty for no restriction.</summary>
    public IReadOnlyList<string> PriceBandNames { get; init; } = [];

    /// <summary>Any of these statuses; empty for no restriction.</summary>
    public IReadOnlyList<string> Statuses { get; init; } = [];

    /// <summary>Updated at or after this instant.</summary>
    public DateTimeOffset? UpdatedFrom { get; init; }

    /// <summary>Updated strictly before this instant.</summary>
    public DateTimeOffset? UpdatedBefore { get; init; }

    /// <summary>Result order.</summary>
    public SearchSort Sort { get; init; } = SearchSort.Relevance;

    /// <summary>1-based page number; values below 1 mean 1.</summary>
    public int Page { get; init; } = 1;

    /// <summary>Hits per page, clamped to 1–1000.</summary>
    public int PageSize { get; init; } = 20;

    /// <summary>Whether to count facets (skip for bulk evaluation).</summary>
    public bool IncludeFacets { get; init; } = true;

    /// <summary>Whether each hit carries its score's parts (per field, coverage): the matcher's features.</summary>
    public bool IncludeScoreParts { get; init; }

    /// <summary>Whether to compute highlights on the original text (skip for bulk evaluation).</summary>
    public bool IncludeHighlights { get; init; } = true;
}
