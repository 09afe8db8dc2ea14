using Npgsql;
using TechMarket.Search.Analysis;
using TechMarket.Search.Storage;

namespace TechMarket.Search;

/// <summary>
/// The PostgreSQL backend: the same tables (prefixed <c>search_</c>) and the same scoring as the SQLite backend,
/// so several server nodes can share one index; writes can join the market's transaction.
/// </summary>
public sealed class PostgresSearchIndex : SqlSearchIndex
{
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

    internal PostgresSearchIndex(string? connectionString, NpgsqlConnection? connection, SearchIndexOptions? options, ISearchAnalyzer analyzer)
        : base(new SearchEngine(PostgresDialect.Instance, connectionString, connection, options ?? SearchIndexOptions.Default, analyzer))
    {
    }

    /// <summary>Creates the <c>search_</c> tables if they are missing, inside the caller's transaction.</summary>
    public Task EnsureSchemaAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction = null, CancellationToken cancellationToken = default) =>
        Engine.EnsureSchemaAsync(connection, transaction, cancellationToken);
}
