namespace TechMarket.Text.Tests;

public sealed class JiebaSegmenterTests
{
    private static JiebaSegmenter Jieba => TestData.Jieba;

    [Theory]
    [InlineData("我来到北京清华大学", "我/来到/北京/清华大学")]
    [InlineData("注塑机工艺参数优化", "注塑机/工艺/参数/优化")]
    [InlineData("钕铁硼永磁材料晶界扩散", "钕铁硼/永磁/材料/晶界/扩散")]
    public void CutsDictionaryWordsAlongTheMostProbableRoute(string text, string expected)
    {
        var tokens = Jieba.Cut(text, hmm: false);

        Assert.Equal(expected, TestData.Joined(tokens));
    }

    [Fact]
    public void PrefersTheLongerWordWhenTheRouteIsMoreProbable()
    {
        var text = "小明硕士毕业于中国科学院计算所";

        var tokens = Jieba.Cut(text, hmm: false);

        Assert.Equal("小/明/硕士/毕业/于/中国科学院/计算所", TestData.Joined(tokens));
    }

    [Fact]
    public void HmmJoinsUnknownSingleCharactersIntoWords()
    {
        var text = "他来到了网易杭研大厦";

        var withHmm = Jieba.Cut(text, hmm: true);
        var withoutHmm = Jieba.Cut(text, hmm: false);

        Assert.Equal("他/来到/了/网易/杭研/大厦", TestData.Joined(withHmm));
        Assert.Equal("他/来到/了/网易/杭/研/大厦", TestData.Joined(withoutHmm));
    }

    [Fact]
    public void HmmRecognisesAPersonName()
    {
        var text = "小明硕士毕业于中国科学院计算所";

        var tokens = Jieba.Cut(text);

        Assert.Equal("小明/硕士/毕业/于/中国科学院/计算所", TestData.Joined(tokens));
    }

    [Theory]
    [InlineData("PM2.5浓度超标", true, "PM2.5/浓度/超标")]
    [InlineData("PM2.5浓度超标", false, "PM2/./5/浓度/超标")]
    [InlineData("增长了12.5%的收入", true, "增长/了/12.5%/的/收入")]
    [InlineData("增长了12.5%的收入", false, "增长/了/12/./5/%/的/收入")]
    [InlineData("基于BP神经网络的5G信号预测", true, "基于/BP/神经网络/的/5G/信号/预测")]
    [InlineData("Navier-Stokes方程的数值解", true, "Navier/-/Stokes/方程/的/数值/解")]
    [InlineData("C++和c#都是语言", true, "C++/和/c#/都/是/语言")]
    public void HandlesLatinAndDigitRunsAsJiebaDoes(string text, bool hmm, string expected)
    {
        var tokens = Jieba.Cut(text, hmm);

        Assert.Equal(expected, TestData.Joined(tokens));
    }

    [Fact]
    public void KeepsCarriageReturnLineFeedTogetherAndEveryOtherSpaceApart()
    {
        var text = "a\r\nb  c\td";

        var tokens = Jieba.Cut(text);

        Assert.Equal(["a", "\r\n", "b", " ", " ", "c", "\t", "d"], tokens);
    }

    [Fact]
    public void SearchModeAddsDictionarySubWordsBeforeEachLongWord()
    {
        var text = "小明硕士毕业于中国科学院计算所，后在日本京都大学深造";

        var tokens = Jieba.CutForSearch(text);

        Assert.Equal(
            "小明/硕士/毕业/于/中国/科学/学院/科学院/中国科学院/计算/计算所/，/后/在/日本/京都/大学/日本京都大学/深造",
            TestData.Joined(tokens));
    }

    [Fact]
    public void SearchModeAddsThreeCharacterSubWordsOfWordsLongerThanThree()
    {
        var text = "基于BP神经网络";

        var tokens = Jieba.CutForSearch(text);

        Assert.Equal("基于/BP/神经/网络/神经网/神经网络", TestData.Joined(tokens));
    }

    [Fact]
    public void TheConcatenationOfThePreciseWordsIsTheInput()
    {
        var text = "宁波市科技局2024年发布《关于推进科技成果转化的若干意见》，支持PM2.5监测。";

        var tokens = Jieba.Cut(text);

        Assert.Equal(text, string.Concat(tokens));
    }

