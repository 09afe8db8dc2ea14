using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace TechMarket.Ranking;

/// <summary>
/// A trained ranker: ML.NET's model plus what we record about it (feature names, parameters,
/// training summary). Scoring and explaining are thread-safe: each call borrows a
/// <see cref="PredictionEngine{TSrc, TDst}"/> from a pool (an engine is not thread-safe, and
/// creating one per request would be slow). Load a model once and share it; dispose it when done.
/// </summary>
public sealed class RankingModel : IDisposable
{
    /// <summary>The <c>format</c> value of every model file's <c>techmarket.json</c>.</summary>
    public const string FormatName = "techmarket-ranking-model";

    /// <summary>The model file version this build reads and writes (1 was the hand-written learner's JSON).</summary>
    public const int FormatVersion = 2;

    /// <summary>The entry of ML.NET's model zip that holds our metadata.</summary>
    public const string MetadataEntry = "techmarket.json";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly string[] _featureNames;
    private readonly ObjectPool<Scorer> _scorers;
    private readonly Lazy<ObjectPool<Explainer>> _explainers;
    private readonly Lock _engineLock = new();
    private bool _disposed;

    internal RankingModel(MLContext ml, ITransformer model, IReadOnlyList<string> featureNames, RankingObjectiveKind objective, RankerOptions parameters, TrainingSummary summary)
    {
        _ml = ml;
        _model = model;
        _featureNames = [.. featureNames];
        Objective = objective == RankingObjectiveKind.LambdaRank ? "lambdarank" : "regression";
        Parameters = parameters;
        Summary = summary;
        var provider = new DefaultObjectPoolProvider { MaximumRetained = Math.Max(4, Environment.ProcessorCount * 2) };
        _scorers = provider.Create(new Policy<Scorer>(CreateScorer));
        _explainers = new Lazy<ObjectPool<Explainer>>(() => provider.Create(new Policy<Explainer>(CreateExplainer)), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary><c>lambdarank</c> or <c>regression</c>.</summary>
    public string Objective { get; }

    /// <summary>Feature names, one per column, in the order rows must give them.</summary>
    public IReadOnlyList<string> FeatureNames => _featureNames;

    /// <summary>Number of feature columns a row must have.</summary>
    public int FeatureCount => _featureNames.Length;

    /// <summary>The learner that grew the trees: <c>lightgbm</c> or <c>fasttree</c>.</summary>
    public string Trainer => Summary.Trainer;

    /// <summary>Number of trees in the model.</summary>
    public int TreeCount => RankerTrainer.Ensemble(_model).TrainedTreeEnsemble.Trees.Count;

    /// <summary>Parameters the model was trained with.</summary>
    public RankerOptions Parameters { get; }

    /// <summary>Metrics at training time.</summary>
    public TrainingSummary Summary { get; }

    /// <summary>Scores one row (length ≥ <see cref="FeatureCount"/>; extra values are ignored; NaN is missing). Thread-safe.</summary>
    public float Score(ReadOnlySpan<float> features)
    {
        CheckRow(features.Length);
        var scorer = _scorers.Get();
        try
        {
            return scorer.Score(features[.._featureNames.Length]);
        }
        finally
        {
            _scorers.Return(scorer);
        }
    }

    /// <summary>Scores a batch of rows (e.g. the candidates of one query) into <paramref name="scores"/>. Thread-safe.</summary>
    public void Score(IReadOnlyList<float[]> rows, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count != scores.Length)
        {
            throw new ArgumentException("scores must have one element per row", nameof(scores));
        }

        for (var r = 0; r < rows.Count; r++)
        {
            ArgumentNullException.ThrowIfNull(rows[r], nameof(rows));
            CheckRow(rows[r].Length);
        }

        var scorer = _scorers.Get();
        try
        {
            for (var r = 0; r < rows.Count; r++)
            {
                scores[r] = scorer.Score(rows[r].AsSpan(0, _featureNames.Length));
            }
        }
        finally
        {
            _scorers.Return(scorer);
        }
    }

    /// <summary>Scores every row of a dataset (its rows must have at least the model's features).</summary>
    public float[] Score(LetorDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureCount < FeatureCount)
        {
            throw new RankingInputException($"数据只有 {data.FeatureCount} 个特征，模型需要 {FeatureCount} 个");
        }

        var scores = new float[data.RowCount];
        var row = new float[FeatureCount];
        var scorer = _scorers.Get();
        try
        {
            for (var r = 0; r < data.RowCount; r++)
            {
                var values = data.Row(r);
                for (var f = 0; f < row.Length; f++)
                {
                    row[f] = (float)values[f];
                }

                scores[r] = scorer.Score(row);
            }
        }
        finally
        {
            _scorers.Return(scorer);
        }

        return scores;
    }

