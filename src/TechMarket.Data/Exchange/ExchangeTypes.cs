namespace TechMarket.Data.Exchange;

/// <summary>File formats for importing and exporting listings.</summary>
public enum ExchangeFormat
{
    Csv,
    Xlsx,
}

/// <summary>What an import does when some rows are invalid.</summary>
public enum ImportMode
{
    /// <summary>Commit only when every row is valid.</summary>
    AllOrNothing,

    /// <summary>Commit the valid rows and report the others.</summary>
    ValidRowsOnly,
}

/// <summary>One problem in one cell of an import file. Rows are numbered as the user sees them (header = row 1).</summary>
public sealed record ImportError(int Row, string Field, string Message)
{
    public override string ToString() => $"行 {Row}，字段 {Field}：{Message}";
}

/// <summary>The outcome of an import.</summary>
/// <param name="TotalRows">Data rows read (blank rows are not counted).</param>
/// <param name="Imported">Rows written as drafts (0 when nothing was committed).</param>
/// <param name="Errors">Every problem found, in file order.</param>
/// <param name="Committed">Whether the transaction was committed.</param>
/// <param name="ImportedIds">Ids of the drafts created.</param>
public sealed record ImportReport(int TotalRows, int Imported, IReadOnlyList<ImportError> Errors, bool Committed, IReadOnlyList<long> ImportedIds);

/// <summary>
/// The file as a whole cannot be imported (not a CSV or .xlsx, empty, header columns missing, a cell too long,
/// unknown organisation). The message is Chinese and tells the user what to fix.
/// </summary>
public sealed class ExchangeException : Exception
{
    public ExchangeException()
    {
    }

    public ExchangeException(string message)
        : base(message)
    {
    }

    public ExchangeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Chooses a format from a file name.</summary>
public static class ExchangeFormats
{
    /// <summary>.csv / .txt → CSV, .xlsx → Excel; null for anything else.</summary>
    public static ExchangeFormat? FromFileName(string fileName) =>
        Path.GetExtension(fileName).ToUpperInvariant() switch
        {
            ".CSV" or ".TXT" => ExchangeFormat.Csv,
            ".XLSX" => ExchangeFormat.Xlsx,
            _ => null,
        };

    /// <summary>"csv" or "xlsx" (case-insensitive); null otherwise.</summary>
    public static ExchangeFormat? Parse(string? text) =>
        text?.Trim().ToUpperInvariant() switch
        {
            "CSV" => ExchangeFormat.Csv,
            "XLSX" or "EXCEL" => ExchangeFormat.Xlsx,
            _ => null,
        };
}
