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

        var log = Run("train", "--train", PathOf("train.svm"), "--valid", PathOf("valid.svm"), "--model", PathOf("model.zip"), "--trees", "5", "--leaves", "7");
        Run("predict", "--model", PathOf("model.zip"), "--data", PathOf("test.svm"), "--output", PathOf("scores.txt"));

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

        Run("train", "--train", PathOf("train.svm"), "--model", PathOf("default.zip"), "--trees", "2", "--quiet");
        Run("train", "--train", PathOf("train.svm"), "--model", PathOf("bagged.zip"), "--trees", "2", "--quiet", "--bagging-fraction", "0.5", "--bagging-freq", "2");

        var defaults = new TechMarket.Ranking.RankerOptions();
        using var trained = TechMarket.Ranking.RankingModel.Load(PathOf("default.zip"));
        Assert.Equal(defaults with { Trees = 2 }, trained.Parameters);
        Assert.Equal("lightgbm", trained.Trainer);
        using var bagged = TechMarket.Ranking.RankingModel.Load(PathOf("bagged.zip"));
        Assert.Equal(0.5, bagged.Parameters.BaggingFraction);
        Assert.Equal(2, bagged.Parameters.BaggingFrequency);
    }

    [Fact]
    public void EvalReportsMetricsOfAScoreFileAsJson()
    {
        Synthesise();
        Run("train", "--train", PathOf("train.svm"), "--model", PathOf("model.zip"), "--trees", "3", "--quiet");
        Run("predict", "--model", PathOf("model.zip"), "--data", PathOf("test.svm"), "--output", PathOf("scores.txt"));

        var fromScores = Run("eval", "--data", PathOf("test.svm"), "--scores", PathOf("scores.txt"));
        var fromModel = Run("eval", "--data", PathOf("test.svm"), "--model", PathOf("model.zip"));

        Assert.StartsWith("{\"queries\":20,\"nDCG@10\":", fromScores, StringComparison.Ordinal);
        Assert.Equal(fromScores, fromModel);
    }

    [Fact]
    public void EarlyStoppingAndTheFastTreeTrainerAreOptions()
    {
        Synthesise();

        var stopped = Run("train", "--train", PathOf("train.svm"), "--valid", PathOf("valid.svm"), "--model", PathOf("es.zip"), "--trees", "300", "--learning-rate", "0.5", "--early-stopping", "3", "--quiet");
        var fastTree = Run("train", "--train", PathOf("train.svm"), "--valid", PathOf("valid.svm"), "--model", PathOf("ft.zip"), "--trees", "4", "--trainer", "fasttree");
        Run("predict", "--model", PathOf("ft.zip"), "--data", PathOf("test.svm"), "--output", PathOf("ft.txt"));

        Assert.Contains("提前停止", stopped, StringComparison.Ordinal);
        Assert.Contains("[第 4 轮]", fastTree, StringComparison.Ordinal);
        Assert.Contains("ML.NET FastTree", fastTree, StringComparison.Ordinal);
        Assert.Equal(File.ReadLines(PathOf("test.svm")).Count(), File.ReadLines(PathOf("ft.txt")).Count());
    }

    [Fact]
    public void OptionsMlNetCannotHonourAreRefusedInChinese()
    {
        Synthesise();

        var truncation = Assert.Throws<CliException>(() => Run("train", "--train", PathOf("train.svm"), "--model", PathOf("m.zip"), "--truncation-level", "10"));
        var trainer = Assert.Throws<CliException>(() => Run("train", "--train", PathOf("train.svm"), "--model", PathOf("m.zip"), "--trainer", "xgboost"));

        Assert.Contains("--truncation-level 已不再支持", truncation.Message, StringComparison.Ordinal);
        Assert.Contains("--trainer 的取值无效", trainer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AModelFileOfTheHandWrittenLearnerIsRefusedSayingTheFormatChanged()
    {
        File.WriteAllText(PathOf("v1.json"), "{\"format\":\"techmarket-ranking-model\",\"version\":1,\"trees\":[]}");
        File.WriteAllText(PathOf("d.svm"), "1 qid:1 1:0.5\n");

        var ex = Assert.Throws<CliException>(() => Run("predict", "--model", PathOf("v1.json"), "--data", PathOf("d.svm"), "--output", PathOf("s.txt")));

        Assert.Contains("版本 1 不受支持", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ML.NET", ex.Message, StringComparison.Ordinal);
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
        var missing = Assert.Throws<CliException>(() => Run("predict", "--model", PathOf("none.zip"), "--data", PathOf("none.svm"), "--output", PathOf("s.txt")));
        var unknown = Assert.Throws<CliException>(() => Run("train", "--bogus", "1"));

        Assert.Contains("none.zip", missing.Message, StringComparison.Ordinal);
        Assert.Contains("--bogus", unknown.Message, StringComparison.Ordinal);
    }
}
