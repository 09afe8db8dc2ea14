using System.Text;

namespace TechMarket.Ranking.Tests;

public sealed class RankingModelTests
{
    private static readonly LetorDataset Data = SyntheticLetor.Generate(40, 10, 30, seed: 21);

    private static RankingModel Trained() => RankerTrainer.Train(Data, null, new RankerOptions { Trees = 10, NumLeaves = 7 });

    private static string Json(RankingModel model)
    {
        using var stream = new MemoryStream();
        model.Save(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static RankingModel Load(string json) => RankingModel.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void SavedModelScoresExactlyLikeTheTrainedOne()
    {
        var model = Trained();

        var loaded = Load(Json(model));

        Assert.Equal(model.Score(Data), loaded.Score(Data));
        Assert.Equal(model.Summary, loaded.Summary);
        Assert.Equal(model.FeatureNames, loaded.FeatureNames);
        Assert.Equal("lambdarank", loaded.Objective);
    }

    [Fact]
    public void FlatScoringEqualsWalkingEachTree()
    {
        var model = Trained();
        var row = Data.Row(17).ToArray();

        var flat = model.Score(row);

        var walked = model.InitialScore + model.Trees.Sum(t => t.Predict(row));
        Assert.Equal(walked, flat, 1e-12);
    }

    [Fact]
    public void BatchScoringEqualsRowByRowScoringWithMissingValues()
    {
        var model = Trained();
        var rows = Data.Features[..(7 * Data.FeatureCount)];
        rows[3] = double.NaN;
        rows[Data.FeatureCount + 5] = double.NaN;
        rows[(6 * Data.FeatureCount) + 1] = double.NaN;
        var batch = new double[7];

        model.Score(rows, Data.FeatureCount, batch);

        for (var r = 0; r < 7; r++)
        {
            var row = rows.AsSpan(r * Data.FeatureCount, Data.FeatureCount).ToArray();
            Assert.Equal(model.InitialScore + model.Trees.Sum(t => t.Predict(row)), batch[r], 1e-12);
        }
    }

    [Fact]
    public void BatchScoringGivesExactlyTheRowByRowScoresWithAndWithoutMissingValues()
    {
        var model = RankerTrainer.Train(Data, null, new RankerOptions { Trees = 30, NumLeaves = 15 });
        const int rowCount = 103;
        var rows = Data.Features[..(rowCount * Data.FeatureCount)];
        for (var f = 0; f < Data.FeatureCount; f += 3)
        {
            rows[(2 * Data.FeatureCount) + f] = double.NaN;
            rows[(50 * Data.FeatureCount) + f + 1] = double.NaN;
            rows[(101 * Data.FeatureCount) + f + 2] = double.NaN;
        }

        rows[(20 * Data.FeatureCount) + 1] = double.PositiveInfinity;
        rows[(21 * Data.FeatureCount) + 1] = double.NegativeInfinity;
        var batch = new double[rowCount];

        model.Score(rows, Data.FeatureCount, batch);

        for (var r = 0; r < rowCount; r++)
        {
            Assert.Equal(model.Score(rows.AsSpan(r * Data.FeatureCount, Data.FeatureCount)), batch[r]);
        }
    }

    [Fact]
    public void FileRecordsFormatVersionAndTrainingMetrics()
    {
        var json = Json(Trained());

        Assert.Contains("\"format\":\"techmarket-ranking-model\"", json, StringComparison.Ordinal);
        Assert.Contains("\"version\":1", json, StringComparison.Ordinal);
        Assert.Contains("\"binUpperBounds\"", json, StringComparison.Ordinal);
        Assert.Contains("\"trainNdcg\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesAnotherVersionWithAChineseMessage()
    {
        var json = Json(Trained()).Replace("\"version\":1", "\"version\":2", StringComparison.Ordinal);

        var ex = Assert.Throws<RankingInputException>(() => Load(json));

        Assert.Contains("版本 2 不受支持", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"format\":\"xgboost\",\"version\":1}", "不是 TechMarket 排序模型文件")]
    [InlineData("not json", "不是有效的 JSON")]
    [InlineData("{\"format\":\"techmarket-ranking-model\",\"version\":1,\"objective\":\"lambdarank\",\"featureNames\":[\"f1\"],\"binUpperBounds\":[[0.5]],\"trees\":[{\"feature\":[0],\"threshold\":[0.5],\"defaultLeft\":[false],\"left\":[0],\"right\":[-2],\"leafValues\":[1,2]}]}", "节点无效")]
    public void RefusesFilesThatAreNotValidModels(string json, string reason)
    {
        var ex = Assert.Throws<RankingInputException>(() => Load(json));

        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingValuesFollowTheDefaultDirection()
    {
        var tree = new RegressionTree([0], [0], [0.5], [true], [~0], [~1], [1.0], [10.0, 20.0], [1, 1]);
        var model = new RankingModel("lambdarank", 0, ["f1"], new FeatureBins([[0.5]]), [tree], new RankerOptions(), new TrainingSummary());

        Assert.Equal(10.0, model.Score([double.NaN]));
        Assert.Equal(10.0, model.Score([0.5]));
        Assert.Equal(20.0, model.Score([0.6]));
    }
}
