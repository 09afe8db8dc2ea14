namespace TechMarket.Ranking.Tests;

public sealed class RankerTrainerTests
{
    private static readonly LetorDataset Train = SyntheticLetor.Generate(150, 20, 40, seed: 11);
    private static readonly LetorDataset Valid = SyntheticLetor.Generate(50, 20, 40, seed: 12, firstQueryId: 1000);
    private static readonly LetorDataset Test = SyntheticLetor.Generate(100, 20, 40, seed: 13, firstQueryId: 2000);

    private static double Ndcg(RankingModel model, LetorDataset data) =>
        RankingMetrics.MeanNdcgAtK(data.Labels, [.. model.Score(data).Select(s => (double)s)], data.QueryBoundaries, 10);

    private static double Chance(LetorDataset data)
    {
        var random = new Random(1);
        return RankingMetrics.MeanNdcgAtK(data.Labels, [.. data.Labels.Select(_ => random.NextDouble())], data.QueryBoundaries, 10);
    }

    [Fact]
    public void LightGbmLambdaRankBeatsChanceAndThePointwiseBaseline()
    {
        var options = new RankerOptions { Trees = 40, NumLeaves = 15 };

        using var lambdaRank = RankerTrainer.Train(Train, null, options);
        using var pointwise = RankerTrainer.Train(Train, null, options with { Objective = RankingObjectiveKind.Regression });

        var ranked = Ndcg(lambdaRank, Test);
        var chance = Chance(Test);
        Assert.Equal("lightgbm", lambdaRank.Trainer);
        Assert.Equal(40, lambdaRank.TreeCount);
        Assert.True(ranked > chance + 0.2, $"lambdarank {ranked:F4} vs chance {chance:F4}");
        Assert.True(ranked > Ndcg(pointwise, Test), $"lambdarank {ranked:F4} vs pointwise {Ndcg(pointwise, Test):F4}");
    }

    [Fact]
    public void TheLogHasOneLinePerRoundAndItsLastLineIsTheModelsOwnNdcg()
    {
        var log = new List<TrainingIteration>();

        using var model = RankerTrainer.Train(Train, Valid, new RankerOptions { Trees = 8 }, log.Add);

        Assert.Equal(Enumerable.Range(1, 8), log.Select(l => l.Iteration));
        Assert.All(log, l => Assert.InRange(l.Leaves, 2, 31));
        Assert.True(log[^1].ValidNdcg > log[0].ValidNdcg, "validation NDCG should improve over the rounds");
        Assert.Equal(Ndcg(model, Valid), log[^1].ValidNdcg!.Value, 1e-6);
        Assert.Equal(Ndcg(model, Train), model.Summary.TrainNdcg, 1e-6);
        Assert.Equal(log[^1].ValidNdcg, model.Summary.ValidNdcg);
        Assert.Equal("completed", model.Summary.StopReason);
    }

    [Fact]
    public void TheSameSeedGivesTheSameScores()
    {
        var options = new RankerOptions { Trees = 6, FeatureFraction = 0.8, Seed = 3 };

        using var one = RankerTrainer.Train(Train, null, options);
        using var again = RankerTrainer.Train(Train, null, options);
        using var other = RankerTrainer.Train(Train, null, options with { Seed = 4 });

        Assert.Equal(one.Score(Test), again.Score(Test));
        Assert.NotEqual(one.Score(Test), other.Score(Test));
    }

    [Theory]
    [InlineData(RankerTrainerKind.LightGbm)]
    [InlineData(RankerTrainerKind.FastTree)]
    public void EarlyStoppingKeepsTheBestValidationRound(RankerTrainerKind trainer)
    {
        var log = new List<TrainingIteration>();

        using var model = RankerTrainer.Train(Train, Valid, new RankerOptions { Trees = 200, LearningRate = 0.5, EarlyStoppingRounds = 3, Trainer = trainer }, log.Add);

        Assert.Equal("early-stopping", model.Summary.StopReason);
        Assert.Equal(log.Count, model.Summary.IterationsRun);
        Assert.Equal(log.Count - 3, model.TreeCount);
        Assert.Equal(model.TreeCount, model.Summary.BestIteration);
        Assert.Equal(log.Max(l => l.ValidNdcg!.Value), model.Summary.ValidNdcg!.Value);

        // The kept model was trained again with fewer trees: it must be the best round's model.
        Assert.Equal(model.Summary.ValidNdcg!.Value, Ndcg(model, Valid), 1e-6);
    }

    [Fact]
    public void FastTreeTrainsForReal()
    {
        var options = new RankerOptions { Trees = 30, NumLeaves = 15, Trainer = RankerTrainerKind.FastTree };
        var log = new List<TrainingIteration>();

        using var model = RankerTrainer.Train(Train, Valid, options, log.Add);

        Assert.Equal("fasttree", model.Trainer);
        Assert.Null(model.Summary.FallbackReason);
        Assert.Equal(30, log.Count);
        Assert.True(Ndcg(model, Test) > Chance(Test) + 0.2, $"FastTree {Ndcg(model, Test):F4} vs chance {Chance(Test):F4}");
        Assert.Equal(Ndcg(model, Valid), log[^1].ValidNdcg!.Value, 1e-6);
    }

