using System.Diagnostics;
using System.Globalization;
using System.Text;
using TechMarket.Text;

// Benchmarks of the segmenter (see docs/text-analysis.md for the method and the figures).
//   load                      dictionary load time and managed memory, fresh process
//   speed FILE [seconds]      chars/s per mode over the lines of FILE, one thread
//   segment [--mode precise|search] [--no-hmm] < in > out
//                             segment stdin like `techmarket segment` (for scripts/verify-segmenter.sh
//                             when the CLI cannot be built)
var verb = args.Length > 0 ? args[0] : "speed";
return verb switch
{
    "load" => Load(),
    "speed" => Speed(args.Length > 1 ? args[1] : "/tmp/segv/csl.txt", args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 10),
    "segment" => Segment(args.Contains("search") ? "search" : args.Contains("--no-hmm") ? "nohmm" : "precise", args.Contains("--no-hmm")),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: load | speed FILE [seconds] | segment [--mode precise|search] [--no-hmm]");
    return 2;
}

static int Load()
{
    var before = GC.GetTotalMemory(true);
    var process = Process.GetCurrentProcess();
    var cpu0 = process.TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    var segmenter = JiebaSegmenter.Load();
    var first = sw.Elapsed;
    process.Refresh();
    var firstCpu = process.TotalProcessorTime - cpu0;
    var after = GC.GetTotalMemory(true);
    process.Refresh();
    cpu0 = process.TotalProcessorTime;
    sw.Restart();
    var again = JiebaSegmenter.Load();
    var second = sw.Elapsed;
    process.Refresh();
    var secondCpu = process.TotalProcessorTime - cpu0;
    GC.KeepAlive(again);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"load (cold, first in process incl. JIT): wall {first.TotalMilliseconds:F0} ms, CPU {firstCpu.TotalMilliseconds:F0} ms; load (warm): wall {second.TotalMilliseconds:F0} ms, CPU {secondCpu.TotalMilliseconds:F0} ms"));
    var analyzerWatch = Stopwatch.StartNew();
    var analyzer = TextAnalyzer.CreateDefault();
    analyzer.Words("寧波");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"TextAnalyzer.CreateDefault + OpenCC table + first Words call: wall {analyzerWatch.Elapsed.TotalMilliseconds:F0} ms"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"prefix dictionary entries: {segmenter.PrefixDictionarySize:N0}; managed memory held by one segmenter: {(after - before) / 1048576.0:F1} MB"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"process working set: {Environment.WorkingSet / 1048576.0:F1} MB (two segmenters loaded)"));
    GC.KeepAlive(segmenter);
    return 0;
}

static int Speed(string path, double seconds)
{
    var lines = File.ReadAllLines(path, Encoding.UTF8);
    long chars = lines.Sum(l => (long)l.Length);
    var segmenter = JiebaSegmenter.Load();
    var analyzer = TextAnalyzer.Create(segmenter);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{lines.Length:N0} lines, {chars:N0} chars"));
    Run("precise (HMM)", () => { foreach (var l in lines) { segmenter.Cut(l, true); } });
    Run("precise (no HMM)", () => { foreach (var l in lines) { segmenter.Cut(l, false); } });
    Run("search (HMM)", () => { foreach (var l in lines) { segmenter.CutForSearch(l, true); } });
    Run("TextAnalyzer.Words", () => { foreach (var l in lines) { analyzer.Words(l); } });
    Run("TextAnalyzer.Bigrams", () => { foreach (var l in lines) { analyzer.Bigrams(l); } });
    return 0;

    void Run(string name, Action pass)
    {
        pass();
        var best = double.MaxValue;
        var bestCpu = double.MaxValue;
        var total = Stopwatch.StartNew();
        var passes = 0;
        var process = Process.GetCurrentProcess();
        while (total.Elapsed.TotalSeconds < seconds || passes < 3)
        {
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            pass();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
            process.Refresh();
            bestCpu = Math.Min(bestCpu, (process.TotalProcessorTime - cpu0).TotalSeconds);
            passes++;
        }

        // CPU time is what "per core" means on a shared machine; it includes the GC's own threads.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-22} wall {chars / best / 1e6,6:F2} M chars/s; CPU {chars / bestCpu / 1e6,6:F2} M chars per CPU-second (best of {passes} passes)"));
    }
}

static int Segment(string mode, bool noHmm)
{
    var segmenter = JiebaSegmenter.Load();
    using var input = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
    using var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16);
    var sb = new StringBuilder();
    while (input.ReadLine() is { } line)
    {
        var tokens = mode == "search" ? segmenter.CutForSearch(line, !noHmm) : segmenter.Cut(line, !noHmm);
        sb.Clear();
        foreach (var t in tokens)
        {
            if (!JiebaSegmenter.IsWhitespaceToken(t))
            {
                if (sb.Length > 0)
                {
                    sb.Append(' ');
                }

                sb.Append(t);
            }
        }

        output.Write(sb);
        output.Write('\n');
    }

    return 0;
}
