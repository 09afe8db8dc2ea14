using System.Text.Json.Serialization;

namespace TechMarket.Ranking;

/// <summary>The loss a model is trained for.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RankingObjectiveKind>))]
public enum RankingObjectiveKind
{
    /// <summary>LightGBM's <c>lambdarank</c> (LambdaMART optimising NDCG).</summary>
    LambdaRank,

    /// <summary>Pointwise squared error on the labels (LightGBM's <c>regression</c>), the baseline.</summary>
    Regression,
}

/// <summary>
/// Training parameters; names and defaults follow LightGBM's (<c>num_iterations</c>,
/// <c>num_leaves</c>, <c>learning_rate</c>, <c>min_data_in_leaf</c>, <c>min_sum_hessian_in_leaf</c>,
/// <c>max_bin</c>, <c>lambdarank_truncation_level</c>, <c>lambdarank_norm</c>, <c>sigmoid</c>,
/// <c>lambda_l2</c>, <c>max_depth</c>, <c>feature_fraction</c>, <c>bagging_fraction</c>, <c>bagging_freq</c>,
/// <c>bin_construct_sample_cnt</c>). Defaults are LightGBM's except <c>min_sum_hessian_in_leaf</c> (1),
/// <c>lambda_l2</c> (1), <c>bagging_fraction</c> (0.8) and <c>bagging_freq</c> (1); docs/ranking.md says why.
/// </summary>
public sealed record RankerOptions
{
    /// <summary>The loss.</summary>
    public RankingObjectiveKind Objective { get; init; } = RankingObjectiveKind.LambdaRank;

    /// <summary>Boosting rounds (trees).</summary>
    public int Trees { get; init; } = 100;

    /// <summary>Maximum leaves per tree.</summary>
    public int NumLeaves { get; init; } = 31;

    /// <summary>Shrinkage applied to every leaf value.</summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>Minimum training rows in a leaf.</summary>
    public int MinDataInLeaf { get; init; } = 20;

    /// <summary>
    /// Minimum sum of hessians in a leaf. LightGBM's default is 1e-3; ours is 1: lambdarank's
    /// normalised hessians are about 0.01–0.05 per document, so 1e-3 never binds and leaves
    /// may rest on a handful of pairs, while squared error's hessian is 1 per row and with
    /// <see cref="MinDataInLeaf"/> 20 it does not bind at all (docs/ranking.md).
    /// </summary>
    public double MinSumHessianInLeaf { get; init; } = 1.0;

    /// <summary>Maximum histogram bins per feature (2–255).</summary>
    public int MaxBins { get; init; } = 255;

    /// <summary>Rows sampled to find bin edges.</summary>
    public int BinSampleSize { get; init; } = 200_000;

    /// <summary>Cut-off of the NDCG reported and used for early stopping.</summary>
    public int EvalAt { get; init; } = 10;

    /// <summary>Stop when validation NDCG has not improved for this many rounds (0: never).</summary>
    public int EarlyStoppingRounds { get; init; }

    /// <summary>Seed of every random choice (bin sample, feature sampling).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Steepness of the pairwise sigmoid.</summary>
    public double Sigmoid { get; init; } = 1.0;

    /// <summary>Only pairs with a document in the top this-many positions contribute.</summary>
    public int TruncationLevel { get; init; } = 30;

    /// <summary>LightGBM's <c>lambdarank_norm</c>.</summary>
    public bool NormalizeLambdas { get; init; } = true;

    /// <summary>L2 regularisation of leaf values (LightGBM's default 0; ours 1, xgboost's <c>reg_lambda</c> default).</summary>
    public double LambdaL2 { get; init; } = 1.0;

    /// <summary>Maximum tree depth (≤ 0: unlimited).</summary>
    public int MaxDepth { get; init; } = -1;

    /// <summary>Share of features each tree may use (chosen with the seed).</summary>
    public double FeatureFraction { get; init; } = 1.0;

    /// <summary>
    /// LightGBM's <c>bagging_fraction</c>: each row takes part in growing the trees with this
    /// probability, redrawn every <see cref="BaggingFrequency"/> rounds (seeded, so deterministic;
    /// LightGBM's default 1, ours 0.8).
    /// </summary>
    public double BaggingFraction { get; init; } = 0.8;

    /// <summary>LightGBM's <c>bagging_freq</c>: redraw the bag every this many rounds (0: no bagging; LightGBM's default 0, ours 1).</summary>
    public int BaggingFrequency { get; init; } = 1;

    /// <summary>Worker threads (histograms, gradients); results do not depend on it.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
}

/// <summary>One line of the training log.</summary>
/// <param name="Iteration">1-based round.</param>
/// <param name="TrainNdcg">Training NDCG@k after this round.</param>
/// <param name="ValidNdcg">Validation NDCG@k after this round, when a validation set is given.</param>
/// <param name="Leaves">Leaves of the tree added this round.</param>
public sealed record TrainingIteration(int Iteration, double TrainNdcg, double? ValidNdcg, int Leaves);

/// <summary>What training achieved, stored in the model file.</summary>
public sealed record TrainingSummary
{
    /// <summary>Rounds run (early stopping may end sooner than asked).</summary>
    public int IterationsRun { get; init; }

    /// <summary>Trees kept: the best validation round, or all.</summary>
    public int BestIteration { get; init; }

    /// <summary>Cut-off k of the NDCG figures.</summary>
    public int EvalAt { get; init; }

    /// <summary>Training NDCG@k of the kept model.</summary>
    public double TrainNdcg { get; init; }

    /// <summary>Validation NDCG@k of the kept model, when a validation set was given.</summary>
    public double? ValidNdcg { get; init; }

    /// <summary>Training rows.</summary>
    public int TrainRows { get; init; }

    /// <summary>Training queries.</summary>
    public int TrainQueries { get; init; }

    /// <summary>Validation queries (0 without a validation set).</summary>
    public int ValidQueries { get; init; }

    /// <summary>Why training stopped.</summary>
    public string StopReason { get; init; } = "";
}

/// <summary>Input a user must fix (labels, empty data, a model file); the message is Chinese.</summary>
public sealed class RankingInputException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RankingInputException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public RankingInputException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public RankingInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
