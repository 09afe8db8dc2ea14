using System.Globalization;
using System.Text;
using System.Text.Json;
using TechMarket.Ranking;

namespace TechMarket.Cli.Commands;

/// <summary>
/// <c>techmarket rank train|predict|eval|synth</c>: the ranker (LightGBM lambdarank through ML.NET) on LETOR / SVMlight files.
/// </summary>
internal static class RankCommand
{
    private const string UsageText = "用法：techmarket rank train|predict|eval|synth …（见 docs/ranking.md）";

    public static Task<int> RunAsync(string[] args) => Task.FromResult(Run(args, Console.Out, Console.Error));

    /// <summary>Runs a rank verb; progress and reports go to <paramref name="output"/>, warnings to <paramref name="error"/> (stderr by default).</summary>
    internal static int Run(string[] args, TextWriter output, TextWriter? error = null)
    {
        error ??= Console.Error;
        if (args.Length == 0)
        {
            throw new CliException(UsageText);
        }

        var rest = args[1..];
        try
        {
            return args[0] switch
            {
                "train" => Train(rest, output, error),
                "predict" => Predict(rest),
                "eval" => Eval(rest, output),
                "synth" => Synth(rest, output),
                _ => throw new CliException($"未知的 rank 子命令：{args[0]}（可用：train、predict、eval、synth）"),
            };
        }
        catch (LetorFormatException ex)
        {
            throw new CliException(ex.Message);
        }
        catch (RankingInputException ex)
        {
            throw new CliException(ex.Message);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new CliException($"读写文件失败：{ex.Message}");
        }
    }

