namespace TechMarket.Search.Analysis;

/// <summary>The analyser every index uses unless a test supplies another.</summary>
internal static class SearchAnalyzers
{
    public static ISearchAnalyzer Default => BigramAnalyzer.Instance;
}
