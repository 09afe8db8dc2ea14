using Microsoft.Data.Sqlite;
using TechMarket.Search.Analysis;
using TechMarket.Search.Storage;

namespace TechMarket.Search;

/// <summary>
/// The embedded backend: the index lives in tables prefixed <c>search_</c>, so it can share the market's SQLite
/// file and be written in the same transaction as a listing (see the overloads taking a connection).
/// </summary>
public sealed class SqliteSearchIndex : SqlSearchIndex
{
    /// <summary>Opens the index in the database named by <paramref name="connectionString"/> (one connection per operation).</summary>
    public SqliteSearchIndex(string connectionString, SearchIndexOptions? options = null)
        : this(connectionString, null, options, SearchAnalyzers.Default)
    {
    }

    /// <summary>Uses one open connection for every operation (serialised), e.g. an in-memory database.</summary>
    public SqliteSearchIndex(SqliteConnection connection, SearchIndexOptions? options = null)
        : this(null, connection, options, SearchAnalyzers.Default)
    {
    }

    internal SqliteSearchIndex(string? connectionString, SqliteConnection? connection, SearchIndexOptions? options, ISearchAnalyzer analyzer)
        : base(new SearchEngine(SqliteDialect.Instance, connectionString, connection, options ?? SearchIndexOptions.Default, analyzer))
    {
    }

    /// <summary>Creates the <c>search_</c> tables if they are missing, inside the caller's transaction.</summary>
    public Task EnsureSchemaAsync(SqliteConnection connection, SqliteTransaction? transaction = null, CancellationToken cancellationToken = default) =>
        Engine.EnsureSchemaAsync(connection, transaction, cancellationToken);
}
