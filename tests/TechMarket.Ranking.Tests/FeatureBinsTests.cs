namespace TechMarket.Ranking.Tests;

public sealed class FeatureBinsTests
{
    [Fact]
    public void FewDistinctValuesGetOneBinEachWithMidpointEdges()
    {
        double[] values = [3, 1, 2, 2, 1, 3, 3];

        var bounds = FeatureBins.BoundsFor(values, 255);

        Assert.Equal([1.5, 2.5], bounds);
    }

    [Fact]
    public void ManyDistinctValuesAreCutIntoAtMostMaxBinsOfSimilarSize()
    {
        var values = Enumerable.Range(0, 10_000).Select(i => (double)i).ToArray();
        var bins = new FeatureBins([FeatureBins.BoundsFor(values, 16)]);

        var counts = new int[bins.BinCount(0)];
        foreach (var v in Enumerable.Range(0, 10_000))
        {
            counts[bins.BinOf(0, v)]++;
        }

        Assert.True(bins.BinCount(0) <= 16);
        Assert.All(counts, c => Assert.InRange(c, 500, 800));
        Assert.Equal(bins.BinCount(0), bins.BinOf(0, double.NaN));
    }

    [Fact]
    public void ConstantFeatureHasOneBin()
    {
        var bounds = FeatureBins.BoundsFor(new double[] { 4, 4, 4 }, 255);

        Assert.Empty(bounds);
    }
}
