using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace TechMarket.Ranking;

/// <summary>
/// Trains a ranker through ML.NET: LightGBM's <c>lambdarank</c> (or <c>regression</c>) with every
/// parameter set explicitly from <see cref="RankerOptions"/>; FastTree when LightGBM's native
/// library cannot be loaded. The features are the caller's; the NDCG figures are our own
/// <see cref="RankingMetrics"/>, computed per round from the trained trees.
/// </summary>
public static class RankerTrainer
{
    /// <summary>LightGBM's default <c>label_gain</c>: 2^i − 1 for labels 0–30 (ML.NET's default stops at 11).</summary>
    internal static readonly int[] LabelGains = [.. Enumerable.Range(0, MaxLabel + 1).Select(i => (1 << i) - 1)];

    private const int MaxLabel = 30;

    private static readonly Lazy<string?> LightGbmLoadError = new(ProbeLightGbm);

    /// <summary>Trains a model.</summary>
    /// <param name="train">Training data.</param>
    /// <param name="valid">Optional validation data (log, early stopping); same features as <paramref name="train"/>.</param>
    /// <param name="options">Parameters.</param>
    /// <param name="log">
    /// Receives one line per round with training and validation NDCG@k. ML.NET gives no callback
    /// during training, so the lines come once training has finished, computed from each round's trees.
    /// </param>
    /// <param name="warning">Receives operator warnings in Chinese (the FastTree fallback).</param>
    /// <exception cref="RankingInputException">Empty data, labels the objective cannot use or invalid parameters.</exception>
    public static RankingModel Train(LetorDataset train, LetorDataset? valid, RankerOptions options, Action<TrainingIteration>? log = null, Action<string>? warning = null) =>
        Train(train, valid, options, log, warning, () => LightGbmLoadError.Value);

    /// <summary>Test seam: <paramref name="lightGbmLoadError"/> says why LightGBM's native library cannot be loaded (null: it can).</summary>
    internal static RankingModel Train(LetorDataset train, LetorDataset? valid, RankerOptions options, Action<TrainingIteration>? log, Action<string>? warning, Func<string?> lightGbmLoadError)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        Validate(train, valid, options);
        var ml = new MLContext(seed: options.Seed);
        var trainView = MlNetData.ToTrainingView(ml, train);
        string? fallbackReason = null;
        var useLightGbm = options.Trainer == RankerTrainerKind.LightGbm;
        if (useLightGbm && lightGbmLoadError() is { } loadError)
        {
            fallbackReason = loadError;
            useLightGbm = false;
        }

        ITransformer model;
        try
        {
            model = useLightGbm ? FitLightGbm(ml, trainView, options) : FitFastTree(ml, trainView, options);
        }
        catch (Exception ex) when (useLightGbm && NativeLoadFailure(ex) is { } reason)
        {
            fallbackReason = reason;
            useLightGbm = false;
            model = FitFastTree(ml, trainView, options);
        }

        if (fallbackReason is not null)
        {
            warning?.Invoke($"无法加载 LightGBM 的本机库（{fallbackReason}），改用 ML.NET 的 FastTree 训练；如需 LightGBM，请安装 libgomp1（scripts/install-deps.sh）");
        }

        var ensemble = Ensemble(model);
        var trees = ensemble.TrainedTreeEnsemble.Trees.Count;
        var leaves = ensemble.TrainedTreeEnsemble.Trees.Select(t => t.NumberOfLeaves).ToArray();
        var trainRounds = RoundNdcg(ml, ensemble, train, trainView, options.EvalAt);
        var validRounds = valid is null ? null : RoundNdcg(ml, ensemble, valid, MlNetData.ToTrainingView(ml, valid), options.EvalAt);

