namespace TechMarket.Ranking.Tests;

public sealed class RankingMetricsTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void NdcgMatchesHandComputedValue()
    {
        // Ranked by score: labels 0, 2, 1. DCG = 3/log2(3) + 1/log2(4); ideal = 3 + 1/log2(3).
        double[] labels = [2, 0, 1];
        double[] scores = [0.5, 0.9, 0.1];
        var expected = ((3 / Math.Log2(3)) + 0.5) / (3 + (1 / Math.Log2(3)));

        var ndcg = RankingMetrics.NdcgAtK(labels, scores, 10);

        Assert.Equal(expected, ndcg, Tolerance);
    }

    [Fact]
    public void NdcgAtOneLooksOnlyAtTheTopDocument()
    {
        var ndcg = RankingMetrics.NdcgAtK([2, 0, 1], [0.5, 0.9, 0.1], 1);

        Assert.Equal(0.0, ndcg, Tolerance);
    }

    [Fact]
    public void AllZeroQueryScoresOneAsInLightGbm()
    {
        var ndcg = RankingMetrics.NdcgAtK([0, 0, 0], [0.1, 0.2, 0.3], 10);

        Assert.Equal(1.0, ndcg);
    }

    [Fact]
    public void TiedScoresKeepInputOrder()
    {
        // Stable order: label 0 first, then label 1.
        var expected = (1 / Math.Log2(3)) / 1.0;

        var ndcg = RankingMetrics.NdcgAtK([0, 1], [0.5, 0.5], 10);

        Assert.Equal(expected, ndcg, Tolerance);
    }

    [Fact]
    public void NdcgOfRankingUsesJudgedDocumentsForTheIdeal()
    {
        // Returned: one label-1 document at rank 2; judged also a label-2 document never returned.
        var expected = (1 / Math.Log2(3)) / (3 + (1 / Math.Log2(3)));

        var ndcg = RankingMetrics.NdcgOfRanking([0, 1], [2, 1, 0], 10);

        Assert.Equal(expected, ndcg, Tolerance);
        Assert.Equal(0.0, RankingMetrics.NdcgOfRanking([], [1], 10));
    }

    [Fact]
    public void ReciprocalRankFindsTheFirstRelevantWithinK()
    {
        Assert.Equal(1.0 / 3, RankingMetrics.ReciprocalRankAtK([0, 0, 2, 1], 10), Tolerance);
        Assert.Equal(0.0, RankingMetrics.ReciprocalRankAtK([0, 0, 2, 1], 2));
    }

    [Fact]
    public void AveragePrecisionCountsMissedRelevantDocumentsAsZero()
    {
        // Relevant at ranks 1 and 3, a third relevant never returned: (1/1 + 2/3) / 3.
        var ap = RankingMetrics.AveragePrecision([1, 0, 3, 0], totalRelevant: 3);

        Assert.Equal((1 + (2.0 / 3)) / 3, ap, Tolerance);
    }

    [Fact]
    public void RecallCountsRelevantDocumentsWithinK()
    {
        var recall = RankingMetrics.RecallAtK([1, 0, 3, 2], totalRelevant: 4, k: 3);

        Assert.Equal(0.5, recall, Tolerance);
    }

    [Fact]
    public void EvaluateAveragesOverQueries()
    {
        double[] labels = [1, 0, 0, 0];
        double[] scores = [0.1, 0.9, 0.3, 0.2];
        int[] boundaries = [0, 2, 4];

        var evaluation = RankingMetrics.Evaluate(labels, scores, boundaries, 10);

        Assert.Equal(2, evaluation.Queries);
        Assert.Equal(((1 / Math.Log2(3)) + 1) / 2, evaluation.Ndcg, Tolerance);
        Assert.Equal(0.25, evaluation.Mrr, Tolerance);
        Assert.Equal(0.25, evaluation.Map, Tolerance);
        Assert.Equal(0.5, evaluation.Recall, Tolerance);
    }
}
