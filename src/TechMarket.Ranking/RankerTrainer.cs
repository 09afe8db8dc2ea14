namespace TechMarket.Ranking;

/// <summary>
/// Gradient-boosted regression trees with LightGBM's semantics: quantile histogram bins,
/// leaf-wise growth, Newton leaf values, shrinkage, and either the lambdarank or the
/// squared-error objective; early stopping on validation NDCG@k. Given the same data,
/// options and seed, the model is the same whatever the thread count.
/// </summary>
public static class RankerTrainer
{
    /// <summary>Trains a model.</summary>
    /// <param name="train">Training data.</param>
    /// <param name="valid">Optional validation data (early stopping, log).</param>
    /// <param name="options">Parameters.</param>
    /// <param name="log">Receives one line per round.</param>
    /// <exception cref="RankingInputException">Empty data or labels the objective cannot use.</exception>
    public static RankingModel Train(LetorDataset train, LetorDataset? valid, RankerOptions options, Action<TrainingIteration>? log = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        Validate(train, valid, options);
        var threads = Math.Max(1, options.Threads);
        var bins = FeatureBins.Build(train, options.MaxBins, options.BinSampleSize, options.Seed);
        var binned = new BinnedData(train, bins, threads);
        IObjective objective = options.Objective == RankingObjectiveKind.LambdaRank
            ? new LambdaRankObjective(train.Labels, train.QueryBoundaries, options.Sigmoid, options.TruncationLevel, options.NormalizeLambdas, threads)
            : new SquaredErrorObjective(train.Labels);
        var settings = new TreeSettings(options.NumLeaves, options.MinDataInLeaf, options.MinSumHessianInLeaf, options.LambdaL2, options.MaxDepth, options.LearningRate, threads);
        var learner = new TreeLearner(binned, settings);
        var random = new Random(options.Seed);
        var bagging = new Bagging(rows: train.RowCount, options);

        var rows = train.RowCount;
        var scores = new double[rows];
        Array.Fill(scores, objective.InitialScore);
        var validScores = valid is null ? [] : new double[valid.RowCount];
        Array.Fill(validScores, objective.InitialScore);
        var gradients = new double[rows];
        var hessians = new double[rows];
        var featureUsed = new bool[train.FeatureCount];
        var trees = new List<RegressionTree>();
        var trainNdcgs = new List<double>();
        var validNdcgs = new List<double>();
        var bestIteration = 0;
        var bestValid = double.NegativeInfinity;
        var stopReason = "completed";

        for (var iteration = 0; iteration < options.Trees; iteration++)
        {
            objective.ComputeGradients(scores, gradients, hessians);
            ChooseFeatures(featureUsed, options.FeatureFraction, random);
            var bag = bagging.BagFor(iteration);
            var tree = learner.Grow(gradients, hessians, featureUsed, bag, out var leafBegin, out var leafCount);
            if (tree.NodeCount == 0 && trees.Count > 0)
            {
                stopReason = "no-split";
                break;
            }

            trees.Add(tree);
            if (bag is null)
            {
                var indices = learner.Indices;
                for (var leaf = 0; leaf < leafBegin.Length; leaf++)
                {
                    var value = tree.LeafValues[leaf];
                    foreach (var row in indices.Slice(leafBegin[leaf], leafCount[leaf]))
                    {
                        scores[row] += value;
                    }
                }
            }
            else
            {
                // Rows outside the bag were not partitioned: every row walks the tree on its bins.
                // (Sequential: a few milliseconds; a Parallel.For here slowed the next round's
                // lambdas sixfold on one thread.)
                for (var r = 0; r < rows; r++)
                {
                    scores[r] += tree.LeafValues[learner.LeafOf(tree, r)];
                }
            }

            var trainNdcg = RankingMetrics.MeanNdcgAtK(train.Labels, scores, train.QueryBoundaries, options.EvalAt);
            trainNdcgs.Add(trainNdcg);
            double? validNdcg = null;
            if (valid is not null)
            {
                AddTree(tree, valid, validScores, threads);
                validNdcg = RankingMetrics.MeanNdcgAtK(valid.Labels, validScores, valid.QueryBoundaries, options.EvalAt);
                validNdcgs.Add(validNdcg.Value);
                if (validNdcg.Value > bestValid)
                {
                    bestValid = validNdcg.Value;
                    bestIteration = iteration;
                }
            }
            else
            {
                bestIteration = iteration;
            }

            log?.Invoke(new TrainingIteration(iteration + 1, trainNdcg, validNdcg, tree.LeafValues.Length));
            if (tree.NodeCount == 0)
            {
                stopReason = "no-split";
                break;
            }

            if (valid is not null && options.EarlyStoppingRounds > 0 && iteration - bestIteration >= options.EarlyStoppingRounds)
            {
                stopReason = "early-stopping";
                break;
            }
        }

        var iterationsRun = trees.Count;
        var kept = valid is not null && options.EarlyStoppingRounds > 0 ? bestIteration + 1 : trees.Count;
        if (kept < trees.Count)
        {
            trees.RemoveRange(kept, trees.Count - kept);
        }

        var summary = new TrainingSummary
        {
            IterationsRun = iterationsRun,
            BestIteration = kept,
            EvalAt = options.EvalAt,
            TrainNdcg = trainNdcgs.Count >= kept && kept > 0 ? trainNdcgs[kept - 1] : 0,
            ValidNdcg = valid is null || kept == 0 ? null : validNdcgs[kept - 1],
            TrainRows = rows,
            TrainQueries = train.QueryCount,
            ValidQueries = valid?.QueryCount ?? 0,
            StopReason = stopReason,
        };
        var names = Enumerable.Range(1, train.FeatureCount).Select(i => $"f{i}").ToArray();
        return new RankingModel(objective.Name, objective.InitialScore, names, bins, trees, options, summary);
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

        if (options.Trees < 1 || options.NumLeaves < 2 || options.LearningRate <= 0 || options.MaxBins is < 2 or > 255
            || options.EvalAt < 1 || options.MinDataInLeaf < 0 || options.FeatureFraction is <= 0 or > 1 || options.BinSampleSize < 1
            || options.BaggingFraction is <= 0 or > 1 || options.BaggingFrequency < 0 || options.LambdaL2 < 0 || options.MinSumHessianInLeaf < 0)
        {
            throw new RankingInputException("训练参数无效：树的数量、叶子数、学习率、分箱数、评估位置、特征比例、行采样比例或正则化系数超出范围");
        }

        if (options.Objective != RankingObjectiveKind.LambdaRank)
        {
            return;
        }

        foreach (var set in valid is null ? new[] { train } : [train, valid])
        {
            foreach (var label in set.Labels)
            {
                if (label < 0 || label > 30 || label != Math.Floor(label))
                {
                    throw new RankingInputException($"排序目标要求标签为 0 到 30 之间的整数，发现 {label}");
                }
            }
        }
    }

