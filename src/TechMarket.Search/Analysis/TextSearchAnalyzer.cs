using TechMarket.Text;

namespace TechMarket.Search.Analysis;

/// <summary>The application's analysis (jieba search-mode words + CJK bigrams) from <c>TechMarket.Text</c>.</summary>
internal sealed class TextSearchAnalyzer(TextAnalyzer analyzer) : ISearchAnalyzer
{
    public string Normalize(string text) => analyzer.Normalize(text);

    public IReadOnlyList<Token> Words(string text) => Convert(analyzer.Words(text));

    public IReadOnlyList<Token> Bigrams(string text) => Convert(analyzer.Bigrams(text));

    private static Token[] Convert(IReadOnlyList<AnalyzedToken> tokens)
    {
        var result = new Token[tokens.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new Token(tokens[i].Term, tokens[i].Start, tokens[i].Length);
        }

        return result;
    }
}