    private static int Train(string[] args, TextWriter output, TextWriter error)
    {
        var cli = CliArgs.Parse(args, [
            "--train", "--valid", "--model", "--trees", "--leaves", "--learning-rate", "--min-data-in-leaf",
            "--max-bins", "--eval-at", "--early-stopping", "--seed", "--objective", "--min-sum-hessian",
            "--sigmoid", "--truncation-level", "--lambda-l2", "--max-depth", "--feature-fraction", "--threads",
            "--bagging-fraction", "--bagging-freq", "--trainer",
        ], ["--quiet"]);
        if (cli.Get("--truncation-level") is not null)
        {
            throw new CliException("选项 --truncation-level 已不再支持：ML.NET 不提供 LightGBM 的 lambdarank_truncation_level，固定为 LightGBM 的默认值 30");
        }

        var trainPath = CliArgs.ExistingFile(cli.Require("--train"));
        var validPath = cli.Get("--valid") is { } v ? CliArgs.ExistingFile(v) : null;
        var modelPath = cli.Require("--model");
        var objective = cli.Get("--objective") ?? "lambdarank";
        var trainerName = cli.Get("--trainer") ?? "lightgbm";

        // Every default is RankerOptions' own, so the library and the command never disagree.
        var defaults = new RankerOptions();
        var options = new RankerOptions
        {
            Objective = objective switch
            {
                "lambdarank" => RankingObjectiveKind.LambdaRank,
                "regression" => RankingObjectiveKind.Regression,
                _ => throw new CliException($"选项 --objective 的取值无效：{objective}（可用：lambdarank、regression）"),
            },
            Trainer = trainerName switch
            {
                "lightgbm" => RankerTrainerKind.LightGbm,
                "fasttree" => RankerTrainerKind.FastTree,
                _ => throw new CliException($"选项 --trainer 的取值无效：{trainerName}（可用：lightgbm、fasttree）"),
            },
            Trees = cli.GetInt("--trees", defaults.Trees, 1, 100_000),
            NumLeaves = cli.GetInt("--leaves", defaults.NumLeaves, 2, 131_072),
            LearningRate = cli.GetDouble("--learning-rate", defaults.LearningRate, 1e-6, 10),
            MinDataInLeaf = cli.GetInt("--min-data-in-leaf", defaults.MinDataInLeaf, 0),
            MinSumHessianInLeaf = cli.GetDouble("--min-sum-hessian", defaults.MinSumHessianInLeaf, 0),
            MaxBins = cli.GetInt("--max-bins", defaults.MaxBins, 2, 255),
            EvalAt = cli.GetInt("--eval-at", defaults.EvalAt, 1),
            EarlyStoppingRounds = cli.GetInt("--early-stopping", 0, 0),
            Seed = cli.GetInt("--seed", defaults.Seed),
            Sigmoid = cli.GetDouble("--sigmoid", defaults.Sigmoid, 1e-6),
            LambdaL2 = cli.GetDouble("--lambda-l2", defaults.LambdaL2, 0),
            MaxDepth = cli.GetInt("--max-depth", defaults.MaxDepth),
            FeatureFraction = cli.GetDouble("--feature-fraction", defaults.FeatureFraction, 1e-6, 1),
            BaggingFraction = cli.GetDouble("--bagging-fraction", defaults.BaggingFraction, 1e-6, 1),
            BaggingFrequency = cli.GetInt("--bagging-freq", defaults.BaggingFrequency, 0),
            Threads = cli.GetInt("--threads", defaults.Threads, 1, 1024),
        };
        if (options.EarlyStoppingRounds > 0 && validPath is null)
        {
            throw new CliException("选项 --early-stopping 需要同时给出 --valid");
        }

        var train = LetorDataset.Load(trainPath);
        var valid = validPath is null ? null : ReadData(validPath, train.FeatureCount);
        if (valid is not null && valid.RowCount == 0)
        {
            throw new CliException($"验证数据为空：{validPath}");
        }

        var validText = valid is null ? "" : $"；验证数据：{valid.QueryCount} 个查询，{valid.RowCount} 行";
        output.WriteLine($"训练数据：{train.QueryCount} 个查询，{train.RowCount} 行，{train.FeatureCount} 个特征{validText}");
        var quiet = cli.Has("--quiet");
        var k = options.EvalAt;
        var first = true;
        using var model = RankerTrainer.Train(
            train,
            valid,
            options,
            it =>
            {
                if (quiet)
                {
                    return;
                }

                if (first)
                {
                    // ML.NET reports nothing while LightGBM runs: the rounds are scored from the trained trees.
                    output.WriteLine($"逐轮 NDCG@{k}（训练结束后按每一轮的树重新计算）：");
                    first = false;
                }

                var validNdcg = it.ValidNdcg is { } vn ? string.Create(CultureInfo.InvariantCulture, $" 验证 NDCG@{k}={vn:F4}") : "";
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[第 {it.Iteration} 轮] 训练 NDCG@{k}={it.TrainNdcg:F4}{validNdcg} 叶子数={it.Leaves}"));
            },
            message => error.WriteLine($"警告：{message}"));
        model.Save(modelPath);
        var s = model.Summary;
        var stop = s.StopReason switch
        {
            "early-stopping" => $"提前停止（验证 NDCG@{k} 连续 {options.EarlyStoppingRounds} 轮没有提高）",
            "no-split" => "无可分裂的叶子，停止",
            _ => "完成",
        };
        var bestValid = s.ValidNdcg is { } bv ? string.Create(CultureInfo.InvariantCulture, $"，验证 NDCG@{k}={bv:F4}") : "";
        var learner = s.Trainer == "fasttree" ? "ML.NET FastTree" : "LightGBM（ML.NET）";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{stop}：{learner}共 {s.IterationsRun} 轮，保留 {s.BestIteration} 棵树；训练 NDCG@{k}={s.TrainNdcg:F4}{bestValid}；模型已写入 {modelPath}"));
        return 0;
    }

    private static int Predict(string[] args)
    {
        var cli = CliArgs.Parse(args, ["--model", "--data", "--output"]);
        using var model = RankingModel.Load(CliArgs.ExistingFile(cli.Require("--model")));
        var data = ReadData(CliArgs.ExistingFile(cli.Require("--data")), model.FeatureCount);
        var outputPath = cli.Require("--output");
        var scores = model.Score(data);
        using var writer = new StreamWriter(outputPath, false, new UTF8Encoding(false)) { NewLine = "\n" };
        foreach (var score in scores)
        {
            writer.WriteLine(score.ToString("R", CultureInfo.InvariantCulture));
        }

        return 0;
    }

