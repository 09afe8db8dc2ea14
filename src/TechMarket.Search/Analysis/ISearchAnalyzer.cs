namespace TechMarket.Search.Analysis;

/// <summary>A term and where it came from in the original text (UTF-16 offsets).</summary>
internal readonly record struct Token(string Term, int Start, int Length);

/// <summary>
/// What the engine needs from text analysis: words for precision and readable highlights, CJK bigrams
/// for recall. Offsets always point into the original text.
/// </summary>
internal interface ISearchAnalyzer
{
    /// <summary>Search-mode words, normalised.</summary>
    IReadOnlyList<Token> Words(string text);

    /// <summary>Overlapping CJK bigrams (a one-character run stays a unigram) plus non-CJK words, normalised.</summary>
    IReadOnlyList<Token> Bigrams(string text);

    /// <summary>Normalisation applied to terms (for autocomplete).</summary>
    string Normalize(string text);
}
