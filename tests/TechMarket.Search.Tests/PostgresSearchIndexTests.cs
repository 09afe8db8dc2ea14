using Npgsql;

namespace TechMarket.Search.Tests;

[Trait("Category", "Postgres")]
public sealed class PostgresSearchIndexTests : SearchIndexConformanceTests, IDisposable
{
    private readonly PostgresDatabase _database = new();

    protected override ISearchIndex CreateIndex(SearchIndexOptions? options = null) => new PostgresSearchIndex(_database.ConnectionString, options);

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task RollsBackWithTheCallersTransaction()
    {
        var index = new PostgresSearchIndex(_database.ConnectionString);
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await index.UpsertAsync(Corpus.Listings, connection, tx);
            await tx.RollbackAsync();
        }

        var result = await index.SearchAsync(new SearchQuery());

        Assert.Equal(0, result.Total);
    }
}
