using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace TechMarket.Data.Exchange;

/// <summary>One non-blank row of a table file, numbered as the user sees it (the header is row 1).</summary>
internal sealed record TableRow(int Number, string?[] Cells);

/// <summary>Reads the rows of a CSV or .xlsx file as text cells, turning every file-level problem into a Chinese <see cref="ExchangeException"/>.</summary>
internal static class TableReader
{
    /// <summary>Longest cell accepted; the longest field (成果简介) allows 8,000 characters.</summary>
    public const int MaxCellLength = 100_000;

    public const int MaxColumns = 200;

    public static IEnumerable<TableRow> Read(Stream input, ExchangeFormat format) =>
        format == ExchangeFormat.Xlsx ? ReadXlsx(input) : ReadCsv(input);

    private static IEnumerable<TableRow> ReadCsv(Stream input)
    {
        var head = new byte[64 * 1024];
        var headLength = input.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (headLength == 0)
        {
            throw new ExchangeException("文件是空的：第一行应为表头");
        }

        var span = head.AsSpan(0, headLength);
        if (span.StartsWith("PK\u0003\u0004"u8))
        {
            throw new ExchangeException("文件看起来是 Excel (.xlsx) 文件而不是 CSV，请选择 xlsx 格式");
        }

        var encoding = DetectEncoding(span, headLength < head.Length);
        if (encoding is null)
        {
            throw new ExchangeException("文件不是文本格式的 CSV（含有二进制内容），请上传 CSV (UTF-8) 或 Excel (.xlsx) 文件");
        }

        var stream = new PrefixedStream(head, headLength, input);
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            BadDataFound = null,
            MaxFieldSize = MaxCellLength,
            DetectColumnCountChanges = false,
        };
        using var reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true);
        using var parser = new CsvParser(reader, config);
        while (true)
        {
            string[]? record;
            int row;
            try
            {
                if (!parser.Read())
                {
                    yield break;
                }

                row = parser.Row;
                record = parser.Record;
            }
            catch (MaxFieldSizeException)
            {
                throw new ExchangeException($"第 {parser.Row} 行附近有超过 {MaxCellLength} 个字符的单元格，文件可能不是需求/成果表格");
            }
            catch (CsvHelperException ex)
            {
                throw new ExchangeException($"CSV 格式错误（第 {parser.Row} 行附近）：{ex.GetType().Name}", ex);
            }

            if (record is null || record.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            if (record.Length > MaxColumns)
            {
                throw new ExchangeException($"第 {row} 行有 {record.Length} 列，超过上限 {MaxColumns} 列，文件可能不是需求/成果表格");
            }

            yield return new TableRow(row, record);
        }
    }

    /// <summary>UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (what Chinese Excel saves as "CSV"). Null for binary content.</summary>
    private static Encoding? DetectEncoding(ReadOnlySpan<byte> head, bool complete)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return Encoding.Unicode;
        }

        if (head.Contains((byte)0))
        {
            return null;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return new UTF8Encoding(false);
        }

        // A multi-byte character may be cut at the end of the sample: drop the last (possibly partial) sequence.
        var end = head.Length;
        if (!complete)
        {
            var k = end - 1;
            while (k >= 0 && end - k < 4 && (head[k] & 0xC0) == 0x80)
            {
                k--;
            }

            if (k >= 0 && head[k] >= 0xC0)
            {
                end = k;
            }
        }

        var sample = head[..end];
        if (System.Text.Unicode.Utf8.IsValid(sample))
        {
            return new UTF8Encoding(false);
        }

        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GB18030");
    }

    private static IEnumerable<TableRow> ReadXlsx(Stream input)
    {
        var seekable = input;
        if (!input.CanSeek)
        {
            seekable = new MemoryStream();
            input.CopyTo(seekable);
            seekable.Position = 0;
        }

        if (seekable.Length == 0)
        {
            throw new ExchangeException("文件是空的：请上传含表头的 Excel (.xlsx) 文件");
        }

        SpreadsheetDocument doc;
        try
        {
            doc = SpreadsheetDocument.Open(seekable, false);
        }
        catch (Exception ex) when (ex is OpenXmlPackageException or InvalidDataException or FileFormatException or IOException or ArgumentException)
        {
            throw new ExchangeException("文件不是有效的 Excel (.xlsx) 文件（旧版 .xls 请在 Excel 中另存为 .xlsx 或 CSV）", ex);
        }

        using (doc)
        {
            var workbook = doc.WorkbookPart ?? throw new ExchangeException("Excel 文件中没有工作簿");
            var sheet = workbook.Workbook?.Sheets?.Elements<Sheet>().FirstOrDefault()
                ?? throw new ExchangeException("Excel 文件中没有工作表");
            if (sheet.Id?.Value is not { } sheetId || workbook.GetPartById(sheetId) is not WorksheetPart part)
            {
                throw new ExchangeException("Excel 文件的第一个工作表无法读取");
            }

            var shared = workbook.SharedStringTablePart?.SharedStringTable?.Elements<SharedStringItem>().Select(s => s.InnerText).ToArray() ?? [];
            var dateStyles = DateStyles(workbook.WorkbookStylesPart?.Stylesheet);
            using var reader = OpenXmlReader.Create(part);
            var implicitRow = 0;
            while (reader.Read())
            {
                if (reader.ElementType != typeof(Row) || !reader.IsStartElement)
                {
                    continue;
                }

                var row = (Row)reader.LoadCurrentElement()!;
                var number = row.RowIndex?.Value is { } index ? (int)index : implicitRow + 1;
                implicitRow = number;
                var cells = new List<string?>();
                var next = 0;
                foreach (var cell in row.Elements<Cell>())
                {
                    var column = cell.CellReference?.Value is { } reference ? ColumnIndex(reference) : next;
                    if (column >= MaxColumns)
                    {
                        throw new ExchangeException($"第 {number} 行超过 {MaxColumns} 列，文件可能不是需求/成果表格");
                    }

                    while (cells.Count <= column)
                    {
                        cells.Add(null);
                    }

                    var text = CellText(cell, shared, dateStyles);
                    if (text is { Length: > MaxCellLength })
                    {
                        throw new ExchangeException($"第 {number} 行有超过 {MaxCellLength} 个字符的单元格，文件可能不是需求/成果表格");
                    }

                    cells[column] = text;
                    next = column + 1;
                }

                if (cells.All(string.IsNullOrWhiteSpace))
                {
                    continue;
                }

                yield return new TableRow(number, [.. cells]);
            }
        }
    }

    private static string? CellText(Cell cell, string[] shared, HashSet<uint> dateStyles)
    {
        var type = cell.DataType?.Value;
        if (type == CellValues.InlineString)
        {
            return cell.InlineString?.InnerText;
        }

        var value = cell.CellValue?.InnerText;
        if (value is null)
        {
            return null;
        }

        if (type == CellValues.SharedString)
        {
            return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i >= 0 && i < shared.Length ? shared[i] : null;
        }

        if (type == CellValues.Boolean)
        {
            return value == "1" ? "是" : "否";
        }

        if (type is null or CellValues.Number
            && cell.StyleIndex?.Value is { } style && dateStyles.Contains(style)
            && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is > 0 and < 2958466)
        {
            return DateTime.FromOADate(serial).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        return value;
    }

    /// <summary>Style indexes whose number format shows a date (built-in ids 14–22, 27–36, 45–47, 50–58, or a custom format with y/d).</summary>
    private static HashSet<uint> DateStyles(Stylesheet? stylesheet)
    {
        var result = new HashSet<uint>();
        if (stylesheet?.CellFormats is null)
        {
            return result;
        }

        var custom = stylesheet.NumberingFormats?.Elements<NumberingFormat>()
            .Where(f => f.NumberFormatId?.Value is not null)
            .ToDictionary(f => f.NumberFormatId!.Value, f => f.FormatCode?.Value ?? "") ?? [];
        uint index = 0;
        foreach (var format in stylesheet.CellFormats.Elements<CellFormat>())
        {
            var id = format.NumberFormatId?.Value ?? 0;
            var isDate = id is (>= 14 and <= 22) or (>= 27 and <= 36) or (>= 45 and <= 47) or (>= 50 and <= 58)
                || (custom.TryGetValue(id, out var code) && IsDateFormat(code));
            if (isDate)
            {
                result.Add(index);
            }

            index++;
        }

        return result;
    }

    private static bool IsDateFormat(string code)
    {
        var inQuote = false;
        foreach (var c in code)
        {
            if (c == '"')
            {
                inQuote = !inQuote;
            }
            else if (!inQuote && c is 'y' or 'Y' or 'd' or 'D' or '年' or '日')
            {
                return true;
            }
        }

        return false;
    }

    private static int ColumnIndex(string reference)
    {
        var index = 0;
        foreach (var c in reference)
        {
            if (c is >= 'A' and <= 'Z')
            {
                index = (index * 26) + (c - 'A' + 1);
            }
            else if (c is >= 'a' and <= 'z')
            {
                index = (index * 26) + (c - 'a' + 1);
            }
            else
            {
                break;
            }

            if (index > MaxColumns)
            {
                return MaxColumns;
            }
        }

        return Math.Max(0, index - 1);
    }

    /// <summary>Replays the bytes already read for sniffing, then the rest of the stream.</summary>
    private sealed class PrefixedStream(byte[] prefix, int prefixLength, Stream rest) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position < prefixLength)
            {
                var n = Math.Min(buffer.Length, prefixLength - _position);
                prefix.AsSpan(_position, n).CopyTo(buffer);
                _position += n;
                return n;
            }

            return rest.Read(buffer);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
