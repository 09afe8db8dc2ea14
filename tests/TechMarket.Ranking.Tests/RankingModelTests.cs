using System.IO.Compression;
using System.Text;
using Microsoft.ML;

namespace TechMarket.Ranking.Tests;

public sealed class RankingModelTests
{
    private static readonly LetorDataset Data = SyntheticLetor.Generate(40, 10, 30, seed: 21);
    private static readonly Lazy<RankingModel> Shared = new(() => RankerTrainer.Train(Data, null, new RankerOptions { Trees = 10, NumLeaves = 7 }));

    private static RankingModel Model => Shared.Value;

    private static byte[] Bytes(RankingModel model)
    {
        using var stream = new MemoryStream();
        model.Save(stream);
        return stream.ToArray();
    }

    private static string Metadata(byte[] file)
    {
        using var zip = new ZipArchive(new MemoryStream(file), ZipArchiveMode.Read);
        using var reader = new StreamReader(zip.GetEntry(RankingModel.MetadataEntry)!.Open());
        return reader.ReadToEnd();
    }

    private static byte[] WithMetadata(byte[] file, string? metadata)
    {
        var stream = new MemoryStream();
        stream.Write(file);
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            zip.GetEntry(RankingModel.MetadataEntry)!.Delete();
            if (metadata is not null)
            {
                using var writer = new StreamWriter(zip.CreateEntry(RankingModel.MetadataEntry).Open());
                writer.Write(metadata);
            }
        }

