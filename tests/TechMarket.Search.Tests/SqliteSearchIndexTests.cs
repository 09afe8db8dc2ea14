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
