using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace TechMarket.Search.Storage;

internal sealed class SqliteDialect : ISqlDialect
{
    public static SqliteDialect Instance { get; } = new();

    public IReadOnlyList<string> Schema { get; } =
    [
        "CREATE TABLE IF NOT EXISTS search_meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
        "INSERT INTO search_meta (name, value) VALUES ('seq', 0), ('purged', 0) ON CONFLICT DO NOTHING",
        "CREATE TABLE IF NOT EXISTS search_docs (doc_id INTEGER PRIMARY KEY, seg INTEGER NOT NULL, deleted INTEGER NOT NULL, kind INTEGER NOT NULL, " +
        "title TEXT NOT NULL, body TEXT NOT NULL, keywords TEXT NOT NULL, field TEXT, district TEXT, maturity TEXT, modes TEXT NOT NULL, price REAL, " +
        "status TEXT NOT NULL, updated_ms INTEGER NOT NULL, l0 INTEGER NOT NULL, l1 INTEGER NOT NULL, l2 INTEGER NOT NULL, l3 INTEGER NOT NULL, " +
        "l4 INTEGER NOT NULL, l5 INTEGER NOT NULL)",
        "CREATE INDEX IF NOT EXISTS search_docs_seg ON search_docs (seg)",
        "CREATE TABLE IF NOT EXISTS search_postings (term TEXT NOT NULL, block INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (term, block)) WITHOUT ROWID",
        "CREATE INDEX IF NOT EXISTS search_postings_block ON search_postings (block)",
        "CREATE TABLE IF NOT EXISTS search_blocks (block INTEGER PRIMARY KEY, entries INTEGER NOT NULL)",
    ];

    public DbConnection CreateConnection(string connectionString) => new SqliteConnection(connectionString);

    public async Task PrepareConnectionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // WAL lets searches read while a write is in progress; it is stored in the file, so once is enough.
        await Sql.ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL", cancellationToken);
        await Sql.ExecuteAsync(connection, null, "PRAGMA synchronous=NORMAL", cancellationToken);
    }

    public DbTransaction BeginRead(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: true);

    public DbTransaction BeginWrite(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction();

    public string InSet(string column, string parameter) => $"{column} IN (SELECT value FROM json_each({parameter}))";

    public object TextSet(IReadOnlyCollection<string> values) => JsonSerializer.Serialize(values);

    public object IdSet(IReadOnlyCollection<long> values) => JsonSerializer.Serialize(values);

    public async Task InsertPostingsAsync(DbConnection connection, DbTransaction transaction, long block, IReadOnlyList<KeyValuePair<string, byte[]>> rows, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(connection, transaction, "INSERT INTO search_postings (term, block, data) VALUES (@t, @b, @d)",
            ("@t", ""), ("@b", block), ("@d", Array.Empty<byte>()));
        command.Prepare();
        foreach (var (term, data) in rows)
        {
            command.Parameters[0].Value = term;
            command.Parameters[2].Value = data;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
