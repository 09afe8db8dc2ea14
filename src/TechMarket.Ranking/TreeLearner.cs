namespace TechMarket.Ranking;

/// <summary>Features already mapped to histogram bins, one byte column per feature.</summary>
internal sealed class BinnedData
{
    public BinnedData(LetorDataset data, FeatureBins bins, int threads)
    {
        RowCount = data.RowCount;
        FeatureCount = data.FeatureCount;
        Bins = bins;
        Columns = new byte[FeatureCount][];
        ValueBins = new int[FeatureCount];
        Offsets = new int[FeatureCount + 1];
        for (var f = 0; f < FeatureCount; f++)
        {
            ValueBins[f] = bins.BinCount(f);
            Offsets[f + 1] = Offsets[f] + ValueBins[f] + 1;
        }

        Parallel.For(0, FeatureCount, new ParallelOptions { MaxDegreeOfParallelism = threads }, f =>
        {
            var column = new byte[RowCount];
            for (var r = 0; r < RowCount; r++)
            {
                column[r] = (byte)bins.BinOf(f, data.Features[(r * FeatureCount) + f]);
            }

            Columns[f] = column;
        });
    }

    public int RowCount { get; }

    public int FeatureCount { get; }

    public FeatureBins Bins { get; }

    /// <summary>Bin of each row, per feature; the NaN bin is <c>ValueBins[f]</c>.</summary>
    public byte[][] Columns { get; }

    /// <summary>Value bins per feature (the NaN bin comes on top).</summary>
    public int[] ValueBins { get; }

    /// <summary>Start of each feature's bins in a histogram.</summary>
    public int[] Offsets { get; }

    public int HistogramSize => Offsets[^1];
}

/// <summary>One histogram cell: sums of gradients and hessians and the row count.</summary>
internal struct HistogramBin
{
    public double G;
    public double H;
    public int C;
}

/// <summary>Settings of one tree.</summary>
internal sealed record TreeSettings(int NumLeaves, int MinDataInLeaf, double MinSumHessianInLeaf, double LambdaL2, int MaxDepth, double Shrinkage, int Threads);

/// <summary>
/// Leaf-wise (best-first) growth of one regression tree on histogram bins, as LightGBM's
/// serial tree learner: the leaf with the largest gain splits next; the smaller child's
/// histogram is built from its rows and the larger one's is the parent's minus it; leaf values
/// are Newton steps <c>−G / (H + λ)</c> times the shrinkage. Histograms are built feature by
/// feature in parallel, each feature by one thread, so results do not depend on scheduling.
/// </summary>
internal sealed class TreeLearner
{
    private const int ParallelWorkThreshold = 16_384;

    private readonly BinnedData _data;
    private readonly TreeSettings _settings;
    private readonly int[] _indices;
    private readonly int[] _scratch;
    private readonly double[] _orderedG;
    private readonly double[] _orderedH;
    private readonly HistogramBin[][] _histograms;
    private HistogramBin[] _spare;

    public TreeLearner(BinnedData data, TreeSettings settings)
    {
        _data = data;
        _settings = settings;
        _indices = new int[data.RowCount];
        _scratch = new int[data.RowCount];
        _orderedG = new double[data.RowCount];
        _orderedH = new double[data.RowCount];
        _histograms = new HistogramBin[settings.NumLeaves][];
        for (var i = 0; i < _histograms.Length; i++)
        {
            _histograms[i] = new HistogramBin[data.HistogramSize];
        }

        _spare = new HistogramBin[data.HistogramSize];
    }

    /// <summary>Rows of the training set in leaf order after <see cref="Grow"/>.</summary>
    public ReadOnlySpan<int> Indices => _indices;

