using Microsoft.Data.Sqlite;

namespace TechMarket.Search.Tests;

public sealed class SqliteSearchIndexTests : SearchIndexConformanceTests, IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"tm-search-{Guid.NewGuid():N}.db");

    private string ConnectionString => $"Data Source={_path}";

    protected override ISearchIndex CreateIndex(SearchIndexOptions? options = null) => new SqliteSearchIndex(ConnectionString, options);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }
    }

    [Fact]
    public async Task KeepsThePostingsOfAnIndexWrittenWithTheEarlierTermFirstLayout()
    {
        await new SqliteSearchIndex(ConnectionString).UpsertAsync(Corpus.Listings);
        await using (var connection = new SqliteConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText =
                "CREATE TABLE old_postings (term TEXT NOT NULL, block INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (term, block)) WITHOUT ROWID;" +
                "INSERT INTO old_postings SELECT term, block, data FROM search_postings;" +
                "DROP TABLE search_postings;" +
                "ALTER TABLE old_postings RENAME TO search_postings;" +
                "CREATE INDEX search_postings_block ON search_postings (block);";
            await command.ExecuteNonQueryAsync();
        }

        var result = await new SqliteSearchIndex(ConnectionString).SearchAsync(new SearchQuery { Text = "锂电池回收" });

        Assert.Equal(1, result.Hits[0].Id);
        await using var check = new SqliteConnection(ConnectionString);
        await check.OpenAsync();
        await using var sql = check.CreateCommand();
        sql.CommandText = "SELECT sql FROM sqlite_master WHERE name = 'search_postings'";
        Assert.Contains("PRIMARY KEY (block, term)", (string)(await sql.ExecuteScalarAsync())!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RollsBackWithTheCallersTransaction()
    {
        var index = new SqliteSearchIndex(ConnectionString);
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using (var tx = connection.BeginTransaction())
        {
            await index.EnsureSchemaAsync(connection, tx);
            await index.UpsertAsync(Corpus.Listings, connection, tx);
            await tx.RollbackAsync();
        }

        var result = await index.SearchAsync(new SearchQuery());

        Assert.Equal(0, result.Total);
    }

    [Fact]
    public async Task CommitsWithTheCallersTransactionBesideTheMarketsOwnTables()
    {
        var index = new SqliteSearchIndex(ConnectionString);
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using (var tx = connection.BeginTransaction())
        {
            await using var create = connection.CreateCommand();
            create.Transaction = tx;
            create.CommandText = "CREATE TABLE listings (id INTEGER PRIMARY KEY, title TEXT)";
            await create.ExecuteNonQueryAsync();
            await index.UpsertAsync([Corpus.Listings[0]], connection, tx);
            await tx.CommitAsync();
        }

        var result = await index.SearchAsync(new SearchQuery { Text = "锂电池" });

        Assert.Equal([1L], result.Hits.Select(h => h.Id));
    }

    [Fact]
    public async Task WorksOnOneSharedInMemoryConnection()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        var index = new SqliteSearchIndex(connection);
        await index.UpsertAsync(Corpus.Listings);

        var result = await index.SearchAsync(new SearchQuery { Text = "港口调度" });

        Assert.Equal(5, result.Hits[0].Id);
    }
}
