namespace TechMarket.Ranking.Tests;

public sealed class LetorDatasetTests
{
    private static LetorDataset Parse(string text) => LetorDataset.Read(new StringReader(text));

    [Fact]
    public void ReadsQueriesFeaturesCommentsAndMissingValues()
    {
        const string text = "# header comment\n2 qid:7 1:0.5 3:-1 # doc a\n0 qid:7 2:4\n\n1 qid:9 1:nan 3:2e1\n";

        var data = Parse(text);

        Assert.Equal(3, data.RowCount);
        Assert.Equal(3, data.FeatureCount);
        Assert.Equal(["7", "9"], data.QueryIds);
        Assert.Equal([0, 2, 3], data.QueryBoundaries);
        Assert.Equal([2.0, 0, 1], data.Labels);
        Assert.Equal([0.5, 0, -1], data.Row(0).ToArray());
        Assert.Equal([0.0, 4, 0], data.Row(1).ToArray());
        Assert.True(double.IsNaN(data.Row(2)[0]));
        Assert.Equal(20.0, data.Row(2)[2]);
    }

    [Theory]
    [InlineData("1 qid:1 1:0.5\nx qid:1 1:1\n", 2, "标签无效")]
    [InlineData("1 qid:1 1:0.5\n1 1:0.5\n", 2, "缺少 qid")]
    [InlineData("1 qid:1 1:0.5\n1 qid:1 0:0.5\n", 2, "特征项无效")]
    [InlineData("1 qid:1 1:0.5 2:abc\n", 1, "取值无效")]
    [InlineData("1 qid:1 1:0.5 1:0.7\n", 1, "重复")]
    [InlineData("1 qid:1 1:1\n1 qid:2 1:1\n# c\n1 qid:1 1:1\n", 4, "不连续")]
    [InlineData("1 qid:1 1:inf\n", 1, "取值无效")]
    public void RejectsMalformedLinesWithTheirNumber(string text, int line, string reason)
    {
        var ex = Assert.Throws<LetorFormatException>(() => Parse(text));

        Assert.Equal(line, ex.LineNumber);
        Assert.StartsWith($"第 {line} 行：", ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WritesWhatItReads()
    {
        var data = SyntheticLetor.Generate(3, 2, 4, seed: 9);
        var writer = new StringWriter();

        data.Write(writer);
        var again = Parse(writer.ToString());

        Assert.Equal(data.Labels, again.Labels);
        Assert.Equal(data.QueryBoundaries, again.QueryBoundaries);
        for (var i = 0; i < data.Features.Length; i++)
        {
            Assert.Equal(data.Features[i], again.Features[i], 1e-6);
        }
    }

    [Fact]
    public void SyntheticGeneratorIsSeededAndLabelsByQueryQuantiles()
    {
        var a = SyntheticLetor.Generate(10, 20, 80, seed: 4, fixedShares: true);
        var b = SyntheticLetor.Generate(10, 20, 80, seed: 4, fixedShares: true);
        var c = SyntheticLetor.Generate(10, 20, 80, seed: 5, fixedShares: true);

        Assert.Equal(a.Features, b.Features);
        Assert.Equal(a.Labels, b.Labels);
        Assert.NotEqual(a.Features, c.Features);
        Assert.Equal(30, a.FeatureCount);
        for (var q = 0; q < a.QueryCount; q++)
        {
            var labels = a.Labels[a.QueryBoundaries[q]..a.QueryBoundaries[q + 1]];
            Assert.InRange(labels.Length, 20, 80);
            Assert.Contains(4.0, labels);
            Assert.Contains(0.0, labels);
            Assert.True(labels.Count(l => l == 0) > labels.Count(l => l == 4));
        }
    }

    [Fact]
    public void SyntheticGeneratorDrawsTheShareOfRelevantDocumentsPerQuery()
    {
        var data = SyntheticLetor.Generate(200, 40, 40, seed: 6);

        var shares = Enumerable.Range(0, data.QueryCount)
            .Select(q => data.Labels[data.QueryBoundaries[q]..data.QueryBoundaries[q + 1]].Count(l => l > 0) / 40.0)
            .ToArray();

        Assert.All(data.Labels, l => Assert.InRange(l, 0, 4));
        Assert.InRange(shares.Min(), 0.05, 0.2);
        Assert.InRange(shares.Max(), 0.6, 0.75);
    }
}
