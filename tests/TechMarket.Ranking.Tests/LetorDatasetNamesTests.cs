namespace TechMarket.Ranking.Tests;

public sealed class LetorDatasetNamesTests
{
    [Fact]
    public void SvmDataIsNamedF1ToFn()
    {
        var data = LetorDataset.Read(new StringReader("1 qid:1 1:0.5 3:1\n"));

        Assert.Equal(["f1", "f2", "f3"], data.FeatureNames);
    }

    [Fact]
    public void InMemoryRowsKeepTheirNamesAndQueries()
    {
        var data = LetorDataset.FromRows(["a", "b"], [new("q1", 1, [1, 2]), new("q1", 0, [3, float.NaN]), new("q2", 2, [5, 6])]);

        Assert.Equal(["a", "b"], data.FeatureNames);
        Assert.Equal(["q1", "q2"], data.QueryIds);
        Assert.Equal([0, 2, 3], data.QueryBoundaries);
        Assert.True(double.IsNaN(data.Row(1)[1]));
    }

    [Fact]
    public void RefusesSplitQueriesWrongWidthsAndDuplicateNames()
    {
        Assert.Throws<ArgumentException>(() => LetorDataset.FromRows(["a"], [new("q1", 1, [1]), new("q2", 0, [2]), new("q1", 0, [3])]));
        Assert.Throws<ArgumentException>(() => LetorDataset.FromRows(["a", "b"], [new("q1", 1, [1])]));
        Assert.Throws<ArgumentException>(() => LetorDataset.FromRows(["a", "a"], [new("q1", 1, [1, 2])]));
    }
}
