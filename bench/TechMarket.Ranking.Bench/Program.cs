using System.Diagnostics;
using System.Globalization;
using TechMarket.Ranking;

// Speed and quality figures for docs/ranking.md. Usage:
//   speed   <train.svm> <test.svm> [trees=100] [threads=1] [lightgbm|fasttree]
//   quality <train.svm> <valid.svm> <test.svm> <trees> <lambdarank|regression> [key=value...]
//   score   <test.svm> <model.zip>...
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: speed <train.svm> <test.svm> [trees] [threads] [lightgbm|fasttree] | quality <train> <valid> <test> <trees> <lambdarank|regression> [key=value] | score <test.svm> <model>...");
    return 2;
}

return args[0] switch
{
    "speed" => Speed(args),
    "quality" => Quality(args),
    "score" => Score(args),
    _ => 2,
};

static string Load() => File.ReadAllText("/proc/loadavg")[..14];

static int Speed(string[] args)
{
    var train = LetorDataset.Load(args[1]);
    var test = LetorDataset.Load(args[2]);
    var trees = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 100;
    var threads = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 1;
    var trainer = args.Length > 5 && args[5] == "fasttree" ? RankerTrainerKind.FastTree : RankerTrainerKind.LightGbm;
    var options = new RankerOptions { Trees = trees, Threads = threads, Trainer = trainer };
    Console.WriteLine($"{trainer}: train rows {train.RowCount} queries {train.QueryCount} features {train.FeatureCount}; trees {trees}; threads {threads}");

    var times = new List<double>();
    RankingModel? model = null;
    for (var run = 0; run < 3; run++)
    {
        model?.Dispose();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        model = RankerTrainer.Train(train, null, options);
        times.Add(sw.Elapsed.TotalSeconds);
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        Console.WriteLine($"train run {run + 1} (with the per-round NDCG log): {sw.Elapsed.TotalSeconds:F2} s wall, {cpuSeconds:F2} s CPU (load {Load()})");
    }

    times.Sort();
    Console.WriteLine($"train median: {times[1]:F2} s");

    var path = Path.Combine(Path.GetTempPath(), $"rank-bench-{Environment.ProcessId}.zip");
    model!.Save(path);
    var loads = new List<double>();
    for (var run = 0; run < 11; run++)
    {
        var sw = Stopwatch.StartNew();
        using var loaded = RankingModel.Load(path);
        loaded.Score(new float[loaded.FeatureCount]);
        loads.Add(sw.Elapsed.TotalMilliseconds);
    }

    Console.WriteLine($"model file {new FileInfo(path).Length / 1024.0:F0} KiB; load + first score: first {loads[0]:F1} ms (cold), median {loads.Order().ElementAt(5):F1} ms");
    File.Delete(path);
    ScoreTimes(model, test);
    model.Dispose();
    return 0;
}

static void ScoreTimes(RankingModel model, LetorDataset test)
{
    const int candidates = 1000;
    var rows = Enumerable.Range(0, candidates).Select(r => test.Row(r).ToArray().Select(v => (float)v).ToArray()).ToArray();
    var scores = new float[candidates];
    for (var warm = 0; warm < 50; warm++)
    {
        model.Score(rows, scores);
    }

    var samples = new double[200];
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var allocated = GC.GetAllocatedBytesForCurrentThread();
    for (var run = 0; run < samples.Length; run++)
    {
        var start = Stopwatch.GetTimestamp();
        model.Score(rows, scores);
        samples[run] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
    var cpuPerCall = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / samples.Length;
    Array.Sort(samples);
    Console.WriteLine($"score {candidates} candidates (one query, pooled PredictionEngine) with {model.TreeCount} trees: wall min {samples[0]:F3} ms, median {samples[100]:F3} ms, p95 {samples[190]:F3} ms; CPU {cpuPerCall:F3} ms per call; {(double)allocated / samples.Length / candidates:F1} bytes allocated per candidate (load {Load()})");

    // Two threads scoring at once (the server's requests share the model).
    var sw = Stopwatch.StartNew();
    Parallel.For(0, 100, new ParallelOptions { MaxDegreeOfParallelism = 2 }, _ =>
    {
        var mine = new float[candidates];
        model.Score(rows, mine);
    });
    Console.WriteLine($"100 queries of {candidates} candidates on 2 threads: {sw.Elapsed.TotalMilliseconds / 100:F3} ms per query wall (load {Load()})");
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
    foreach (var kv in args.Skip(6))
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
            "bag" => options with { BaggingFraction = v },
            "bag_freq" => options with { BaggingFrequency = (int)v },
            "seed" => options with { Seed = (int)v },
            "threads" => options with { Threads = (int)v },
            "fasttree" => options with { Trainer = v != 0 ? RankerTrainerKind.FastTree : RankerTrainerKind.LightGbm },
            _ => throw new ArgumentException(parts[0]),
        };
    }

    var sw = Stopwatch.StartNew();
    var log = new List<TrainingIteration>();
    using var model = RankerTrainer.Train(train, valid, options, log.Add);
    var seconds = sw.Elapsed.TotalSeconds;
    var eval = RankingMetrics.Evaluate(test.Labels, [.. model.Score(test).Select(s => (double)s)], test.QueryBoundaries, 10);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{model.Trainer} {options.Objective} {string.Join(' ', args.Skip(6))} trees={model.TreeCount}: train NDCG@10 {model.Summary.TrainNdcg:F4} valid {model.Summary.ValidNdcg:F4} (@100 {(log.Count >= 100 ? log[99].ValidNdcg : null):F4}) test NDCG@10 {eval.Ndcg:F4} MAP {eval.Map:F4} R@10 {eval.Recall:F4} ({seconds:F1} s)"));
    return 0;
}

static int Score(string[] args)
{
    var test = LetorDataset.Load(args[1]);
    foreach (var path in args.Skip(2))
    {
        using var model = RankingModel.Load(path);
        ScoreTimes(model, test);
    }

    return 0;
}