    [Fact]
    public void AddedWordIsCutOutWhole()
    {
        var segmenter = JiebaSegmenter.Load();

        segmenter.AddWord("晶界扩散");

        Assert.Equal("钕铁硼/永磁/材料/晶界扩散", TestData.Joined(segmenter.Cut("钕铁硼永磁材料晶界扩散")));
        Assert.Equal("钕铁硼/永磁/材料/晶界/扩散/晶界扩散", TestData.Joined(segmenter.CutForSearch("钕铁硼永磁材料晶界扩散")));
    }

    [Fact]
    public void SuggestedFrequencyIsJiebasSuggestFreq()
    {
        var segmenter = JiebaSegmenter.Load();

        var suggested = segmenter.SuggestFrequency("杭研");

        Assert.Equal(1, suggested);
        Assert.Equal(60101967, segmenter.TotalFrequency);
    }

    [Fact]
    public void WordWithFrequencyZeroIsSplitEvenByTheHmm()
    {
        var segmenter = JiebaSegmenter.Load();

        segmenter.AddWord("杭研", 0);

        Assert.Equal("他/来到/了/网易/杭/研/大厦", TestData.Joined(segmenter.Cut("他来到了网易杭研大厦")));
    }

    [Fact]
    public void UserDictionaryLinesFollowJiebasFormat()
    {
        var segmenter = JiebaSegmenter.Load();
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "\uFEFF杭研大厦 50 nt\n\n创新办 3 i\n云计算\n甬江实验室 nz\n");

        segmenter.LoadUserDictionary(path);
        File.Delete(path);

        Assert.Equal("他/来到/了/网易/杭研大厦", TestData.Joined(segmenter.Cut("他来到了网易杭研大厦")));
        Assert.Equal("nt", segmenter.UserWordTags["杭研大厦"]);
        Assert.Equal("nz", segmenter.UserWordTags["甬江实验室"]);
        Assert.Equal("i", segmenter.UserWordTags["创新办"]);
        Assert.Contains("甬江实验室", segmenter.Cut("走进甬江实验室"));
    }

    [Fact]
    public void MissingDataSaysHowToInstallIt()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-jieba-" + Guid.NewGuid().ToString("N"));

        var ex = Assert.Throws<TextDataException>(() => JiebaSegmenter.Load(missing));

        Assert.Contains("apt-get install python3-jieba", ex.Message, StringComparison.Ordinal);
        Assert.Contains("TECHMARKET_JIEBA_DIR", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingUserDictionaryIsReportedInChinese()
    {
        var segmenter = TestData.Jieba;

        var ex = Assert.Throws<TextDataException>(() => segmenter.LoadUserDictionary("/nonexistent/user-dict.txt"));

        Assert.StartsWith("找不到用户词典", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConcurrentCutsGiveTheSameWordsAsSequentialOnes()
    {
        var lines = Enumerable.Range(0, 200).Select(i => $"第{i}条：基于BP神经网络的注塑机工艺参数优化，他来到了网易杭研大厦").ToArray();
        var expected = lines.Select(l => TestData.Joined(Jieba.Cut(l))).ToArray();

        var actual = new string[lines.Length];
        Parallel.For(0, lines.Length, i => actual[i] = TestData.Joined(Jieba.Cut(lines[i])));

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void SearchModeWithoutHmmStartsFromTheNoHmmCut()
    {
        var text = "他来到了网易杭研大厦";

        var tokens = Jieba.CutForSearch(text, hmm: false);

        Assert.Equal("他/来到/了/网易/杭/研/大厦", TestData.Joined(tokens));
    }

    [Theory]
    [InlineData(" ", true)]
    [InlineData("\r\n", true)]
    [InlineData("\u001C", true)]
    [InlineData("\u3000", true)]
    [InlineData("\u0085", true)]
    [InlineData("\u200B", false)]
    [InlineData("\uFEFF", false)]
    [InlineData("", false)]
    [InlineData("宁", false)]
    public void WhitespaceTokensAreThoseThatPythonStrIsspaceAccepts(string token, bool expected)
    {
        var actual = JiebaSegmenter.IsWhitespaceToken(token);

        Assert.Equal(expected, actual);
    }
}
