using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using C = TechMarket.Data.Exchange.ListingColumns;

namespace TechMarket.Data.Exchange;

/// <summary>
/// Writes needs or achievements to CSV (UTF-8 with BOM, so Excel opens Chinese text correctly) or .xlsx, with the
/// columns <see cref="ListingImporter"/> reads, followed by 编号, 状态, 发布机构, 发布日期.
/// </summary>
public static class ListingExporter
{
    /// <summary>China Standard Time, for the 发布日期 a user expects.</summary>
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>Exports a list already in memory. Listings of the other kind are skipped.</summary>
    public static Task ExportAsync(IEnumerable<Listing> listings, bool needs, Stream output, ExchangeFormat format, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(listings);
        return ExportAsync(ToAsync(listings), needs, output, format, ct);
    }

    /// <summary>Exports a streamed query (e.g. EF Core's AsAsyncEnumerable) without loading it whole.</summary>
    public static async Task ExportAsync(IAsyncEnumerable<Listing> listings, bool needs, Stream output, ExchangeFormat format, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(listings);
        ArgumentNullException.ThrowIfNull(output);
        var header = C.Importable(needs).Concat(C.ExportOnly).ToList();
        var rows = Rows(listings, needs, ct);
        if (format == ExchangeFormat.Csv)
        {
            await WriteCsvAsync(header, rows, output, ct);
        }
        else
        {
            await WriteXlsxAsync(header, rows, needs ? "技术需求" : "科技成果", output, ct);
        }
    }

