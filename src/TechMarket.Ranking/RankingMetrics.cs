namespace TechMarket.Ranking;

/// <summary>
/// Ranking metrics shared by the trainer and the evaluation commands.
/// Gains are 2^label − 1 and discounts 1 / log2(rank + 1) (rank from 1), as in LightGBM's
/// <c>DCGCalculator</c>. Documents with equal scores keep their input order (a stable sort),
/// which is what LightGBM's NDCG metric does too.
/// </summary>
public static class RankingMetrics
{
    private const int DiscountCacheSize = 1024;
    private static readonly double[] DiscountCache = BuildDiscounts();

    /// <summary>The DCG gain of a graded label: 2^label − 1 (0 for labels ≤ 0).</summary>
    public static double Gain(double label) => label <= 0 ? 0 : Math.Pow(2, label) - 1;

    /// <summary>The DCG discount at a zero-based position: 1 / log2(position + 2).</summary>
    public static double Discount(int position) =>
        position < DiscountCacheSize ? DiscountCache[position] : 1.0 / Math.Log2(position + 2.0);

    /// <summary>
    /// Returns the indices of the documents sorted by descending score; equal scores keep input order.
    /// NaN scores sort last.
    /// </summary>
    public static int[] OrderByScore(ReadOnlySpan<double> scores)
    {
        var order = new int[scores.Length];
        OrderByScore(scores, order);
        return order;
    }

    /// <summary>Writes into <paramref name="order"/> the indices sorted by descending score, stable.</summary>
    public static void OrderByScore(ReadOnlySpan<double> scores, Span<int> order)
    {
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var keys = scores.ToArray();
        order.Sort((a, b) =>
        {
            var sa = double.IsNaN(keys[a]) ? double.NegativeInfinity : keys[a];
            var sb = double.IsNaN(keys[b]) ? double.NegativeInfinity : keys[b];
            var c = sb.CompareTo(sa);
            return c != 0 ? c : a.CompareTo(b);
        });
    }

    /// <summary>
    /// The largest DCG reachable within the first <paramref name="k"/> positions for these labels.
    /// </summary>
    public static double MaxDcgAtK(ReadOnlySpan<double> labels, int k)
    {
        var sorted = labels.ToArray();
        Array.Sort(sorted, (a, b) => b.CompareTo(a));
        var dcg = 0.0;
        var n = Math.Min(k, sorted.Length);
        for (var i = 0; i < n; i++)
        {
            dcg += Gain(sorted[i]) * Discount(i);
        }

        return dcg;
    }

    /// <summary>
    /// NDCG@k of one query whose documents carry <paramref name="labels"/> and were given
    /// <paramref name="scores"/>, with LightGBM's definition: a query whose labels are all zero
    /// (ideal DCG 0) scores 1.
    /// </summary>
    public static double NdcgAtK(ReadOnlySpan<double> labels, ReadOnlySpan<double> scores, int k)
    {
        CheckSameLength(labels, scores);
        var order = OrderByScore(scores);
        var ranked = new double[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            ranked[i] = labels[order[i]];
        }

        return NdcgOfRanking(ranked, labels, k);
    }

    /// <summary>
    /// NDCG@k of a ranked list: <paramref name="rankedLabels"/> are the labels of the returned
    /// documents in rank order; the ideal DCG comes from <paramref name="judgedLabels"/> (every
    /// judged document of the query, returned or not). A query with no relevant judged document
    /// scores <paramref name="scoreWhenNoRelevant"/> (1, as LightGBM).
    /// </summary>
    public static double NdcgOfRanking(ReadOnlySpan<double> rankedLabels, ReadOnlySpan<double> judgedLabels, int k, double scoreWhenNoRelevant = 1.0)
    {
        CheckK(k);
        var ideal = MaxDcgAtK(judgedLabels, k);
        if (ideal <= 0)
        {
            return scoreWhenNoRelevant;
        }

        var dcg = 0.0;
        var n = Math.Min(k, rankedLabels.Length);
        for (var i = 0; i < n; i++)
        {
            dcg += Gain(rankedLabels[i]) * Discount(i);
        }

        return dcg / ideal;
    }

    /// <summary>
    /// Reciprocal rank of the first relevant document (label ≥ <paramref name="relevantFrom"/>)
    /// within the first <paramref name="k"/> ranks; 0 when there is none.
    /// </summary>
    public static double ReciprocalRankAtK(ReadOnlySpan<double> rankedLabels, int k, double relevantFrom = 1)
    {
        CheckK(k);
        var n = Math.Min(k, rankedLabels.Length);
        for (var i = 0; i < n; i++)
        {
            if (rankedLabels[i] >= relevantFrom)
            {
                return 1.0 / (i + 1);
            }
        }

        return 0;
    }

