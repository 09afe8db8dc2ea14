using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using TechMarket.Ranking;

// Speed and quality figures for docs/ranking.md. Usage:
//   speed   <train.svm> <test.svm> [trees=100] [threads]
//   quality <train.svm> <valid.svm> <test.svm> <trees> <objective> [extra key=value...]
//   mlnet-predict <train.svm> <valid.svm> <test.svm> <trees> <out.pred> [key=value...]  (ML.NET LightGBM lambdarank)
//   mlnet-speed <train.svm> <test.svm> [trees=100] [threads=1]
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: speed <train.svm> <test.svm> [trees] [threads] | quality <train> <valid> <test> <trees> <lambdarank|regression> [key=value]");
    return 2;
}

return args[0] switch
{
    "speed" => Speed(args),
    "quality" => Quality(args),
    "synth" => Synth(args),
    "grad" => Grad(args),
    "score" => Score(args),
    "mlnet-predict" => MlNetPredict(args),
    "mlnet-speed" => MlNetSpeed(args),
    _ => 2,
};

static int Speed(string[] args)
{
    var train = LetorDataset.Load(args[1]);
    var test = LetorDataset.Load(args[2]);
    var trees = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 100;
    var threads = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : Environment.ProcessorCount;
    var options = new RankerOptions { Trees = trees, Threads = threads };
    Console.WriteLine($"train rows {train.RowCount} queries {train.QueryCount} features {train.FeatureCount}; trees {trees}; threads {threads}");

    var times = new List<double>();
    RankingModel? model = null;
    for (var run = 0; run < 3; run++)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        model = RankerTrainer.Train(train, null, options);
        times.Add(sw.Elapsed.TotalSeconds);
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        Console.WriteLine($"train run {run + 1}: {sw.Elapsed.TotalSeconds:F2} s wall, {cpuSeconds:F2} s CPU");
    }

    times.Sort();
    Console.WriteLine($"train median: {times[1]:F2} s");

    var path = Path.Combine(Path.GetTempPath(), $"rank-bench-{Environment.ProcessId}.json");
    model!.Save(path);
    var loads = new List<double>();
    for (var run = 0; run < 21; run++)
    {
        var sw = Stopwatch.StartNew();
        var loaded = RankingModel.Load(path);
        loads.Add(sw.Elapsed.TotalMilliseconds);
        GC.KeepAlive(loaded);
    }

    loads.Sort();
    Console.WriteLine($"model file {new FileInfo(path).Length / 1024.0:F0} KiB; load first {loads[^1]:F1} ms (slowest = cold), median {loads[10]:F2} ms");
    File.Delete(path);

    const int candidates = 1000;
    var rows = test.Features.AsSpan(0, candidates * test.FeatureCount).ToArray();
    var scores = new double[candidates];
    for (var warm = 0; warm < 50; warm++)
    {
        model.Score(rows, test.FeatureCount, scores);
    }

    var before = GC.GetAllocatedBytesForCurrentThread();
    var samples = new List<double>();
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    for (var run = 0; run < 200; run++)
    {
        var sw = Stopwatch.StartNew();
        model.Score(rows, test.FeatureCount, scores);
        samples.Add(sw.Elapsed.TotalMilliseconds);
    }

    var cpuPerCall = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / 200;
    samples.Sort();
    Console.WriteLine($"score {candidates} candidates with {model.Trees.Count} trees: wall min {samples[0]:F3} ms, median {samples[100]:F3} ms, p95 {samples[190]:F3} ms; CPU {cpuPerCall:F3} ms per call");
    GC.KeepAlive(before);
    Console.WriteLine($"allocated by 200 scoring calls: {AllocatedByScoring(model, rows, test.FeatureCount, scores)} bytes");
    if (args.Length > 5)
    {
        var other = RankingModel.Load(args[5]);
        ScoreTimes(other, rows, test.FeatureCount, scores);
    }

    return 0;
}

