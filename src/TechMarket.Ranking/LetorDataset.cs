using System.Globalization;
using System.Text;

namespace TechMarket.Ranking;

/// <summary>
/// Query-grouped learning-to-rank data held densely in memory: rows of one query are
/// contiguous, features are stored row-major, a missing value is <see cref="double.NaN"/>.
/// </summary>
public sealed class LetorDataset
{
    /// <summary>Creates a dataset, checking that the arrays agree.</summary>
    /// <param name="features">Row-major values, <c>rows × featureCount</c>.</param>
    /// <param name="labels">One label per row.</param>
    /// <param name="queryBoundaries">Query q holds rows <c>[b[q], b[q+1])</c>; starts at 0, ends at the row count.</param>
    /// <param name="queryIds">One id per query.</param>
    /// <param name="featureCount">Number of features per row.</param>
    /// <param name="featureNames">One distinct, non-empty name per feature; <c>f1</c>…<c>fN</c> when omitted (as for <c>.svm</c> files).</param>
    public LetorDataset(double[] features, double[] labels, int[] queryBoundaries, string[] queryIds, int featureCount, IReadOnlyList<string>? featureNames = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(queryBoundaries);
        ArgumentNullException.ThrowIfNull(queryIds);
        ArgumentOutOfRangeException.ThrowIfNegative(featureCount);
        if ((long)labels.Length * featureCount != features.Length)
        {
            throw new ArgumentException("features must hold rows × featureCount values", nameof(features));
        }

        if (queryBoundaries.Length != queryIds.Length + 1 || queryBoundaries[0] != 0 || queryBoundaries[^1] != labels.Length)
        {
            throw new ArgumentException("query boundaries must run from 0 to the row count, one more than the query ids", nameof(queryBoundaries));
        }

        for (var q = 0; q < queryIds.Length; q++)
        {
            if (queryBoundaries[q + 1] <= queryBoundaries[q])
            {
                throw new ArgumentException("every query must hold at least one row", nameof(queryBoundaries));
            }
        }

        var names = featureNames is null ? DefaultFeatureNames(featureCount) : [.. featureNames];
        if (names.Length != featureCount)
        {
            throw new ArgumentException("one feature name per feature is needed", nameof(featureNames));
        }

        if (names.Any(string.IsNullOrWhiteSpace) || names.Distinct(StringComparer.Ordinal).Count() != names.Length)
        {
            throw new ArgumentException("feature names must be non-empty and distinct", nameof(featureNames));
        }

        FeatureNames = names;
        Features = features;
        Labels = labels;
        QueryBoundaries = queryBoundaries;
        QueryIds = queryIds;
        FeatureCount = featureCount;
    }

    /// <summary>Row-major feature values.</summary>
    public double[] Features { get; }

    /// <summary>One label per row.</summary>
    public double[] Labels { get; }

    /// <summary>Query q holds rows <c>[QueryBoundaries[q], QueryBoundaries[q+1])</c>.</summary>
    public int[] QueryBoundaries { get; }

    /// <summary>The qid of each query, as written in the file.</summary>
    public string[] QueryIds { get; }

    /// <summary>Number of features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>The name of each feature column (<c>f1</c>…<c>fN</c> for data read from <c>.svm</c>).</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Number of rows (documents).</summary>
    public int RowCount => Labels.Length;

    /// <summary>Number of queries.</summary>
    public int QueryCount => QueryIds.Length;

    /// <summary>The features of one row.</summary>
    public ReadOnlySpan<double> Row(int row) => Features.AsSpan(row * FeatureCount, FeatureCount);

