using System.Globalization;
using System.Text;
using TechMarket.Matching;

namespace TechMarket.Cli.Commands;

/// <summary>
/// <c>techmarket match features</c>: the training rows of the matching model from a benchmark with judgements,
/// computed by the server's own pipeline (its candidates and <see cref="PairFeatures"/>), as a LETOR file for
/// <c>techmarket rank train</c>.
/// </summary>
internal static class MatchCommand
{
    private const string Usage = "用法：techmarket match features --docs 文件 --queries 文件 --qrels 文件 --output 文件.svm [--needs-meta 文件] [--field-share 0.5] [--split all|even|odd] [--candidates 200]\n" +
        "      techmarket match train --model 文件 [--base 文件.svm]... [--db 文件 | --postgres 连接串] [--no-market] [--trees 100] [--leaves 31] [--learning-rate 0.1] [--min-data-in-leaf 20] [--seed 1]";

    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error);

    internal static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0)
        {
            throw new CliException(Usage);
        }

        return args[0] switch
        {
            "features" => await FeaturesAsync(args[1..], stdout, stderr),
            "train" => await TrainAsync(args[1..], stdout, stderr),
            _ => throw new CliException($"未知的 match 子命令：{args[0]}（可用：features、train）"),
        };
    }

    private static async Task<int> FeaturesAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var options = CliArgs.Parse(args, ["--docs", "--queries", "--qrels", "--output", "--needs-meta", "--field-share", "--split", "--candidates", "--backend", "--pg"]);
        var qrels = EvalCommand.ReadQrels(CliArgs.ExistingFile(options.Require("--qrels")));
        var output = options.Require("--output");
        var fieldShare = options.GetDouble("--field-share", 0.5, 0, 1);
        var needFields = options.Get("--needs-meta") is { } meta ? MatchBench.ReadNeedFields(CliArgs.ExistingFile(meta)) : [];
        var candidates = options.GetInt("--candidates", 200, 1, 1000);
        await using var bench = await MatchBench.OpenAsync(options, stderr);
        var pipeline = bench.Pipeline(() => null);

        int queries = 0, rows = 0, index = 0;
        await using (var writer = new StreamWriter(output, false, new UTF8Encoding(false)))
        {
            await writer.WriteLineAsync("# features: " + string.Join(' ', PairFeatures.Names.Select((n, i) => $"{i + 1}={n}")));
            foreach (var (qid, text) in bench.Queries)
            {
                // The need's own field is known for a share of the queries (as in the market, where a need names its
                // field), so the model learns what field agreement means when there is one.
                var field = index++ % 100 < fieldShare * 100 ? needFields.GetValueOrDefault(qid) : null;
                if (!qrels.TryGetValue(qid, out var judged) || !judged.Values.Any(g => g > 0))
                {
                    continue;
                }

                var suggestions = await pipeline.SuggestAsync(MatchBench.Need(text, field), new MatchOptions { Candidates = candidates, Top = candidates, WithReasons = false });
                var labelled = suggestions.Select(s => (Suggestion: s, Grade: judged.GetValueOrDefault(bench.DocIds[(int)s.Candidate.Id]))).ToList();
                if (!labelled.Any(l => l.Grade > 0))
                {
                    continue;
                }

                queries++;
                var sb = new StringBuilder();
                foreach (var (s, grade) in labelled.OrderBy(l => l.Suggestion.SearchRank))
                {
                    sb.Clear().Append(grade.ToString(CultureInfo.InvariantCulture)).Append(" qid:").Append(queries.ToString(CultureInfo.InvariantCulture));
                    for (var f = 0; f < s.Features.Length; f++)
                    {
                        sb.Append(' ').Append((f + 1).ToString(CultureInfo.InvariantCulture)).Append(':').Append(s.Features[f].ToString("R", CultureInfo.InvariantCulture));
                    }

                    sb.Append(" # ").Append(qid).Append(' ').Append(bench.DocIds[(int)s.Candidate.Id]);
                    await writer.WriteLineAsync(sb.ToString());
                    rows++;
                }
            }
        }

        if (rows == 0)
        {
            File.Delete(output);
            throw new CliException("没有写出任何训练行：没有一条需求的候选中含有 qrels 判为相关的文档");
        }

        await stdout.WriteLineAsync($"已写出 {queries} 条需求、{rows} 行特征：{output}");
        return 0;
    }

    /// <summary>
    /// <c>match train</c>: a matching model from the market's own labels (interest, both sides, declines) in the
    /// database, plus any public rows given with --base; written next to --model and moved over it in one step, so
    /// a running server never reads half a file and takes the new model up within seconds.
    /// </summary>
    private static async Task<int> TrainAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var options = CliArgs.Parse(args, [.. DatabaseTarget.OptionNames, "--model", "--base", "--trees", "--leaves", "--learning-rate", "--min-data-in-leaf", "--seed", "--candidates"], ["--no-market"]);
        var modelPath = Path.GetFullPath(options.Require("--model"));
        var defaults = new Ranking.RankerOptions();
        var rankerOptions = new Ranking.RankerOptions
        {
            Trees = options.GetInt("--trees", defaults.Trees, 1, 10_000),
            NumLeaves = options.GetInt("--leaves", defaults.NumLeaves, 2, 4096),
            LearningRate = options.GetDouble("--learning-rate", defaults.LearningRate, 1e-6, 10),
            MinDataInLeaf = options.GetInt("--min-data-in-leaf", defaults.MinDataInLeaf, 0),
            Seed = options.GetInt("--seed", defaults.Seed),
        };

        var rows = new List<Ranking.LetorRow>();
        foreach (var (path, i) in options.GetAll("--base").Select((p, i) => (p, i)))
        {
            var data = Ranking.LetorDataset.Load(CliArgs.ExistingFile(path));
            rows.AddRange(Market.Matching.MatchTraining.FileRows(data, $"base{i}:"));
        }

        var fromBase = rows.Count;
        var marketQueries = 0;
        if (!options.Has("--no-market"))
        {
            var target = DatabaseTarget.From(options);
            await using var db = await target.OpenUpgradedAsync();
            using var index = Data.Indexing.SearchIndexer.OpenIndex(target.Options);
            var market = await Market.Matching.MatchTraining.MarketRowsAsync(db, index, options.GetInt("--candidates", 200, 1, 1000));
            marketQueries = market.Select(r => r.QueryId).Distinct().Count();
            rows.AddRange(market);
            await stderr.WriteLineAsync($"平台标注：{market.Count} 行，{marketQueries} 条需求（{target.Describe()}）");
        }

        if (rows.Count == 0)
        {
            throw new CliException("没有训练数据：平台上还没有表达意向或婉拒的撮合，也没有用 --base 提供公开数据");
        }

        var dataset = Ranking.LetorDataset.FromRows(PairFeatures.Names, rows);
        using var model = Ranking.RankerTrainer.Train(dataset, null, rankerOptions, warning: w => stderr.WriteLine(w));
        var dir = Path.GetDirectoryName(modelPath)!;
        Directory.CreateDirectory(dir);
        var temporary = Path.Combine(dir, $".{Path.GetFileName(modelPath)}.{Environment.ProcessId}.tmp");
        model.Save(temporary);
        File.Move(temporary, modelPath, overwrite: true);
        await stdout.WriteLineAsync($"撮合模型已写入 {modelPath}：{dataset.QueryCount} 条需求、{dataset.RowCount} 行（公开数据 {fromBase} 行，平台标注 {rows.Count - fromBase} 行），{model.Trainer}，{model.TreeCount} 棵树");
        return 0;
    }
}
