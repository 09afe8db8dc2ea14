namespace TechMarket.Search.Analysis;

/// <summary>
/// Analysis without a dictionary: full-width to half-width, lower case, CJK bigrams and non-CJK words.
/// Its "words" are the non-CJK words only. Used when no segmenter is supplied and in unit tests.
/// </summary>
internal sealed class BigramAnalyzer : ISearchAnalyzer
{
    public static BigramAnalyzer Instance { get; } = new();

    public string Normalize(string text) => string.Create(text.Length, text, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            span[i] = NormalizeChar(source[i]);
        }
    });

    public IReadOnlyList<Token> Words(string text)
    {
        var tokens = new List<Token>();
        Scan(text, tokens, cjk: false);
        return tokens;
    }

    public IReadOnlyList<Token> Bigrams(string text)
    {
        var tokens = new List<Token>();
        Scan(text, tokens, cjk: true);
        return tokens;
    }

    internal static bool IsCjk(char c) =>
        c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') or (>= '\uF900' and <= '\uFAFF');

    private static char NormalizeChar(char c) => c switch
    {
        >= '\uFF01' and <= '\uFF5E' => char.ToLowerInvariant((char)(c - 0xFEE0)),
        '\u3000' => ' ',
        _ => char.ToLowerInvariant(c),
    };

    private static void Scan(string text, List<Token> tokens, bool cjk)
    {
        var i = 0;
        while (i < text.Length)
        {
            var c = NormalizeChar(text[i]);
            if (IsCjk(c))
            {
                var start = i;
                while (i < text.Length && IsCjk(text[i]))
                {
                    i++;
                }

                if (cjk)
                {
                    AddBigrams(text, start, i - start, tokens);
                }
            }
            else if (char.IsLetterOrDigit(c) && !char.IsSurrogate(c))
            {
                var start = i;
                while (i < text.Length && char.IsLetterOrDigit(NormalizeChar(text[i])) && !IsCjk(text[i]) && !char.IsSurrogate(text[i]))
                {
                    i++;
                }

                var term = string.Create(i - start, (text, start), static (span, s) =>
                {
                    for (var k = 0; k < span.Length; k++)
                    {
                        span[k] = NormalizeChar(s.text[s.start + k]);
                    }
                });
                tokens.Add(new Token(term, start, i - start));
            }
            else
            {
                i++;
            }
        }
    }

    private static void AddBigrams(string text, int start, int length, List<Token> tokens)
    {
        if (length == 1)
        {
            tokens.Add(new Token(text.Substring(start, 1), start, 1));
            return;
        }

        for (var k = start; k + 1 < start + length; k++)
        {
            tokens.Add(new Token(text.Substring(k, 2), k, 2));
        }
    }
}
