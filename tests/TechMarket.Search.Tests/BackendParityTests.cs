using Microsoft.Data.Sqlite;

namespace TechMarket.Search.Tests;

[Trait("Category", "Postgres")]
public sealed class BackendParityTests : IDisposable
{
    private readonly PostgresDatabase _database = new();
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"tm-parity-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        _database.Dispose();
        SqliteConnection.ClearAllPools();
        File.Delete(_path);
        File.Delete(_path + "-wal");
        File.Delete(_path + "-shm");
    }

    [Theory]
    [InlineData("电池材料回收")]
    [InlineData("机器人视觉检测算法")]
    [InlineData("智能港口调度平台")]
    [InlineData("芯片")]
    public async Task GivesTheSameOrderAndScoresOnSqliteAndPostgres(string text)
    {
        var docs = Corpus.Generated(300, seed: 11);
        var sqlite = new SqliteSearchIndex($"Data Source={_path}");
        var postgres = new PostgresSearchIndex(_database.ConnectionString);
        foreach (var chunk in docs.Chunk(40))
        {
            await sqlite.UpsertAsync(chunk);
            await postgres.UpsertAsync(chunk);
        }

        await sqlite.DeleteAsync([1003, 1010]);
        await postgres.DeleteAsync([1003, 1010]);

        var a = await sqlite.SearchAsync(new SearchQuery { Text = text, PageSize = 100 });
        var b = await postgres.SearchAsync(new SearchQuery { Text = text, PageSize = 100 });

        Assert.NotEmpty(a.Hits);
        Assert.Equal(a.Total, b.Total);
        Assert.Equal(a.Hits.Select(h => (h.Id, h.Score)), b.Hits.Select(h => (h.Id, h.Score)));
        Assert.Equal(a.Facets, b.Facets, new FacetsComparer());
    }

    private sealed class FacetsComparer : IEqualityComparer<SearchFacets>
    {
        public bool Equals(SearchFacets? x, SearchFacets? y) =>
            x!.Field.SequenceEqual(y!.Field) && x.Kind.SequenceEqual(y.Kind) && x.PriceBand.SequenceEqual(y.PriceBand);

        public int GetHashCode(SearchFacets obj) => obj.Field.Count;
    }
}
