namespace TechMarket.Text;

/// <summary>
/// A term produced by <see cref="TextAnalyzer"/>: the normalised term and the slice of the
/// ORIGINAL (un-normalised) text it came from, for highlighting.
/// </summary>
/// <param name="Term">The normalised term (simplified, half-width, lower case).</param>
/// <param name="Start">Offset of the first UTF-16 code unit in the original text.</param>
/// <param name="Length">Number of UTF-16 code units in the original text.</param>
public readonly record struct AnalyzedToken(string Term, int Start, int Length);