    [Fact]
    public void WithoutLightGbmsNativeLibraryTrainingFallsBackToFastTreeAndSaysSoOnce()
    {
        var warnings = new List<string>();

        using var model = RankerTrainer.Train(Train, null, new RankerOptions { Trees = 10 }, null, warnings.Add, () => "lib_lightgbm.so: cannot open shared object file");

        var warning = Assert.Single(warnings);
        Assert.Contains("FastTree", warning, StringComparison.Ordinal);
        Assert.Contains("无法加载 LightGBM", warning, StringComparison.Ordinal);
        Assert.Equal("fasttree", model.Trainer);
        Assert.Equal("lib_lightgbm.so: cannot open shared object file", model.Summary.FallbackReason);
        Assert.True(Ndcg(model, Test) > Chance(Test) + 0.1);
    }

    [Fact]
    public void NativeLoadFailuresAreRecognisedThroughWrappers()
    {
        var wrapped = new InvalidOperationException("outer", new TypeInitializationException("Microsoft.ML.Trainers.LightGbm.WrappedLightGbmInterface", new DllNotFoundException("lib_lightgbm")));

        Assert.Equal("lib_lightgbm", RankerTrainer.NativeLoadFailure(wrapped));
        Assert.Null(RankerTrainer.NativeLoadFailure(new InvalidOperationException("bad data")));
    }

    [Fact]
    public void TrainsFromInMemoryRowsWithFeatureNames()
    {
        var names = new[] { "bm25", "discipline_match", "noise" };
        var random = new Random(5);
        var rows = new List<LetorRow>();
        for (var q = 0; q < 60; q++)
        {
            for (var d = 0; d < 12; d++)
            {
                var bm25 = (float)random.NextDouble();
                var match = random.Next(2);
                rows.Add(new LetorRow($"need-{q}", Math.Min(3, Math.Floor((bm25 * 2) + match)), [bm25, match, (float)random.NextDouble()]));
            }
        }

        var data = LetorDataset.FromRows(names, rows);
        using var model = RankerTrainer.Train(data, null, new RankerOptions { Trees = 20, NumLeaves = 7, MinDataInLeaf = 5 });

        Assert.Equal(names, model.FeatureNames);
        Assert.Equal(60, data.QueryCount);
        Assert.True(Ndcg(model, data) > 0.95, $"NDCG {Ndcg(model, data):F4}");
        Assert.True(model.Score([0.9f, 1, 0.5f]) > model.Score([0.1f, 0, 0.5f]));
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

        // Nine rows: LightGBM's defaults for the hessian floor, L2 and bagging (ours would forbid every split).
        var tiny = new RankerOptions { Trees = 10, MinDataInLeaf = 1, NumLeaves = 4, MinSumHessianInLeaf = 1e-3, LambdaL2 = 0, BaggingFrequency = 0 };
        using var model = RankerTrainer.Train(data, data, tiny);
        var scores = model.Score(data);

        Assert.All(scores, s => Assert.True(float.IsFinite(s)));
        Assert.True(scores[0] > scores[1], "the label-2 document should outrank the label-0 one");
    }

    [Fact]
    public void DataWithNothingToLearnIsRefusedInChinese()
    {
        var equalLabels = LetorDataset.Read(new StringReader("1 qid:1 1:1\n1 qid:1 1:2\n1 qid:2 1:3\n"));
        var constant = LetorDataset.Read(new StringReader(string.Concat(Enumerable.Range(0, 60).Select(i => $"{i % 3} qid:{i / 6} 1:1\n"))));

        var labels = Assert.Throws<RankingInputException>(() => RankerTrainer.Train(equalLabels, null, new RankerOptions { Trees = 5, MinDataInLeaf = 1 }));
        var features = Assert.Throws<RankingInputException>(() => RankerTrainer.Train(constant, null, new RankerOptions { Trees = 5, MinDataInLeaf = 1 }));

        Assert.Contains("标签都相同", labels.Message, StringComparison.Ordinal);
        Assert.Contains("一棵树也没有分裂", features.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingValuesCanCarryTheSignal()
    {
        // Only missing values mark the relevant documents: the split must send NaN to its own side.
        var lines = new List<string>();
        for (var q = 1; q <= 30; q++)
        {
            for (var d = 0; d < 6; d++)
            {
                var relevant = d % 3 == 0;
                lines.Add($"{(relevant ? 2 : 0)} qid:{q} 1:{(relevant ? "nan" : (0.1 + (d * 0.1)).ToString(System.Globalization.CultureInfo.InvariantCulture))}");
            }
        }

        var data = LetorDataset.Read(new StringReader(string.Join('\n', lines)));

        using var model = RankerTrainer.Train(data, null, new RankerOptions { Trees = 5, MinDataInLeaf = 5, BaggingFrequency = 0 });

        Assert.Equal(1.0, Ndcg(model, data), 1e-12);
    }

    [Fact]
    public void RefusesLabelsLambdaRankCannotUse()
    {
        var data = LetorDataset.Read(new StringReader("1.5 qid:1 1:1\n0 qid:1 1:2\n"));

        var ex = Assert.Throws<RankingInputException>(() => RankerTrainer.Train(data, null, new RankerOptions()));

        Assert.Contains("整数", ex.Message, StringComparison.Ordinal);
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
    public void RefusesValidationDataWithOtherFeatures()
    {
        var narrow = LetorDataset.Read(new StringReader("1 qid:1 1:1\n0 qid:1 1:2\n"));

        var error = Assert.Throws<RankingInputException>(() => RankerTrainer.Train(Train, narrow, new RankerOptions { Trees = 2 }));

        Assert.Contains("验证数据有 1 个特征", error.Message, StringComparison.Ordinal);
    }
}
