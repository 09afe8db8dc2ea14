namespace TechMarket.Ranking.Tests;

public sealed class RankerTrainerTests
{
    private static readonly LetorDataset Train = SyntheticLetor.Generate(150, 20, 40, seed: 11);
    private static readonly LetorDataset Valid = SyntheticLetor.Generate(50, 20, 40, seed: 12, firstQueryId: 1000);
    private static readonly LetorDataset Test = SyntheticLetor.Generate(100, 20, 40, seed: 13, firstQueryId: 2000);

    private static string Json(RankingModel model)
    {
        using var stream = new MemoryStream();
        model.Save(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public void LambdaMartBeatsThePointwiseBaselineOnSyntheticData()
    {
        var options = new RankerOptions { Trees = 40, NumLeaves = 15 };

        var lambdaMart = RankerTrainer.Train(Train, null, options);
        var pointwise = RankerTrainer.Train(Train, null, options with { Objective = RankingObjectiveKind.Regression });
        var ranked = RankingMetrics.MeanNdcgAtK(Test.Labels, lambdaMart.Score(Test), Test.QueryBoundaries, 10);
        var baseline = RankingMetrics.MeanNdcgAtK(Test.Labels, pointwise.Score(Test), Test.QueryBoundaries, 10);
        var random = new Random(1);
        var chance = RankingMetrics.MeanNdcgAtK(Test.Labels, Test.Labels.Select(_ => random.NextDouble()).ToArray(), Test.QueryBoundaries, 10);

        Assert.True(ranked > chance + 0.2, $"LambdaMART {ranked:F4} vs chance {chance:F4}");
        Assert.True(ranked > baseline, $"LambdaMART {ranked:F4} vs pointwise {baseline:F4}");
    }

    [Fact]
    public void SameSeedGivesTheSameModelWhateverTheThreadCount()
    {
        var options = new RankerOptions { Trees = 5, FeatureFraction = 0.8, Seed = 3 };

        var one = RankerTrainer.Train(Train, Valid, options with { Threads = 1 });
        var two = RankerTrainer.Train(Train, Valid, options with { Threads = 2 });

        Assert.Equal(Json(one).Replace("\"threads\":1", "", StringComparison.Ordinal), Json(two).Replace("\"threads\":2", "", StringComparison.Ordinal));
    }

    [Fact]
    public void BaggingWithTheSameSeedGivesTheSameModelWhateverTheThreadCount()
    {
        var options = new RankerOptions { Trees = 6, BaggingFraction = 0.7, BaggingFrequency = 2, Seed = 5 };

        var one = RankerTrainer.Train(Train, Valid, options with { Threads = 1 });
        var again = RankerTrainer.Train(Train, Valid, options with { Threads = 1 });
        var two = RankerTrainer.Train(Train, Valid, options with { Threads = 2 });

        Assert.Equal(Json(one), Json(again));
        Assert.Equal(Json(one).Replace("\"threads\":1", "", StringComparison.Ordinal), Json(two).Replace("\"threads\":2", "", StringComparison.Ordinal));
    }

    [Fact]
    public void BaggingGrowsTreesOnASubsetAndStillScoresEveryRow()
    {
        var options = new RankerOptions { Trees = 6, Threads = 1 };
        var log = new List<TrainingIteration>();

        var full = RankerTrainer.Train(Train, null, options with { BaggingFrequency = 0 });
        var bagged = RankerTrainer.Train(Train, null, options with { BaggingFraction = 0.5, BaggingFrequency = 1 }, log.Add);
        var otherSeed = RankerTrainer.Train(Train, null, options with { BaggingFraction = 0.5, BaggingFrequency = 1, Seed = 2 });

        var rowsInFirstTree = bagged.Trees[0].LeafCounts.Sum();
        Assert.InRange(rowsInFirstTree, Train.RowCount * 0.4, Train.RowCount * 0.6);
        Assert.Equal(Train.RowCount, full.Trees[0].LeafCounts.Sum());
        Assert.NotEqual(Json(bagged), Json(otherSeed));
        Assert.Equal(log[^1].TrainNdcg, RankingMetrics.MeanNdcgAtK(Train.Labels, bagged.Score(Train), Train.QueryBoundaries, 10), 1e-12);
    }

    [Theory]
    [InlineData(0.0, 1)]
    [InlineData(1.5, 1)]
    [InlineData(0.5, -1)]
    public void RefusesAnInvalidBaggingSetting(double fraction, int frequency)
    {
        var options = new RankerOptions { Trees = 2, BaggingFraction = fraction, BaggingFrequency = frequency };

        var error = Assert.Throws<RankingInputException>(() => RankerTrainer.Train(Train, null, options));

        Assert.Contains("行采样比例", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainingScoresEqualModelScores()
    {
        var log = new List<TrainingIteration>();

        var model = RankerTrainer.Train(Train, Valid, new RankerOptions { Trees = 8 }, log.Add);

        Assert.Equal(8, log.Count);
        var scored = RankingMetrics.MeanNdcgAtK(Valid.Labels, model.Score(Valid), Valid.QueryBoundaries, 10);
        Assert.Equal(log[^1].ValidNdcg!.Value, scored, 1e-12);
        Assert.Equal(model.Summary.TrainNdcg, RankingMetrics.MeanNdcgAtK(Train.Labels, model.Score(Train), Train.QueryBoundaries, 10), 1e-12);
    }

    [Fact]
    public void EarlyStoppingKeepsTheBestValidationRound()
    {
        var log = new List<TrainingIteration>();

        var model = RankerTrainer.Train(Train, Valid, new RankerOptions { Trees = 200, LearningRate = 0.5, EarlyStoppingRounds = 3 }, log.Add);

        Assert.Equal("early-stopping", model.Summary.StopReason);
        Assert.Equal(log.Count - 3, model.Trees.Count);
        Assert.Equal(log.Max(l => l.ValidNdcg!.Value), model.Summary.ValidNdcg!.Value);
    }

    [Fact]
    public void HandlesConstantFeaturesNaNOneDocumentQueriesAndEqualLabels()
    {
        const string text = """
            2 qid:1 1:1 2:5 3:nan
            0 qid:1 1:1 2:1 3:0.2
            1 qid:1 1:1 2:3 3:nan
            3 qid:2 1:1 2:4 3:0.9
            1 qid:3 1:1 2:2 3:0.1
            1 qid:3 1:1 2:7 3:nan
            0 qid:4 1:1 2:0 3:0.5
            2 qid:4 1:1 2:6 3:nan
            1 qid:4 1:1 2:2 3:0.3
            """;
        var data = LetorDataset.Read(new StringReader(text));

        // Nine rows: LightGBM's defaults for the hessian floor, L2, sampling (ours would forbid every split).
        var tiny = new RankerOptions { MinSumHessianInLeaf = 1e-3, LambdaL2 = 0, FeatureFraction = 1, BaggingFrequency = 0 };
        var model = RankerTrainer.Train(data, data, tiny with { Trees = 10, MinDataInLeaf = 1, NumLeaves = 4 });
        var scores = model.Score(data);

        Assert.All(scores, s => Assert.True(double.IsFinite(s)));
        Assert.All(model.Trees, t => Assert.DoesNotContain(0, t.Feature));
        Assert.True(scores[0] > scores[1], "the label-2 document should outrank the label-0 one");
    }

    [Fact]
    public void AllLabelsEqualStopsWithAZeroModel()
    {
        var data = LetorDataset.Read(new StringReader("1 qid:1 1:1\n1 qid:1 1:2\n1 qid:2 1:3\n"));

        var model = RankerTrainer.Train(data, null, new RankerOptions { Trees = 5, MinDataInLeaf = 1 });

        Assert.Single(model.Trees);
        Assert.Equal("no-split", model.Summary.StopReason);
        Assert.All(model.Score(data), s => Assert.Equal(0.0, s));
    }

    [Fact]
    public void NaNGoesToTheSideThatHelps()
    {
        // Only missing values mark the relevant documents: the split must send NaN to its own side.
        var lines = new List<string>();
        for (var q = 1; q <= 30; q++)
        {
            for (var d = 0; d < 6; d++)
            {
                var relevant = d % 3 == 0;
                lines.Add($"{(relevant ? 2 : 0)} qid:{q} 1:{(relevant ? "nan" : (d * 0.1).ToString(System.Globalization.CultureInfo.InvariantCulture))}");
            }
        }

        var data = LetorDataset.Read(new StringReader(string.Join('\n', lines)));

        var model = RankerTrainer.Train(data, null, new RankerOptions { Trees = 5, MinDataInLeaf = 5 });

        Assert.Equal(1.0, RankingMetrics.MeanNdcgAtK(data.Labels, model.Score(data), data.QueryBoundaries, 10), 1e-12);
    }

    [Fact]
    public void RefusesLabelsLambdaRankCannotUse()
    {
        var data = LetorDataset.Read(new StringReader("1.5 qid:1 1:1\n0 qid:1 1:2\n"));

        var ex = Assert.Throws<RankingInputException>(() => RankerTrainer.Train(data, null, new RankerOptions()));

        Assert.Contains("整数", ex.Message, StringComparison.Ordinal);
    }
}
