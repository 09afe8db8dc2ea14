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

    public static MatchModel Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var model = RankingModel.Load(path);
        if (model.FeatureCount != PairFeatures.Count)
        {
            throw new RankingInputException($"撮合模型 {Path.GetFileName(path)} 有 {model.FeatureCount} 个特征，本版本的撮合特征为 {PairFeatures.Count} 个，请用 techmarket match train 重新训练");
        }

        return new MatchModel(model, Path.GetFileName(path));
    }

    public void Score(IReadOnlyList<float[]> rows, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(rows);
        Span<double> row = stackalloc double[PairFeatures.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            for (var f = 0; f < row.Length; f++)
            {
                row[f] = rows[i][f];
            }

            scores[i] = (float)_model.Score(row);
        }
    }
}