    private static int Eval(string[] args, TextWriter output)
    {
        var cli = CliArgs.Parse(args, ["--data", "--scores", "--model", "--eval-at"]);
        var data = LetorDataset.Load(CliArgs.ExistingFile(cli.Require("--data")));
        var k = cli.GetInt("--eval-at", 10, 1);
        double[] scores;
        if (cli.Get("--model") is { } modelPath)
        {
            using var model = RankingModel.Load(CliArgs.ExistingFile(modelPath));
            scores = [.. model.Score(ReadData(CliArgs.ExistingFile(cli.Require("--data")), model.FeatureCount)).Select(x => (double)x)];
        }
        else
        {
            scores = ReadScores(CliArgs.ExistingFile(cli.Get("--scores") ?? throw new CliException("需要 --scores 或 --model")), data.RowCount);
        }

        var e = RankingMetrics.Evaluate(data.Labels, scores, data.QueryBoundaries, k);
        var json = new Dictionary<string, object>
        {
            ["queries"] = e.Queries,
            [$"nDCG@{k}"] = Math.Round(e.Ndcg, 6),
            [$"MRR@{k}"] = Math.Round(e.Mrr, 6),
            ["MAP"] = Math.Round(e.Map, 6),
            [$"R@{k}"] = Math.Round(e.Recall, 6),
        };
        output.WriteLine(JsonSerializer.Serialize(json));
        return 0;
    }

    private static int Synth(string[] args, TextWriter output)
    {
        var cli = CliArgs.Parse(args, ["--output-dir", "--train-queries", "--valid-queries", "--test-queries", "--min-docs", "--max-docs", "--seed", "--noise"], ["--fixed-shares"]);
        var dir = cli.Require("--output-dir");
        var trainQueries = cli.GetInt("--train-queries", 800, 1, 10_000_000);
        var validQueries = cli.GetInt("--valid-queries", 200, 0, 10_000_000);
        var testQueries = cli.GetInt("--test-queries", 400, 0, 10_000_000);
        var minDocs = cli.GetInt("--min-docs", 20, 1, 100_000);
        var maxDocs = cli.GetInt("--max-docs", 80, 1, 100_000);
        var seed = cli.GetInt("--seed", 1);
        var noise = cli.GetDouble("--noise", 0.6, 0, 100);
        if (maxDocs < minDocs)
        {
            throw new CliException("--max-docs 不能小于 --min-docs");
        }

        if (File.Exists(dir))
        {
            throw new CliException($"--output-dir 指向一个已有的文件，而不是目录：{dir}");
        }

        Directory.CreateDirectory(dir);
        var firstId = 1;
        foreach (var (name, queries, offset) in new[] { ("train", trainQueries, 0), ("valid", validQueries, 1), ("test", testQueries, 2) })
        {
            if (queries == 0)
            {
                continue;
            }

            var data = SyntheticLetor.Generate(queries, minDocs, maxDocs, unchecked((seed * 7919) + offset), firstId, noise, cli.Has("--fixed-shares"));
            var path = Path.Combine(dir, $"{name}.svm");
            data.Save(path);
            firstId += queries;
            output.WriteLine($"已生成 {path}：{data.QueryCount} 个查询，{data.RowCount} 行");
        }

        return 0;
    }

    private static LetorDataset ReadData(string path, int featureCount)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        return LetorDataset.Read(reader, featureCount);
    }

    private static double[] ReadScores(string path, int rows)
    {
        var scores = new List<double>(rows);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (!double.TryParse(line.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var score))
            {
                throw new CliException($"第 {lineNumber} 行：分数无效：“{line}”");
            }

            scores.Add(score);
        }

        return scores.Count == rows
            ? [.. scores]
            : throw new CliException($"分数文件有 {scores.Count} 行，数据有 {rows} 行，二者必须一致");
    }
}
