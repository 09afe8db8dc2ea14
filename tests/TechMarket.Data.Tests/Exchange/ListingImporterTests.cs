using System.Text;
using Microsoft.EntityFrameworkCore;
using TechMarket.Data.Exchange;
using TechMarket.Data.Model;
using TechMarket.Data.Tests.Seeding;
using static TechMarket.Data.Tests.Exchange.ExchangeTestData;

namespace TechMarket.Data.Tests.Exchange;

public sealed class ListingImporterTests
{
    [Fact]
    public async Task ImportsValidRowsAsDraftsOfTheOrganisation()
    {
        using var test = new TestDatabase();
        await using var db = await test.CreateAsync();
        var (orgId, userId) = await AddOrganisationAsync(db);
        var file = Csv(string.Join("\n", NeedHeader, NeedRow("高强度复合材料研发"), NeedRow("揭榜挂帅：耐热膜", challenge: "是", bounty: "300", deadline: "2026/6/30")));

        var report = await ListingImporter.ImportAsync(db, file, ExchangeFormat.Csv, needs: true, orgId, userId, ImportMode.AllOrNothing, Today);

        Assert.Equal(2, report.TotalRows);
        Assert.Equal(2, report.Imported);
        Assert.Empty(report.Errors);
        Assert.True(report.Committed);
        var needs = await db.Needs.OrderBy(n => n.Id).ToListAsync();
        Assert.Equal(report.ImportedIds, needs.Select(n => n.Id));
        Assert.All(needs, n => Assert.Equal(ListingStatus.Draft, n.Status));
        Assert.All(needs, n => Assert.Equal(orgId, n.OrganisationId));
        Assert.All(needs, n => Assert.Equal(userId, n.CreatedById));
        Assert.Equal(TransferModes.Development | TransferModes.Consulting, needs[0].TransferModes);
        Assert.Equal(50m, needs[0].BudgetWan);
        Assert.True(needs[1].IsChallenge);
        Assert.Equal(300m, needs[1].BountyWan);
        Assert.Equal(new DateOnly(2026, 6, 30), needs[1].ChallengeDeadline);
        Assert.Equal(2, await db.AuditLog.CountAsync(a => a.EntityType == "Need" && a.Action == "create" && a.UserId == userId));
    }

