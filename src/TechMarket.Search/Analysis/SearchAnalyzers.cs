using TechMarket.Text;

namespace TechMarket.Search.Analysis;

/// <summary>The analyser every index uses unless a test supplies another: the application's shared one.</summary>
internal static class SearchAnalyzers
{
    private static readonly Lazy<ISearchAnalyzer> Shared = new(() => new TextSearchAnalyzer(TextAnalyzer.Shared));

    public static ISearchAnalyzer Default => Shared.Value;
}
