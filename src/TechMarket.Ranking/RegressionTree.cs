namespace TechMarket.Ranking;

/// <summary>
/// One regression tree. Internal nodes are numbered from 0 (the root) and a child is always
/// numbered after its parent; a child reference <c>c &lt; 0</c> is leaf <c>~c</c>. A row goes
/// left when its value is ≤ the node's threshold, and a NaN goes to the default side.
/// A tree with a single leaf has no nodes.
/// </summary>
public sealed class RegressionTree
{
    /// <summary>Creates a tree from its arrays (all node arrays share one length).</summary>
    public RegressionTree(int[] feature, int[] thresholdBin, double[] threshold, bool[] defaultLeft, int[] left, int[] right, double[] gain, double[] leafValues, int[] leafCounts)
    {
        Feature = feature;
        ThresholdBin = thresholdBin;
        Threshold = threshold;
        DefaultLeft = defaultLeft;
        Left = left;
        Right = right;
        Gain = gain;
        LeafValues = leafValues;
        LeafCounts = leafCounts;
    }

    /// <summary>Split feature (column, from 0) of each node.</summary>
    public int[] Feature { get; }

    /// <summary>Split bin of each node: bins ≤ this go left.</summary>
    public int[] ThresholdBin { get; }

    /// <summary>Split value of each node: values ≤ this go left.</summary>
    public double[] Threshold { get; }

    /// <summary>Where NaN goes at each node.</summary>
    public bool[] DefaultLeft { get; }

    /// <summary>Left child of each node (negative: leaf <c>~c</c>).</summary>
    public int[] Left { get; }

    /// <summary>Right child of each node (negative: leaf <c>~c</c>).</summary>
    public int[] Right { get; }

    /// <summary>Loss reduction of each node's split.</summary>
    public double[] Gain { get; }

    /// <summary>Output of each leaf, shrinkage included.</summary>
    public double[] LeafValues { get; }

    /// <summary>Training rows that reached each leaf.</summary>
    public int[] LeafCounts { get; }

    /// <summary>Number of internal nodes.</summary>
    public int NodeCount => Feature.Length;

    /// <summary>Evaluates the tree on one row of raw feature values (missing columns read as 0).</summary>
    public double Predict(ReadOnlySpan<double> row)
    {
        if (NodeCount == 0)
        {
            return LeafValues[0];
        }

        var node = 0;
        while (node >= 0)
        {
            var f = Feature[node];
            var v = f < row.Length ? row[f] : 0.0;
            var goLeft = double.IsNaN(v) ? DefaultLeft[node] : v <= Threshold[node];
            node = goLeft ? Left[node] : Right[node];
        }

        return LeafValues[~node];
    }
}
