namespace TechMarket.Ranking;

/// <summary>A twice-differentiable training loss: first and second derivatives per row.</summary>
internal interface IObjective
{
    /// <summary>The name stored in the model file.</summary>
    string Name { get; }

    /// <summary>The constant score every row starts from.</summary>
    double InitialScore { get; }

    /// <summary>Fills the gradient and hessian of the loss with respect to each row's score.</summary>
    void ComputeGradients(ReadOnlySpan<double> scores, Span<double> gradients, Span<double> hessians);
}

/// <summary>
/// LightGBM's <c>lambdarank</c> objective (<c>LambdarankNDCG::GetGradientsForOneQuery</c> in
/// <c>src/objective/rank_objective.hpp</c>, LightGBM v3/v4), written from its formula:
/// documents are sorted by current score (stable); every pair with different labels in which
/// the better-ranked document sits above the truncation level contributes
/// <c>λ = −σ · ΔNDCG / (1 + e^{σ(s_hi − s_lo)})</c> and
/// <c>h = σ² · ΔNDCG · p(1−p)</c> with <c>p = 1 / (1 + e^{σ(s_hi − s_lo)})</c>, where
/// <c>ΔNDCG = (2^{l_hi} − 2^{l_lo}) · |D(r_hi) − D(r_lo)| / maxDCG@truncation</c>.
/// With normalisation (<c>lambdarank_norm</c>, the default) ΔNDCG is divided by
/// <c>0.01 + |s_hi − s_lo|</c> unless all scores of the query are equal, and the query's
/// lambdas and hessians are finally scaled by <c>log2(1 + Σ|λ|·2) / (Σ|λ|·2)</c>.
/// A query whose labels are all zero (max DCG 0) gets zero gradients. LightGBM evaluates the
/// sigmoid through a lookup table in single precision; this class computes it exactly in
/// double precision.
/// </summary>
public sealed class LambdaRankObjective : IObjective
{
    private static readonly double[] LabelGains = [.. Enumerable.Range(0, 31).Select(l => RankingMetrics.Gain(l))];

    private readonly double[] _labels;
    private readonly int[] _boundaries;
    private readonly double[] _inverseMaxDcg;
    private readonly double _sigmoid;
    private readonly int _truncation;
    private readonly bool _normalize;
    private readonly int _threads;

