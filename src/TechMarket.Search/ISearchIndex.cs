namespace TechMarket.Search;

/// <summary>
/// The search port. Implementations analyse text with the application's analyser and score with the same
/// BM25, so the same data and query give the same order on every backend.
/// </summary>
public interface ISearchIndex
{
    /// <summary>Adds or replaces listings (by id) in one transaction.</summary>
    Task UpsertAsync(IReadOnlyCollection<SearchDocument> documents, CancellationToken cancellationToken = default);

    /// <summary>Removes listings by id; unknown ids are ignored.</summary>
    Task DeleteAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default);

    /// <summary>Runs a query. Never throws for any user text.</summary>
    Task<SearchResult> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Highlights <paramref name="query"/>'s terms in each of <paramref name="texts"/> exactly as search hits are
    /// highlighted: whole titles when <paramref name="window"/> is null, else a snippet of about that many characters
    /// around the best passage. For callers that reorder hits and highlight only what they show.
    /// </summary>
    IReadOnlyList<HighlightedText> Highlight(string query, IReadOnlyList<string> texts, int? window);

    /// <summary>Autocomplete from keywords and titles for what the user has typed so far.</summary>
    Task<IReadOnlyList<Suggestion>> SuggestAsync(string prefix, int limit = 10, CancellationToken cancellationToken = default);

    /// <summary>Removes every listing from the index.</summary>
    Task ClearAsync(CancellationToken cancellationToken = default);

    /// <summary>Merges the index's postings into one block and drops deleted entries (after a bulk build).</summary>
    Task OptimizeAsync(CancellationToken cancellationToken = default);
}
