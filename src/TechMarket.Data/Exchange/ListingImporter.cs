using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using C = TechMarket.Data.Exchange.ListingColumns;

namespace TechMarket.Data.Exchange;

/// <summary>
/// Imports needs or achievements from CSV or .xlsx as drafts of one organisation, in ONE transaction:
/// a killed import leaves nothing, <see cref="ImportMode.AllOrNothing"/> commits only a clean file,
/// <see cref="ImportMode.ValidRowsOnly"/> commits the rows that pass. Rows are checked with the same
/// <see cref="ListingRules.Validate"/> as the API (submission rules), plus per-cell parse errors.
/// </summary>
public static class ListingImporter
{
    /// <summary>Rows written per SaveChanges.</summary>
    private const int BatchSize = 1000;

    /// <summary>Largest file accepted, in data rows.</summary>
    public const int MaxRows = 500_000;

    /// <summary>Imports the rows of <paramref name="input"/>. File-level problems throw <see cref="ExchangeException"/> (Chinese message).</summary>
    /// <param name="db">The market; its <see cref="MarketDb.ActorId"/> is set to <paramref name="userId"/> for the audit log.</param>
    /// <param name="input">The file's bytes (seekable or not).</param>
    /// <param name="format">CSV (UTF-8 with or without BOM, or GB18030) or .xlsx (first worksheet).</param>
    /// <param name="needs">True for 技术需求, false for 科技成果.</param>
    /// <param name="organisationId">The organisation the drafts belong to.</param>
    /// <param name="userId">The user recorded as their creator.</param>
    /// <param name="mode">What to do when some rows are invalid.</param>
    /// <param name="today">The date 需求时限 is checked against.</param>
    /// <param name="progress">Receives the number of data rows read so far.</param>
    /// <param name="ct">Cancels the import; nothing is committed.</param>
    public static async Task<ImportReport> ImportAsync(
        MarketDb db,
        Stream input,
        ExchangeFormat format,
        bool needs,
        long organisationId,
        long userId,
        ImportMode mode,
        DateOnly today,
        IProgress<int>? progress = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(input);
        if (!await db.Organisations.AnyAsync(o => o.Id == organisationId, ct))
        {
            throw new ExchangeException($"机构不存在：{organisationId}");
        }

        using var rows = TableReader.Read(input, format).GetEnumerator();
        if (!rows.MoveNext())
        {
            throw new ExchangeException("文件是空的：第一行应为表头（" + string.Join("、", C.Importable(needs)) + "）");
        }

        var columns = MapHeader(rows.Current, needs);
        var errors = new List<ImportError>();
        var ids = new List<long>();
        var pending = new List<Listing>();
        var total = 0;
        var actor = db.ActorId;
        var autoDetect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ActorId = userId;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            while (rows.MoveNext())
            {
                ct.ThrowIfCancellationRequested();
                var row = rows.Current;
                if (++total > MaxRows)
                {
                    throw new ExchangeException($"文件超过 {MaxRows} 行，请拆分后分批导入");
                }

                if (total % 100 == 0)
                {
                    progress?.Report(total);
                }

                var rowErrors = new List<ImportError>();
                var rowInput = ParseRow(row, columns, needs, rowErrors);
                foreach (var (key, messages) in ListingRules.Validate(rowInput, needs, forSubmission: true, today))
                {
                    var column = C.ForRuleKey(key, needs);
                    if (rowErrors.Any(e => e.Field == column))
                    {
                        continue;
                    }

                    rowErrors.AddRange(messages.Select(m => new ImportError(row.Number, column, m)));
                }

                errors.AddRange(rowErrors);
                if (rowErrors.Count > 0 || (mode == ImportMode.AllOrNothing && errors.Count > 0))
                {
                    continue;
                }

                Listing listing = needs ? new Need() : new Achievement();
                ListingRules.Apply(rowInput, listing);
                var now = DateTime.UtcNow;
                listing.OrganisationId = organisationId;
                listing.CreatedById = userId;
                listing.Status = ListingStatus.Draft;
                listing.CreatedAt = now;
                listing.UpdatedAt = now;
                pending.Add(listing);
                db.Listings.Add(listing);
                if (pending.Count >= BatchSize)
                {
                    await FlushAsync(db, pending, ids, ct);
                }
            }

            progress?.Report(total);
            if (mode == ImportMode.AllOrNothing && errors.Count > 0)
            {
                await tx.RollbackAsync(ct);
                return new ImportReport(total, 0, errors, false, []);
            }

            await FlushAsync(db, pending, ids, ct);
            await tx.CommitAsync(ct);
            return new ImportReport(total, ids.Count, errors, true, ids);
        }
        finally
        {
            db.ChangeTracker.Clear();
            db.ChangeTracker.AutoDetectChangesEnabled = autoDetect;
            db.ActorId = actor;
        }
    }

    private static async Task FlushAsync(MarketDb db, List<Listing> pending, List<long> ids, CancellationToken ct)
    {
        if (pending.Count == 0)
        {
            return;
        }

        await db.SaveChangesAsync(ct);
        ids.AddRange(pending.Select(l => l.Id));
        pending.Clear();
        db.ChangeTracker.Clear();
    }

    private static Dictionary<string, int> MapHeader(TableRow header, bool needs)
    {
        var known = C.Importable(needs).Concat(C.ExportOnly).ToDictionary(C.Normalise, c => c, StringComparer.Ordinal);
        var other = C.Importable(!needs).ToDictionary(C.Normalise, c => c, StringComparer.Ordinal);
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        var foreign = new List<string>();
        for (var i = 0; i < header.Cells.Length; i++)
        {
            var name = C.Normalise(header.Cells[i]);
            if (known.TryGetValue(name, out var column))
            {
                if (!columns.TryAdd(column, i))
                {
                    throw new ExchangeException($"表头中“{column}”列出现了两次");
                }
            }
            else if (other.TryGetValue(name, out var otherColumn))
            {
                foreign.Add(otherColumn);
            }
        }

        var missing = C.Required(needs).Where(c => !columns.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            var hint = columns.Count == 0 && foreign.Count == 0
                ? "第一行应为表头，文件可能不是需求/成果表格"
                : foreign.Count > 0 ? $"文件含有{(needs ? "成果" : "需求")}的列（{string.Join("、", foreign.Take(3))}），是否选错了导入类型？" : "";
            throw new ExchangeException($"缺少必需的列：{string.Join("、", missing)}。{hint}（表头应为：{string.Join("、", C.Importable(needs))}）");
        }

        return columns;
    }

    private static ListingInput ParseRow(TableRow row, Dictionary<string, int> columns, bool needs, List<ImportError> errors)
    {
        string? Get(string column)
        {
            if (!columns.TryGetValue(column, out var i) || i >= row.Cells.Length)
            {
                return null;
            }

            var v = row.Cells[i]?.Trim();
            if (string.IsNullOrEmpty(v))
            {
                return null;
            }

            // Undo the spreadsheet-formula escape our CSV export adds ('=… '+… '-… '@…).
            return v.Length > 1 && v[0] == '\'' && v[1] is '=' or '+' or '-' or '@' ? v[1..] : v;
        }

        void Error(string column, string message) => errors.Add(new ImportError(row.Number, column, message));

        decimal? Amount(string column)
        {
            var text = Get(column);
            if (text is null || text == "面议")
            {
                return null;
            }

            var cleaned = HalfWidth(text).Replace(",", "", StringComparison.Ordinal).Replace("万元", "", StringComparison.Ordinal).Replace("万", "", StringComparison.Ordinal).Trim();
            if (decimal.TryParse(cleaned, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return Math.Round(value, 2);
            }

            Error(column, $"应为数字（单位万元），或留空、填写“面议”；当前为“{Clip(text)}”");
            return null;
        }

        DateOnly? Date(string column)
        {
            var text = Get(column);
            if (text is null)
            {
                return null;
            }

            if (TryParseDate(HalfWidth(text), out var date))
            {
                return date;
            }

            Error(column, $"日期格式应为 2026-06-30；当前为“{Clip(text)}”");
            return null;
        }

        bool Flag(string column)
        {
            var text = Get(column);
            switch (text?.ToUpperInvariant())
            {
                case null or "否" or "N" or "NO" or "FALSE" or "0" or "×":
                    return false;
                case "是" or "Y" or "YES" or "TRUE" or "1" or "√":
                    return true;
                default:
                    Error(column, $"应填写“是”或“否”；当前为“{Clip(text)}”");
                    return false;
            }
        }

        var modesText = Get(C.TransferModes);
        var input = new ListingInput
        {
            Title = Get(C.Title),
            Summary = Get(needs ? C.NeedSummary : C.AchievementSummary),
            Keywords = Get(C.Keywords),
            Field = Get(C.Field),
            TransferModes = modesText?.Split(['、', ',', '，', ';', '；', '/', ' ', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            ContactName = Get(C.ContactName),
            ContactPhone = Get(C.ContactPhone),
        };
        if (needs)
        {
            return input with
            {
                Problem = Get(C.Problem),
                KeyPoints = Get(C.KeyPoints),
                Targets = Get(C.Targets),
                BudgetWan = Amount(C.Budget),
                ValidUntil = Date(C.ValidUntil),
                IsChallenge = Flag(C.Challenge),
                BountyWan = Amount(C.Bounty),
                ChallengeDeadline = Date(C.ChallengeDeadline),
                Maturity = Get(C.MaturityWanted),
            };
        }

        int? trl = null;
        if (Get(C.Trl) is { } trlText)
        {
            if (int.TryParse(HalfWidth(trlText).Replace("TRL", "", StringComparison.OrdinalIgnoreCase).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var t))
            {
                trl = t;
            }
            else
            {
                Error(C.Trl, $"应为 1 到 9 的整数；当前为“{Clip(trlText)}”");
            }
        }

        return input with
        {
            Maturity = Get(C.Maturity),
            Trl = trl,
            IntellectualProperty = Get(C.IntellectualProperty),
            PriceWan = Amount(C.Price),
            UseFirstPayLater = Flag(C.UseFirstPayLater),
        };
    }

    private static readonly string[] DateFormats =
    [
        "yyyy-M-d", "yyyy/M/d", "yyyy.M.d", "yyyy年M月d日", "yyyyMMdd",
        "yyyy-M-d H:m", "yyyy-M-d H:m:s", "yyyy/M/d H:m", "yyyy/M/d H:m:s", "yyyy-MM-ddTHH:mm:ss",
    ];

    internal static bool TryParseDate(string text, out DateOnly date)
    {
        if (DateTime.TryParseExact(text.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dt))
        {
            date = DateOnly.FromDateTime(dt);
            return true;
        }

        // An Excel date serial that arrived as a plain number (a CSV saved from a date column without formatting).
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var serial) && serial is >= 20000 and <= 80000)
        {
            date = DateOnly.FromDateTime(DateTime.FromOADate(serial));
            return true;
        }

        date = default;
        return false;
    }

    private static string HalfWidth(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] is >= '\uFF01' and <= '\uFF5E')
            {
                chars[i] = (char)(chars[i] - 0xFEE0);
            }
            else if (chars[i] == '\u3000')
            {
                chars[i] = ' ';
            }
        }

        return new string(chars);
    }

    private static string Clip(string s) => s.Length <= 20 ? s : s[..20] + "…";
}