    private static void ChooseFeatures(bool[] used, double fraction, Random random)
    {
        if (fraction >= 1)
        {
            Array.Fill(used, true);
            return;
        }

        var count = Math.Max(1, (int)Math.Round(fraction * used.Length));
        var order = Enumerable.Range(0, used.Length).ToArray();
        random.Shuffle(order);
        Array.Fill(used, false);
        for (var i = 0; i < count; i++)
        {
            used[order[i]] = true;
        }
    }

    private static void AddTree(RegressionTree tree, LetorDataset data, double[] scores, int threads)
    {
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var chunk = (data.RowCount + threads - 1) / threads;
            var end = Math.Min(data.RowCount, (t + 1) * chunk);
            for (var r = t * chunk; r < end; r++)
            {
                scores[r] += tree.Predict(data.Row(r));
            }
        });
    }

    /// <summary>
    /// LightGBM's bagging: every <c>bagging_freq</c> rounds each row is drawn into the bag with
    /// probability <c>bagging_fraction</c>, from its own seeded generator (so feature sampling
    /// and bagging do not disturb each other and a seed always gives the same bags).
    /// </summary>
    private sealed class Bagging(int rows, RankerOptions options)
    {
        private readonly Random _random = new(unchecked((options.Seed * 31) + 3));
        private readonly List<int> _rows = [];
        private int[]? _bag;

        public int[]? BagFor(int iteration)
        {
            if (options.BaggingFrequency <= 0 || options.BaggingFraction >= 1)
            {
                return null;
            }

            if (_bag is null || iteration % options.BaggingFrequency == 0)
            {
                _rows.Clear();
                for (var r = 0; r < rows; r++)
                {
                    if (_random.NextDouble() < options.BaggingFraction)
                    {
                        _rows.Add(r);
                    }
                }

                if (_rows.Count == 0)
                {
                    _rows.Add(_random.Next(rows));
                }

                _bag = [.. _rows];
            }

            return _bag;
        }
    }
}
