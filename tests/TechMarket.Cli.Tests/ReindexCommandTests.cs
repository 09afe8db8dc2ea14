namespace TechMarket.Cli.Tests;

public sealed class ReindexCommandTests : IDisposable
{
    private readonly CliWorkspace _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task RebuildsTheIndexWithEveryPublishedListing()
    {
        await _work.RunAsync("seed", "--db", _work.DbPath, "--scale", "0.05", "--seed", "3");
        var published = _work.Scalar("SELECT COUNT(*) FROM \"Listings\" WHERE \"Status\" = 2");

        var result = await _work.RunAsync("reindex", "--db", _work.DbPath);

        Assert.Equal(0, result.Code);
        Assert.Contains($"已重建检索索引：{published} 条已发布信息", result.Out);
        Assert.Equal(published, _work.Scalar("SELECT COUNT(*) FROM search_docs WHERE deleted = 0"));
    }

    [Fact]
    public async Task RejectsUnknownOptions()
    {
        var result = await _work.RunAsync("reindex", "--fast");

        Assert.Equal(2, result.Code);
        Assert.Equal("错误：未知选项：--fast", result.Err.Trim());
    }
}
