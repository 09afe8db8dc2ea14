using TechMarket.Search.Analysis;

namespace TechMarket.Search.Storage;

/// <summary>Term frequencies of one term in the three fields.</summary>
internal record struct FieldTf(int Title, int Body, int Keywords);

/// <summary>A document after analysis: cleaned values, per-term frequencies and the six field lengths.</summary>
internal sealed class AnalyzedDocument
{
    private AnalyzedDocument(SearchDocument document, Dictionary<string, FieldTf> terms, int[] lengths)
    {
        Document = document;
        Terms = terms;
        Lengths = lengths;
    }

    public SearchDocument Document { get; }

    /// <summary>Namespaced term (<c>w:</c> word, <c>b:</c> bigram) to its frequencies.</summary>
    public Dictionary<string, FieldTf> Terms { get; }

    /// <summary>Token counts: words in title, body, keywords, then bigrams in title, body, keywords.</summary>
    public int[] Lengths { get; }

    public static AnalyzedDocument Create(SearchDocument document, ISearchAnalyzer analyzer)
    {
        var clean = document with
        {
            Title = TextSanitizer.Clean(document.Title),
            Body = TextSanitizer.Clean(document.Body),
            Keywords = document.Keywords.Select(k => TextSanitizer.Clean(k).Replace(DocTable.ListSeparator, ' ').Trim()).Where(k => k.Length > 0).ToArray(),
            Field = CleanOrNull(document.Field),
            District = CleanOrNull(document.District),
            Maturity = CleanOrNull(document.Maturity),
            TransferModes = document.TransferModes.Select(m => TextSanitizer.Clean(m).Replace(DocTable.ListSeparator, ' ').Trim()).Where(m => m.Length > 0).ToArray(),
            Status = TextSanitizer.Clean(document.Status),
            Price = document.Price is { } p && double.IsFinite(p) ? p : null,
        };
        var terms = new Dictionary<string, FieldTf>(StringComparer.Ordinal);
        var lengths = new int[DocTable.LengthSlots];
        string[] fields = [clean.Title, clean.Body, string.Join('\n', clean.Keywords)];
        for (var f = 0; f < fields.Length; f++)
        {
            lengths[f] = Add(terms, analyzer.Words(fields[f]), "w:", f);
            lengths[3 + f] = Add(terms, analyzer.Bigrams(fields[f]), "b:", f);
        }

        return new AnalyzedDocument(clean, terms, lengths);
    }

    private static string? CleanOrNull(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : TextSanitizer.Clean(value).Trim();

    private static int Add(Dictionary<string, FieldTf> terms, IReadOnlyList<Token> tokens, string prefix, int field)
    {
        foreach (var token in tokens)
        {
            var key = prefix + token.Term;
            terms.TryGetValue(key, out var tf);
            terms[key] = field switch
            {
                0 => tf with { Title = tf.Title + 1 },
                1 => tf with { Body = tf.Body + 1 },
                _ => tf with { Keywords = tf.Keywords + 1 },
            };
        }

        return tokens.Count;
    }
}
