using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;
using TechMarket.Ranking;

/// <summary>
/// ML.NET's LightGBM lambdarank trained on a <see cref="LetorDataset"/>, with LightGBM's
/// parameters set explicitly from <see cref="RankerOptions"/> (ML.NET's own defaults differ:
/// sigmoid 0.5, lambda_l2 0.01, min_sum_hessian 0.1, 12 label gains). Only for the side-by-side
/// measurement against the hand-written learner (docs/ranking.md).
/// </summary>
internal static class MlNetLightGbm
{
    public static ITransformer Train(MLContext ml, LetorDataset train, LetorDataset? valid, RankerOptions options, out DataViewSchema inputSchema)
    {
        var trainView = ToDataView(ml, train);
        var trainer = ml.Ranking.Trainers.LightGbm(new LightGbmRankingTrainer.Options
        {
            LabelColumnName = "Label",
            FeatureColumnName = "Features",
            RowGroupColumnName = "GroupId",
            NumberOfIterations = options.Trees,
            NumberOfLeaves = options.NumLeaves,
            LearningRate = options.LearningRate,
            MinimumExampleCountPerLeaf = options.MinDataInLeaf,
            MaximumBinCountPerFeature = options.MaxBins,
            NumberOfThreads = options.Threads,
            Seed = options.Seed,
            Sigmoid = options.Sigmoid,
            CustomGains = [.. Enumerable.Range(0, 31).Select(i => (1 << i) - 1)],
            EvaluationMetric = LightGbmRankingTrainer.Options.EvaluateMetricType.NormalizedDiscountedCumulativeGain,
            EarlyStoppingRound = valid is null ? 0 : options.EarlyStoppingRounds,
            UseCategoricalSplit = false,
            HandleMissingValue = true,
            UseZeroAsMissingValue = false,
            Booster = new GradientBooster.Options
            {
                L2Regularization = options.LambdaL2,
                L1Regularization = 0,
                MinimumChildWeight = options.MinSumHessianInLeaf,
                MinimumSplitGain = 0,
                MaximumTreeDepth = Math.Max(0, options.MaxDepth),
                FeatureFraction = options.FeatureFraction,
                SubsampleFraction = options.BaggingFraction,
                SubsampleFrequency = options.BaggingFrequency,
            },
        });
        inputSchema = trainView.Schema;
        return valid is null ? trainer.Fit(trainView) : trainer.Fit(trainView, ToDataView(ml, valid));
    }

    public static IDataView ToDataView(MLContext ml, LetorDataset data)
    {
        var rows = new Row[data.RowCount];
        for (var q = 0; q < data.QueryCount; q++)
        {
            for (var r = data.QueryBoundaries[q]; r < data.QueryBoundaries[q + 1]; r++)
            {
                var features = new float[data.FeatureCount];
                var row = data.Row(r);
                for (var f = 0; f < features.Length; f++)
                {
                    features[f] = (float)row[f];
                }

                rows[r] = new Row { Label = (float)data.Labels[r], GroupId = (uint)q + 1, Features = features };
            }
        }

        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, data.FeatureCount);
        schema[nameof(Row.GroupId)].ColumnType = new KeyDataViewType(typeof(uint), Math.Max(1, data.QueryCount));
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    public static PredictionEngine<ScoringRow, ScoreRow> Engine(MLContext ml, ITransformer model, int featureCount)
    {
        var schema = SchemaDefinition.Create(typeof(ScoringRow));
        schema[nameof(ScoringRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        return ml.Model.CreatePredictionEngine<ScoringRow, ScoreRow>(model, inputSchemaDefinition: schema);
    }

    public static double[] Score(MLContext ml, ITransformer model, LetorDataset data)
    {
        using var engine = Engine(ml, model, data.FeatureCount);
        var input = new ScoringRow { Features = new float[data.FeatureCount] };
        var output = new ScoreRow();
        var scores = new double[data.RowCount];
        for (var r = 0; r < data.RowCount; r++)
        {
            var row = data.Row(r);
            for (var f = 0; f < row.Length; f++)
            {
                input.Features[f] = (float)row[f];
            }

            engine.Predict(input, ref output);
            scores[r] = output.Score;
        }

        return scores;
    }

    internal sealed class Row
    {
        public float Label { get; set; }

        public uint GroupId { get; set; }

        public float[] Features { get; set; } = [];
    }

    internal sealed class ScoringRow
    {
        public float[] Features { get; set; } = [];
    }

    internal sealed class ScoreRow
    {
        public float Score { get; set; }
    }
}
