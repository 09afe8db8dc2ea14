using TechMarket.Cli.Commands;

namespace TechMarket.Cli.Tests;

public sealed class SegmentCommandTests
{
    private static string Segment(string input, params string[] args)
    {
        using var reader = new StringReader(input);
        using var writer = new StringWriter();

        var code = SegmentCommand.Run(args, reader, writer);

        Assert.Equal(0, code);
        return writer.ToString();
    }

    [Fact]
    public void PreciseModeIsTheDefault()
    {
        var input = "他来到了网易杭研大厦\n";

        var output = Segment(input);

        Assert.Equal("他 来到 了 网易 杭研 大厦\n", output);
    }

    [Fact]
    public void NoHmmLeavesUnknownCharactersApart()
    {
        var input = "他来到了网易杭研大厦\n";

        var output = Segment(input, "--no-hmm");

        Assert.Equal("他 来到 了 网易 杭 研 大厦\n", output);
    }

    [Fact]
    public void SearchModeAddsSubWords()
    {
        var input = "我来到北京清华大学";

        var output = Segment(input, "--mode", "search");

        Assert.Equal("我 来到 北京 清华 华大 大学 清华大学\n", output);
    }

    [Fact]
    public void OneOutputLinePerInputLineWithWhitespaceTokensDropped()
    {
        var input = "a  b\t宁波\r\n\n\u3000\n最后一行";

        var output = Segment(input);

        Assert.Equal("a b 宁波\n\n\n最后 一行\n", output);
    }

    [Fact]
    public void UserDictionaryWordsAreKeptWhole()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "杭研大厦 50 nt\n");

        var output = Segment("他来到了网易杭研大厦\n", "--user-dict", path);
        File.Delete(path);

        Assert.Equal("他 来到 了 网易 杭研大厦\n", output);
    }

    [Fact]
    public void UnknownModeIsRefusedInChinese()
    {
        using var reader = new StringReader("x");
        using var writer = new StringWriter();

        var ex = Assert.Throws<CliException>(() => SegmentCommand.Run(["--mode", "full"], reader, writer));

        Assert.Contains("--mode", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingUserDictionaryNamesTheFile()
    {
        using var reader = new StringReader("x");
        using var writer = new StringWriter();

        var ex = Assert.Throws<CliException>(() => SegmentCommand.Run(["--user-dict", "/nonexistent/dict.txt"], reader, writer));

        Assert.Contains("/nonexistent/dict.txt", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingJiebaDataSaysHowToInstallIt()
    {
        using var reader = new StringReader("x");
        using var writer = new StringWriter();

        var ex = Assert.Throws<CliException>(() => SegmentCommand.Run(["--jieba-dir", "/nonexistent/jieba"], reader, writer));

        Assert.Contains("apt-get install python3-jieba", ex.Message, StringComparison.Ordinal);
    }
}