    /// <summary>
    /// Grows one tree on the rows of <paramref name="bag"/> (all rows when null);
    /// <paramref name="leafBegin"/>/<paramref name="leafCount"/> locate each leaf's rows in <see cref="Indices"/>.
    /// </summary>
    public RegressionTree Grow(double[] gradients, double[] hessians, bool[] featureUsed, int[]? bag, out int[] leafBegin, out int[] leafCount)
    {
        var maxLeaves = _settings.NumLeaves;
        leafBegin = new int[maxLeaves];
        leafCount = new int[maxLeaves];
        var leafG = new double[maxLeaves];
        var leafH = new double[maxLeaves];
        var leafDepth = new int[maxLeaves];
        var leafParent = new int[maxLeaves];
        var best = new Split[maxLeaves];
        var feature = new List<int>();
        var thresholdBin = new List<int>();
        var threshold = new List<double>();
        var defaultLeft = new List<bool>();
        var left = new List<int>();
        var right = new List<int>();
        var gain = new List<double>();

        var rowCount = bag?.Length ?? _indices.Length;
        for (var i = 0; i < rowCount; i++)
        {
            _indices[i] = bag is null ? i : bag[i];
        }

        leafCount[0] = rowCount;
        leafParent[0] = -1;
        double rootG = 0, rootH = 0;
        for (var i = 0; i < rowCount; i++)
        {
            var row = _indices[i];
            rootG += gradients[row];
            rootH += hessians[row];
        }

        leafG[0] = rootG;
        leafH[0] = rootH;
        BuildHistogram(_histograms[0], 0, rowCount, gradients, hessians, featureUsed);
        best[0] = FindBestSplit(_histograms[0], rootG, rootH, leafCount[0], featureUsed);
        var leaves = 1;

        while (leaves < maxLeaves)
        {
            var leaf = -1;
            for (var l = 0; l < leaves; l++)
            {
                if (best[l].IsValid && (_settings.MaxDepth <= 0 || leafDepth[l] < _settings.MaxDepth)
                    && (leaf < 0 || best[l].Gain > best[leaf].Gain))
                {
                    leaf = l;
                }
            }

            if (leaf < 0)
            {
                break;
            }

            var split = best[leaf];
            var newLeaf = leaves++;
            var node = feature.Count;
            feature.Add(split.Feature);
            thresholdBin.Add(split.Bin);
            threshold.Add(ThresholdValue(split.Feature, split.Bin));
            defaultLeft.Add(split.DefaultLeft);
            left.Add(~leaf);
            right.Add(~newLeaf);
            gain.Add(split.Gain);
            if (leafParent[leaf] >= 0)
            {
                var parent = leafParent[leaf];
                if (left[parent] == ~leaf)
                {
                    left[parent] = node;
                }
                else
                {
                    right[parent] = node;
                }
            }

            var leftCount = Partition(leafBegin[leaf], leafCount[leaf], split);
            leafBegin[newLeaf] = leafBegin[leaf] + leftCount;
            leafCount[newLeaf] = leafCount[leaf] - leftCount;
            leafCount[leaf] = leftCount;
            leafG[leaf] = split.LeftG;
            leafH[leaf] = split.LeftH;
            leafG[newLeaf] = split.RightG;
            leafH[newLeaf] = split.RightH;
            leafParent[leaf] = node;
            leafParent[newLeaf] = node;
            leafDepth[leaf]++;
            leafDepth[newLeaf] = leafDepth[leaf];

            // Histogram subtraction: build the smaller child, derive the larger from the parent.
            var smaller = leafCount[leaf] <= leafCount[newLeaf] ? leaf : newLeaf;
            var larger = smaller == leaf ? newLeaf : leaf;
            var parentHistogram = _histograms[leaf];
            var built = _spare;
            BuildHistogram(built, leafBegin[smaller], leafCount[smaller], gradients, hessians, featureUsed);
            for (var b = 0; b < parentHistogram.Length; b++)
            {
                parentHistogram[b].G -= built[b].G;
                parentHistogram[b].H -= built[b].H;
                parentHistogram[b].C -= built[b].C;
            }

            _spare = _histograms[newLeaf];
            _histograms[larger] = parentHistogram;
            _histograms[smaller] = built;
            best[leaf] = FindBestSplit(_histograms[leaf], leafG[leaf], leafH[leaf], leafCount[leaf], featureUsed);
            best[newLeaf] = FindBestSplit(_histograms[newLeaf], leafG[newLeaf], leafH[newLeaf], leafCount[newLeaf], featureUsed);
        }

        var leafValues = new double[leaves];
        for (var l = 0; l < leaves; l++)
        {
            var denominator = leafH[l] + _settings.LambdaL2;
            leafValues[l] = denominator > 0 ? -leafG[l] / denominator * _settings.Shrinkage : 0.0;
        }

        Array.Resize(ref leafBegin, leaves);
        Array.Resize(ref leafCount, leaves);
        return new RegressionTree([.. feature], [.. thresholdBin], [.. threshold], [.. defaultLeft], [.. left], [.. right], [.. gain], leafValues, (int[])leafCount.Clone());
    }

    /// <summary>The leaf a training row reaches, walking the tree on its bins (as <see cref="Partition"/> does).</summary>
    public int LeafOf(RegressionTree tree, int row)
    {
        var node = tree.NodeCount == 0 ? -1 : 0;
        while (node >= 0)
        {
            var f = tree.Feature[node];
            int bin = _data.Columns[f][row];
            var goLeft = bin == _data.ValueBins[f] ? tree.DefaultLeft[node] : bin <= tree.ThresholdBin[node];
            node = goLeft ? tree.Left[node] : tree.Right[node];
        }

        return ~node;
    }

    private double ThresholdValue(int feature, int bin)
    {
        var bounds = _data.Bins.UpperBounds[feature];
        return bin < bounds.Length ? bounds[bin] : double.MaxValue;
    }