    /// <summary>Prepares the objective for one training set.</summary>
    /// <param name="labels">Integer relevance labels ≥ 0, one per row.</param>
    /// <param name="queryBoundaries">Query q holds rows <c>[b[q], b[q+1])</c>.</param>
    /// <param name="sigmoid">LightGBM's <c>sigmoid</c> (default 1).</param>
    /// <param name="truncationLevel">LightGBM's <c>lambdarank_truncation_level</c> (default 30).</param>
    /// <param name="normalize">LightGBM's <c>lambdarank_norm</c> (default true).</param>
    /// <param name="threads">Queries are processed in parallel on this many threads.</param>
    public LambdaRankObjective(double[] labels, int[] queryBoundaries, double sigmoid = 1.0, int truncationLevel = 30, bool normalize = true, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(queryBoundaries);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sigmoid);
        ArgumentOutOfRangeException.ThrowIfLessThan(truncationLevel, 1);
        _labels = labels;
        _boundaries = queryBoundaries;
        _sigmoid = sigmoid;
        _truncation = truncationLevel;
        _normalize = normalize;
        _threads = Math.Max(1, threads);
        _inverseMaxDcg = new double[queryBoundaries.Length - 1];
        for (var q = 0; q < _inverseMaxDcg.Length; q++)
        {
            var span = labels.AsSpan(queryBoundaries[q], queryBoundaries[q + 1] - queryBoundaries[q]);
            var max = RankingMetrics.MaxDcgAtK(span, truncationLevel);
            _inverseMaxDcg[q] = max > 0 ? 1.0 / max : 0.0;
        }
    }

    /// <inheritdoc/>
    public string Name => "lambdarank";

    /// <inheritdoc/>
    public double InitialScore => 0;

    /// <summary>Fills lambdas (gradients) and hessians for every row, query by query.</summary>
    public void ComputeGradients(ReadOnlySpan<double> scores, Span<double> gradients, Span<double> hessians)
    {
        if (scores.Length != _labels.Length || gradients.Length != _labels.Length || hessians.Length != _labels.Length)
        {
            throw new ArgumentException("scores, gradients and hessians must have one entry per row");
        }

        var queries = _inverseMaxDcg.Length;
        if (_threads == 1 || queries < 64)
        {
            var buffer = new int[MaxQuerySize()];
            for (var q = 0; q < queries; q++)
            {
                OneQuery(q, scores, gradients, hessians, buffer);
            }

            return;
        }

        // Queries write disjoint ranges, so the parallel result equals the sequential one.
        var s = scores.ToArray();
        var g = new double[s.Length];
        var h = new double[s.Length];
        var chunk = (queries + _threads - 1) / _threads;
        Parallel.For(0, _threads, new ParallelOptions { MaxDegreeOfParallelism = _threads }, t =>
        {
            var buffer = new int[MaxQuerySize()];
            var end = Math.Min(queries, (t + 1) * chunk);
            for (var q = t * chunk; q < end; q++)
            {
                OneQuery(q, s, g, h, buffer);
            }
        });
        g.CopyTo(gradients);
        h.CopyTo(hessians);
    }

    private static double GainOf(double label)
    {
        var index = (int)label;
        return index == label && (uint)index < (uint)LabelGains.Length ? LabelGains[index] : RankingMetrics.Gain(label);
    }

    private int MaxQuerySize()
    {
        var max = 0;
        for (var q = 0; q + 1 < _boundaries.Length; q++)
        {
            max = Math.Max(max, _boundaries[q + 1] - _boundaries[q]);
        }

        return max;
    }

    private void OneQuery(int q, ReadOnlySpan<double> allScores, Span<double> allGradients, Span<double> allHessians, int[] buffer)
    {
        var start = _boundaries[q];
        var count = _boundaries[q + 1] - start;
        var label = _labels.AsSpan(start, count);
        var score = allScores.Slice(start, count);
        var lambdas = allGradients.Slice(start, count);
        var hessians = allHessians.Slice(start, count);
        lambdas.Clear();
        hessians.Clear();
        var inverseMaxDcg = _inverseMaxDcg[q];
        if (count < 2 || inverseMaxDcg == 0)
        {
            return;
        }

        var sorted = buffer.AsSpan(0, count);
        SortByScoreDescending(score, sorted);
        var bestScore = score[sorted[0]];
        var worstScore = score[sorted[count - 1]];
        var scaleByScoreGap = _normalize && bestScore != worstScore;
        var sumLambdas = 0.0;
        for (var i = 0; i < count - 1 && i < _truncation; i++)
        {
            var docI = sorted[i];
            var labelI = label[docI];
            var scoreI = score[docI];
            var gainI = GainOf(labelI);
            var discountI = RankingMetrics.Discount(i);
            for (var j = i + 1; j < count; j++)
            {
                var docJ = sorted[j];
                var labelJ = label[docJ];
                if (labelI == labelJ)
                {
                    continue;
                }

                // high is the better-labelled document of the pair, low the other.
                int high, low;
                double deltaScore, dcgGap;
                if (labelI > labelJ)
                {
                    (high, low) = (docI, docJ);
                    deltaScore = scoreI - score[docJ];
                    dcgGap = gainI - GainOf(labelJ);
                }
                else
                {
                    (high, low) = (docJ, docI);
                    deltaScore = score[docJ] - scoreI;
                    dcgGap = GainOf(labelJ) - gainI;
                }

                var pairedDiscount = Math.Abs(discountI - RankingMetrics.Discount(j));
                var deltaNdcg = dcgGap * pairedDiscount * inverseMaxDcg;
                if (scaleByScoreGap)
                {
                    deltaNdcg /= 0.01 + Math.Abs(deltaScore);
                }

                var p = 1.0 / (1.0 + Math.Exp(_sigmoid * deltaScore));
                var pLambda = -_sigmoid * deltaNdcg * p;
                var pHessian = _sigmoid * _sigmoid * deltaNdcg * p * (1.0 - p);
                lambdas[low] -= pLambda;
                hessians[low] += pHessian;
                lambdas[high] += pLambda;
                hessians[high] += pHessian;
                sumLambdas -= 2 * pLambda;
            }
        }

        if (_normalize && sumLambdas > 0)
        {
            var factor = Math.Log2(1 + sumLambdas) / sumLambdas;
            for (var i = 0; i < count; i++)
            {
                lambdas[i] *= factor;
                hessians[i] *= factor;
            }
        }
    }

    private static void SortByScoreDescending(ReadOnlySpan<double> score, Span<int> order)
    {
        // Insertion sort keeps equal scores in input order like std::stable_sort, and is quick for
        // the tens of documents a query holds; larger queries fall back to a keyed stable sort.
        if (order.Length > 256)
        {
            RankingMetrics.OrderByScore(score, order);
            return;
        }

        for (var i = 0; i < order.Length; i++)
        {
            var s = score[i];
            var j = i - 1;
            while (j >= 0 && score[order[j]] < s)
            {
                order[j + 1] = order[j];
                j--;
            }

            order[j + 1] = i;
        }
    }
}

/// <summary>Squared error, the pointwise baseline: gradient <c>s − y</c>, hessian 1, starting from the mean label.</summary>
internal sealed class SquaredErrorObjective : IObjective
{
    private readonly double[] _labels;

    public SquaredErrorObjective(double[] labels)
    {
        _labels = labels;
        InitialScore = labels.Length == 0 ? 0 : labels.Average();
    }

    public string Name => "regression";

    public double InitialScore { get; }

    public void ComputeGradients(ReadOnlySpan<double> scores, Span<double> gradients, Span<double> hessians)
    {
        for (var i = 0; i < _labels.Length; i++)
        {
            gradients[i] = scores[i] - _labels[i];
            hessians[i] = 1;
        }
    }
}
