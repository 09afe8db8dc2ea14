using TechMarket.Search.Analysis;

namespace TechMarket.Search.Storage;

/// <summary>Marks the query's terms in the original text using the same analysis as the index.</summary>
internal static class Highlighter
{
    public const int SnippetLength = 120;

    public static HighlightedText Highlight(string text, ICollection<string> queryTerms, ISearchAnalyzer analyzer, int? window)
    {
        if (text.Length == 0)
        {
            return HighlightedText.Empty;
        }

        var spans = new List<HighlightSpan>();
        if (queryTerms.Count > 0)
        {
            Collect(analyzer.Words(text), "w:", queryTerms, spans);
            Collect(analyzer.Bigrams(text), "b:", queryTerms, spans);
        }

        spans = Merge(spans);
        if (window is not { } size || text.Length <= size)
        {
            return new HighlightedText(text, spans);
        }

        var start = BestWindowStart(spans, size);
        start = Math.Max(0, Math.Min(start, text.Length - size));
        if (start > 0 && char.IsLowSurrogate(text[start]))
        {
            start--;
        }

        var end = Math.Min(text.Length, start + size);
        if (end < text.Length && char.IsHighSurrogate(text[end - 1]))
        {
            end--;
        }

        var prefix = start > 0 ? "…" : "";
        var suffix = end < text.Length ? "…" : "";
        var clipped = new List<HighlightSpan>();
        foreach (var s in spans)
        {
            var a = Math.Max(s.Start, start);
            var b = Math.Min(s.Start + s.Length, end);
            if (b > a)
            {
                clipped.Add(new HighlightSpan(a - start + prefix.Length, b - a));
            }
        }

        return new HighlightedText(prefix + text[start..end] + suffix, clipped);
    }

    private static void Collect(IReadOnlyList<Token> tokens, string prefix, ICollection<string> queryTerms, List<HighlightSpan> spans)
    {
        foreach (var token in tokens)
        {
            if (token.Length > 0 && queryTerms.Contains(prefix + token.Term))
            {
                spans.Add(new HighlightSpan(token.Start, token.Length));
            }
        }
    }

    private static List<HighlightSpan> Merge(List<HighlightSpan> spans)
    {
        spans.Sort((x, y) => x.Start != y.Start ? x.Start.CompareTo(y.Start) : y.Length.CompareTo(x.Length));
        var merged = new List<HighlightSpan>();
        foreach (var s in spans)
        {
            if (merged.Count > 0 && s.Start <= merged[^1].Start + merged[^1].Length)
            {
                var last = merged[^1];
                var end = Math.Max(last.Start + last.Length, s.Start + s.Length);
                merged[^1] = new HighlightSpan(last.Start, end - last.Start);
            }
            else
            {
                merged.Add(s);
            }
        }

        return merged;
    }

    /// <summary>Starts the window a little before the densest run of matches.</summary>
    private static int BestWindowStart(List<HighlightSpan> spans, int size)
    {
        if (spans.Count == 0)
        {
            return 0;
        }

        int best = 0, bestCount = 0;
        for (var i = 0; i < spans.Count; i++)
        {
            var count = 0;
            for (var j = i; j < spans.Count && spans[j].Start + spans[j].Length <= spans[i].Start + size - 10; j++)
            {
                count += spans[j].Length;
            }

            if (count > bestCount)
            {
                bestCount = count;
                best = i;
            }
        }

        return Math.Max(0, spans[best].Start - 10);
    }
}