    /// <summary>
    /// Builds a dataset from in-memory rows (e.g. the matching pipeline's own feature vectors).
    /// Rows of one query must be contiguous; every row needs one value per feature name (NaN is missing).
    /// </summary>
    /// <param name="featureNames">One distinct name per feature column.</param>
    /// <param name="rows">The rows, grouped by query.</param>
    /// <exception cref="ArgumentException">A row has the wrong number of features or a query's rows are split.</exception>
    public static LetorDataset FromRows(IReadOnlyList<string> featureNames, IEnumerable<LetorRow> rows)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(rows);
        var count = featureNames.Count;
        var features = new List<double>();
        var labels = new List<double>();
        var boundaries = new List<int> { 0 };
        var queryIds = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            ArgumentNullException.ThrowIfNull(row.QueryId, nameof(rows));
            if (row.Features is null || row.Features.Length != count)
            {
                throw new ArgumentException($"every row needs {count} features", nameof(rows));
            }

            if (queryIds.Count == 0 || !string.Equals(queryIds[^1], row.QueryId, StringComparison.Ordinal))
            {
                if (!seen.Add(row.QueryId))
                {
                    throw new ArgumentException($"the rows of query {row.QueryId} are not contiguous", nameof(rows));
                }

                if (queryIds.Count > 0)
                {
                    boundaries.Add(labels.Count);
                }

                queryIds.Add(row.QueryId);
            }