static int Quality(string[] args)
{
    var train = LetorDataset.Load(args[1]);
    var valid = LetorDataset.Load(args[2]);
    var test = LetorDataset.Load(args[3]);
    var options = new RankerOptions
    {
        Trees = int.Parse(args[4], CultureInfo.InvariantCulture),
        Objective = args[5] == "regression" ? RankingObjectiveKind.Regression : RankingObjectiveKind.LambdaRank,
    };
    options = WithSettings(options, args.Skip(6));

    var sw = Stopwatch.StartNew();
    var model = RankerTrainer.Train(train, valid, options);
    var seconds = sw.Elapsed.TotalSeconds;
    var eval = RankingMetrics.Evaluate(test.Labels, model.Score(test), test.QueryBoundaries, 10);
    var prefix = Math.Min(100, model.Trees.Count);
    var first = new RankingModel(model.Objective, model.InitialScore, [.. model.FeatureNames], model.Bins, [.. model.Trees.Take(prefix)], options, model.Summary);
    var eval100 = RankingMetrics.Evaluate(test.Labels, first.Score(test), test.QueryBoundaries, 10);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{options.Objective} {string.Join(' ', args.Skip(6))} trees={model.Trees.Count}: train NDCG@10 {model.Summary.TrainNdcg:F4} valid {model.Summary.ValidNdcg:F4} test NDCG@10 @{prefix} {eval100.Ndcg:F4} @{model.Trees.Count} {eval.Ndcg:F4} MAP {eval.Map:F4} R@10 {eval.Recall:F4} ({seconds:F1} s)"));
    return 0;
}

static int Synth(string[] args)
{
    var dir = args[1];
    var seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
    Directory.CreateDirectory(dir);
    SyntheticLetor.Generate(800, 20, 80, seed, 1).Save(Path.Combine(dir, "train.svm"));
    SyntheticLetor.Generate(200, 20, 80, seed + 1, 801).Save(Path.Combine(dir, "valid.svm"));
    SyntheticLetor.Generate(400, 20, 80, seed + 2, 1001).Save(Path.Combine(dir, "test.svm"));
    return 0;
}

static int Grad(string[] args)
{
    var train = LetorDataset.Load(args[1]);
    var threads = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
    var objective = new LambdaRankObjective(train.Labels, train.QueryBoundaries, threads: threads);
    var scores = new double[train.RowCount];
    var random = new Random(1);
    for (var i = 0; i < scores.Length; i++)
    {
        scores[i] = random.NextDouble();
    }

    var g = new double[scores.Length];
    var h = new double[scores.Length];
    var sw = Stopwatch.StartNew();
    for (var it = 0; it < 20; it++)
    {
        objective.ComputeGradients(scores, g, h);
    }

    Console.WriteLine($"gradients: {sw.Elapsed.TotalMilliseconds / 20:F1} ms per iteration ({threads} threads)");
    return 0;
}

static long AllocatedByScoring(RankingModel model, double[] rows, int featureCount, double[] scores)
{
    var before = GC.GetAllocatedBytesForCurrentThread();
    for (var run = 0; run < 200; run++)
    {
        model.Score(rows, featureCount, scores);
    }

    return GC.GetAllocatedBytesForCurrentThread() - before;
}

