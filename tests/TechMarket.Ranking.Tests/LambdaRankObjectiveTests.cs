namespace TechMarket.Ranking.Tests;

/// <summary>
/// Expected values are written out pair by pair from LightGBM's formula
/// (LambdarankNDCG::GetGradientsForOneQuery): for each pair with the better-ranked document in
/// the top truncation-level positions and different labels, with high = better label,
/// Δs = s_high − s_low, ΔNDCG = (G_high − G_low)·|D(r_high) − D(r_low)| / maxDCG@trunc,
/// divided by (0.01 + |Δs|) when normalising and the scores are not all equal,
/// p = 1 / (1 + e^{σΔs}), λ_high += −σ·ΔNDCG·p, λ_low −= that, h += σ²·ΔNDCG·p(1−p) on both;
/// then everything × log2(1 + S)/S with S = Σ 2·σ·ΔNDCG·p.
/// </summary>
public sealed class LambdaRankObjectiveTests
{
    private const double Tolerance = 1e-9;

    private static double D(int position) => 1.0 / Math.Log2(position + 2.0);

    private static double G(int label) => Math.Pow(2, label) - 1;

    private static double P(double deltaScore, double sigmoid = 1) => 1.0 / (1.0 + Math.Exp(sigmoid * deltaScore));

    private static (double[] Lambdas, double[] Hessians) Run(double[] labels, double[] scores, double sigmoid = 1, int truncation = 30, bool normalize = true)
    {
        var objective = new LambdaRankObjective(labels, [0, labels.Length], sigmoid, truncation, normalize);
        var lambdas = new double[labels.Length];
        var hessians = new double[labels.Length];
        objective.ComputeGradients(scores, lambdas, hessians);
        return (lambdas, hessians);
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance, $"index {i}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }

    [Fact]
    public void MatchesHandComputedLambdasForThreeDocumentsWithNormalisation()
    {
        // labels [2, 0, 1], scores [0.5, 1.0, 0.2]: ranked doc1 (pos 0), doc0 (pos 1), doc2 (pos 2).
        double[] labels = [2, 0, 1];
        double[] scores = [0.5, 1.0, 0.2];
        var maxDcg = (G(2) * D(0)) + (G(1) * D(1));
        var lambdas = new double[3];
        var hessians = new double[3];
        var sum = 0.0;
        void Pair(int high, int low, int highPos, int lowPos, int highLabel, int lowLabel)
        {
            var ds = scores[high] - scores[low];
            var dNdcg = (G(highLabel) - G(lowLabel)) * Math.Abs(D(highPos) - D(lowPos)) / maxDcg / (0.01 + Math.Abs(ds));
            var p = P(ds);
            lambdas[high] += -dNdcg * p;
            lambdas[low] -= -dNdcg * p;
            hessians[high] += dNdcg * p * (1 - p);
            hessians[low] += dNdcg * p * (1 - p);
            sum += 2 * dNdcg * p;
        }

        Pair(high: 0, low: 1, highPos: 1, lowPos: 0, highLabel: 2, lowLabel: 0);
        Pair(high: 2, low: 1, highPos: 2, lowPos: 0, highLabel: 1, lowLabel: 0);
        Pair(high: 0, low: 2, highPos: 1, lowPos: 2, highLabel: 2, lowLabel: 1);
        var factor = Math.Log2(1 + sum) / sum;
        var expectedLambdas = lambdas.Select(l => l * factor).ToArray();
        var expectedHessians = hessians.Select(h => h * factor).ToArray();

        var (actualLambdas, actualHessians) = Run(labels, scores);

        AssertClose(expectedLambdas, actualLambdas);
        AssertClose(expectedHessians, actualHessians);
        Assert.True(actualLambdas[0] < 0 && actualLambdas[1] > 0);
    }

    [Fact]
    public void TiedScoresKeepInputOrderAndSkipTheScoreGapScaling()
    {
        // All scores equal: stable order 0,1,2 and best == worst, so ΔNDCG is not divided by 0.01 + |Δs|; p = 1/2.
        double[] labels = [0, 1, 3];
        double[] scores = [0.7, 0.7, 0.7];
        var maxDcg = (G(3) * D(0)) + (G(1) * D(1));
        var d01 = (G(1) - G(0)) * Math.Abs(D(1) - D(0)) / maxDcg;
        var d02 = (G(3) - G(0)) * Math.Abs(D(2) - D(0)) / maxDcg;
        var d12 = (G(3) - G(1)) * Math.Abs(D(2) - D(1)) / maxDcg;
        var lambdas = new[] { 0.5 * (d01 + d02), 0.5 * (-d01 + d12), 0.5 * (-d02 - d12) };
        var hessians = new[] { 0.25 * (d01 + d02), 0.25 * (d01 + d12), 0.25 * (d02 + d12) };
        var sum = d01 + d02 + d12;
        var factor = Math.Log2(1 + sum) / sum;

        var (actualLambdas, actualHessians) = Run(labels, scores);

        AssertClose(lambdas.Select(l => l * factor).ToArray(), actualLambdas);
        AssertClose(hessians.Select(h => h * factor).ToArray(), actualHessians);
    }

    [Fact]
    public void TruncationLimitsPairsAndTheIdealDcg()
    {
        // Truncation 1: only pairs containing position 0; max DCG counts the best label only.
        double[] labels = [1, 0, 2];
        double[] scores = [3.0, 2.0, 1.0];
        var maxDcg = G(2) * D(0);
        var d01 = (G(1) - G(0)) * Math.Abs(D(0) - D(1)) / maxDcg / (0.01 + 1.0);
        var d02 = (G(2) - G(1)) * Math.Abs(D(2) - D(0)) / maxDcg / (0.01 + 2.0);
        var p01 = P(1.0);
        var p02 = P(-2.0);
        var lambdas = new[] { (-d01 * p01) + (d02 * p02), d01 * p01, -d02 * p02 };
        var hessians = new[] { (d01 * p01 * (1 - p01)) + (d02 * p02 * (1 - p02)), d01 * p01 * (1 - p01), d02 * p02 * (1 - p02) };
        var sum = (2 * d01 * p01) + (2 * d02 * p02);
        var factor = Math.Log2(1 + sum) / sum;

        var (actualLambdas, actualHessians) = Run(labels, scores, truncation: 1);

        AssertClose(lambdas.Select(l => l * factor).ToArray(), actualLambdas);
        AssertClose(hessians.Select(h => h * factor).ToArray(), actualHessians);
    }

    [Fact]
    public void WithoutNormalisationUsesTheRawSigmoidScaledLambdas()
    {
        double[] labels = [0, 2];
        double[] scores = [0.4, -0.1];
        const double sigmoid = 2.0;
        var maxDcg = G(2) * D(0);
        var dNdcg = (G(2) - G(0)) * Math.Abs(D(1) - D(0)) / maxDcg;
        var p = P(-0.5, sigmoid);

        var (actualLambdas, actualHessians) = Run(labels, scores, sigmoid, normalize: false);

        AssertClose([sigmoid * dNdcg * p, -sigmoid * dNdcg * p], actualLambdas);
        AssertClose([sigmoid * sigmoid * dNdcg * p * (1 - p), sigmoid * sigmoid * dNdcg * p * (1 - p)], actualHessians);
    }

    [Fact]
    public void AllZeroLabelsGiveZeroGradients()
    {
        var (lambdas, hessians) = Run([0, 0, 0, 0], [0.3, -1, 2, 0]);

        Assert.All(lambdas, l => Assert.Equal(0.0, l));
        Assert.All(hessians, h => Assert.Equal(0.0, h));
    }

    [Fact]
    public void AllEqualNonZeroLabelsGiveZeroGradients()
    {
        var (lambdas, hessians) = Run([2, 2, 2], [0.3, -1, 2]);

        Assert.All(lambdas, l => Assert.Equal(0.0, l));
        Assert.All(hessians, h => Assert.Equal(0.0, h));
    }

    [Fact]
    public void SingleDocumentQueryGivesZeroGradients()
    {
        var (lambdas, hessians) = Run([3], [0.25]);

        Assert.Equal([0.0], lambdas);
        Assert.Equal([0.0], hessians);
    }

    [Fact]
    public void QueriesAreIndependentAndThreadCountDoesNotChangeResults()
    {
        var data = SyntheticLetor.Generate(120, 1, 40, seed: 3);
        var random = new Random(5);
        var scores = data.Labels.Select(_ => random.NextDouble()).ToArray();
        var serial = new LambdaRankObjective(data.Labels, data.QueryBoundaries, threads: 1);
        var parallel = new LambdaRankObjective(data.Labels, data.QueryBoundaries, threads: 2);
        var g1 = new double[scores.Length];
        var h1 = new double[scores.Length];
        var g2 = new double[scores.Length];
        var h2 = new double[scores.Length];

        serial.ComputeGradients(scores, g1, h1);
        parallel.ComputeGradients(scores, g2, h2);

        Assert.Equal(g1, g2);
        Assert.Equal(h1, h2);
        var (single, _) = Run(
            data.Labels[data.QueryBoundaries[7]..data.QueryBoundaries[8]],
            scores[data.QueryBoundaries[7]..data.QueryBoundaries[8]]);
        Assert.Equal(single, g1[data.QueryBoundaries[7]..data.QueryBoundaries[8]]);
    }
}
