using System.Text.Json;
using TechMarket.Cli.Commands;

namespace TechMarket.Cli.Tests;

public sealed class EvalSearchCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tm-eval-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private (string Docs, string Queries, string Qrels, string Run) Files()
    {
        var docs = Write("docs.jsonl", """
            {"id": "d1", "title": "锂电池回收技术", "text": "废旧锂电池正极材料的湿法回收工艺。", "keywords": ["港口"]}
            {"id": "d2", "title": "港口集装箱调度", "text": "集装箱智能调度算法。"}
            {"id": "d3", "title": "", "text": "注塑成型工艺参数优化。", "discipline": "材料科学与工程"}
            """);
        var queries = Write("queries.tsv", "q1\t锂电池回收\nq2\t集装箱调度\nq3\t注塑\n");
        var qrels = Write("qrels.trec", "q1 0 d1 1\nq2 0 d2 1\nq3 0 d1 1\nq9 0 d2 0\n");
        return (docs, queries, qrels, Path.Combine(_dir, "out.run"));
    }

    [Fact]
    public async Task WritesATrecRunAndPrintsTheContractMetrics()
    {
        var (docs, queries, qrels, run) = Files();
        var stdout = new StringWriter();

        var code = await EvalCommand.RunAsync(["search", "--docs", docs, "--queries", queries, "--qrels", qrels, "--run", run], stdout, TextWriter.Null);

        Assert.Equal(0, code);
        var lines = File.ReadAllLines(run).Select(l => l.Split(' ')).ToList();
        Assert.All(lines, l => Assert.Equal(6, l.Length));
        Assert.All(lines, l => Assert.Equal("Q0", l[1]));
        Assert.All(lines, l => Assert.Equal("techmarket", l[5]));
        Assert.Equal(["q1", "Q0", "d1", "1"], lines[0][..4]);
        Assert.Equal("d2", lines.First(l => l[0] == "q2")[2]);
        using var json = JsonDocument.Parse(stdout.ToString());
        var root = json.RootElement;
        Assert.Equal(3, root.GetProperty("queries").GetInt32());
        Assert.Equal((1 + 1 + 0) / 3.0, root.GetProperty("MRR@10").GetDouble(), 4);
        Assert.Equal(2 / 3.0, root.GetProperty("R@100").GetDouble(), 4);
        Assert.True(root.TryGetProperty("nDCG@10", out _));
        Assert.True(root.TryGetProperty("R@10", out _));
    }

    [Fact]
    public async Task NeverIndexesTheKeywordsField()
    {
        var (docs, _, _, run) = Files();
        var queries = Write("kw.tsv", "q1\t港口\n");

        await EvalCommand.RunAsync(["search", "--docs", docs, "--queries", queries, "--run", run], TextWriter.Null, TextWriter.Null);

        Assert.DoesNotContain(File.ReadAllLines(run), l => l.Split(' ')[2] == "d1");
    }

    [Fact]
    public async Task HonoursTheDepth()
    {
        var (docs, _, _, run) = Files();
        var queries = Write("broad.tsv", "q1\t锂电池 集装箱 注塑\n");

        await EvalCommand.RunAsync(["search", "--docs", docs, "--queries", queries, "--run", run, "--depth", "2"], TextWriter.Null, TextWriter.Null);

        Assert.Equal(2, File.ReadAllLines(run).Length);
    }

    [Fact]
    public void ComputesNdcgWithGradedGains()
    {
        var run = new Dictionary<string, List<string>> { ["q"] = ["a", "b", "c"] };
        var qrels = new Dictionary<string, Dictionary<string, int>> { ["q"] = new() { ["b"] = 2, ["c"] = 1 } };

        var json = JsonDocument.Parse(EvalCommand.Metrics(run, qrels)).RootElement;

        var dcg = (3 / Math.Log2(3)) + (1 / Math.Log2(4));
        var ideal = 3 + (1 / Math.Log2(3));
        Assert.Equal(dcg / ideal, json.GetProperty("nDCG@10").GetDouble(), 4);
        Assert.Equal(0.5, json.GetProperty("MRR@10").GetDouble(), 4);
    }

    [Fact]
    public async Task RejectsAMalformedDocumentLineNamingIt()
    {
        var (_, queries, _, run) = Files();
        var docs = Write("bad.jsonl", "{\"id\": \"d1\", \"text\": \"好\"}\n{not json\n");

        var ex = await Assert.ThrowsAsync<CliException>(() => EvalCommand.RunAsync(["search", "--docs", docs, "--queries", queries, "--run", run], TextWriter.Null, TextWriter.Null));

        Assert.Contains("第 2 行", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RejectsAQueryLineWithoutATab()
    {
        var (docs, _, _, run) = Files();
        var queries = Write("bad.tsv", "q1 锂电池\n");

        var ex = await Assert.ThrowsAsync<CliException>(() => EvalCommand.RunAsync(["search", "--docs", docs, "--queries", queries, "--run", run], TextWriter.Null, TextWriter.Null));

        Assert.Contains("第 1 行", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RejectsAMissingFile()
    {
        var ex = await Assert.ThrowsAsync<CliException>(() => EvalCommand.RunAsync(["search", "--docs", Path.Combine(_dir, "none.jsonl"), "--queries", "x", "--run", "y"], TextWriter.Null, TextWriter.Null));

        Assert.Contains("找不到文件", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvalMatchRunsThePipelineWithTheShippedModelOrInSearchOrder()
    {
        var (docs, queries, qrels, run) = Files();
        var withModel = new StringWriter();
        var stderr = new StringWriter();

        var code = await EvalCommand.RunAsync(["match", "--docs", docs, "--queries", queries, "--qrels", qrels, "--run", run], withModel, stderr);
        var modelRun = File.ReadAllLines(run);
        var noModel = new StringWriter();
        await EvalCommand.RunAsync(["match", "--docs", docs, "--queries", queries, "--qrels", qrels, "--run", run, "--model", "none"], noModel, TextWriter.Null);

        Assert.Equal(0, code);
        Assert.Contains("bootstrap.model", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(["q1", "Q0", "d1", "1"], modelRun[0].Split(' ')[..4]);
        Assert.All(modelRun, l => Assert.Equal("techmarket", l.Split(' ')[5]));
        Assert.Equal(3, JsonDocument.Parse(withModel.ToString()).RootElement.GetProperty("queries").GetInt32());
        Assert.Equal(2 / 3.0, JsonDocument.Parse(noModel.ToString()).RootElement.GetProperty("R@100").GetDouble(), 4);
    }

    [Fact]
    public async Task EvalMatchRefusesAModelFileItCannotRead()
    {
        var (docs, queries, _, run) = Files();
        var bogus = Write("bogus.model", "not a model");

        var ex = await Assert.ThrowsAsync<CliException>(() => EvalCommand.RunAsync(["match", "--docs", docs, "--queries", queries, "--run", run, "--model", bogus], TextWriter.Null, TextWriter.Null));

        Assert.Matches("[\u4e00-\u9fff]", ex.Message);
    }

    [Fact]
    public async Task EvalMatchRefusesABenchmarkWithNoQueries()
    {
        var (docs, _, _, run) = Files();
        var empty = Write("empty.tsv", "");

        var ex = await Assert.ThrowsAsync<CliException>(() => EvalCommand.RunAsync(["match", "--docs", docs, "--queries", empty, "--run", run, "--model", "none"], TextWriter.Null, TextWriter.Null));

        Assert.Contains("没有需求", ex.Message, StringComparison.Ordinal);
    }
}
