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
