using System.Data.Common;
using TechMarket.Search.Storage;

namespace TechMarket.Search;

/// <summary>
/// What the SQL backends share: one <see cref="SearchEngine"/> over their dialect, and writes that can join the
/// caller's connection and transaction (so a listing and its index entry commit together).
/// </summary>
public abstract class SqlSearchIndex : ISearchIndex, IDisposable
{
    private protected SqlSearchIndex(SearchEngine engine) => Engine = engine;

    private protected SearchEngine Engine { get; }

    /// <inheritdoc />
    public Task UpsertAsync(IReadOnlyCollection<SearchDocument> documents, CancellationToken cancellationToken = default) =>
        Engine.UpsertAsync(documents, null, null, cancellationToken);

    /// <summary>Adds or replaces listings inside the caller's connection and (optional) transaction.</summary>
    public Task UpsertAsync(IReadOnlyCollection<SearchDocument> documents, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken = default) =>
        Engine.UpsertAsync(documents, connection, transaction, cancellationToken);

    /// <inheritdoc />
    public Task DeleteAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default) =>
        Engine.DeleteAsync(ids, null, null, cancellationToken);

    /// <summary>Removes listings inside the caller's connection and (optional) transaction.</summary>
    public Task DeleteAsync(IReadOnlyCollection<long> ids, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken = default) =>
        Engine.DeleteAsync(ids, connection, transaction, cancellationToken);

    /// <inheritdoc />
    public Task<SearchResult> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default) =>
        Engine.SearchAsync(query, cancellationToken);

    /// <inheritdoc />
    public IReadOnlyList<HighlightedText> Highlight(string query, IReadOnlyList<string> texts, int? window) => Engine.Highlight(query, texts, window);

    /// <summary>The length of a hit's snippet (what <see cref="Highlight"/> takes as its window for a body).</summary>
    public static int SnippetLength => Highlighter.SnippetLength;

    /// <inheritdoc />
    public Task<IReadOnlyList<Suggestion>> SuggestAsync(string prefix, int limit = 10, CancellationToken cancellationToken = default) =>
        Engine.SuggestAsync(prefix, limit, cancellationToken);

    /// <inheritdoc />
    public Task ClearAsync(CancellationToken cancellationToken = default) => Engine.ClearAsync(null, null, cancellationToken);

    /// <inheritdoc />
    public Task OptimizeAsync(CancellationToken cancellationToken = default) => Engine.OptimizeAsync(cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        Engine.Dispose();
        GC.SuppressFinalize(this);
    }
}
