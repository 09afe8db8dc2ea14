using System.Net;
using System.Text;

namespace TechMarket.Search;

/// <summary>One page of results with the total and the facet counts.</summary>
/// <param name="Total">Listings that match the text and pass every filter.</param>
/// <param name="Hits">The requested page.</param>
/// <param name="Facets">Counts per facet value; each facet ignores its own filter (multi-select facets).</param>
public sealed record SearchResult(int Total, IReadOnlyList<SearchHit> Hits, SearchFacets Facets);

/// <summary>One listing in a result page.</summary>
/// <param name="Id">The listing's id.</param>
/// <param name="Kind">Need or achievement.</param>
/// <param name="Score">BM25 score (0 when there is no query text).</param>
/// <param name="Title">The original title with the matched terms marked.</param>
/// <param name="Snippet">A window of the original body around the best match, with the matched terms marked.</param>
/// <param name="Field">Technical field.</param>
/// <param name="District">District.</param>
/// <param name="Maturity">Maturity.</param>
/// <param name="Price">Price in 万元, null for negotiable.</param>
/// <param name="UpdatedAt">Last edit time.</param>
public sealed record SearchHit(
    long Id,
    ListingKind Kind,
    double Score,
    HighlightedText Title,
    HighlightedText Snippet,
    string? Field,
    string? District,
    string? Maturity,
    double? Price,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The score's parts, when the query asked for them (<see cref="SearchQuery.IncludeScoreParts"/>).</summary>
    public ScoreParts? Parts { get; init; }
}

/// <summary>
/// Where a hit's BM25 score came from: the weighted BM25 of the title, body and keywords fields (words and bigrams
/// summed), the query segments whose bigrams all occur in the listing, and the share of the query's rarity
/// (idf mass) that the listing contains in any field.
/// </summary>
public sealed record ScoreParts(double Title, double Body, double Keywords, int CoveredSegments, double QueryCoverage);

/// <summary>A span of text to emphasise: offsets in UTF-16 code units into <see cref="HighlightedText.Text"/>.</summary>
/// <param name="Start">First code unit.</param>
/// <param name="Length">Number of code units.</param>
public readonly record struct HighlightSpan(int Start, int Length);

/// <summary>Original text plus the spans that matched the query (sorted, non-overlapping).</summary>
/// <param name="Text">The original text (or a window of it).</param>
/// <param name="Spans">Matched spans.</param>
public sealed record HighlightedText(string Text, IReadOnlyList<HighlightSpan> Spans)
{
    /// <summary>An empty text without spans.</summary>
    public static HighlightedText Empty { get; } = new("", []);

    /// <summary>HTML-encodes the text and wraps every span in <paramref name="open"/>/<paramref name="close"/>.</summary>
    public string ToHtml(string open = "<em>", string close = "</em>")
    {
        var sb = new StringBuilder(Text.Length + (Spans.Count * 9));
        var at = 0;
        foreach (var span in Spans)
        {
            sb.Append(WebUtility.HtmlEncode(Text[at..span.Start]));
            sb.Append(open).Append(WebUtility.HtmlEncode(Text.Substring(span.Start, span.Length))).Append(close);
            at = span.Start + span.Length;
        }

        sb.Append(WebUtility.HtmlEncode(Text[at..]));
        return sb.ToString();
    }
}

/// <summary>A facet value and how many matching listings carry it.</summary>
/// <param name="Value">The value (for kind: <c>need</c> or <c>achievement</c>).</param>
/// <param name="Count">Matching listings.</param>
public readonly record struct FacetCount(string Value, int Count);

/// <summary>Facet counts, each sorted by count (descending) then value.</summary>
public sealed record SearchFacets(
    IReadOnlyList<FacetCount> Kind,
    IReadOnlyList<FacetCount> Field,
    IReadOnlyList<FacetCount> District,
    IReadOnlyList<FacetCount> Maturity,
    IReadOnlyList<FacetCount> TransferMode,
    IReadOnlyList<FacetCount> PriceBand,
    IReadOnlyList<FacetCount> Status)
{
    /// <summary>No counts (facets not requested).</summary>
    public static SearchFacets Empty { get; } = new([], [], [], [], [], [], []);
}

/// <summary>An autocomplete suggestion.</summary>
/// <param name="Text">The suggested text (a title or a keyword, as written).</param>
/// <param name="Source"><c>keyword</c> or <c>title</c>.</param>
public readonly record struct Suggestion(string Text, string Source);