        return stream.ToArray();
    }

    private static RankingModel Load(byte[] bytes) => RankingModel.Load(new MemoryStream(bytes));

    private static float[][] Rows(LetorDataset data) =>
        [.. Enumerable.Range(0, data.RowCount).Select(r => data.Row(r).ToArray().Select(v => (float)v).ToArray())];

    [Fact]
    public void ASavedModelScoresExactlyLikeTheTrainedOne()
    {
        using var loaded = Load(Bytes(Model));

        Assert.Equal(Model.Score(Data), loaded.Score(Data));
        Assert.Equal(Model.Summary, loaded.Summary);
        Assert.Equal(Model.Parameters, loaded.Parameters);
        Assert.Equal(Model.FeatureNames, loaded.FeatureNames);
        Assert.Equal("lambdarank", loaded.Objective);
        Assert.Equal("lightgbm", loaded.Trainer);
    }

    [Fact]
    public void TheFileIsAnMlNetModelWithOurMetadataBesideIt()
    {
        var file = Bytes(Model);

        var json = Metadata(file);
        var ml = new MLContext(seed: 1);
        var transformer = ml.Model.Load(new MemoryStream(file), out var schema);

        Assert.Contains("\"format\": \"techmarket-ranking-model\"", json, StringComparison.Ordinal);
        Assert.Contains("\"version\": 2", json, StringComparison.Ordinal);
        Assert.Contains("\"featureCount\": 30", json, StringComparison.Ordinal);
        Assert.Contains("\"trainer\": \"lightgbm\"", json, StringComparison.Ordinal);
        Assert.Contains("\"trainNdcg\"", json, StringComparison.Ordinal);
        Assert.NotNull(transformer);
        Assert.NotNull(schema.GetColumnOrNull("Features"));
    }

    [Fact]
    public void SingleBatchAndDatasetScoringAgree()
    {
        var rows = Rows(Data);
        var batch = new float[rows.Length];

        Model.Score(rows, batch);

        Assert.Equal(Model.Score(Data), batch);
        Assert.Equal(batch[17], Model.Score(rows[17]));
        Assert.Equal(batch[3], Model.Score([.. rows[3], 99f]));
    }

    [Fact]
    public void ConcurrentScoringGivesTheSequentialScores()
    {
        var rows = Rows(Data);
        var expected = new float[rows.Length];
        Model.Score(rows, expected);
        var mismatches = 0;

        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
        {
            var scores = new float[rows.Length];
            if (i % 2 == 0)
            {
                Model.Score(rows, scores);
            }
            else
            {
                for (var r = 0; r < rows.Length; r++)
                {
                    scores[r] = Model.Score(rows[(r + i) % rows.Length]);
                }

                scores = [.. Enumerable.Range(0, rows.Length).Select(r => scores[(r - i + (rows.Length * 64)) % rows.Length])];
            }

            if (!scores.SequenceEqual(expected))
            {
                Interlocked.Increment(ref mismatches);
            }
        });

        Assert.Equal(0, mismatches);
    }

    [Fact]
    public void ExplainNamesEveryFeatureAndCreditsTheUsedOnes()
    {
        var row = Rows(Data)[5];

        var explanation = Model.Explain(row);
        var concurrent = new IReadOnlyList<(string Feature, double Contribution)>[8];
        Parallel.For(0, concurrent.Length, i => concurrent[i] = Model.Explain(row));

        Assert.Equal(Data.FeatureCount, explanation.Count);
        Assert.Equal(Model.FeatureNames.Order(), explanation.Select(e => e.Feature).Order());
        Assert.NotEqual(0, explanation[0].Contribution);
        Assert.True(explanation.Zip(explanation.Skip(1)).All(p => Math.Abs(p.First.Contribution) >= Math.Abs(p.Second.Contribution)));
        Assert.All(concurrent, c => Assert.Equal(explanation, c));
    }

    [Fact]
    public void RefusesAnotherVersionWithAChineseMessage()
    {
        var file = Bytes(Model);
        var metadata = Metadata(file).Replace("\"version\": 2", "\"version\": 3", StringComparison.Ordinal);

        var ex = Assert.Throws<RankingInputException>(() => Load(WithMetadata(file, metadata)));

        Assert.Contains("版本 3 不受支持", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesTheHandWrittenLearnersJsonFilesSayingTheFormatChanged()
    {
        const string old = "{\"format\":\"techmarket-ranking-model\",\"version\":1,\"objective\":\"lambdarank\",\"featureNames\":[\"f1\"],\"trees\":[]}";

        var ex = Assert.Throws<RankingInputException>(() => Load(Encoding.UTF8.GetBytes(old)));

        Assert.Contains("版本 1 不受支持", ex.Message, StringComparison.Ordinal);
        Assert.Contains("改用 ML.NET 之前的 JSON 格式", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesFilesThatAreNotOurModels()
    {
        var file = Bytes(Model);
        var ml = new MLContext();
        using var plainMlNet = new MemoryStream();
        ml.Model.Save(ml.Transforms.CopyColumns("B", "A").Fit(ml.Data.LoadFromEnumerable(new[] { new Plain() })), null, plainMlNet);

        Assert.Contains("不是 TechMarket 排序模型文件", Assert.Throws<RankingInputException>(() => Load(Encoding.UTF8.GetBytes("not a model"))).Message, StringComparison.Ordinal);
        Assert.Contains("不是 TechMarket 排序模型文件", Assert.Throws<RankingInputException>(() => Load(Encoding.UTF8.GetBytes("{\"format\":\"xgboost\"}"))).Message, StringComparison.Ordinal);
        Assert.Contains("缺少 techmarket.json", Assert.Throws<RankingInputException>(() => Load(plainMlNet.ToArray())).Message, StringComparison.Ordinal);
        Assert.Contains("不是 TechMarket 排序模型文件", Assert.Throws<RankingInputException>(() => Load(WithMetadata(file, "{\"format\":\"other\",\"version\":2}"))).Message, StringComparison.Ordinal);
        Assert.Contains("featureNames", Assert.Throws<RankingInputException>(() => Load(WithMetadata(file, Metadata(file).Replace("\"featureCount\": 30", "\"featureCount\": 29", StringComparison.Ordinal)))).Message, StringComparison.Ordinal);
        Assert.Contains("不是有效的 ZIP", Assert.Throws<RankingInputException>(() => Load([.. "PK"u8, 1, 2, 3])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesAnMlNetModelOfAnotherShape()
    {
        var narrow = LetorDataset.FromRows(["f1", "f2"], Enumerable.Range(0, 200).Select(i => new LetorRow($"q{i / 10}", i % 3, [i % 3, i % 7])));
        using var small = RankerTrainer.Train(narrow, null, new RankerOptions { Trees = 2, MinDataInLeaf = 5 });
        var file = Bytes(small);
        var lying = Metadata(file).Replace("\"featureCount\": 2", "\"featureCount\": 3", StringComparison.Ordinal)
            .Replace("\"f2\"", "\"f2\", \"f3\"", StringComparison.Ordinal);

        var ex = Assert.Throws<RankingInputException>(() => Load(WithMetadata(file, lying)));

        Assert.Contains("不是 3 个特征的向量", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARowWithTooFewFeaturesIsRefused()
    {
        Assert.Throws<ArgumentException>(() => Model.Score(new float[3]));
    }

    private sealed class Plain
    {
        public float A { get; set; }
    }
}
