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

/// <summary>Which ML.NET learner grows the trees.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RankerTrainerKind>))]
public enum RankerTrainerKind
{
    /// <summary>
    /// LightGBM through <c>Microsoft.ML.LightGbm</c> (the default). When its native library
    /// cannot be loaded, training falls back to <see cref="FastTree"/> and says so.
    /// </summary>
    LightGbm,

    /// <summary>ML.NET's own FastTree (LambdaMART for lambdarank), managed code only; also the fallback.</summary>
    FastTree,
}

/// <summary>
/// Training parameters; names and defaults follow LightGBM's (<c>num_iterations</c>,
/// <c>num_leaves</c>, <c>learning_rate</c>, <c>min_data_in_leaf</c>, <c>min_sum_hessian_in_leaf</c>,
/// <c>max_bin</c>, <c>sigmoid</c>, <c>lambda_l2</c>, <c>max_depth</c>, <c>feature_fraction</c>,
/// <c>bagging_fraction</c>, <c>bagging_freq</c>, <c>seed</c>, <c>num_threads</c>) and every one is
/// handed to ML.NET explicitly, since ML.NET's own defaults differ (sigmoid 0.5, lambda_l2 0.01,
/// min_sum_hessian 0.1). Defaults are LightGBM's except <c>min_sum_hessian_in_leaf</c> (1),
/// <c>lambda_l2</c> (1), <c>bagging_fraction</c> (0.8), <c>bagging_freq</c> (1) and the thread
/// count (1); docs/ranking.md says why.
/// </summary>
public sealed record RankerOptions
{
    /// <summary>The loss.</summary>
    public RankingObjectiveKind Objective { get; init; } = RankingObjectiveKind.LambdaRank;

    /// <summary>The learner; <see cref="RankerTrainerKind.FastTree"/> forces the fallback.</summary>
    public RankerTrainerKind Trainer { get; init; } = RankerTrainerKind.LightGbm;

    /// <summary>Boosting rounds (trees).</summary>
    public int Trees { get; init; } = 100;

    /// <summary>Maximum leaves per tree.</summary>
    public int NumLeaves { get; init; } = 31;

    /// <summary>Shrinkage applied to every leaf value.</summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>Minimum training rows in a leaf.</summary>
    public int MinDataInLeaf { get; init; } = 20;

    /// <summary>
    /// Minimum sum of hessians in a leaf (ML.NET's <c>MinimumChildWeight</c>). LightGBM's default
    /// is 1e-3, ML.NET's 0.1; ours is 1: lambdarank's normalised hessians are about 0.01–0.05 per
    /// document, so 1e-3 never binds (docs/ranking.md). LightGBM only.
    /// </summary>
    public double MinSumHessianInLeaf { get; init; } = 1.0;

    /// <summary>Maximum histogram bins per feature (2–255).</summary>
    public int MaxBins { get; init; } = 255;

    /// <summary>Cut-off of the NDCG in the training log and summary (our <see cref="RankingMetrics"/>).</summary>
    public int EvalAt { get; init; } = 10;

    /// <summary>
    /// Stop when validation NDCG@<see cref="EvalAt"/> has not improved for this many rounds and keep
    /// the best round's trees (0: never). Ours, not LightGBM's (whose validation set ML.NET 5.0.1
    /// mishandles): all <see cref="Trees"/> rounds are trained, then the model is trained again with
    /// the best round's tree count. Needs a validation set.
    /// </summary>
    public int EarlyStoppingRounds { get; init; }

    /// <summary>Seed of every random choice (LightGBM's <c>seed</c>, ML.NET's context).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Steepness of the pairwise sigmoid (LightGBM's default 1; ML.NET's 0.5). LightGBM only.</summary>
    public double Sigmoid { get; init; } = 1.0;

    /// <summary>L2 regularisation of leaf values (LightGBM's default 0, ML.NET's 0.01; ours 1). LightGBM only.</summary>
    public double LambdaL2 { get; init; } = 1.0;

    /// <summary>Maximum tree depth (≤ 0: unlimited). LightGBM only.</summary>
    public int MaxDepth { get; init; } = -1;

    /// <summary>Share of features each tree may use (chosen with the seed).</summary>
    public double FeatureFraction { get; init; } = 1.0;

    /// <summary>
    /// LightGBM's <c>bagging_fraction</c>: the share of rows each tree is grown on, redrawn every
    /// <see cref="BaggingFrequency"/> rounds (LightGBM's default 1, ours 0.8).
    /// </summary>
    public double BaggingFraction { get; init; } = 0.8;

    /// <summary>LightGBM's <c>bagging_freq</c>: redraw the bag every this many rounds (0: no bagging; LightGBM's default 0, ours 1).</summary>
    public int BaggingFrequency { get; init; } = 1;

    /// <summary>Training threads (1 by default: the machines have 2 shared cores).</summary>
    public int Threads { get; init; } = 1;
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
    /// <summary>Rounds up to where early stopping decided to stop (all rounds without it).</summary>
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

    /// <summary>Why training stopped: <c>completed</c>, <c>early-stopping</c> or <c>no-split</c>.</summary>
    public string StopReason { get; init; } = "";

    /// <summary>The learner that grew the trees: <c>lightgbm</c> or <c>fasttree</c>.</summary>
    public string Trainer { get; init; } = "";

    /// <summary>Why FastTree was used instead of LightGBM (null when it was not a fallback).</summary>
    public string? FallbackReason { get; init; }
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
