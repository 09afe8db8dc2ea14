using Microsoft.ML;
using Microsoft.ML.Data;

namespace TechMarket.Ranking;

/// <summary>The rows ML.NET sees: our datasets as <see cref="IDataView"/>s with a fixed-size float feature vector.</summary>
internal static class MlNetData
{
    public const string Label = "Label";
    public const string GroupId = "GroupId";
    public const string Features = "Features";
    public const string Score = "Score";
    public const string Contributions = "FeatureContributions";

    /// <summary>Labels, a key-typed query id (1-based, as ML.NET's keys) and the features as floats.</summary>
    public static IDataView ToTrainingView(MLContext ml, LetorDataset data)
    {
        var rows = new TrainingRow[data.RowCount];
        for (var q = 0; q < data.QueryCount; q++)
        {
            for (var r = data.QueryBoundaries[q]; r < data.QueryBoundaries[q + 1]; r++)
            {
                rows[r] = new TrainingRow { Label = (float)data.Labels[r], GroupId = (uint)q + 1, Features = ToFloats(data.Row(r)) };
            }
        }

        var schema = SchemaDefinition.Create(typeof(TrainingRow));
        schema[nameof(TrainingRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, data.FeatureCount);
        schema[nameof(TrainingRow.GroupId)].ColumnType = new KeyDataViewType(typeof(uint), Math.Max(1, data.QueryCount));
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    /// <summary>The schema a model is scored on: only the feature vector.</summary>
    public static SchemaDefinition ScoringSchema(int featureCount)
    {
        var schema = SchemaDefinition.Create(typeof(ScoringRow));
        schema[nameof(ScoringRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        return schema;
    }

    /// <summary>An empty view with the scoring schema (for fitting transforms and saving the input schema).</summary>
    public static IDataView EmptyScoringView(MLContext ml, int featureCount) =>
        ml.Data.LoadFromEnumerable(Array.Empty<ScoringRow>(), ScoringSchema(featureCount));

    public static float[] ToFloats(ReadOnlySpan<double> values)
    {
        var floats = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            floats[i] = (float)values[i];
        }

        return floats;
    }

    internal sealed class TrainingRow
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

    internal sealed class ContributionRow
    {
        public float[] FeatureContributions { get; set; } = [];
    }
}