static void ScoreTimes(RankingModel model, double[] rows, int featureCount, double[] scores)
{
    for (var warm = 0; warm < 50; warm++)
    {
        model.Score(rows, featureCount, scores);
    }

    var samples = new double[200];
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    for (var run = 0; run < samples.Length; run++)
    {
        var start = Stopwatch.GetTimestamp();
        model.Score(rows, featureCount, scores);
        samples[run] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    var cpuPerCall = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / samples.Length;
    Array.Sort(samples);
    Console.WriteLine($"score {scores.Length} candidates with {model.Trees.Count} trees: wall min {samples[0]:F3} ms, median {samples[100]:F3} ms, p95 {samples[190]:F3} ms; CPU {cpuPerCall:F3} ms per call");
}

static int Score(string[] args)
{
    var test = LetorDataset.Load(args[1]);
    const int candidates = 1000;
    var rows = test.Features.AsSpan(0, candidates * test.FeatureCount).ToArray();
    var scores = new double[candidates];
    foreach (var path in args.Skip(2))
    {
        var model = RankingModel.Load(path);
        ScoreTimes(model, rows, test.FeatureCount, scores);
        Console.WriteLine($"allocated by 200 scoring calls: {AllocatedByScoring(model, rows, test.FeatureCount, scores)} bytes");
    }

    return 0;
}

static RankerOptions WithSettings(RankerOptions options, IEnumerable<string> settings)
{
    foreach (var kv in settings)
    {
        var parts = kv.Split('=');
        var v = double.Parse(parts[1], CultureInfo.InvariantCulture);
        options = parts[0] switch
        {
            "leaves" => options with { NumLeaves = (int)v },
            "lr" => options with { LearningRate = v },
            "min_data" => options with { MinDataInLeaf = (int)v },
            "ff" => options with { FeatureFraction = v },
            "l2" => options with { LambdaL2 = v },
            "sigmoid" => options with { Sigmoid = v },
            "es" => options with { EarlyStoppingRounds = (int)v },
            "min_hess" => options with { MinSumHessianInLeaf = v },
            "trunc" => options with { TruncationLevel = (int)v },
            "bag" => options with { BaggingFraction = v },
            "bag_freq" => options with { BaggingFrequency = (int)v },
            "norm" => options with { NormalizeLambdas = v != 0 },
            "seed" => options with { Seed = (int)v },
            "threads" => options with { Threads = (int)v },
            _ => throw new ArgumentException(parts[0]),
        };
    }

    return options;
}

static int MlNetPredict(string[] args)
{
    var train = LetorDataset.Load(args[1]);
    var valid = LetorDataset.Load(args[2]);
    var test = LetorDataset.Load(args[3]);
    var options = WithSettings(new RankerOptions { Trees = int.Parse(args[4], CultureInfo.InvariantCulture), Threads = 1 }, args.Skip(6));
    var ml = new MLContext(seed: options.Seed);
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    var model = MlNetLightGbm.Train(ml, train, options.EarlyStoppingRounds > 0 ? valid : null, options, out _);
    var seconds = sw.Elapsed.TotalSeconds;
    var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
    var scores = MlNetLightGbm.Score(ml, model, test);
    File.WriteAllLines(args[5], scores.Select(s => s.ToString("R", CultureInfo.InvariantCulture)));
    var validNdcg = RankingMetrics.MeanNdcgAtK(valid.Labels, MlNetLightGbm.Score(ml, model, valid), valid.QueryBoundaries, 10);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ML.NET LightGBM {options.Trees} trees: {seconds:F2} s wall, {cpuSeconds:F2} s CPU; valid NDCG@10 {validNdcg:F4}"));
    return 0;
}

static int MlNetSpeed(string[] args)
{
    var train = LetorDataset.Load(args[1]);
    var test = LetorDataset.Load(args[2]);
    var trees = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 100;
    var threads = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 1;
    var options = new RankerOptions { Trees = trees, Threads = threads };
    Console.WriteLine($"ML.NET LightGBM: train rows {train.RowCount} queries {train.QueryCount} features {train.FeatureCount}; trees {trees}; threads {threads}");
    var ml = new MLContext(seed: 1);
    ITransformer? model = null;
    var times = new List<double>();
    for (var run = 0; run < 3; run++)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        model = MlNetLightGbm.Train(ml, train, null, options, out _);
        times.Add(sw.Elapsed.TotalSeconds);
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        Console.WriteLine($"train run {run + 1}: {sw.Elapsed.TotalSeconds:F2} s wall, {cpuSeconds:F2} s CPU (load {File.ReadAllText("/proc/loadavg")[..14]})");
    }

    times.Sort();
    Console.WriteLine($"train median: {times[1]:F2} s");

    const int candidates = 1000;
    using var engine = MlNetLightGbm.Engine(ml, model!, test.FeatureCount);
    var inputs = Enumerable.Range(0, candidates).Select(r => new MlNetLightGbm.ScoringRow { Features = [.. test.Row(r).ToArray().Select(v => (float)v)] }).ToArray();
    var output = new MlNetLightGbm.ScoreRow();
    var scores = new float[candidates];
    void ScoreAll()
    {
        for (var i = 0; i < inputs.Length; i++)
        {
            engine.Predict(inputs[i], ref output);
            scores[i] = output.Score;
        }
    }

    for (var warm = 0; warm < 50; warm++)
    {
        ScoreAll();
    }

    var samples = new double[200];
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    for (var run = 0; run < samples.Length; run++)
    {
        var start = Stopwatch.GetTimestamp();
        ScoreAll();
        samples[run] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    var cpuPerCall = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / samples.Length;
    Array.Sort(samples);
    Console.WriteLine($"score {candidates} candidates (one PredictionEngine) with {trees} trees: wall min {samples[0]:F3} ms, median {samples[100]:F3} ms, p95 {samples[190]:F3} ms; CPU {cpuPerCall:F3} ms per call (load {File.ReadAllText("/proc/loadavg")[..14]})");
    return 0;
}