    /// <summary>
    /// Average precision of a ranked list: the mean, over the <paramref name="totalRelevant"/>
    /// relevant documents of the query, of the precision at each relevant document's rank
    /// (relevant documents never returned count as precision 0). 0 when the query has no
    /// relevant document.
    /// </summary>
    public static double AveragePrecision(ReadOnlySpan<double> rankedLabels, int totalRelevant, double relevantFrom = 1)
    {
        if (totalRelevant <= 0)
        {
            return 0;
        }

        var hits = 0;
        var sum = 0.0;
        for (var i = 0; i < rankedLabels.Length; i++)
        {
            if (rankedLabels[i] >= relevantFrom)
            {
                hits++;
                sum += (double)hits / (i + 1);
            }
        }

        return sum / totalRelevant;
    }

    /// <summary>
    /// Share of the query's <paramref name="totalRelevant"/> relevant documents found within the
    /// first <paramref name="k"/> ranks; 0 when the query has no relevant document.
    /// </summary>
    public static double RecallAtK(ReadOnlySpan<double> rankedLabels, int totalRelevant, int k, double relevantFrom = 1)
    {
        CheckK(k);
        if (totalRelevant <= 0)
        {
            return 0;
        }

        var hits = 0;
        var n = Math.Min(k, rankedLabels.Length);
        for (var i = 0; i < n; i++)
        {
            if (rankedLabels[i] >= relevantFrom)
            {
                hits++;
            }
        }

        return (double)hits / totalRelevant;
    }

    /// <summary>
    /// Mean NDCG@k over the queries delimited by <paramref name="queryBoundaries"/>
    /// (query q holds rows <c>[boundaries[q], boundaries[q+1])</c>), as LightGBM's <c>ndcg@k</c>.
    /// </summary>
    public static double MeanNdcgAtK(ReadOnlySpan<double> labels, ReadOnlySpan<double> scores, ReadOnlySpan<int> queryBoundaries, int k)
    {
        CheckSameLength(labels, scores);
        var queries = queryBoundaries.Length - 1;
        if (queries <= 0)
        {
            return 0;
        }

        var sum = 0.0;
        for (var q = 0; q < queries; q++)
        {
            var start = queryBoundaries[q];
            var length = queryBoundaries[q + 1] - start;
            sum += NdcgAtK(labels.Slice(start, length), scores.Slice(start, length), k);
        }

        return sum / queries;
    }

    /// <summary>All four metrics averaged over queries; relevance is label ≥ 1.</summary>
    public static RankingEvaluation Evaluate(ReadOnlySpan<double> labels, ReadOnlySpan<double> scores, ReadOnlySpan<int> queryBoundaries, int k)
    {
        CheckSameLength(labels, scores);
        CheckK(k);
        var queries = queryBoundaries.Length - 1;
        double ndcg = 0, mrr = 0, map = 0, recall = 0;
        for (var q = 0; q < queries; q++)
        {
            var start = queryBoundaries[q];
            var length = queryBoundaries[q + 1] - start;
            var qLabels = labels.Slice(start, length);
            var order = OrderByScore(scores.Slice(start, length));
            var ranked = new double[length];
            var relevant = 0;
            for (var i = 0; i < length; i++)
            {
                ranked[i] = qLabels[order[i]];
                if (qLabels[i] >= 1)
                {
                    relevant++;
                }
            }

            ndcg += NdcgOfRanking(ranked, qLabels, k);
            mrr += ReciprocalRankAtK(ranked, k);
            map += AveragePrecision(ranked, relevant);
            recall += RecallAtK(ranked, relevant, k);
        }

        return queries <= 0
            ? new RankingEvaluation(0, k, 0, 0, 0, 0)
            : new RankingEvaluation(queries, k, ndcg / queries, mrr / queries, map / queries, recall / queries);
    }

    private static double[] BuildDiscounts()
    {
        var d = new double[DiscountCacheSize];
        for (var i = 0; i < d.Length; i++)
        {
            d[i] = 1.0 / Math.Log2(i + 2.0);
        }

        return d;
    }

    private static void CheckK(int k) => ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);

    private static void CheckSameLength(ReadOnlySpan<double> labels, ReadOnlySpan<double> scores)
    {
        if (labels.Length != scores.Length)
        {
            throw new ArgumentException("labels and scores differ in length", nameof(scores));
        }
    }
}

/// <summary>Metrics averaged over queries at one cut-off.</summary>
/// <param name="Queries">Number of queries.</param>
/// <param name="K">The cut-off used for NDCG, MRR and recall.</param>
/// <param name="Ndcg">Mean NDCG@k (all-zero queries count 1).</param>
/// <param name="Mrr">Mean reciprocal rank within k.</param>
/// <param name="Map">Mean average precision over the whole list.</param>
/// <param name="Recall">Mean recall@k.</param>
public sealed record RankingEvaluation(int Queries, int K, double Ndcg, double Mrr, double Map, double Recall);
