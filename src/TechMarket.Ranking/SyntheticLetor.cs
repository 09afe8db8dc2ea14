namespace TechMarket.Ranking;

/// <summary>
/// A seeded synthetic learning-to-rank generator for tests and benchmarks. Every row has 30
/// features: 20 document features (Gaussian, uniform, heavy-tailed, a discrete one and a
/// near-duplicate), 5 query descriptors (constant within a query) and 5 pure-noise features.
/// Hidden relevance is non-linear (sines, thresholds, products) and depends on the query
/// through descriptor × document interactions, plus Gaussian noise; labels 0–4 come from
/// per-query quantiles of it. With fixed shares every query labels its top 5 % → 4, next
/// 10 % → 3, next 15 % → 2, next 25 % → 1; by default the share of relevant documents is
/// drawn per query (uniform 10–70 %, split 1 : 2 : 3 : 5 between labels 4, 3, 2 and 1),
/// as real queries differ in how many good answers exist.
/// </summary>
public static class SyntheticLetor
{
    /// <summary>Features per row.</summary>
    public const int FeatureCount = 30;

    /// <summary>Generates <paramref name="queries"/> queries of <paramref name="minDocs"/>–<paramref name="maxDocs"/> documents.</summary>
    /// <param name="queries">Number of queries.</param>
    /// <param name="minDocs">Fewest documents per query.</param>
    /// <param name="maxDocs">Most documents per query.</param>
    /// <param name="seed">Seed; the same seed gives the same data.</param>
    /// <param name="firstQueryId">Number of the first qid (so that several sets do not share ids).</param>
    /// <param name="noise">Standard deviation of the noise added to the hidden relevance.</param>
    /// <param name="fixedShares">Give every query the same label shares (45 % relevant) instead of drawing them.</param>
    public static LetorDataset Generate(int queries, int minDocs, int maxDocs, int seed, int firstQueryId = 1, double noise = 0.6, bool fixedShares = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(queries);
        ArgumentOutOfRangeException.ThrowIfLessThan(minDocs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDocs, minDocs);
        var random = new Random(seed);
        var features = new List<double>();
        var labels = new List<double>();
        var boundaries = new List<int> { 0 };
        var ids = new List<string>();
        var row = new double[FeatureCount];
        for (var q = 0; q < queries; q++)
        {
            var docs = random.Next(minDocs, maxDocs + 1);
            // Fixed shares draw nothing here, so they reproduce the generator's first version exactly.
            var relevantShare = fixedShares ? 0.55 : 0.1 + (0.6 * random.NextDouble());
            var descriptors = new double[5];
            for (var d = 0; d < descriptors.Length; d++)
            {
                descriptors[d] = (random.NextDouble() * 2) - 1;
            }

            var relevance = new double[docs];
            for (var i = 0; i < docs; i++)
            {
                for (var f = 0; f < 8; f++)
                {
                    row[f] = Gaussian(random);
                }

                for (var f = 8; f < 14; f++)
                {
                    row[f] = random.NextDouble();
                }

                for (var f = 14; f < 17; f++)
                {
                    row[f] = Math.Exp(Gaussian(random));
                }

                row[17] = random.Next(0, 5);
                row[18] = row[0] + (0.3 * Gaussian(random));
                row[19] = random.NextDouble() < 0.7 ? 0 : random.NextDouble();
                descriptors.CopyTo(row, 20);
                for (var f = 25; f < 30; f++)
                {
                    row[f] = Gaussian(random);
                }

                relevance[i] = Relevance(row, descriptors) + (noise * Gaussian(random));
                features.AddRange(row);
            }

            foreach (var label in QuantileLabels(relevance, fixedShares ? FixedCuts : SharedCuts(relevantShare)))
            {
                labels.Add(label);
            }

            boundaries.Add(labels.Count);
            ids.Add((firstQueryId + q).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return new LetorDataset([.. features], [.. labels], [.. boundaries], [.. ids], FeatureCount);
    }

    private static double Relevance(double[] x, double[] qd) =>
        (0.9 * x[0])
        + (0.7 * Math.Sin(2 * x[1]))
        + (0.5 * x[2] * x[3])
        + (x[8] > 0.6 ? 0.8 * x[4] : -0.2 * x[4])
        + (0.4 * Math.Log(x[14]))
        - (0.3 * Math.Abs(x[5]))
        + (0.3 * (x[17] >= 3 ? 1 : 0))
        + (x[19] > 0 ? 0.5 * x[19] : 0)
        + (0.8 * qd[0] * x[6])
        + (0.8 * qd[1] * (x[9] - 0.5) * 2)
        + (0.6 * qd[2] * ((x[7] * x[7]) - 1))
        + (qd[3] > 0 ? 0.6 * x[10] : 0.6 * x[11])
        + (0.5 * qd[4] * Math.Tanh(x[15] - 1));

    private static readonly double[] FixedCuts = [0.05, 0.15, 0.30, 0.55];

    private static double[] SharedCuts(double relevantShare) =>
        [relevantShare * 1 / 11, relevantShare * 3 / 11, relevantShare * 6 / 11, relevantShare];

    private static double[] QuantileLabels(double[] relevance, double[] cuts)
    {
        var n = relevance.Length;
        var order = Enumerable.Range(0, n).OrderByDescending(i => relevance[i]).ThenBy(i => i).ToArray();
        var labels = new double[n];
        for (var rank = 0; rank < n; rank++)
        {
            var quantile = (rank + 0.5) / n;
            labels[order[rank]] = quantile < cuts[0] ? 4 : quantile < cuts[1] ? 3 : quantile < cuts[2] ? 2 : quantile < cuts[3] ? 1 : 0;
        }

        return labels;
    }

    private static double Gaussian(Random random)
    {
        // Box–Muller; 1 − U keeps the logarithm finite.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