            labels.Add(row.Label);
            foreach (var value in row.Features)
            {
                features.Add(value);
            }
        }

        if (labels.Count > 0)
        {
            boundaries.Add(labels.Count);
        }

        return new LetorDataset([.. features], [.. labels], [.. boundaries], [.. queryIds], count, featureNames);
    }

    /// <summary>Reads a LETOR / SVMlight ranking file (<c>label qid:Q f:v ... # comment</c>).</summary>
    /// <exception cref="LetorFormatException">A line is malformed; the message names its number.</exception>
    public static LetorDataset Load(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        return Read(reader);
    }

    /// <summary>
    /// Parses LETOR / SVMlight ranking text. Feature ids start at 1 and become columns 0…;
    /// features a row omits are 0 (as in LightGBM and XGBoost); <c>nan</c> marks a missing
    /// value. Blank and comment-only lines are skipped. Rows of one query must be contiguous.
    /// </summary>
    /// <param name="reader">The text.</param>
    /// <param name="minFeatureCount">Pad rows to at least this many features (e.g. a model's).</param>
    /// <exception cref="LetorFormatException">A line is malformed; the message names its number.</exception>
    public static LetorDataset Read(TextReader reader, int minFeatureCount = 0)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var labels = new List<double>();
        var rowStarts = new List<int>();
        var indices = new List<int>();
        var values = new List<double>();
        var boundaries = new List<int> { 0 };
        var queryIds = new List<string>();
        var seenQueries = new HashSet<string>(StringComparer.Ordinal);
        var seenInRow = new HashSet<int>();
        var maxFeature = 0;
        var lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            var content = (hash >= 0 ? line.AsSpan(0, hash) : line.AsSpan()).Trim();
            if (content.IsEmpty)
            {
                continue;
            }

            var tokens = content.ToString().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (!double.TryParse(tokens[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var label) || !double.IsFinite(label))
            {
                throw new LetorFormatException(lineNumber, $"标签无效：“{tokens[0]}”");
            }

            if (tokens.Length < 2 || !tokens[1].StartsWith("qid:", StringComparison.Ordinal) || tokens[1].Length == 4)
            {
                throw new LetorFormatException(lineNumber, "缺少 qid（应为“标签 qid:查询号 特征号:值 …”）");
            }

            var qid = tokens[1][4..];
            if (queryIds.Count == 0 || !string.Equals(queryIds[^1], qid, StringComparison.Ordinal))
            {
                if (!seenQueries.Add(qid))
                {
                    throw new LetorFormatException(lineNumber, $"查询 qid:{qid} 的行不连续（同一查询的行必须相邻）");
                }

                if (queryIds.Count > 0)
                {
                    boundaries.Add(labels.Count);
                }

                queryIds.Add(qid);
            }

            rowStarts.Add(indices.Count);
            labels.Add(label);
            seenInRow.Clear();
            for (var t = 2; t < tokens.Length; t++)
            {
                var token = tokens[t];
                var colon = token.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0
                    || !int.TryParse(token.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                    || id < 1)
                {
                    throw new LetorFormatException(lineNumber, $"特征项无效：“{token}”（应为 特征号:值，特征号从 1 开始）");
                }

                if (id > MaxFeatureId)
                {
                    throw new LetorFormatException(lineNumber, $"特征号 {id} 过大（最多 {MaxFeatureId}）");
                }

                if (!double.TryParse(token.AsSpan(colon + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                    || double.IsInfinity(value))
                {
                    throw new LetorFormatException(lineNumber, $"特征 {id} 的取值无效：“{token[(colon + 1)..]}”");
                }

                if (!seenInRow.Add(id))
                {
                    throw new LetorFormatException(lineNumber, $"特征 {id} 重复出现");
                }

                indices.Add(id - 1);
                values.Add(value);
                maxFeature = Math.Max(maxFeature, id);
            }
        }

        boundaries.Add(labels.Count);
        if (labels.Count == 0)
        {
            boundaries = [0];
        }

        var featureCount = Math.Max(maxFeature, minFeatureCount);
        var features = new double[(long)labels.Count * featureCount];
        rowStarts.Add(indices.Count);
        for (var r = 0; r < labels.Count; r++)
        {
            var baseIndex = r * featureCount;
            for (var j = rowStarts[r]; j < rowStarts[r + 1]; j++)
            {
                features[baseIndex + indices[j]] = values[j];
            }
        }

        return new LetorDataset(features, [.. labels], [.. boundaries], [.. queryIds], featureCount);
    }

    /// <summary>Writes the dataset in LETOR / SVMlight ranking format (all features, NaN as <c>nan</c>).</summary>
    public void Write(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var sb = new StringBuilder();
        for (var q = 0; q < QueryCount; q++)
        {
            for (var r = QueryBoundaries[q]; r < QueryBoundaries[q + 1]; r++)
            {
                sb.Clear();
                sb.Append(Labels[r].ToString(CultureInfo.InvariantCulture)).Append(" qid:").Append(QueryIds[q]);
                var row = Row(r);
                for (var f = 0; f < row.Length; f++)
                {
                    sb.Append(' ').Append(f + 1).Append(':');
                    sb.Append(double.IsNaN(row[f]) ? "nan" : row[f].ToString("0.######", CultureInfo.InvariantCulture));
                }

                writer.WriteLine(sb.ToString());
            }
        }
    }

    /// <summary>Writes the dataset to a file in LETOR / SVMlight ranking format.</summary>
    public void Save(string path)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.NewLine = "\n";
        Write(writer);
    }

    private const int MaxFeatureId = 100_000;

    private static string[] DefaultFeatureNames(int count)
    {
        var names = new string[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = string.Create(CultureInfo.InvariantCulture, $"f{i + 1}");
        }

        return names;
    }
}

/// <summary>One document of a query, for <see cref="LetorDataset.FromRows"/>.</summary>
/// <param name="QueryId">The query (rows of one query must be contiguous).</param>
/// <param name="Label">The graded relevance (an integer 0–30 for lambdarank).</param>
/// <param name="Features">One value per feature name; NaN is missing.</param>
public readonly record struct LetorRow(string QueryId, double Label, float[] Features);

/// <summary>A LETOR / SVMlight line that cannot be read; the message (Chinese) starts with the line number.</summary>
public sealed class LetorFormatException : FormatException
{
    /// <summary>Creates the exception for a line.</summary>
    public LetorFormatException(int lineNumber, string reason)
        : base($"第 {lineNumber} 行：{reason}")
    {
        LineNumber = lineNumber;
    }

    /// <summary>Creates the exception with a plain message.</summary>
    public LetorFormatException()
    {
    }

    /// <summary>Creates the exception with a plain message.</summary>
    public LetorFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a plain message and cause.</summary>
    public LetorFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The 1-based line number of the malformed line (0 when not about a line).</summary>
    public int LineNumber { get; }
}
