using System.Data.Common;

namespace TechMarket.Search.Storage;

/// <summary>The few places where SQLite and PostgreSQL differ; every query is otherwise shared.</summary>
internal interface ISqlDialect
{
    /// <summary>Document rows written by one INSERT statement.</summary>
    int DocRowsPerStatement { get; }

    DbConnection CreateConnection(string connectionString);

    /// <summary>Per-connection settings run when the engine opens its own connection.</summary>
    Task PrepareConnectionAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Settings run each time the engine leases one of its own (pooled) connections.</summary>
    Task PrepareLeaseAsync(DbConnection connection, CancellationToken cancellationToken);

    IReadOnlyList<string> Schema { get; }

    /// <summary>
    /// Whether the schema is created in a transaction of its own before the first write inside a caller's
    /// transaction. On PostgreSQL, <c>CREATE INDEX IF NOT EXISTS</c> takes a SHARE lock on the table even when the
    /// index exists, and two callers' transactions then deadlock on each other's row locks; SQLite runs one writer
    /// at a time, and a second connection would wait on the caller's own write lock.
    /// </summary>
    bool SchemaBeforeCallerTransaction { get; }

    /// <summary>Brings tables written by an earlier version of the engine to the current layout (before <see cref="Schema"/>).</summary>
    Task MigrateAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken);

    DbTransaction BeginRead(DbConnection connection);

    DbTransaction BeginWrite(DbConnection connection);

    /// <summary>SQL that tests <paramref name="column"/> against the set bound to <paramref name="parameter"/>.</summary>
    string InSet(string column, string parameter);

    object TextSet(IReadOnlyCollection<string> values);

    object IdSet(IReadOnlyCollection<long> values);

    Task InsertPostingsAsync(
        DbConnection connection,
        DbTransaction transaction,
        long block,
        IReadOnlyList<KeyValuePair<string, byte[]>> rows,
        CancellationToken cancellationToken);
}
