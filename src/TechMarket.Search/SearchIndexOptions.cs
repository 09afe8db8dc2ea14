namespace TechMarket.Search;

/// <summary>
/// Scoring settings shared by every backend. BM25 follows Lucene's <c>BM25Similarity</c>
/// (idf = ln(1 + (N − n + 0.5)/(n + 0.5)), score = idf · tf/(tf + k1·(1 − b + b·dl/avgdl))), computed per
/// field and per token kind (word or bigram) with that field's own statistics, then summed with the weights below.
/// </summary>
public sealed record SearchIndexOptions
{
    /// <summary>The defaults used by the server and by <c>techmarket eval search</c>.</summary>
    public static SearchIndexOptions Default { get; } = new();

    /// <summary>BM25 k1.</summary>
    public double K1 { get; init; } = 1.2;

    /// <summary>BM25 b.</summary>
    public double B { get; init; } = 0.75;

    /// <summary>Weight of the title field.</summary>
    public double TitleWeight { get; init; } = 2.0;

    /// <summary>Weight of the body field.</summary>
    public double BodyWeight { get; init; } = 1.0;

    /// <summary>Weight of the keywords field.</summary>
    public double KeywordsWeight { get; init; } = 1.5;

    /// <summary>Weight of segmenter words.</summary>
    public double WordWeight { get; init; } = 1.0;

    /// <summary>Weight of CJK bigrams.</summary>
    public double BigramWeight { get; init; } = 1.0;

    /// <summary>
    /// Added once for every query segment (a run of letters and digits between spaces or punctuation, such as one
    /// keyword) whose CJK bigrams all occur in the document: a cheap stand-in for "contains the phrase".
    /// </summary>
    public double CoverageBonus { get; init; } = 5.0;

    /// <summary>
    /// A matching document's score is lowered by this times ln(its bigram count / the mean bigram count), so that
    /// among similar matches the more focused (shorter) listing ranks first. 0 turns it off.
    /// </summary>
    public double LengthPrior { get; init; } = 2.5;

    /// <summary>Automatic merging starts when the index holds more postings blocks than this.</summary>
    public int MaxBlocks { get; init; } = 12;
}
