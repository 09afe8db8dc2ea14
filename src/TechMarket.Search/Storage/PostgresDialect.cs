using System.Data;
using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace TechMarket.Search.Storage;

internal sealed class PostgresDialect : ISqlDialect
{
    public static PostgresDialect Instance { get; } = new();

    public IReadOnlyList<string> Schema { get; } =
    [
        // Concurrent CREATE TABLE IF NOT EXISTS can fail on PostgreSQL (duplicate pg_type row): one creator at a time,
        // across server nodes, until the transaction ends.
        "SELECT pg_advisory_xact_lock(724873)",
        "CREATE TABLE IF NOT EXISTS search_meta (name TEXT PRIMARY KEY, value BIGINT NOT NULL)",
        "INSERT INTO search_meta (name, value) VALUES ('seq', 0), ('purged', 0) ON CONFLICT DO NOTHING",
        "CREATE TABLE IF NOT EXISTS search_docs (doc_id BIGINT PRIMARY KEY, seg BIGINT NOT NULL, deleted INTEGER NOT NULL, kind INTEGER NOT NULL, " +
        "title TEXT NOT NULL, body TEXT NOT NULL, keywords TEXT NOT NULL, field TEXT, district TEXT, maturity TEXT, modes TEXT NOT NULL, " +
        "price DOUBLE PRECISION, status TEXT NOT NULL, updated_ms BIGINT NOT NULL, l0 INTEGER NOT NULL, l1 INTEGER NOT NULL, l2 INTEGER NOT NULL, " +
        "l3 INTEGER NOT NULL, l4 INTEGER NOT NULL, l5 INTEGER NOT NULL)",
        "CREATE INDEX IF NOT EXISTS search_docs_seg ON search_docs (seg)",
        "CREATE TABLE IF NOT EXISTS search_postings (term TEXT COLLATE \"C\" NOT NULL, block BIGINT NOT NULL, data BYTEA NOT NULL, PRIMARY KEY (term, block))",
        "CREATE INDEX IF NOT EXISTS search_postings_block ON search_postings (block)",
        "CREATE TABLE IF NOT EXISTS search_blocks (block BIGINT PRIMARY KEY, entries BIGINT NOT NULL)",
    ];

    public bool SchemaBeforeCallerTransaction => true;

    public int DocRowsPerStatement => 100;

    public Task MigrateAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) => Task.CompletedTask;

    public DbConnection CreateConnection(string connectionString) => new NpgsqlConnection(connectionString);

    public Task PrepareConnectionAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task PrepareLeaseAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    // Repeatable read gives the search one snapshot of the sequence, the documents and the postings.
    public DbTransaction BeginRead(DbConnection connection) => connection.BeginTransaction(IsolationLevel.RepeatableRead);

    public DbTransaction BeginWrite(DbConnection connection) => connection.BeginTransaction(IsolationLevel.ReadCommitted);

    public string InSet(string column, string parameter) => $"{column} = ANY({parameter})";

    public object TextSet(IReadOnlyCollection<string> values) => values.ToArray();

    public object IdSet(IReadOnlyCollection<long> values) => values.ToArray();

    public async Task InsertPostingsAsync(DbConnection connection, DbTransaction transaction, long block, IReadOnlyList<KeyValuePair<string, byte[]>> rows, CancellationToken cancellationToken)
    {
        await using var writer = await ((NpgsqlConnection)connection).BeginBinaryImportAsync(
            "COPY search_postings (term, block, data) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var (term, data) in rows)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(term, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(block, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(data, NpgsqlDbType.Bytea, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
    }
}