    [Fact]
    public async Task ReportsEveryProblemByRowAndColumnAsTheUserSeesThem()
    {
        using var test = new TestDatabase();
        await using var db = await test.CreateAsync();
        var (orgId, userId) = await AddOrganisationAsync(db);
        var file = Csv(string.Join("\n",
            NeedHeader,
            NeedRow("有效的需求名称"),
            NeedRow("预算写错了", budget: "五十"),
            NeedRow("领域不存在", field: "火星采矿"),
            NeedRow("揭榜缺金额", challenge: "是"),
            NeedRow("日期写错", validUntil: "明年")));

        var report = await ListingImporter.ImportAsync(db, file, ExchangeFormat.Csv, needs: true, orgId, userId, ImportMode.ValidRowsOnly, Today);
        var lines = report.Errors.Select(e => e.ToString()).ToList();

        Assert.Equal(5, report.TotalRows);
        Assert.Contains("行 3，字段 预算（万元）：应为数字（单位万元），或留空、填写“面议”；当前为“五十”", lines);
        Assert.Contains(lines, l => l.StartsWith("行 4，字段 领域：未知的领域：火星采矿", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("行 5，字段 榜单金额（万元）：", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("行 5，字段 揭榜截止日期：", StringComparison.Ordinal));
        Assert.Contains("行 6，字段 需求时限：日期格式应为 2026-06-30；当前为“明年”", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("行 2，", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AllOrNothingCommitsNothingWhenOneRowIsInvalid()
    {
        using var test = new TestDatabase();
        await using var db = await test.CreateAsync();
        var (orgId, userId) = await AddOrganisationAsync(db);
        var rows = Enumerable.Range(1, 2500).Select(i => NeedRow($"批量导入需求 {i}")).Append(NeedRow("过期的需求", validUntil: "2020-01-01"));
        var file = Csv(string.Join("\n", rows.Prepend(NeedHeader)));

        var report = await ListingImporter.ImportAsync(db, file, ExchangeFormat.Csv, needs: true, orgId, userId, ImportMode.AllOrNothing, Today);

        Assert.False(report.Committed);
        Assert.Equal(0, report.Imported);
        Assert.Equal(2501, report.TotalRows);
        Assert.Equal("行 2502，字段 需求时限：需求时限已过，请修改", Assert.Single(report.Errors).ToString());
        Assert.Equal(0, await db.Listings.CountAsync());
        Assert.Equal(0, await db.AuditLog.CountAsync(a => a.EntityType == "Need"));
    }

    [Fact]
    public async Task ValidRowsOnlyCommitsTheRowsThatPass()
    {
        using var test = new TestDatabase();
        await using var db = await test.CreateAsync();
        var (orgId, userId) = await AddOrganisationAsync(db);
        var rows = Enumerable.Range(1, 2500).Select(i => i % 500 == 0 ? NeedRow("坏", field: "") : NeedRow($"批量导入需求 {i}"));
        var file = Csv(string.Join("\r\n", rows.Prepend(NeedHeader)), bom: false);

        var report = await ListingImporter.ImportAsync(db, file, ExchangeFormat.Csv, needs: true, orgId, userId, ImportMode.ValidRowsOnly, Today);

        Assert.True(report.Committed);
        Assert.Equal(2495, report.Imported);
        Assert.Equal(2495, await db.Needs.CountAsync());
        Assert.Equal(2495, report.ImportedIds.Distinct().Count());
        Assert.Contains("行 501，字段 名称：名称至少 4 个字符", report.Errors.Select(e => e.ToString()));
        Assert.Contains("行 501，字段 领域：请选择领域", report.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public async Task ReadsGb18030CsvSavedByChineseExcel()
    {
        using var test = new TestDatabase();
        await using var db = await test.CreateAsync();
        var (orgId, userId) = await AddOrganisationAsync(db);
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var file = new MemoryStream(Encoding.GetEncoding("GB18030").GetBytes(string.Join("\r\n", NeedHeader, NeedRow("国标编码的需求"))));

        var report = await ListingImporter.ImportAsync(db, file, ExchangeFormat.Csv, needs: true, orgId, userId, ImportMode.AllOrNothing, Today);

        Assert.True(report.Committed, string.Join("\n", report.Errors));
        Assert.Equal("国标编码的需求", (await db.Needs.SingleAsync()).Title);
    }

    [Theory]
    [InlineData("", "文件是空的")]
    [InlineData("\n\n  \n", "文件是空的")]
    [InlineData("a,b,c\n1,2,3", "缺少必需的列：名称、领域、需求描述、合作方式、主要问题。第一行应为表头")]
    [InlineData("名称,领域,成果简介,合作方式,成果阶段\nx,y,z,w,v", "是否选错了导入类型")]
    [InlineData("名称,名称,领域,需求描述,合作方式,主要问题\n", "“名称”列出现了两次")]
    public async Task RejectsCsvFilesThatAreNotNeedTables(string content, string expected)
    {
        using var test = new TestDatabase();
        await using var db = await test.CreateAsync();
        var (orgId, userId) = await AddOrganisationAsync(db);

        var ex = await Assert.ThrowsAsync<ExchangeException>(() =>
            ListingImporter.ImportAsync(db, Csv(content, bom: false), ExchangeFormat.Csv, needs: true, orgId, userId, ImportMode.AllOrNothing, Today));

        Assert.Contains(expected, ex.Message);
        Assert.Equal(0, await db.Listings.CountAsync());
    }

    [Fact]
    public async Task RejectsBinaryFilesAndWrongFormats()
    {
        using var test = new TestDatabase();
        await using var db = await test.CreateAsync();
        var (orgId, userId) = await AddOrganisationAsync(db);
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52];
        byte[] zip = [.. "PK\u0003\u0004"u8, 0, 0, 1, 2, 3];

        var binary = await Assert.ThrowsAsync<ExchangeException>(() => Import(new MemoryStream(png), ExchangeFormat.Csv));
        var xlsxAsCsv = await Assert.ThrowsAsync<ExchangeException>(() => Import(new MemoryStream(zip), ExchangeFormat.Csv));
        var csvAsXlsx = await Assert.ThrowsAsync<ExchangeException>(() => Import(Csv(NeedHeader), ExchangeFormat.Xlsx));
        var emptyXlsx = await Assert.ThrowsAsync<ExchangeException>(() => Import(new MemoryStream(), ExchangeFormat.Xlsx));

        Assert.Contains("不是文本格式的 CSV", binary.Message);
        Assert.Contains("Excel (.xlsx)", xlsxAsCsv.Message);
        Assert.Contains("不是有效的 Excel (.xlsx) 文件", csvAsXlsx.Message);
        Assert.Contains("文件是空的", emptyXlsx.Message);

        Task<ImportReport> Import(Stream s, ExchangeFormat f) =>
            ListingImporter.ImportAsync(db, s, f, needs: true, orgId, userId, ImportMode.AllOrNothing, Today);
    }

    [Fact]
    public async Task RejectsAFiftyMegabyteLineWithAClearMessage()
    {
        using var test = new TestDatabase();
        await using var db = await test.CreateAsync();
        var (orgId, userId) = await AddOrganisationAsync(db);
        var path = Path.Combine(test.Directory, "huge.csv");
        await using (var w = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            await w.WriteLineAsync(NeedHeader);
            await w.WriteAsync("很长的名称,新材料,");
            await w.WriteAsync(new string('长', 50 * 1024 * 1024 / 3));
            await w.WriteLineAsync(",,,,,,,,,,,,");
        }

        await using var file = File.OpenRead(path);
        var ex = await Assert.ThrowsAsync<ExchangeException>(() =>
            ListingImporter.ImportAsync(db, file, ExchangeFormat.Csv, needs: true, orgId, userId, ImportMode.ValidRowsOnly, Today));

        Assert.Contains("第 2 行附近有超过 100000 个字符的单元格", ex.Message);
        Assert.Equal(0, await db.Listings.CountAsync());
    }

    [Fact]
    public async Task RejectsAnUnknownOrganisation()
    {
        using var test = new TestDatabase();
        await using var db = await test.CreateAsync();

        var ex = await Assert.ThrowsAsync<ExchangeException>(() =>
            ListingImporter.ImportAsync(db, Csv(NeedHeader), ExchangeFormat.Csv, needs: true, 999, 1, ImportMode.AllOrNothing, Today));

        Assert.Equal("机构不存在：999", ex.Message);
    }
}
