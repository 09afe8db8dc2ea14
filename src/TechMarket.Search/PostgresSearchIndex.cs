using System.Data.Common;
using Npgsql;
using TechMarket.Search.Analysis;
using TechMarket.Search.Storage;

namespace TechMarket.Search;

/// <summary>
/// The PostgreSQL backend: the same tables (prefixed <c>search_</c>) and the same scoring as the SQLite backend,
/// so several server nodes can share one index; writes can join the market's transaction.
/// </summary>
public sealed class PostgresSearchIndex : ISearchIndex, IDisposable
{
    private readonly SearchEngine _engine;

    /// <summary>Opens the index in the database named by <paramref name="connectionString"/> (one connection per operation).</summary>
    public PostgresSearchIndex(string connectionString, SearchIndexOptions? options = null)
        : this(connectionString, null, options, SearchAnalyzers.Default)
    {
    }

    /// <summary>Uses one open connection for every operation (serialised).</summary>
    public PostgresSearchIndex(NpgsqlConnection connection, SearchIndexOptions? options = null)
        : this(null, connection, options, SearchAnalyzers.Default)
    {
    }

    internal PostgresSearchIndex(string? connectionString, NpgsqlConnection? connection, SearchIndexOptions? options, ISearchAnalyzer analyzer) =>
        _engine = new SearchEngine(PostgresDialect.Instance, connectionString, connection, options ?? SearchIndexOptions.Default, analyzer);

    /// <summary>Creates the <c>search_</c> tables if they are missing, inside the caller's transaction.</summary>
    public Task EnsureSchemaAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction = null, CancellationToken cancellationToken = default) =>
        _engine.EnsureSchemaAsync(connection, transaction, cancellationToken);

    /// <inheritdoc />
    public Task UpsertAsync(IReadOnlyCollection<SearchDocument> documents, CancellationToken cancellationToken = default) =>
        _engine.UpsertAsync(documents, null, null, cancellationToken);

    /// <summary>Adds or replaces listings inside the caller's connection and (optional) transaction.</summary>
    public Task UpsertAsync(IReadOnlyCollection<SearchDocument> documents, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken = default) =>
        _engine.UpsertAsync(documents, connection, transaction, cancellationToken);

    /// <inheritdoc />
    public Task DeleteAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default) =>
        _engine.DeleteAsync(ids, null, null, cancellationToken);

    /// <summary>Removes listings inside the caller's connection and (optional) transaction.</summary>
    public Task DeleteAsync(IReadOnlyCollection<long> ids, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken = default) =>
        _engine.DeleteAsync(ids, connection, transaction, cancellationToken);

    /// <inheritdoc />
    public Task<SearchResult> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default) =>
        _engine.SearchAsync(query, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Suggestion>> SuggestAsync(string prefix, int limit = 10, CancellationToken cancellationToken = default) =>
        _engine.SuggestAsync(prefix, limit, cancellationToken);

    /// <inheritdoc />
    public Task ClearAsync(CancellationToken cancellationToken = default) => _engine.ClearAsync(null, null, cancellationToken);

    /// <inheritdoc />
    public Task OptimizeAsync(CancellationToken cancellationToken = default) => _engine.OptimizeAsync(cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _engine.Dispose();
}
