namespace TechMarket.Matching;

/// <summary>
/// Character bigrams of CJK runs plus lower-cased ASCII words: the cheap, dictionary-free view of two texts'
/// overlap that the pair features compare (the search engine's own scores come from its analyser).
/// </summary>
internal static class TextOverlap
{
    public static HashSet<string> Grams(string text)
    {
        var grams = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (IsCjk(c))
            {
                var start = i;
                while (i < text.Length && IsCjk(text[i]))
                {
                    i++;
                }

                if (i - start == 1)
                {
                    grams.Add(text.Substring(start, 1));
                }

                for (var j = start; j + 1 < i; j++)
                {
                    grams.Add(text.Substring(j, 2));
                }
            }
            else if (char.IsAsciiLetterOrDigit(c))
            {
                var start = i;
                while (i < text.Length && char.IsAsciiLetterOrDigit(text[i]))
                {
                    i++;
                }

                grams.Add(text[start..i].ToLowerInvariant());
            }
            else
            {
                i++;
            }
        }

        return grams;
    }

    /// <summary>Share of <paramref name="part"/>'s grams that occur in <paramref name="whole"/> (0 when empty).</summary>
    public static double Coverage(HashSet<string> part, HashSet<string> whole)
    {
        if (part.Count == 0)
        {
            return 0;
        }

        var found = 0;
        foreach (var g in part)
        {
            if (whole.Contains(g))
            {
                found++;
            }
        }

        return (double)found / part.Count;
    }

    public static double Jaccard(HashSet<string> a, HashSet<string> b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return 0;
        }

        var (small, large) = a.Count <= b.Count ? (a, b) : (b, a);
        var common = 0;
        foreach (var g in small)
        {
            if (large.Contains(g))
            {
                common++;
            }
        }

        return (double)common / (a.Count + b.Count - common);
    }

    private static bool IsCjk(char c) => c is >= '\u4e00' and <= '\u9fff' or >= '\u3400' and <= '\u4dbf';
}
