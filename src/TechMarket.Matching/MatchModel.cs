using TechMarket.Ranking;

namespace TechMarket.Matching;

/// <summary>
/// A ranking model trained on <see cref="PairFeatures"/> rows, as the pipeline's ranker. Loading checks that the
/// model was trained on exactly this feature set, so an old model never silently scores shifted columns.
/// </summary>
public sealed class MatchModel : IMatchRanker
{
    private readonly RankingModel _model;

    private MatchModel(RankingModel model, string name)
    {
        _model = model;
        Name = name;
    }

    public string Name { get; }

    /// <summary>The underlying ranking model (its trainer, parameters and training figures).</summary>
    public RankingModel Model => _model;

    public static MatchModel Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var model = RankingModel.Load(path);
        if (model.FeatureCount != PairFeatures.Count || !model.FeatureNames.SequenceEqual(PairFeatures.Names, StringComparer.Ordinal))
        {
            model.Dispose();
            throw new RankingInputException($"撮合模型 {Path.GetFileName(path)} 的特征（{model.FeatureCount} 个）与本版本的撮合特征（{PairFeatures.Count} 个）不一致，请用 techmarket match train 重新训练");
        }

        return new MatchModel(model, $"{Path.GetFileName(path)}（{model.Trainer}，{model.TreeCount} 棵树）");
    }

    public void Score(IReadOnlyList<float[]> rows, Span<float> scores) => _model.Score(rows, scores);

    /// <summary>Each feature's contribution to one row's score, largest first.</summary>
    public IReadOnlyList<(string Feature, double Contribution)> Explain(ReadOnlySpan<float> features) => _model.Explain(features);
}