        // Early stopping is ours, on validation NDCG@k: the validation set never reaches LightGBM
        // (ML.NET 5.0.1 hands LightGBM 4.6 wrong query boundaries for it; docs/ranking.md). The
        // rounds are known only after training, so the model is trained again with the best
        // round's tree count (same seed and parameters: the same first trees).
        var rounds = trees;
        var kept = trees;
        var stopReason = trees < options.Trees ? "no-split" : "completed";
        if (validRounds is not null && options.EarlyStoppingRounds > 0)
        {
            var best = 0;
            for (var t = 0; t < trees; t++)
            {
                if (validRounds[t] > validRounds[best])
                {
                    best = t;
                }

                if (t - best >= options.EarlyStoppingRounds)
                {
                    rounds = t + 1;
                    stopReason = "early-stopping";
                    break;
                }
            }

            kept = best + 1;
            if (kept < trees)
            {
                var retrainOptions = options with { Trees = kept };
                model = useLightGbm ? FitLightGbm(ml, trainView, retrainOptions) : FitFastTree(ml, trainView, retrainOptions);
            }
        }

        for (var t = 0; t < rounds; t++)
        {
            log?.Invoke(new TrainingIteration(t + 1, trainRounds[t], validRounds?[t], leaves[t]));
        }

        var summary = new TrainingSummary
        {
            IterationsRun = rounds,
            BestIteration = kept,
            EvalAt = options.EvalAt,
            TrainNdcg = kept == 0 ? 0 : trainRounds[kept - 1],
            ValidNdcg = validRounds is null || kept == 0 ? null : validRounds[kept - 1],
            TrainRows = train.RowCount,
            TrainQueries = train.QueryCount,
            ValidQueries = valid?.QueryCount ?? 0,
            StopReason = stopReason,
            Trainer = useLightGbm ? "lightgbm" : "fasttree",
            FallbackReason = fallbackReason,
        };
        return new RankingModel(ml, model, train.FeatureNames, options.Objective, options, summary);
    }

    private static ITransformer FitLightGbm(MLContext ml, IDataView train, RankerOptions o)
    {
        GradientBooster.Options Booster() => new()
        {
            L2Regularization = o.LambdaL2,
            L1Regularization = 0,
            MinimumChildWeight = o.MinSumHessianInLeaf,
            MinimumSplitGain = 0,
            MaximumTreeDepth = Math.Max(0, o.MaxDepth),
            FeatureFraction = o.FeatureFraction,
            SubsampleFraction = o.BaggingFraction,
            SubsampleFrequency = o.BaggingFrequency,
        };

        if (o.Objective == RankingObjectiveKind.LambdaRank)
        {
            var trainer = ml.Ranking.Trainers.LightGbm(new LightGbmRankingTrainer.Options
            {
                LabelColumnName = MlNetData.Label,
                FeatureColumnName = MlNetData.Features,
                RowGroupColumnName = MlNetData.GroupId,
                NumberOfIterations = o.Trees,
                NumberOfLeaves = o.NumLeaves,
                LearningRate = o.LearningRate,
                MinimumExampleCountPerLeaf = o.MinDataInLeaf,
                MaximumBinCountPerFeature = o.MaxBins,
                NumberOfThreads = o.Threads,
                Seed = o.Seed,
                Deterministic = true,
                Sigmoid = o.Sigmoid,
                CustomGains = LabelGains,
                EvaluationMetric = LightGbmRankingTrainer.Options.EvaluateMetricType.NormalizedDiscountedCumulativeGain,
                UseCategoricalSplit = false,
                HandleMissingValue = true,
                UseZeroAsMissingValue = false,
                Booster = Booster(),
            });
            return Fit(() => trainer.Fit(train));
        }

        var regression = ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
        {
            LabelColumnName = MlNetData.Label,
            FeatureColumnName = MlNetData.Features,
            NumberOfIterations = o.Trees,
            NumberOfLeaves = o.NumLeaves,
            LearningRate = o.LearningRate,
            MinimumExampleCountPerLeaf = o.MinDataInLeaf,
            MaximumBinCountPerFeature = o.MaxBins,
            NumberOfThreads = o.Threads,
            Seed = o.Seed,
            Deterministic = true,
            UseCategoricalSplit = false,
            HandleMissingValue = true,
            UseZeroAsMissingValue = false,
            Booster = Booster(),
        });
        return Fit(() => regression.Fit(train));
    }

    private static ITransformer Fit(Func<ITransformer> fit)
    {
        try
        {
            return fit();
        }
        catch (ArgumentNullException ex) when (ex.StackTrace?.Contains("RegressionTreeBase", StringComparison.Ordinal) == true)
        {
            // ML.NET 5.0.1 cannot wrap a LightGBM model whose only tree is a leaf of value 0.
            throw new RankingInputException("训练数据中没有可学习的信号：LightGBM 一棵树也没有分裂（特征可能都是常数，或每个叶子的数据太少）", ex);
        }
    }

    private static ITransformer FitFastTree(MLContext ml, IDataView train, RankerOptions o)
    {
        // FastTree's bagging: BaggingSize trees per bag of BaggingExampleFraction of the rows.
        var bagging = o.BaggingFrequency > 0 && o.BaggingFraction < 1 ? o.BaggingFrequency : 0;
        if (o.Objective == RankingObjectiveKind.LambdaRank)
        {
            return ml.Ranking.Trainers.FastTree(new FastTreeRankingTrainer.Options
            {
                LabelColumnName = MlNetData.Label,
                FeatureColumnName = MlNetData.Features,
                RowGroupColumnName = MlNetData.GroupId,
                NumberOfTrees = o.Trees,
                NumberOfLeaves = o.NumLeaves,
                LearningRate = o.LearningRate,
                MinimumExampleCountPerLeaf = Math.Max(1, o.MinDataInLeaf),
                MaximumBinCountPerFeature = o.MaxBins,
                NumberOfThreads = o.Threads,
                Seed = o.Seed,
                FeatureFraction = o.FeatureFraction,
                BaggingSize = bagging,
                BaggingExampleFraction = o.BaggingFraction,
                CustomGains = [.. LabelGains.Select(g => (double)g)],
            }).Fit(train);
        }

        return ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
        {
            LabelColumnName = MlNetData.Label,
            FeatureColumnName = MlNetData.Features,
            NumberOfTrees = o.Trees,
            NumberOfLeaves = o.NumLeaves,
            LearningRate = o.LearningRate,
            MinimumExampleCountPerLeaf = Math.Max(1, o.MinDataInLeaf),
            MaximumBinCountPerFeature = o.MaxBins,
            NumberOfThreads = o.Threads,
            Seed = o.Seed,
            FeatureFraction = o.FeatureFraction,
            BaggingSize = bagging,
            BaggingExampleFraction = o.BaggingFraction,
        }).Fit(train);
    }

    /// <summary>The trees of a trained or loaded model (LightGBM's and FastTree's both).</summary>
    internal static TreeEnsembleModelParametersBasedOnRegressionTree Ensemble(ITransformer model) =>
        RankingModel.Predictor(model).Model as TreeEnsembleModelParametersBasedOnRegressionTree
        ?? throw new RankingInputException("模型文件内容无效：其中的模型不是树模型");

    /// <summary>
    /// Mean NDCG@k after each round: ML.NET's tree featurizer gives every tree's output for every
    /// row; the score after round t is the bias plus the weighted outputs of trees 1…t.
    /// </summary>
    private static double[] RoundNdcg(MLContext ml, TreeEnsembleModelParametersBasedOnRegressionTree ensemble, LetorDataset data, IDataView view, int k)
    {
        var trees = ensemble.TrainedTreeEnsemble.Trees.Count;
        var weights = ensemble.TrainedTreeEnsemble.TreeWeights;
        var bias = ensemble.TrainedTreeEnsemble.Bias;
        var sums = new double[trees];
        if (trees == 0)
        {
            return sums;
        }

        var featurizer = ml.Transforms.FeaturizeByPretrainTreeEnsemble(new PretrainedTreeFeaturizationEstimator.Options
        {
            InputColumnName = MlNetData.Features,
            ModelParameters = ensemble,
            TreesColumnName = "TreeOutputs",
            LeavesColumnName = null,
            PathsColumnName = null,
        }).Fit(view);
        var outputs = featurizer.Transform(view);
        using var cursor = outputs.GetRowCursor([outputs.Schema["TreeOutputs"]]);
        var getter = cursor.GetGetter<VBuffer<float>>(outputs.Schema["TreeOutputs"]);
        var buffer = default(VBuffer<float>);
        var row = 0;
        for (var q = 0; q < data.QueryCount; q++)
        {
            var start = data.QueryBoundaries[q];
            var length = data.QueryBoundaries[q + 1] - start;
            var perTree = new float[length, trees];
            for (var i = 0; i < length; i++, row++)
            {
                if (!cursor.MoveNext())
                {
                    throw new InvalidOperationException("the tree featurizer returned fewer rows than the data");
                }

                getter(ref buffer);
                var dense = buffer.DenseValues().GetEnumerator();
                for (var t = 0; t < trees && dense.MoveNext(); t++)
                {
                    perTree[i, t] = dense.Current;
                }
            }

            var labels = data.Labels.AsSpan(start, length);
            var scores = new double[length];
            Array.Fill(scores, bias);
            for (var t = 0; t < trees; t++)
            {
                for (var i = 0; i < length; i++)
                {
                    scores[i] += weights[t] * perTree[i, t];
                }

                sums[t] += RankingMetrics.NdcgAtK(labels, scores, k);
            }
        }

        for (var t = 0; t < trees; t++)
        {
            sums[t] /= Math.Max(1, data.QueryCount);
        }

        return sums;
    }

    private static string? ProbeLightGbm()
    {
        try
        {
            if (NativeLibrary.TryLoad("lib_lightgbm", typeof(LightGbmRankingTrainer).Assembly, null, out var handle))
            {
                NativeLibrary.Free(handle);
                return null;
            }

            return "找不到 lib_lightgbm";
        }
        catch (Exception ex) when (ex is BadImageFormatException or DllNotFoundException)
        {
            return ex.Message;
        }
    }

    /// <summary>Why training failed if LightGBM's native library could not be loaded or called; null otherwise.</summary>
    internal static string? NativeLoadFailure(Exception exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case DllNotFoundException or EntryPointNotFoundException or BadImageFormatException:
                    return ex.Message;
                case TypeInitializationException t when t.TypeName.Contains("LightGbm", StringComparison.OrdinalIgnoreCase):
                    return t.InnerException?.Message ?? t.Message;
            }
        }

        return null;
    }

    private static void Validate(LetorDataset train, LetorDataset? valid, RankerOptions options)
    {
        if (train.RowCount == 0)
        {
            throw new RankingInputException("训练数据为空");
        }

        if (train.FeatureCount == 0)
        {
            throw new RankingInputException("训练数据没有任何特征");
        }

        if (valid is not null && valid.RowCount == 0)
        {
            throw new RankingInputException("验证数据为空");
        }

        if (valid is not null && valid.FeatureCount != train.FeatureCount)
        {
            throw new RankingInputException($"验证数据有 {valid.FeatureCount} 个特征，训练数据有 {train.FeatureCount} 个，二者必须一致");
        }

        if (options.Trees < 1 || options.NumLeaves < 2 || options.LearningRate <= 0 || options.MaxBins is < 2 or > 255
            || options.EvalAt < 1 || options.MinDataInLeaf < 0 || options.FeatureFraction is <= 0 or > 1 || options.Threads < 1
            || options.BaggingFraction is <= 0 or > 1 || options.BaggingFrequency < 0 || options.LambdaL2 < 0 || options.MinSumHessianInLeaf < 0
            || options.Sigmoid <= 0 || options.EarlyStoppingRounds < 0)
        {
            throw new RankingInputException("训练参数无效：树的数量、叶子数、学习率、分箱数、评估位置、特征比例、行采样比例、正则化系数、sigmoid 或线程数超出范围");
        }

        if (options.Objective != RankingObjectiveKind.LambdaRank)
        {
            return;
        }

        var anyOrder = false;
        for (var q = 0; q < train.QueryCount && !anyOrder; q++)
        {
            var labels = train.Labels.AsSpan(train.QueryBoundaries[q], train.QueryBoundaries[q + 1] - train.QueryBoundaries[q]);
            anyOrder = labels.ContainsAnyExcept(labels[0]);
        }

        if (!anyOrder)
        {
            throw new RankingInputException("训练数据中每个查询的标签都相同，排序模型无从学习");
        }

        foreach (var set in valid is null ? new[] { train } : [train, valid])
        {
            foreach (var label in set.Labels)
            {
                if (label < 0 || label > MaxLabel || label != Math.Floor(label))
                {
                    throw new RankingInputException(string.Create(CultureInfo.InvariantCulture, $"排序目标要求标签为 0 到 {MaxLabel} 之间的整数，发现 {label}"));
                }
            }
        }
    }
}
