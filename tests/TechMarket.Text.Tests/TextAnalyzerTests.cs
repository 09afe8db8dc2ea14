namespace TechMarket.Text.Tests;

public sealed class TextAnalyzerTests
{
    private static TextAnalyzer Analyzer => TestData.Analyzer;

    [Theory]
    [InlineData("寧波市科技局", "宁波市科技局")]
    [InlineData("ＰＭ２．５濃度", "pm2.5浓度")]
    [InlineData("Navier-Stokes　方程", "navier-stokes 方程")]
    [InlineData("技術轉移與成果轉化", "技术转移与成果转化")]
    public void NormalizesScriptWidthAndCase(string text, string expected)
    {
        var normalized = Analyzer.Normalize(text);

        Assert.Equal(expected, normalized);
    }

    [Fact]
    public void NormalizationKeepsTheLengthSoOffsetsSurvive()
    {
        var text = "寧波😀ＡＢＣ\uD800x";

        var normalized = Analyzer.Normalize(text);

        Assert.Equal(text.Length, normalized.Length);
        Assert.Equal("宁波😀abc\uD800x", normalized);
    }

    [Fact]
    public void TraditionalTextIsFoundByItsSimplifiedForm()
    {
        var text = "寧波材料所的磁性材料技術";

        var words = Analyzer.Words(text);

        var ningbo = Assert.Single(words, w => w.Term == "宁波");
        Assert.Equal("寧波", text.Substring(ningbo.Start, ningbo.Length));
        Assert.Contains(words, w => w.Term == "技术");
    }

    [Fact]
    public void WordsKeepLatinRunsWholeAndSplitIntoTypedParts()
    {
        var text = "PM2.5浓度超标";

        var words = Analyzer.Words(text);

        Assert.Equal("pm/pm2.5/2.5/浓度/超标", TestData.Terms(words));
        Assert.Equal((0, 5), (words[1].Start, words[1].Length));
        Assert.Equal((2, 3), (words[2].Start, words[2].Length));
    }

    [Fact]
    public void WordsKeepHyphenatedNamesWholeAndSplit()
    {
        var text = "Navier-Stokes方程";

        var words = Analyzer.Words(text);

        Assert.Equal("navier/navier-stokes/stokes/方程", TestData.Terms(words));
    }

    [Fact]
    public void WordsSeparateLatinPrefixFromChineseWord()
    {
        var text = "基于BP神经网络的5G信号预测";

        var words = Analyzer.Words(text);

        Assert.Equal("基于/bp/神经/神经网/神经网络/网络/的/5g/信号/预测", TestData.Terms(words));
    }

    [Theory]
    [InlineData("GPT4模型", "gpt/gpt4/4/模型")]
    [InlineData("H1N1病毒", "h1n1/病毒")]
    [InlineData("学习C++与C#", "学习/c++/与/c#")]
    public void SplitsLetterDigitRunsOnlyWhereAUserWouldTypeParts(string text, string expected)
    {
        var words = Analyzer.Words(text);

        Assert.Equal(expected, TestData.Terms(words));
    }

    [Fact]
    public void WordsDropWhitespaceAndPunctuation()
    {
        var text = "“注塑机”， 工艺参数！";

        var words = Analyzer.Words(text);

        Assert.All(words, w => Assert.DoesNotContain(w.Term, "“”，！ "));
        Assert.Contains(words, w => w.Term == "注塑机");
    }

    [Fact]
    public void EveryTokenPointsAtTheOriginalTextItCameFrom()
    {
        var text = "寧波ＰＭ２．５监测 Navier-Stokes 方程，基于BP神经网络😀的 5G 研究";

        var words = Analyzer.Words(text);
        var bigrams = Analyzer.Bigrams(text);

        Assert.NotEmpty(words);
        Assert.All(words.Concat(bigrams), t => Assert.Equal(t.Term, Analyzer.Normalize(text.Substring(t.Start, t.Length))));
    }

    [Fact]
    public void BigramsOverlapAndLoneCharactersAreUnigrams()
    {
        var text = "宁波市科技局 和 PM2.5";

        var bigrams = Analyzer.Bigrams(text);

        Assert.Equal("宁波/波市/市科/科技/技局/和/pm/pm2.5/2.5", TestData.Terms(bigrams));
    }

    [Fact]
    public void BigramsCountAstralIdeographsAsOneCharacter()
    {
        var text = "𠀀丁";

        var bigrams = Analyzer.Bigrams(text);

        var only = Assert.Single(bigrams);
        Assert.Equal(("𠀀丁", 0, 3), (only.Term, only.Start, only.Length));
    }

    [Fact]
    public void KeywordsRankDomainTermsAboveCommonWords()
    {
        var text = "本文研究钕铁硼永磁材料的晶界扩散工艺，通过晶界扩散提高钕铁硼磁体的矫顽力。";

        var keywords = Analyzer.ExtractKeywords(text, 3);

        Assert.Equal(3, keywords.Count);
        Assert.Contains(keywords, k => k.Word == "钕铁硼");
        Assert.DoesNotContain(keywords, k => k.Word is "本文" or "研究" or "通过");
        Assert.True(keywords[0].Weight >= keywords[1].Weight && keywords[1].Weight >= keywords[2].Weight);
    }

    [Fact]
    public void KeywordWeightIsJiebasTfIdf()
    {
        var segmenter = TestData.Jieba;
        var analyzer = TextAnalyzer.Create(segmenter);

        var keywords = analyzer.ExtractKeywords("钕铁硼钕铁硼永磁", 10);

        var top = keywords[0];
        Assert.Equal("钕铁硼", top.Word);
        Assert.Equal(2.0 / 3.0 * IdfOf("钕铁硼"), top.Weight, 9);
    }

    [Fact]
    public void SharedAnalyzerKnowsTheDomainDictionary()
    {
        var text = "参加百日百场揭榜挂帅发布会，走进甬江实验室";

        var words = TextAnalyzer.Shared.Words(text);

        Assert.Contains(words, w => w.Term == "百日百场");
        Assert.Contains(words, w => w.Term == "揭榜挂帅");
        Assert.Contains(words, w => w.Term == "甬江实验室");
    }

    private static double IdfOf(string word)
    {
        foreach (var line in File.ReadLines(Path.Combine(TestData.Jieba.Directory, "analyse", "idf.txt")))
        {
            if (line.StartsWith(word + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(word.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException(word + " not in idf.txt");
    }
}