    private static async IAsyncEnumerable<object?[]> Rows(IAsyncEnumerable<Listing> listings, bool needs, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var listing in listings.WithCancellation(ct))
        {
            if (listing is Need != needs)
            {
                continue;
            }

            var input = ListingRules.ToInput(listing);
            var common = new object?[]
            {
                input.Title, input.Field, input.Summary, input.Keywords, string.Join("、", input.TransferModes ?? []), input.ContactName, input.ContactPhone,
            };
            object?[] specific = listing switch
            {
                Need n =>
                [
                    n.Problem, n.KeyPoints, n.Targets, (object?)n.BudgetWan ?? "面议", Date(n.ValidUntil), YesNo(n.IsChallenge),
                    n.IsChallenge ? n.BountyWan : null, n.IsChallenge ? Date(n.ChallengeDeadline) : null, Labels.Of(n.MaturityWanted),
                ],
                Achievement a => [Labels.Of(a.Maturity), a.Trl, a.IntellectualProperty, (object?)a.PriceWan ?? "面议", YesNo(a.UseFirstPayLater)],
                _ => [],
            };
            object?[] extra =
            [
                listing.Id, Labels.Of(listing.Status), listing.Organisation?.Name,
                listing.PublishedAt is { } p ? Date(DateOnly.FromDateTime(p + ChinaOffset)) : null,
            ];
            yield return [.. common, .. specific, .. extra];
        }
    }

    private static string? Date(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string YesNo(bool b) => b ? "是" : "否";

    private static string Text(object? value) => value switch
    {
        null => "",
        decimal d => d.ToString("0.##", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static async Task WriteCsvAsync(List<string> header, IAsyncEnumerable<object?[]> rows, Stream output, CancellationToken ct)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            // A cell starting with = + - @ would run as a formula in Excel; the importer strips the added apostrophe.
            InjectionOptions = InjectionOptions.Escape,
        };
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024, leaveOpen: true);
        await using var csv = new CsvWriter(writer, config);
        foreach (var h in header)
        {
            csv.WriteField(h);
        }

        await csv.NextRecordAsync();
        await foreach (var row in rows.WithCancellation(ct))
        {
            foreach (var cell in row)
            {
                csv.WriteField(Text(cell));
            }

            await csv.NextRecordAsync();
        }

        await csv.FlushAsync();
    }

    /// <summary>Any table as one .xlsx sheet, through the same streaming writer (the figures' drill-down exports use it).</summary>
    public static Task WriteTableAsync(IReadOnlyList<string> header, IEnumerable<object?[]> rows, string sheet, Stream output, CancellationToken ct = default) =>
        WriteXlsxAsync(header, ToAsync(rows), sheet, output, ct);

    private static async Task WriteXlsxAsync(IReadOnlyList<string> header, IAsyncEnumerable<object?[]> rows, string sheet, Stream output, CancellationToken ct)
    {
        // The OPC package needs a seekable stream; HTTP response bodies are not, so those get a temporary file.
        var direct = output.CanSeek && output.CanRead && output.CanWrite;
        var target = direct
            ? output
            : new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        try
        {
            using (var doc = SpreadsheetDocument.Create(target, SpreadsheetDocumentType.Workbook))
            {
                var workbook = doc.AddWorkbookPart();
                var sheetPart = workbook.AddNewPart<WorksheetPart>();
                using (var writer = OpenXmlWriter.Create(sheetPart))
                {
                    writer.WriteStartElement(new Worksheet());
                    writer.WriteStartElement(new SheetData());
                    uint rowIndex = 1;
                    WriteRow(writer, rowIndex, header.Cast<object?>().ToArray());
                    await foreach (var row in rows.WithCancellation(ct))
                    {
                        WriteRow(writer, ++rowIndex, row);
                    }

                    writer.WriteEndElement();
                    writer.WriteEndElement();
                }

                workbook.Workbook = new Workbook(new Sheets(new Sheet
                {
                    Id = workbook.GetIdOfPart(sheetPart),
                    SheetId = 1,
                    Name = sheet,
                }));
                workbook.Workbook.Save();
            }

            if (!direct)
            {
                target.Position = 0;
                await target.CopyToAsync(output, ct);
            }
        }
        finally
        {
            if (!direct)
            {
                await target.DisposeAsync();
            }
        }
    }

    private static void WriteRow(OpenXmlWriter writer, uint rowIndex, object?[] cells)
    {
        writer.WriteStartElement(new Row { RowIndex = rowIndex });
        for (var i = 0; i < cells.Length; i++)
        {
            var reference = ColumnName(i) + rowIndex.ToString(CultureInfo.InvariantCulture);
            switch (cells[i])
            {
                case null:
                    break;
                case decimal d:
                    writer.WriteElement(new Cell { CellReference = reference, CellValue = new CellValue(d) });
                    break;
                case int n:
                    writer.WriteElement(new Cell { CellReference = reference, CellValue = new CellValue(n) });
                    break;
                case long l:
                    writer.WriteElement(new Cell { CellReference = reference, CellValue = new CellValue(l.ToString(CultureInfo.InvariantCulture)) });
                    break;
                case var other:
                    var text = XmlSafe(Text(other));
                    if (text.Length > 0)
                    {
                        writer.WriteElement(new Cell(new InlineString(new DocumentFormat.OpenXml.Spreadsheet.Text(text) { Space = SpaceProcessingModeValues.Preserve }))
                        {
                            CellReference = reference,
                            DataType = CellValues.InlineString,
                        });
                    }

                    break;
            }
        }

        writer.WriteEndElement();
    }

    private static string ColumnName(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    /// <summary>Drops characters XML 1.0 cannot carry (control characters, lone surrogates).</summary>
    private static string XmlSafe(string text)
    {
        if (text.All(c => c is '\t' or '\n' or '\r' || (c >= ' ' && !char.IsSurrogate(c) && c is not '\uFFFE' and not '\uFFFF')))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append(c).Append(text[++i]);
            }
            else if (c is '\t' or '\n' or '\r' || (c >= ' ' && !char.IsSurrogate(c) && c is not '\uFFFE' and not '\uFFFF'))
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static async IAsyncEnumerable<T> ToAsync<T>(IEnumerable<T> listings)
    {
        foreach (var listing in listings)
        {
            yield return listing;
        }

        await Task.CompletedTask;
    }
}
