namespace TechMarket.Text.Tests;

/// <summary>Segmenters shared by tests that only read; tests that add words load their own.</summary>
internal static class TestData
{
    private static readonly Lazy<JiebaSegmenter> DefaultSegmenter = new(() => JiebaSegmenter.Load());
    private static readonly Lazy<TextAnalyzer> DefaultAnalyzer = new(() => TextAnalyzer.CreateDefault());

    /// <summary>jieba's default dictionary, nothing added (must equal Debian's python3-jieba).</summary>
    public static JiebaSegmenter Jieba => DefaultSegmenter.Value;

    /// <summary>The analyser with the shipped domain dictionary.</summary>
    public static TextAnalyzer Analyzer => DefaultAnalyzer.Value;

    public static string Joined(IEnumerable<string> tokens) => string.Join("/", tokens);

    public static string Terms(IEnumerable<AnalyzedToken> tokens) => string.Join("/", tokens.Select(t => t.Term));

    /// <summary>Finds ../shared (beside the work tree) from the test's directory.</summary>
    public static string SharedDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            var candidate = Path.Combine(dir.FullName, "..", "shared");
            if (Directory.Exists(Path.Combine(candidate, "seeds")))
            {
                return Path.GetFullPath(candidate);
            }

            dir = dir.Parent;
        }

        throw new DirectoryNotFoundException("../shared with seeds/ not found above " + AppContext.BaseDirectory);
    }
}
