namespace TechMarket.Ranking;

/// <summary>
/// Per-feature histogram bins, built as LightGBM does from the distinct values of a row sample:
/// with few distinct values each gets its own bin (edges at midpoints), otherwise bins hold
/// roughly equal numbers of sampled rows. A value v falls in the first bin b with
/// <c>v ≤ UpperBounds[b]</c>, or in the last bin; NaN has its own bin after the last.
/// </summary>
public sealed class FeatureBins
{
    /// <summary>Wraps bin edges that were built or loaded from a model file.</summary>
    /// <param name="upperBounds">For each feature, the inclusive upper bound of every bin but the last (ascending).</param>
    public FeatureBins(double[][] upperBounds)
    {
        ArgumentNullException.ThrowIfNull(upperBounds);
        UpperBounds = upperBounds;
    }

    /// <summary>For each feature, the inclusive upper bound of every bin but the last.</summary>
    public IReadOnlyList<double[]> UpperBounds { get; }

    /// <summary>Number of features.</summary>
    public int FeatureCount => UpperBounds.Count;

    /// <summary>Number of value bins of a feature (not counting the NaN bin).</summary>
    public int BinCount(int feature) => UpperBounds[feature].Length + 1;

    /// <summary>The bin of a value; NaN maps to <see cref="BinCount"/>.</summary>
    public int BinOf(int feature, double value)
    {
        var bounds = UpperBounds[feature];
        if (double.IsNaN(value))
        {
            return bounds.Length + 1;
        }

        int lo = 0, hi = bounds.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (value <= bounds[mid])
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo;
    }

    /// <summary>
    /// Builds bins for every feature of a dataset from at most <paramref name="sampleSize"/> rows
    /// (chosen with a seeded generator when the data is larger).
    /// </summary>
    public static FeatureBins Build(LetorDataset data, int maxBins, int sampleSize, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBins, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBins, 255);
        var rows = SampleRows(data.RowCount, sampleSize, seed);
        var bounds = new double[data.FeatureCount][];
        var values = new double[rows.Length];
        for (var f = 0; f < data.FeatureCount; f++)
        {
            var n = 0;
            foreach (var r in rows)
            {
                var v = data.Features[(r * data.FeatureCount) + f];
                if (!double.IsNaN(v))
                {
                    values[n++] = v;
                }
            }

            bounds[f] = BoundsFor(values.AsSpan(0, n), maxBins);
        }

        return new FeatureBins(bounds);
    }

    internal static double[] BoundsFor(Span<double> values, int maxBins)
    {
        if (values.IsEmpty)
        {
            return [];
        }

        values.Sort();
        var distinct = new List<double>();
        var counts = new List<int>();
        foreach (var v in values)
        {
            if (distinct.Count > 0 && distinct[^1] == v)
            {
                counts[^1]++;
            }
            else
            {
                distinct.Add(v);
                counts.Add(1);
            }
        }

        var bounds = new List<double>();
        if (distinct.Count <= maxBins)
        {
            for (var i = 0; i + 1 < distinct.Count; i++)
            {
                bounds.Add(Midpoint(distinct[i], distinct[i + 1]));
            }

            return [.. bounds];
        }

        // Greedy equal-count cuts over distinct values: a heavy value never straddles two bins.
        var total = values.Length;
        var perBin = (double)total / maxBins;
        var cumulative = 0L;
        for (var i = 0; i + 1 < distinct.Count && bounds.Count < maxBins - 1; i++)
        {
            cumulative += counts[i];
            if (cumulative >= perBin * (bounds.Count + 1))
            {
                bounds.Add(Midpoint(distinct[i], distinct[i + 1]));
            }
        }

        return [.. bounds];
    }

    private static double Midpoint(double a, double b)
    {
        var m = a + ((b - a) / 2);
        return m < b ? m : a;
    }

    private static int[] SampleRows(int rowCount, int sampleSize, int seed)
    {
        if (rowCount <= sampleSize)
        {
            return Enumerable.Range(0, rowCount).ToArray();
        }

        // Partial Fisher–Yates: a seeded, uniform sample without replacement, then sorted for locality.
        var all = Enumerable.Range(0, rowCount).ToArray();
        var random = new Random(seed);
        for (var i = 0; i < sampleSize; i++)
        {
            var j = random.Next(i, rowCount);
            (all[i], all[j]) = (all[j], all[i]);
        }

        var sample = all[..sampleSize];
        Array.Sort(sample);
        return sample;
    }
}
