using System.Globalization;
using TechMarket.Cli.Commands;

namespace TechMarket.Cli.Tests;

public sealed class RankCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rank-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static string Run(params string[] args)
    {
        using var writer = new StringWriter();

        var code = RankCommand.Run(args, writer);

        Assert.Equal(0, code);
        return writer.ToString();
    }

    private void Synthesise() =>
        Run("synth", "--output-dir", _dir, "--train-queries", "60", "--valid-queries", "20", "--test-queries", "20", "--min-docs", "10", "--max-docs", "20", "--seed", "4");

    [Fact]
    public void TrainPrintsValidationNdcgAndPredictWritesOneScorePerRow()
    {
        Synthesise();

        var log = Run("train", "--train", PathOf("train.svm"), "--valid", PathOf("valid.svm"), "--model", PathOf("model.json"), "--trees", "5", "--leaves", "7");
        Run("predict", "--model", PathOf("model.json"), "--data", PathOf("test.svm"), "--output", PathOf("scores.txt"));

        Assert.Contains("[第 5 轮]", log, StringComparison.Ordinal);
        Assert.Contains("验证 NDCG@10=", log, StringComparison.Ordinal);
        var rows = File.ReadLines(PathOf("test.svm")).Count();
        var scores = File.ReadAllLines(PathOf("scores.txt"));
        Assert.Equal(rows, scores.Length);
        Assert.All(scores, s => Assert.True(double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _)));
    }

    [Fact]
    public void TrainUsesTheLibraryDefaultsAndTakesBaggingOptions()
    {
        Synthesise();

        Run("train", "--train", PathOf("train.svm"), "--model", PathOf("default.json"), "--trees", "2", "--quiet");
        Run("train", "--train", PathOf("train.svm"), "--model", PathOf("bagged.json"), "--trees", "2", "--quiet", "--bagging-fraction", "0.5", "--bagging-freq", "2");

        var defaults = new TechMarket.Ranking.RankerOptions();
        var trained = TechMarket.Ranking.RankingModel.Load(PathOf("default.json")).Parameters;
        Assert.Equal(defaults with { Trees = 2 }, trained with { Threads = defaults.Threads });
        var bagged = TechMarket.Ranking.RankingModel.Load(PathOf("bagged.json")).Parameters;
        Assert.Equal(0.5, bagged.BaggingFraction);
        Assert.Equal(2, bagged.BaggingFrequency);
    }

    [Fact]
    public void EvalReportsMetricsOfAScoreFileAsJson()
    {
        Synthesise();
        Run("train", "--train", PathOf("train.svm"), "--model", PathOf("model.json"), "--trees", "3", "--quiet");
        Run("predict", "--model", PathOf("model.json"), "--data", PathOf("test.svm"), "--output", PathOf("scores.txt"));

        var fromScores = Run("eval", "--data", PathOf("test.svm"), "--scores", PathOf("scores.txt"));
        var fromModel = Run("eval", "--data", PathOf("test.svm"), "--model", PathOf("model.json"));

        Assert.StartsWith("{\"queries\":20,\"nDCG@10\":", fromScores, StringComparison.Ordinal);
        Assert.Equal(fromScores, fromModel);
    }

    [Fact]
    public void MalformedLineIsRefusedWithItsNumber()
    {
        File.WriteAllText(PathOf("bad.svm"), "1 qid:1 1:0.5\n0 qid:1 1:x\n");

        var ex = Assert.Throws<CliException>(() => Run("train", "--train", PathOf("bad.svm"), "--model", PathOf("m.json")));

        Assert.StartsWith("第 2 行：", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelOfAnotherVersionIsRefusedInChinese()
    {
        File.WriteAllText(PathOf("old.json"), "{\"format\":\"techmarket-ranking-model\",\"version\":0}");
        File.WriteAllText(PathOf("d.svm"), "1 qid:1 1:0.5\n");

        var ex = Assert.Throws<CliException>(() => Run("predict", "--model", PathOf("old.json"), "--data", PathOf("d.svm"), "--output", PathOf("s.txt")));

        Assert.Contains("版本 0 不受支持", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFileAndUnknownOptionAreRefused()
    {
        var missing = Assert.Throws<CliException>(() => Run("predict", "--model", PathOf("none.json"), "--data", PathOf("none.svm"), "--output", PathOf("s.txt")));
        var unknown = Assert.Throws<CliException>(() => Run("train", "--bogus", "1"));

        Assert.Contains("none.json", missing.Message, StringComparison.Ordinal);
        Assert.Contains("--bogus", unknown.Message, StringComparison.Ordinal);
    }
}
