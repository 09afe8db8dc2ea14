using System.Text;

namespace TechMarket.Text.Tests;

public sealed class RobustnessTests
{
    private static TextAnalyzer Analyzer => TestData.Analyzer;

    public static TheoryData<string> OddInputs() => new()
    {
        string.Empty,
        " ",
        "\u0000\u0001\u0007\u001F\u007F控制字符",
        "😀🚀宁波👍🏽",
        "\uD800孤立\uDC00代理\uD83D",
        "Привет мир α-粒子 日本語テキスト 한국어 العربية",
        "寧波市鎮海區的產業技術研究院",
        "\u200B\u200D\uFEFF\u2028\u3000\u00A0",
        "...---+++###%%%&&&___",
        "𠀀𠀁𪚥龘",
    };

    [Theory]
    [MemberData(nameof(OddInputs))]
    public void CutReturnsTheWholeInputInEveryMode(string text)
    {
        var jieba = TestData.Jieba;

        var precise = jieba.Cut(text);
        var noHmm = jieba.Cut(text, hmm: false);
        var search = jieba.CutForSearch(text);

        Assert.Equal(text, string.Concat(precise));
        Assert.Equal(text, string.Concat(noHmm));
        Assert.All(search, t => Assert.Contains(t, text, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(OddInputs))]
    public void AnalysisNeverThrowsAndTokensPointIntoTheText(string text)
    {
        var words = Analyzer.Words(text);
        var bigrams = Analyzer.Bigrams(text);
        var keywords = Analyzer.ExtractKeywords(text);

        Assert.All(words.Concat(bigrams), t =>
        {
            Assert.InRange(t.Start, 0, text.Length - 1);
            Assert.InRange(t.Length, 1, text.Length - t.Start);
            Assert.False(string.IsNullOrWhiteSpace(t.Term));
        });
        Assert.NotNull(keywords);
    }

    [Fact]
    public void EmptyInputGivesNoTokens()
    {
        var text = string.Empty;

        Assert.Empty(TestData.Jieba.Cut(text));
        Assert.Empty(Analyzer.Words(text));
        Assert.Empty(Analyzer.Bigrams(text));
        Assert.Empty(Analyzer.ExtractKeywords(text));
    }

    [Fact]
    public void EmojiAndAstralCharactersStayWholeTokens()
    {
        var text = "😀宁波𠀀";

        var tokens = TestData.Jieba.Cut(text);

        Assert.Equal(["😀", "宁波", "𠀀"], tokens);
    }

    [Fact]
    public void UnpairedSurrogatesBecomeTheirOwnTokens()
    {
        var text = "\uD800宁波\uDC00";

        var tokens = TestData.Jieba.Cut(text);

        Assert.Equal(["\uD800", "宁波", "\uDC00"], tokens);
    }

    [Fact]
    public void MixedScriptsGiveWholeWordsPerScript()
    {
        var text = "Привет мир α-粒子";

        var words = Analyzer.Words(text);

        Assert.Contains(words, w => w.Term == "привет");
        Assert.Contains(words, w => w.Term == "мир");
        Assert.Contains(words, w => w.Term == "粒子");
    }

    [Fact]
    public void AOneMegabyteLineIsCutCompletely()
    {
        var unit = "宁波市推进注塑机工艺参数优化，PM2.5监测达标率提高了12.5%；Navier-Stokes方程😀。";
        var builder = new StringBuilder();
        while (builder.Length < 1_000_000)
        {
            builder.Append(unit);
        }

        var text = builder.ToString();

        var tokens = TestData.Jieba.Cut(text);
        var words = Analyzer.Words(text);

        Assert.Equal(text, string.Concat(tokens));
        Assert.True(words.Count > 100_000);
    }

    [Fact]
    public void AOneMegabyteRunOfUnknownCharactersGoesThroughTheHmm()
    {
        var text = new string('龘', 1_000_000);

        var tokens = TestData.Jieba.Cut(text);

        Assert.Equal(text.Length, tokens.Sum(t => t.Length));
    }
}
