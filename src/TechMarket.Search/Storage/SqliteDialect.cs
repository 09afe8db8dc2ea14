using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace TechMarket.Search.Storage;

internal sealed class SqliteDialect : ISqlDialect
{
    private const int PostingsRowsPerStatement = 200;

    // Keyed by block first: a new block's rows are appended at the end of the table instead of being spread
    // over every page of it; searches find a term's rows through the small (term) index.
    private const string PostingsTable =
        "CREATE TABLE IF NOT EXISTS search_postings (block INTEGER NOT NULL, term TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (block, term)) WITHOUT ROWID";

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
        PostingsTable,
        "CREATE INDEX IF NOT EXISTS search_postings_term ON search_postings (term)",
        "CREATE TABLE IF NOT EXISTS search_blocks (block INTEGER PRIMARY KEY, entries INTEGER NOT NULL)",
    ];

    public bool SchemaBeforeCallerTransaction => false;

    public int DocRowsPerStatement => 1;

    public async Task MigrateAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        // Indexes written before the table was keyed by block keep their postings: they are copied once.
        await using var command = Sql.Command(connection, transaction, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'search_postings'");
        if (await command.ExecuteScalarAsync(cancellationToken) is not string sql || !sql.Contains("PRIMARY KEY (term, block)", StringComparison.Ordinal))
        {
            return;
        }

        await Sql.ExecuteAsync(connection, transaction, "ALTER TABLE search_postings RENAME TO search_postings_old", cancellationToken);
        await Sql.ExecuteAsync(connection, transaction, PostingsTable, cancellationToken);
        await Sql.ExecuteAsync(connection, transaction, "INSERT INTO search_postings (block, term, data) SELECT block, term, data FROM search_postings_old ORDER BY block, term", cancellationToken);
        await Sql.ExecuteAsync(connection, transaction, "DROP TABLE search_postings_old", cancellationToken);
    }

    public DbConnection CreateConnection(string connectionString) => new SqliteConnection(connectionString);

    public async Task PrepareConnectionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // WAL lets searches read while a write is in progress; it is stored in the file, so once is enough.
        await Sql.ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL", cancellationToken);
        await Sql.ExecuteAsync(connection, null, "PRAGMA synchronous=NORMAL", cancellationToken);
    }

    // Per connection: a 64 MiB page cache instead of the default 2 MiB (postings writes and merges touch many pages).
    public Task PrepareLeaseAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Sql.ExecuteAsync(connection, null, "PRAGMA cache_size=-65536", cancellationToken);

    public DbTransaction BeginRead(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: true);

    public DbTransaction BeginWrite(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction();

    public string InSet(string column, string parameter) => $"{column} IN (SELECT value FROM json_each({parameter}))";

    public object TextSet(IReadOnlyCollection<string> values) => JsonSerializer.Serialize(values);

    public object IdSet(IReadOnlyCollection<long> values) => JsonSerializer.Serialize(values);

    public async Task InsertPostingsAsync(DbConnection connection, DbTransaction transaction, long block, IReadOnlyList<KeyValuePair<string, byte[]>> rows, CancellationToken cancellationToken)
    {
        // Multi-row statements cut the per-statement cost, which dominates for hundreds of thousands of short rows.
        await using var full = RowsCommand(connection, transaction, PostingsRowsPerStatement, block);
        full.Prepare();
        var at = 0;
        for (; at + PostingsRowsPerStatement <= rows.Count; at += PostingsRowsPerStatement)
        {
            for (var r = 0; r < PostingsRowsPerStatement; r++)
            {
                full.Parameters[1 + (2 * r)].Value = rows[at + r].Key;
                full.Parameters[2 + (2 * r)].Value = rows[at + r].Value;
            }

            await full.ExecuteNonQueryAsync(cancellationToken);
        }

        if (at < rows.Count)
        {
            await using var rest = RowsCommand(connection, transaction, rows.Count - at, block);
            for (var r = 0; at + r < rows.Count; r++)
            {
                rest.Parameters[1 + (2 * r)].Value = rows[at + r].Key;
                rest.Parameters[2 + (2 * r)].Value = rows[at + r].Value;
            }

            await rest.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static SqliteCommand RowsCommand(DbConnection connection, DbTransaction transaction, int count, long block)
    {
        var command = ((SqliteConnection)connection).CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.Parameters.AddWithValue("@b", block);
        var sql = new System.Text.StringBuilder("INSERT INTO search_postings (term, block, data) VALUES ");
        for (var r = 0; r < count; r++)
        {
            sql.Append(CultureInfo.InvariantCulture, $"{(r == 0 ? "" : ",")}(@t{r}, @b, @d{r})");
            command.Parameters.AddWithValue($"@t{r}", "");
            command.Parameters.AddWithValue($"@d{r}", Array.Empty<byte>());
        }

        command.CommandText = sql.ToString();
        return command;
    }
}