    private int Partition(int begin, int count, Split split)
    {
        var column = _data.Columns[split.Feature];
        var nanBin = _data.ValueBins[split.Feature];
        var leftCount = 0;
        var rightCount = 0;
        for (var i = begin; i < begin + count; i++)
        {
            var row = _indices[i];
            int bin = column[row];
            var goLeft = bin == nanBin ? split.DefaultLeft : bin <= split.Bin;
            if (goLeft)
            {
                _indices[begin + leftCount++] = row;
            }
            else
            {
                _scratch[rightCount++] = row;
            }
        }

        Array.Copy(_scratch, 0, _indices, begin + leftCount, rightCount);
        return leftCount;
    }

    private void BuildHistogram(HistogramBin[] histogram, int begin, int count, double[] gradients, double[] hessians, bool[] featureUsed)
    {
        var rows = _indices.AsSpan(begin, count);
        for (var i = 0; i < rows.Length; i++)
        {
            _orderedG[i] = gradients[rows[i]];
            _orderedH[i] = hessians[rows[i]];
        }

        var features = _data.FeatureCount;
        if (_settings.Threads > 1 && (long)count * features >= ParallelWorkThreshold)
        {
            Parallel.For(0, features, new ParallelOptions { MaxDegreeOfParallelism = _settings.Threads }, f =>
                BuildFeature(histogram, f, begin, count, featureUsed));
        }
        else
        {
            for (var f = 0; f < features; f++)
            {
                BuildFeature(histogram, f, begin, count, featureUsed);
            }
        }
    }

    private void BuildFeature(HistogramBin[] histogram, int feature, int begin, int count, bool[] featureUsed)
    {
        var cells = histogram.AsSpan(_data.Offsets[feature], _data.ValueBins[feature] + 1);
        cells.Clear();
        if (!featureUsed[feature])
        {
            return;
        }

        var column = _data.Columns[feature];
        var rows = _indices.AsSpan(begin, count);
        var g = _orderedG;
        var h = _orderedH;
        for (var i = 0; i < rows.Length; i++)
        {
            ref var cell = ref cells[column[rows[i]]];
            cell.G += g[i];
            cell.H += h[i];
            cell.C++;
        }
    }

    private Split FindBestSplit(HistogramBin[] histogram, double sumG, double sumH, int count, bool[] featureUsed)
    {
        var best = Split.None;
        if (count < 2 * Math.Max(1, _settings.MinDataInLeaf) || sumH < 2 * _settings.MinSumHessianInLeaf)
        {
            return best;
        }

        var lambda = _settings.LambdaL2;
        var parentGain = sumG * sumG / (sumH + lambda);
        var minData = Math.Max(1, _settings.MinDataInLeaf);
        var minHessian = _settings.MinSumHessianInLeaf;
        for (var f = 0; f < _data.FeatureCount; f++)
        {
            var valueBins = _data.ValueBins[f];
            if (!featureUsed[f])
            {
                continue;
            }

            var cells = histogram.AsSpan(_data.Offsets[f], valueBins + 1);
            var nan = cells[valueBins];
            double accG = 0, accH = 0;
            var accC = 0;
            for (var t = 0; t < valueBins; t++)
            {
                accG += cells[t].G;
                accH += cells[t].H;
                accC += cells[t].C;

                // NaN to the right (or, with no NaN at this node, to the larger side).
                {
                    var lc = accC;
                    var rc = count - accC;
                    var lh = accH;
                    var rh = sumH - accH;
                    if (lc >= minData && rc >= minData && lh >= minHessian && rh >= minHessian)
                    {
                        var lg = accG;
                        var rg = sumG - accG;
                        var g = (lg * lg / (lh + lambda)) + (rg * rg / (rh + lambda)) - parentGain;
                        if (g > best.Gain)
                        {
                            best = new Split(f, t, nan.C == 0 && lc >= rc, g, lg, lh, rg, rh);
                        }
                    }
                }

                // NaN to the left, only worth trying when this node saw NaN.
                if (nan.C > 0 && t < valueBins - 1)
                {
                    var lc = accC + nan.C;
                    var rc = count - lc;
                    var lh = accH + nan.H;
                    var rh = sumH - lh;
                    if (lc >= minData && rc >= minData && lh >= minHessian && rh >= minHessian)
                    {
                        var lg = accG + nan.G;
                        var rg = sumG - lg;
                        var g = (lg * lg / (lh + lambda)) + (rg * rg / (rh + lambda)) - parentGain;
                        if (g > best.Gain)
                        {
                            best = new Split(f, t, true, g, lg, lh, rg, rh);
                        }
                    }
                }
            }
        }

        return best;
    }

    private readonly record struct Split(int Feature, int Bin, bool DefaultLeft, double Gain, double LeftG, double LeftH, double RightG, double RightH)
    {
        public static Split None => new(-1, 0, false, 0.0, 0, 0, 0, 0);

        public bool IsValid => Feature >= 0 && Gain > 0;
    }
}
