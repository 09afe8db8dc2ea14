namespace TechMarket.Cli.Tests;

public sealed class SeedCommandTests : IDisposable
{
    private readonly CliWorkspace _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task SeedsAnEmptyDatabaseAndPrintsTheDemoAccounts()
    {
        var result = await _work.RunAsync("seed", "--db", _work.DbPath, "--scale", "0.05", "--seed", "3");

        Assert.Equal(0, result.Code);
        Assert.Contains("已生成示例数据", result.Out);
        Assert.Contains("admin@demo.techmarket", result.Out);
        Assert.Contains("Demo#2026", result.Out);
        Assert.True(_work.Scalar("SELECT COUNT(*) FROM \"Listings\" WHERE \"IsDemo\" = 1") > 0);
        Assert.Equal(0, _work.Scalar("SELECT COUNT(*) FROM \"Listings\" WHERE \"IsDemo\" = 0"));
    }

    [Fact]
    public async Task RefusesToSeedTwice()
    {
        await _work.RunAsync("seed", "--db", _work.DbPath, "--scale", "0.05");
        var count = _work.Scalar("SELECT COUNT(*) FROM \"Listings\"");

        var second = await _work.RunAsync("seed", "--db", _work.DbPath, "--scale", "0.05");

        Assert.Equal(1, second.Code);
        Assert.Contains("数据库中已有数据，未生成示例数据", second.Err);
        Assert.Equal(count, _work.Scalar("SELECT COUNT(*) FROM \"Listings\""));
    }

    [Fact]
    public async Task UsesTheDefaultDatabaseInTheCurrentDirectory()
    {
        var result = await _work.RunAsync("seed", "--scale", "0.02");

        Assert.Equal(0, result.Code);
        Assert.True(File.Exists(_work.PathOf(".data/techmarket.db")));
    }

    [Theory]
    [InlineData("错误：选项 --scale 的取值无效：很多", "--scale", "很多")]
    [InlineData("错误：未知选项：--size", "--size", "3")]
    [InlineData("错误：找不到文件：nope.jsonl", "--texts", "nope.jsonl")]
    public async Task RejectsBadOptions(string expected, params string[] args)
    {
        var result = await _work.RunAsync(["seed", "--db", _work.DbPath, .. args]);

        Assert.Equal(2, result.Code);
        Assert.Equal(expected, result.Err.Trim());
    }
}
