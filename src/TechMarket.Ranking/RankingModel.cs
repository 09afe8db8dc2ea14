using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TechMarket.Ranking;

/// <summary>
/// A trained ranker: the trees flattened into one node array for scoring without allocation,
/// plus everything the model file records (see docs/ranking.md for the format).
/// </summary>
public sealed class RankingModel
{
    /// <summary>The <c>format</c> value of every model file.</summary>
    public const string FormatName = "techmarket-ranking-model";

    /// <summary>The model file version this build reads and writes.</summary>
    public const int FormatVersion = 1;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly FlatNode[] _nodes;
    private readonly double[] _leaves;
    private readonly int[] _roots;

    /// <summary>Assembles a model from its parts.</summary>
    public RankingModel(string objective, double initialScore, string[] featureNames, FeatureBins bins, IReadOnlyList<RegressionTree> trees, RankerOptions parameters, TrainingSummary summary)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(trees);
        Objective = objective;
        InitialScore = initialScore;
        FeatureNames = featureNames;
        Bins = bins;
        Trees = trees;
        Parameters = parameters;
        Summary = summary;

        for (var t = 0; t < trees.Count; t++)
        {
            ValidateTree(trees[t], t, featureNames.Length);
        }

        var nodeCount = trees.Sum(t => t.NodeCount);
        var leafCount = trees.Sum(t => t.LeafValues.Length);
        _nodes = new FlatNode[nodeCount];
        _leaves = new double[leafCount];
        _roots = new int[trees.Count];
        int nodeBase = 0, leafBase = 0;
        for (var t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            _roots[t] = tree.NodeCount == 0 ? ~leafBase : nodeBase;
            for (var n = 0; n < tree.NodeCount; n++)
            {
                _nodes[nodeBase + n] = new FlatNode(
                    tree.Threshold[n],
                    tree.Feature[n],
                    Relocate(tree.Left[n], nodeBase, leafBase),
                    Relocate(tree.Right[n], nodeBase, leafBase),
                    tree.DefaultLeft[n]);
            }

            tree.LeafValues.CopyTo(_leaves, leafBase);
            nodeBase += tree.NodeCount;
            leafBase += tree.LeafValues.Length;
        }
    }

    /// <summary><c>lambdarank</c> or <c>regression</c>.</summary>
    public string Objective { get; }

    /// <summary>Score every row starts from.</summary>
    public double InitialScore { get; }

    /// <summary>Feature names, one per column.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Number of feature columns a row must have.</summary>
    public int FeatureCount => FeatureNames.Count;

    /// <summary>Bin edges learnt from the training data.</summary>
    public FeatureBins Bins { get; }

    /// <summary>The trees, in boosting order.</summary>
    public IReadOnlyList<RegressionTree> Trees { get; }

    /// <summary>Parameters the model was trained with.</summary>
    public RankerOptions Parameters { get; }

    /// <summary>Metrics at training time.</summary>
    public TrainingSummary Summary { get; }

    /// <summary>
    /// Scores one row of raw feature values (length ≥ <see cref="FeatureCount"/>; NaN is missing).
    /// Allocates nothing.
    /// </summary>
    public double Score(ReadOnlySpan<double> features)
    {
        if (features.Length < FeatureNames.Count)
        {
            throw new ArgumentException($"a row needs {FeatureNames.Count} features", nameof(features));
        }

        // Indices were validated when the model was built or loaded, so the walk skips bounds
        // checks; the child is picked by index arithmetic rather than a branch, which the CPU
        // could not predict (half the comparisons go either way).
        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        ref var leaves = ref MemoryMarshal.GetArrayDataReference(_leaves);
        ref var row = ref MemoryMarshal.GetReference(features);
        var sum = InitialScore;
        foreach (var root in _roots)
        {
            var node = root;
            while (node >= 0)
            {
                node = Step(ref nodes, node, ref row);
            }

            sum += Unsafe.Add(ref leaves, ~node);
        }

        return sum;
    }

    /// <summary>Scores row-major rows (<c>rows × featureCount</c>) into <paramref name="scores"/>; allocates nothing.</summary>
    public void Score(ReadOnlySpan<double> rowMajor, int featureCount, Span<double> scores)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, FeatureNames.Count);
        if ((long)scores.Length * featureCount != rowMajor.Length)
        {
            throw new ArgumentException("rowMajor must hold scores.Length rows", nameof(rowMajor));
        }

        // Eight rows walk all the trees side by side, their sums kept in registers: the rows'
        // node chains are independent, so the CPU overlaps their memory latency instead of
        // waiting on one chain at a time. Eight rows without a missing value (the usual case)
        // take a walk that skips the missing-value test.
        var whole = scores.Length & ~7;
        for (var i = 0; i < whole; i += 8)
        {
            var group = rowMajor.Slice(i * featureCount, 8 * featureCount);
            var output = scores.Slice(i, 8);
            if (HasMissing(group))
            {
                ScoreEight<WithMissing>(group, featureCount, output);
            }
            else
            {
                ScoreEight<WithoutMissing>(group, featureCount, output);
            }
        }

        for (var r = whole; r < scores.Length; r++)
        {
            scores[r] = Score(rowMajor.Slice(r * featureCount, featureCount));
        }
    }

    /// <summary>Whether any value is NaN (vectorised: about 60 comparisons for eight rows of 30 features).</summary>
    private static bool HasMissing(ReadOnlySpan<double> values)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var allNumbers = Vector256<double>.AllBitsSet;
            ref var start = ref MemoryMarshal.GetReference(values);
            for (; i + 4 <= values.Length; i += 4)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                allNumbers &= Vector256.Equals(v, v).AsDouble();
            }

            if (allNumbers != Vector256<double>.AllBitsSet)
            {
                return true;
            }
        }

        for (; i < values.Length; i++)
        {
            if (double.IsNaN(values[i]))
            {
                return true;
            }
        }

        return false;
    }

    private void ScoreEight<TMissing>(ReadOnlySpan<double> rowMajor, int featureCount, Span<double> scores)
        where TMissing : struct, IMissingRule
    {
        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        ref var leaves = ref MemoryMarshal.GetArrayDataReference(_leaves);
        ref var row0 = ref MemoryMarshal.GetReference(rowMajor);
        ref var row1 = ref Unsafe.Add(ref row0, featureCount);
        ref var row2 = ref Unsafe.Add(ref row1, featureCount);
        ref var row3 = ref Unsafe.Add(ref row2, featureCount);
        ref var row4 = ref Unsafe.Add(ref row3, featureCount);
        ref var row5 = ref Unsafe.Add(ref row4, featureCount);
        ref var row6 = ref Unsafe.Add(ref row5, featureCount);
        ref var row7 = ref Unsafe.Add(ref row6, featureCount);
        double s0 = InitialScore, s1 = InitialScore, s2 = InitialScore, s3 = InitialScore;
        double s4 = InitialScore, s5 = InitialScore, s6 = InitialScore, s7 = InitialScore;
        foreach (var root in _roots)
        {
            int n0 = root, n1 = root, n2 = root, n3 = root, n4 = root, n5 = root, n6 = root, n7 = root;
            while ((n0 & n1 & n2 & n3 & n4 & n5 & n6 & n7) >= 0)
            {
                n0 = Advance<TMissing>(ref nodes, n0, ref row0);
                n1 = Advance<TMissing>(ref nodes, n1, ref row1);
                n2 = Advance<TMissing>(ref nodes, n2, ref row2);
                n3 = Advance<TMissing>(ref nodes, n3, ref row3);
                n4 = Advance<TMissing>(ref nodes, n4, ref row4);
                n5 = Advance<TMissing>(ref nodes, n5, ref row5);
                n6 = Advance<TMissing>(ref nodes, n6, ref row6);
                n7 = Advance<TMissing>(ref nodes, n7, ref row7);
            }

            s0 += Unsafe.Add(ref leaves, ~n0);
            s1 += Unsafe.Add(ref leaves, ~n1);
            s2 += Unsafe.Add(ref leaves, ~n2);
            s3 += Unsafe.Add(ref leaves, ~n3);
            s4 += Unsafe.Add(ref leaves, ~n4);
            s5 += Unsafe.Add(ref leaves, ~n5);
            s6 += Unsafe.Add(ref leaves, ~n6);
            s7 += Unsafe.Add(ref leaves, ~n7);
        }

        scores[0] = s0;
        scores[1] = s1;
        scores[2] = s2;
        scores[3] = s3;
        scores[4] = s4;
        scores[5] = s5;
        scores[6] = s6;
        scores[7] = s7;
    }

    /// <summary>
    /// One step of a walk that may already have reached a leaf (negative): a finished walk
    /// stays put. Branch-free: the step is computed anyway (from node 0) and discarded, since a
    /// branch here would be mispredicted whenever the lanes end at different depths.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Advance<TMissing>(ref FlatNode nodes, int node, ref double row)
        where TMissing : struct, IMissingRule
    {
        var finished = node >> 31;
        var next = TMissing.Step(ref nodes, node & ~finished, ref row);
        return (next & ~finished) | (node & finished);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Step(ref FlatNode nodes, int node, ref double row)
    {
        ref var n = ref Unsafe.Add(ref nodes, node);
        var v = Unsafe.Add(ref row, n.Feature);
        var goRight = !(v <= n.Threshold) & !(double.IsNaN(v) & n.DefaultLeft);
        return Unsafe.Add(ref n.Left, Unsafe.As<bool, byte>(ref goRight));
    }

    /// <summary>Scores every row of a dataset (its rows must have at least the model's features).</summary>
    public double[] Score(LetorDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureCount < FeatureCount)
        {
            throw new RankingInputException($"数据只有 {data.FeatureCount} 个特征，模型需要 {FeatureCount} 个");
        }

        var scores = new double[data.RowCount];
        Score(data.Features, data.FeatureCount, scores);
        return scores;
    }

    /// <summary>Writes the model file (UTF-8 JSON).</summary>
    public void Save(Stream stream)
    {
        var file = new ModelFile
        {
            Format = FormatName,
            Version = FormatVersion,
            Objective = Objective,
            InitialScore = InitialScore,
            FeatureNames = [.. FeatureNames],
            BinUpperBounds = [.. Bins.UpperBounds],
            Parameters = Parameters,
            Metrics = Summary,
            Trees = Trees.Select(t => new TreeFile
            {
                Feature = t.Feature,
                ThresholdBin = t.ThresholdBin,
                Threshold = t.Threshold,
                DefaultLeft = t.DefaultLeft,
                Left = t.Left,
                Right = t.Right,
                Gain = t.Gain,
                LeafValues = t.LeafValues,
                LeafCounts = t.LeafCounts,
            }).ToArray(),
        };
        JsonSerializer.Serialize(stream, file, JsonOptions);
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
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream);
        }
        catch (JsonException ex)
        {
            throw new RankingInputException($"模型文件不是有效的 JSON：{ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("format", out var format)
                || format.ValueKind != JsonValueKind.String
                || format.GetString() != FormatName)
            {
                throw new RankingInputException($"不是 TechMarket 排序模型文件（缺少 \"format\": \"{FormatName}\"）");
            }

            if (!root.TryGetProperty("version", out var versionElement) || !versionElement.TryGetInt32(out var version))
            {
                throw new RankingInputException("模型文件缺少版本号");
            }

            if (version != FormatVersion)
            {
                throw new RankingInputException($"模型文件版本 {version} 不受支持（本程序只读取版本 {FormatVersion}），请用当前版本重新训练模型");
            }

            ModelFile? file;
            try
            {
                file = root.Deserialize<ModelFile>(JsonOptions);
            }
            catch (JsonException ex)
            {
                throw new RankingInputException($"模型文件内容无效：{ex.Message}", ex);
            }

            return FromFile(file!);
        }
    }

    private static RankingModel FromFile(ModelFile file)
    {
        var names = file.FeatureNames ?? throw Invalid("缺少 featureNames");
        var bounds = file.BinUpperBounds ?? throw Invalid("缺少 binUpperBounds");
        if (bounds.Length != names.Length || bounds.Any(b => b is null))
        {
            throw Invalid("binUpperBounds 与特征数不一致");
        }

        if (file.Objective is not ("lambdarank" or "regression"))
        {
            throw Invalid($"未知的目标函数：{file.Objective}");
        }

        var trees = new List<RegressionTree>();
        foreach (var t in file.Trees ?? throw Invalid("缺少 trees"))
        {
            trees.Add(CheckTree(t, trees.Count));
        }

        return new RankingModel(file.Objective, file.InitialScore, names, new FeatureBins(bounds), trees, file.Parameters ?? new RankerOptions(), file.Metrics ?? new TrainingSummary());
    }

    private static RegressionTree CheckTree(TreeFile t, int index)
    {
        if (t.Feature is null || t.Threshold is null || t.DefaultLeft is null || t.Left is null || t.Right is null || t.LeafValues is null)
        {
            throw Invalid($"第 {index + 1} 棵树缺少字段");
        }

        var nodes = t.Feature.Length;
        var leaves = t.LeafValues.Length;
        return new RegressionTree(
            t.Feature,
            t.ThresholdBin ?? new int[nodes],
            t.Threshold,
            t.DefaultLeft,
            t.Left,
            t.Right,
            t.Gain ?? new double[nodes],
            t.LeafValues,
            t.LeafCounts ?? new int[leaves]);
    }

    private static void ValidateTree(RegressionTree t, int index, int featureCount)
    {
        var nodes = t.Feature.Length;
        var leaves = t.LeafValues.Length;
        if (t.Threshold.Length != nodes || t.DefaultLeft.Length != nodes || t.Left.Length != nodes || t.Right.Length != nodes
            || t.ThresholdBin.Length != nodes || t.Gain.Length != nodes || leaves != nodes + 1 || t.LeafCounts.Length != leaves)
        {
            throw Invalid($"第 {index + 1} 棵树的数组长度不一致");
        }

        for (var n = 0; n < nodes; n++)
        {
            // Children come after their parent, so scoring always terminates and never leaves the arrays.
            if (t.Feature[n] < 0 || t.Feature[n] >= featureCount || !ValidChild(t.Left[n], n, nodes, leaves) || !ValidChild(t.Right[n], n, nodes, leaves))
            {
                throw Invalid($"第 {index + 1} 棵树的第 {n} 个节点无效");
            }
        }
    }

    private static bool ValidChild(int child, int parent, int nodes, int leaves) =>
        child >= 0 ? child > parent && child < nodes : ~child < leaves;

    private static RankingInputException Invalid(string reason) => new($"模型文件内容无效：{reason}");

    private static int Relocate(int child, int nodeBase, int leafBase) =>
        child >= 0 ? child + nodeBase : ~(~child + leafBase);

    /// <summary>How a walk treats missing values; a struct so each rule gets its own compiled walk.</summary>
    private interface IMissingRule
    {
        static abstract int Step(ref FlatNode nodes, int node, ref double row);
    }

    /// <summary>Rows may hold NaN: it goes to the node's default side.</summary>
    private readonly struct WithMissing : IMissingRule
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int Step(ref FlatNode nodes, int node, ref double row) => RankingModel.Step(ref nodes, node, ref row);
    }

    /// <summary>Rows hold no NaN (checked by the caller): one comparison per node.</summary>
    private readonly struct WithoutMissing : IMissingRule
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int Step(ref FlatNode nodes, int node, ref double row)
        {
            ref var n = ref Unsafe.Add(ref nodes, node);
            var goRight = Unsafe.Add(ref row, n.Feature) > n.Threshold;
            return Unsafe.Add(ref n.Left, Unsafe.As<bool, byte>(ref goRight));
        }
    }

    /// <summary>24 bytes; <see cref="Right"/> must directly follow <see cref="Left"/> (the walk indexes from Left).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct FlatNode(double threshold, int feature, int left, int right, bool defaultLeft)
    {
        public double Threshold = threshold;
        public int Feature = feature;
        public int Left = left;
        public int Right = right;
        public bool DefaultLeft = defaultLeft;
    }

    private sealed class ModelFile
    {
        public string? Format { get; set; }

        public int Version { get; set; }

        public string? Objective { get; set; }

        public double InitialScore { get; set; }

        public string[]? FeatureNames { get; set; }

        public RankerOptions? Parameters { get; set; }

        public TrainingSummary? Metrics { get; set; }

        public double[][]? BinUpperBounds { get; set; }

        public TreeFile[]? Trees { get; set; }
    }

    private sealed class TreeFile
    {
        public int[]? Feature { get; set; }

        public int[]? ThresholdBin { get; set; }

        public double[]? Threshold { get; set; }

        public bool[]? DefaultLeft { get; set; }

        public int[]? Left { get; set; }

        public int[]? Right { get; set; }

        public double[]? Gain { get; set; }

        public double[]? LeafValues { get; set; }

        public int[]? LeafCounts { get; set; }
    }
}
