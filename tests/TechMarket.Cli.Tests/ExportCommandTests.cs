using System.Text;

namespace TechMarket.Cli.Tests;

public sealed class ExportCommandTests : IDisposable
{
    private readonly CliWorkspace _work = new();

    public void Dispose() => _work.Dispose();

    [Theory]
    [InlineData("need", "needs.csv")]
    [InlineData("achievement", "achievements.xlsx")]
    public async Task ExportsPublishedListingsThatReimportIntoAnotherOrganisation(string kind, string name)
    {
        await _work.RunAsync("seed", "--db", _work.DbPath, "--scale", "0.02");
        var published = _work.Scalar($"SELECT COUNT(*) FROM \"Listings\" WHERE \"Kind\" = '{kind}' AND \"Status\" = 2");
        var institute = _work.Scalar("SELECT MIN(\"Id\") FROM \"Organisations\" WHERE \"Kind\" = 2");

        var export = await _work.RunAsync("export", "--db", _work.DbPath, "--kind", kind, "--output", _work.PathOf(name));
        var import = await _work.RunAsync("import", "--db", _work.DbPath, "--kind", kind, "--file", _work.PathOf(name), "--org", institute.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(0, export.Code);
        Assert.Contains($"已导出 {published} 条", export.Out);
        Assert.Equal(0, import.Code);
        Assert.Contains($"共 {published} 行，已导入 {published} 行为草稿，0 处错误", import.Out);
    }

    [Fact]
    public async Task ExportsEveryStatusOnRequestAsUtf8CsvWithBom()
    {
        await _work.RunAsync("seed", "--db", _work.DbPath, "--scale", "0.02");
        var all = _work.Scalar("SELECT COUNT(*) FROM \"Listings\" WHERE \"Kind\" = 'need'");

        var result = await _work.RunAsync("export", "--db", _work.DbPath, "--kind", "need", "--status", "all", "--output", _work.PathOf("all.csv"));
        var bytes = await File.ReadAllBytesAsync(_work.PathOf("all.csv"));
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);

        Assert.Contains($"已导出 {all} 条技术需求", result.Out);
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        Assert.StartsWith("名称,领域,需求描述", text);
        Assert.Contains(",已退回,", text);
        Assert.Contains(",草稿,", text);
    }

    [Theory]
    [InlineData("错误：--status 的取值无效：done（可选 published：只导出已发布；all：全部状态）", "--status", "done", "--output", "x.csv")]
    [InlineData("错误：--format 的取值无效：pdf（可选 csv、xlsx）", "--format", "pdf", "--output", "x.csv")]
    [InlineData("错误：找不到目录：", "--output", "no/such/dir/x.csv")]
    public async Task RejectsBadOptions(string expected, params string[] args)
    {
        var result = await _work.RunAsync(["export", "--db", _work.DbPath, "--kind", "need", .. args]);

        Assert.Equal(2, result.Code);
        Assert.StartsWith(expected, result.Err.Trim());
    }
}