    /// <summary>
    /// Explains one row's score by feature with ML.NET's feature contribution calculation: in each
    /// tree, every split on the row's path credits its feature with the output the row got minus
    /// the output it would have got had that split gone the other way; summed over the trees
    /// (not normalised). Every feature appears once, largest |contribution| first. Thread-safe.
    /// </summary>
    public IReadOnlyList<(string Feature, double Contribution)> Explain(ReadOnlySpan<float> features)
    {
        CheckRow(features.Length);
        var pool = _explainers.Value;
        var explainer = pool.Get();
        float[] contributions;
        try
        {
            contributions = explainer.Explain(features[.._featureNames.Length]);
        }
        finally
        {
            pool.Return(explainer);
        }

        return [.. Enumerable.Range(0, _featureNames.Length)
            .Select(i => (Feature: _featureNames[i], Contribution: (double)contributions[i]))
            .OrderByDescending(c => Math.Abs(c.Contribution))];
    }

    /// <summary>Writes the model file: ML.NET's model zip with our <see cref="MetadataEntry"/> added.</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        lock (_engineLock)
        {
            _ml.Model.Save(_model, MlNetData.EmptyScoringView(_ml, FeatureCount).Schema, buffer);
        }

        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.CreateEntry(MetadataEntry, CompressionLevel.Optimal);
            using var writer = entry.Open();
            JsonSerializer.Serialize(writer, new Metadata
            {
                Format = FormatName,
                Version = FormatVersion,
                FeatureCount = FeatureCount,
                FeatureNames = _featureNames,
                Objective = Objective,
                Trainer = Trainer,
                Parameters = Parameters,
                Metrics = Summary,
            }, JsonOptions);
        }

        buffer.Position = 0;
        buffer.CopyTo(stream);
    }

    /// <summary>Writes the model file to a path.</summary>
    public void Save(string path)
    {
        using var stream = File.Create(path);
        Save(stream);
    }

    /// <summary>Reads a model file.</summary>
    /// <exception cref="RankingInputException">Not a model file, another version, or inconsistent content.</exception>
    public static RankingModel Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream);
    }

    /// <summary>Reads a model file.</summary>
    /// <exception cref="RankingInputException">Not a model file, another version, or inconsistent content.</exception>
    public static RankingModel Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        if (!bytes.GetBuffer().AsSpan(0, (int)bytes.Length).StartsWith("PK"u8))
        {
            throw NotAZip(bytes);
        }

        Metadata metadata;
        try
        {
            bytes.Position = 0;
            using var zip = new ZipArchive(bytes, ZipArchiveMode.Read, leaveOpen: true);
            var entry = zip.GetEntry(MetadataEntry)
                ?? throw new RankingInputException($"不是 TechMarket 排序模型文件（ZIP 中缺少 {MetadataEntry}）");
            using var reader = entry.Open();
            metadata = ReadMetadata(reader);
        }
        catch (InvalidDataException ex)
        {
            throw new RankingInputException($"模型文件不是有效的 ZIP：{ex.Message}", ex);
        }

        var names = metadata.FeatureNames ?? throw Invalid("缺少 featureNames");
        if (names.Length != metadata.FeatureCount || names.Length == 0 || names.Any(string.IsNullOrWhiteSpace) || names.Distinct(StringComparer.Ordinal).Count() != names.Length)
        {
            throw Invalid("featureNames 与 featureCount 不一致，或有空名、重名");
        }

        var objective = metadata.Objective switch
        {
            "lambdarank" => RankingObjectiveKind.LambdaRank,
            "regression" => RankingObjectiveKind.Regression,
            _ => throw Invalid($"未知的目标函数：{metadata.Objective}"),
        };
        var ml = new MLContext(seed: metadata.Parameters?.Seed ?? 1);
        ITransformer model;
        DataViewSchema schema;
        try
        {
            bytes.Position = 0;
            model = ml.Model.Load(bytes, out schema);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or InvalidDataException or IOException or ArgumentException or NotSupportedException)
        {
            throw Invalid($"ML.NET 无法读取其中的模型（{ex.Message}）");
        }

        if (schema.GetColumnOrNull(MlNetData.Features) is not { } column || column.Type is not VectorDataViewType { Size: var size } || size != names.Length)
        {
            throw Invalid($"模型的输入不是 {names.Length} 个特征的向量");
        }

        try
        {
            Predictor(model);
        }
        catch (InvalidOperationException ex)
        {
            throw Invalid(ex.Message);
        }

        return new RankingModel(ml, model, names, objective, metadata.Parameters ?? new RankerOptions(), metadata.Metrics ?? new TrainingSummary { Trainer = metadata.Trainer ?? "" });
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        (_scorers as IDisposable)?.Dispose();
        if (_explainers.IsValueCreated)
        {
            (_explainers.Value as IDisposable)?.Dispose();
        }
    }

    /// <summary>The tree ensemble's prediction transformer inside a trained or loaded model.</summary>
    internal static ISingleFeaturePredictionTransformer<object> Predictor(ITransformer model) => model switch
    {
        ISingleFeaturePredictionTransformer<object> p => p,
        IEnumerable<ITransformer> chain when chain.OfType<ISingleFeaturePredictionTransformer<object>>().LastOrDefault() is { } p => p,
        _ => throw new InvalidOperationException("模型中没有预测器"),
    };

    private static RankingInputException NotAZip(MemoryStream bytes)
    {
        var head = Encoding.UTF8.GetString(bytes.GetBuffer().AsSpan(0, (int)Math.Min(bytes.Length, 64))).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (!head.StartsWith('{'))
        {
            return new RankingInputException("不是 TechMarket 排序模型文件（应为 ML.NET 的模型 ZIP）");
        }

        // A JSON file: version 1 of our format (the hand-written learner's) or something else.
        try
        {
            using var document = JsonDocument.Parse(bytes.ToArray());
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String && format.GetString() == FormatName
                && root.TryGetProperty("version", out var versionElement) && versionElement.TryGetInt32(out var version))
            {
                var note = version == 1 ? "；版本 1 是排序引擎改用 ML.NET 之前的 JSON 格式" : "";
                return new RankingInputException($"模型文件版本 {version} 不受支持（本程序只读取版本 {FormatVersion}{note}），请用当前版本重新训练模型");
            }
        }
        catch (JsonException)
        {
        }

        return new RankingInputException("不是 TechMarket 排序模型文件（应为 ML.NET 的模型 ZIP）");
    }

    private static Metadata ReadMetadata(Stream stream)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream);
        }
        catch (JsonException ex)
        {
            throw Invalid($"{MetadataEntry} 不是有效的 JSON：{ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("format", out var format)
                || format.ValueKind != JsonValueKind.String
                || format.GetString() != FormatName)
            {
                throw new RankingInputException($"不是 TechMarket 排序模型文件（{MetadataEntry} 缺少 \"format\": \"{FormatName}\"）");
            }

            if (!root.TryGetProperty("version", out var versionElement) || !versionElement.TryGetInt32(out var version))
            {
                throw new RankingInputException("模型文件缺少版本号");
            }

            if (version != FormatVersion)
            {
                throw new RankingInputException($"模型文件版本 {version} 不受支持（本程序只读取版本 {FormatVersion}），请用当前版本重新训练模型");
            }

            try
            {
                return root.Deserialize<Metadata>(JsonOptions) ?? throw Invalid($"{MetadataEntry} 为空");
            }
            catch (JsonException ex)
            {
                throw Invalid($"{MetadataEntry} 的内容无效：{ex.Message}");
            }
        }
    }

    private static RankingInputException Invalid(string reason) => new($"模型文件内容无效：{reason}");

    private void CheckRow(int length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (length < _featureNames.Length)
        {
            throw new ArgumentException($"a row needs {_featureNames.Length} features, got {length}", nameof(length));
        }
    }

    private Scorer CreateScorer()
    {
        lock (_engineLock)
        {
            var engine = _ml.Model.CreatePredictionEngine<MlNetData.ScoringRow, MlNetData.ScoreRow>(_model, inputSchemaDefinition: MlNetData.ScoringSchema(FeatureCount));
            return new Scorer(engine, FeatureCount);
        }
    }

    private Explainer CreateExplainer()
    {
        lock (_engineLock)
        {
            var predictor = (ISingleFeaturePredictionTransformer<ICalculateFeatureContribution>)Predictor(_model);
            var top = Math.Min(FeatureCount, 1000);
            var transformer = _ml.Transforms.CalculateFeatureContribution(predictor, top, top, normalize: false).Fit(MlNetData.EmptyScoringView(_ml, FeatureCount));
            var engine = _ml.Model.CreatePredictionEngine<MlNetData.ScoringRow, MlNetData.ContributionRow>(transformer, inputSchemaDefinition: MlNetData.ScoringSchema(FeatureCount));
            return new Explainer(engine, FeatureCount);
        }
    }

    /// <summary>A prediction engine with its own input and output rows: one thread at a time.</summary>
    private sealed class Scorer(PredictionEngine<MlNetData.ScoringRow, MlNetData.ScoreRow> engine, int featureCount) : IDisposable
    {
        private readonly MlNetData.ScoringRow _input = new() { Features = new float[featureCount] };
        private MlNetData.ScoreRow _output = new();

        public float Score(ReadOnlySpan<float> features)
        {
            features.CopyTo(_input.Features);
            engine.Predict(_input, ref _output);
            return _output.Score;
        }

        public void Dispose() => engine.Dispose();
    }

    private sealed class Explainer(PredictionEngine<MlNetData.ScoringRow, MlNetData.ContributionRow> engine, int featureCount) : IDisposable
    {
        private readonly MlNetData.ScoringRow _input = new() { Features = new float[featureCount] };
        private MlNetData.ContributionRow _output = new();

        public float[] Explain(ReadOnlySpan<float> features)
        {
            features.CopyTo(_input.Features);
            engine.Predict(_input, ref _output);
            var dense = new float[featureCount];
            _output.FeatureContributions.AsSpan(0, Math.Min(featureCount, _output.FeatureContributions.Length)).CopyTo(dense);
            return dense;
        }

        public void Dispose() => engine.Dispose();
    }

    private sealed class Policy<T>(Func<T> create) : PooledObjectPolicy<T>
        where T : notnull
    {
        public override T Create() => create();

        public override bool Return(T obj) => true;
    }

    private sealed class Metadata
    {
        public string? Format { get; set; }

        public int Version { get; set; }

        public int FeatureCount { get; set; }

        public string[]? FeatureNames { get; set; }

        public string? Objective { get; set; }

        public string? Trainer { get; set; }

        public RankerOptions? Parameters { get; set; }

        public TrainingSummary? Metrics { get; set; }
    }
}
