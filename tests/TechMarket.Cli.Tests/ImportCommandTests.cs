using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;

namespace TechMarket.Cli.Tests;

public sealed class ImportCommandTests : IDisposable
{
    private const string Header = "名称,领域,需求描述,关键词,合作方式,联系人,联系电话,主要问题,技术关键,预期目标,预算（万元）,需求时限,揭榜挂帅,榜单金额（万元）,揭榜截止日期";

    private readonly CliWorkspace _work = new();

    public void Dispose() => _work.Dispose();

    private static string Row(string title, string field = "新材料", string budget = "50") =>
        $"{title},{field},公司需要提升复合材料的拉伸强度与批次稳定性,复合材料,技术开发,王工,0574-87654321,现有材料强度不足,配方与工艺优化,拉伸强度不低于 60 MPa,{budget},2099-12-31,否,,";

    private async Task<(long OrgId, string CreditCode)> SeededEnterpriseAsync()
    {
        var seed = await _work.RunAsync("seed", "--db", _work.DbPath, "--scale", "0.02");
        Assert.Equal(0, seed.Code);
        using var conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _work.DbPath, Pooling = false }.ToString());
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT \"Id\", \"CreditCode\" FROM \"Organisations\" WHERE \"Kind\" = 1 ORDER BY \"Id\" DESC LIMIT 1";
        using var reader = cmd.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetString(1));
    }

    private string WriteCsv(string name, IEnumerable<string> rows)
    {
        var path = _work.PathOf(name);
        File.WriteAllText(path, string.Join("\n", rows.Prepend(Header)), new UTF8Encoding(true));
        return path;
    }

    [Fact]
    public async Task ImportsValidRowsAsDraftsAndPrintsTheReport()
    {
        var (orgId, code) = await SeededEnterpriseAsync();
        var before = _work.Scalar($"SELECT COUNT(*) FROM \"Listings\" WHERE \"OrganisationId\" = {orgId}");
        var file = WriteCsv("needs.csv", [Row("复合材料强度提升"), Row("耐热薄膜国产化")]);

        var result = await _work.RunAsync("import", "--db", _work.DbPath, "--kind", "need", "--file", file, "--org", code);

        Assert.Equal(0, result.Code);
        Assert.Contains("共 2 行，已导入 2 行为草稿，0 处错误", result.Out);
        Assert.Equal(before + 2, _work.Scalar($"SELECT COUNT(*) FROM \"Listings\" WHERE \"OrganisationId\" = {orgId}"));
        Assert.Equal(2, _work.Scalar($"SELECT COUNT(*) FROM \"Listings\" WHERE \"OrganisationId\" = {orgId} AND \"Status\" = 0 AND \"IsDemo\" = 0"));
    }

    [Fact]
    public async Task AllModeImportsNothingWhenARowIsBadAndListsTheProblems()
    {
        var (orgId, _) = await SeededEnterpriseAsync();
        var before = _work.Scalar("SELECT COUNT(*) FROM \"Listings\"");
        var file = WriteCsv("needs.csv", [Row("复合材料强度提升"), Row("预算不对的需求", budget: "很多"), Row("领域不对的需求", field: "玄学")]);

        var result = await _work.RunAsync("import", "--db", _work.DbPath, "--kind", "need", "--file", file, "--org", orgId.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(1, result.Code);
        Assert.Contains("行 3，字段 预算（万元）：应为数字（单位万元），或留空、填写“面议”；当前为“很多”", result.Out);
        Assert.Contains("行 4，字段 领域：未知的领域：玄学", result.Out);
        Assert.Contains("未导入任何行", result.Out);
        Assert.Equal(before, _work.Scalar("SELECT COUNT(*) FROM \"Listings\""));
    }

    [Fact]
    public async Task ValidModeImportsTheGoodRows()
    {
        var (orgId, code) = await SeededEnterpriseAsync();
        var before = _work.Scalar("SELECT COUNT(*) FROM \"Listings\"");
        var file = WriteCsv("needs.csv", [Row("复合材料强度提升"), Row("预算不对的需求", budget: "很多")]);

        var result = await _work.RunAsync("import", "--db", _work.DbPath, "--kind", "need", "--file", file, "--org", code, "--mode", "valid");

        Assert.Equal(1, result.Code);
        Assert.Contains("共 2 行，已导入 1 行为草稿，1 处错误", result.Out);
        Assert.Equal(before + 1, _work.Scalar("SELECT COUNT(*) FROM \"Listings\""));
    }

    [Theory]
    [InlineData("错误：找不到文件：missing.csv", "--kind", "need", "--file", "missing.csv", "--org", "1")]
    [InlineData("错误：--kind 的取值无效：patent（可选 need：技术需求；achievement：科技成果）", "--kind", "patent", "--file", "x.csv", "--org", "1")]
    [InlineData("错误：缺少必需的选项：--org", "--kind", "need", "--file", "bad.csv")]
    [InlineData("错误：无法从文件名判断格式：", "--kind", "need", "--file", "bad.pdf", "--org", "1")]
    [InlineData("错误：机构不存在：统一社会信用代码 91330200000000000X", "--kind", "need", "--file", "bad.csv", "--org", "91330200000000000X")]
    [InlineData("错误：文件不是文本格式的 CSV", "--kind", "need", "--file", "bad.csv", "--org", "1")]
    [InlineData("错误：文件不是有效的 Excel (.xlsx) 文件", "--kind", "need", "--file", "bad.csv", "--org", "1", "--format", "xlsx")]
    public async Task ExplainsBadInputInOneChineseLine(string expected, params string[] args)
    {
        await SeededEnterpriseAsync();
        await File.WriteAllBytesAsync(_work.PathOf("bad.csv"), [0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0, 1, 2, 3]);
        await File.WriteAllBytesAsync(_work.PathOf("bad.pdf"), "%PDF-1.4"u8.ToArray());

        var result = await _work.RunAsync(["import", "--db", _work.DbPath, .. args]);

        Assert.Equal(2, result.Code);
        Assert.StartsWith(expected, result.Err.Trim());
        Assert.DoesNotContain("   at ", result.Err);
    }

    [Fact]
    public async Task AKilledImportLeavesNoRowsAndAnIntactDatabase()
    {
        var (orgId, code) = await SeededEnterpriseAsync();
        var before = _work.Scalar("SELECT COUNT(*) FROM \"Listings\"");
        var file = WriteCsv("big.csv", Enumerable.Range(1, 100_000).Select(i => Row($"批量导入的需求 {i}")));
        using var process = Process.Start(_work.StartInfo("import", "--db", _work.DbPath, "--kind", "need", "--file", file, "--org", code))!;
        string? line;
        var seen = new List<string>();
        while ((line = await process.StandardOutput.ReadLineAsync()) is not null)
        {
            seen.Add(line);
            if (line.StartsWith("已读取 20000 行", StringComparison.Ordinal))
            {
                break;
            }
        }

        Assert.False(process.HasExited, "导入在被终止前已结束：" + string.Join(" | ", seen));
        Assert.True(File.Exists(_work.DbPath + "-wal"));
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();

        Assert.Equal(before, _work.Scalar("SELECT COUNT(*) FROM \"Listings\""));
        Assert.Equal(0, _work.Scalar($"SELECT COUNT(*) FROM \"Listings\" WHERE \"OrganisationId\" = {orgId} AND \"Title\" LIKE '批量导入的需求%'"));
        Assert.Equal(1, _work.Scalar("PRAGMA integrity_check"));
    }
}
