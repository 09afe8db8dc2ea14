using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using TechMarket.Data.Exchange;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Data.Seeding;
using TechMarket.Data.Tests.Seeding;
using static TechMarket.Data.Tests.Exchange.ExchangeTestData;

namespace TechMarket.Data.Tests.Exchange;

public sealed class ListingExporterTests
{
    [Theory]
    [InlineData(ExchangeFormat.Csv, true)]
    [InlineData(ExchangeFormat.Csv, false)]
    [InlineData(ExchangeFormat.Xlsx, true)]
    [InlineData(ExchangeFormat.Xlsx, false)]
    public async Task ExportedFilesReimportToTheSameListings(ExchangeFormat format, bool needs)
    {
        using var test = new TestDatabase();
        await using var db = await test.CreateAsync();
        await DemoMarket.SeedAsync(db, new DemoMarketOptions { Scale = 0.05, Clock = new FixedClock(Today) });
        var (orgId, userId) = await AddOrganisationAsync(db);
        var originals = await db.Listings.Include(l => l.Organisation)
            .Where(l => l.Status == ListingStatus.Published && (needs ? l is Need : l is Achievement))
            .OrderBy(l => l.Id).AsNoTracking().ToListAsync();
        using var file = new MemoryStream();

        await ListingExporter.ExportAsync(originals, needs, file, format);
        file.Position = 0;
        var report = await ListingImporter.ImportAsync(db, file, format, needs, orgId, userId, ImportMode.AllOrNothing, Today);

        Assert.True(report.Committed, string.Join("\n", report.Errors));
        Assert.Equal(originals.Count, report.Imported);
        var imported = await db.Listings.Where(l => report.ImportedIds.Contains(l.Id)).OrderBy(l => l.Id).AsNoTracking().ToListAsync();
        Assert.Equal(originals.Select(Comparable), imported.Select(Comparable));
    }

    [Fact]
    public async Task WritesCsvAsUtf8WithBomAndTheImportHeaderFirst()
    {
        var need = new Need { Id = 7, Title = "=HYPERLINK(\"x\")", Field = "新材料", Summary = "多行\n描述，含逗号", Status = ListingStatus.Published, ContactPhone = "+86 574 8765 4321" };
        using var file = new MemoryStream();

        await ListingExporter.ExportAsync([need], needs: true, file, ExchangeFormat.Csv);
        var bytes = file.ToArray();
        var text = Encoding.UTF8.GetString(bytes.AsSpan(3));

        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        Assert.StartsWith(NeedHeader + ",编号,状态,发布机构,发布日期", text);
        Assert.Contains("'=HYPERLINK", text);
        Assert.Contains("\"多行\n描述，含逗号\"", text);
        Assert.Contains(",7,已发布,", text);
    }

    [Fact]
    public async Task ReadsXlsxWithSharedStringsNumbersAndDateCells()
    {
        using var test = new TestDatabase();
        await using var db = await test.CreateAsync();
        var (orgId, userId) = await AddOrganisationAsync(db);
        var path = Path.Combine(test.Directory, "excel.xlsx");
        WriteLikeExcel(path,
        [
            ["名称", "领域", "需求描述", "合作方式", "主要问题", "预算（万元）", "需求时限", "揭榜挂帅", "榜单金额（万元）", "揭榜截止日期"],
            ["共享字符串的需求", "新材料", "公司需要提升复合材料的拉伸强度", "技术开发", "现有材料强度不足", 120.5, new DateTime(2026, 9, 30), true, 300.0, new DateTime(2026, 6, 1)],
        ]);

        await using var file = File.OpenRead(path);
        var report = await ListingImporter.ImportAsync(db, file, ExchangeFormat.Xlsx, needs: true, orgId, userId, ImportMode.AllOrNothing, Today);

        Assert.True(report.Committed, string.Join("\n", report.Errors));
        var need = await db.Needs.SingleAsync();
        Assert.Equal("共享字符串的需求", need.Title);
        Assert.Equal(120.5m, need.BudgetWan);
        Assert.Equal(new DateOnly(2026, 9, 30), need.ValidUntil);
        Assert.True(need.IsChallenge);
        Assert.Equal(300m, need.BountyWan);
        Assert.Equal(new DateOnly(2026, 6, 1), need.ChallengeDeadline);
    }

    private static string Comparable(Listing l)
    {
        return System.Text.Json.JsonSerializer.Serialize(ListingRules.ToInput(l));
    }

    /// <summary>Writes cells the way Excel does: text in the shared string table, dates as styled serial numbers, booleans typed.</summary>
    private static void WriteLikeExcel(string path, object[][] rows)
    {
        using var doc = SpreadsheetDocument.Create(path, SpreadsheetDocumentType.Workbook);
        var workbook = doc.AddWorkbookPart();
        var strings = workbook.AddNewPart<SharedStringTablePart>();
        strings.SharedStringTable = new SharedStringTable();
        var styles = workbook.AddNewPart<WorkbookStylesPart>();
        styles.Stylesheet = new Stylesheet(
            new Fonts(new Font()),
            new Fills(new Fill()),
            new Borders(new Border()),
            new CellFormats(new CellFormat(), new CellFormat { NumberFormatId = 14, ApplyNumberFormat = true }));
        var sheetPart = workbook.AddNewPart<WorksheetPart>();
        var data = new SheetData();
        for (var r = 0; r < rows.Length; r++)
        {
            var row = new Row { RowIndex = (uint)(r + 1) };
            for (var c = 0; c < rows[r].Length; c++)
            {
                var reference = $"{(char)('A' + c)}{r + 1}";
                row.Append(rows[r][c] switch
                {
                    string s => SharedString(strings.SharedStringTable, s, reference),
                    double d => new Cell { CellReference = reference, CellValue = new CellValue(d) },
                    DateTime dt => new Cell { CellReference = reference, StyleIndex = 1, CellValue = new CellValue(dt.ToOADate()) },
                    bool b => new Cell { CellReference = reference, DataType = CellValues.Boolean, CellValue = new CellValue(b ? "1" : "0") },
                    _ => new Cell(),
                });
            }

            data.Append(row);
        }

        sheetPart.Worksheet = new Worksheet(data);
        workbook.Workbook = new Workbook(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = "Sheet1" }));
    }

    private static Cell SharedString(SharedStringTable table, string text, string reference)
    {
        table.Append(new SharedStringItem(new DocumentFormat.OpenXml.Spreadsheet.Text(text)));
        return new Cell { CellReference = reference, DataType = CellValues.SharedString, CellValue = new CellValue((table.ChildElements.Count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)) };
    }

    private sealed class FixedClock(DateOnly today) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(today.ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero);
    }
}
