using System.Diagnostics;
using System.Globalization;
using TechMarket.Matching;
using TechMarket.Search;

// Matching latency: suggestions for one need over N published achievements (SQLite index as the server keeps
// it), 200 candidates scored by the shipped model, reasons and highlights included — the pipeline the server's
// suggestions run, with the catalog in memory (the server reads those 200 rows from its tables instead).
// Usage: TechMarket.Matching.Bench [--docs 100000] [--needs 500] [--candidates 200] [--data ../shared/data/csl] [--model FILE]
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    options[args[i]] = args[i + 1];
}

var count = int.Parse(options.GetValueOrDefault("--docs", "100000"), CultureInfo.InvariantCulture);
var needCount = int.Parse(options.GetValueOrDefault("--needs", "500"), CultureInfo.InvariantCulture);
var candidates = int.Parse(options.GetValueOrDefault("--candidates", "200"), CultureInfo.InvariantCulture);
var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
var data = options.GetValueOrDefault("--data", Path.Combine(root, "../shared/data/csl"));
var modelPath = options.GetValueOrDefault("--model", Path.Combine(root, "ml-models/match/bootstrap.model"));
foreach (var required in new[] { Path.Combine(data, "M1x_need2supply_distractors", "docs.jsonl"), Path.Combine(data, "M1_need2supply", "queries.dev.tsv"), modelPath })
{
    if (!File.Exists(required))
    {
        Console.Error.WriteLine($"缺少基准数据或模型：{required}");
        return 1;
    }
}

void Report(string name, List<double> times, double cpuMs)
{
    times.Sort();
    double P(double q) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(q * times.Count) - 1)];
    Console.WriteLine(FormattableString.Invariant($"{name}: p50 {P(0.50):F1} ms, p90 {P(0.90):F1} ms, p99 {P(0.99):F1} ms, max {times[^1]:F1} ms; CPU {cpuMs:F1} ms/need; load {LoadAverage()}"));
}

string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

// Every listing is an achievement here: the need side searches achievements only.
var listings = CslListings.Build(Path.Combine(data, "M1x_need2supply_distractors", "docs.jsonl"), count, new Random(42))
    .Select(l => l with { Kind = ListingKind.Achievement }).ToList();
var needs = File.ReadLines(Path.Combine(data, "M1_need2supply", "queries.dev.tsv")).Select(l => l.Split('\t')[1]).Take(needCount).ToList();
var catalog = new MemoryCatalog(listings.ToDictionary(l => l.Id, l => new MatchSide
{
    Id = l.Id,
    Kind = ListingKind.Achievement,
    Title = l.Title,
    Body = l.Body,
    Field = l.Field,
    District = l.District,
    Maturity = l.Maturity,
    Price = l.Price,
    OrganisationId = l.Id % 500,
}));

// --db keeps the index between runs (built when the file is absent); without it a temporary one is built and removed.
var keep = options.TryGetValue("--db", out var keptPath);
var path = keep ? Path.GetFullPath(keptPath!) : Path.Combine(Path.GetTempPath(), $"tm-match-bench-{Guid.NewGuid():N}.db");
var build = !File.Exists(path);
try
{
    using var index = new SqliteSearchIndex($"Data Source={path}");
    var watch = Stopwatch.StartNew();
    if (build)
    {
        foreach (var batch in listings.Chunk(2000))
        {
            await index.UpsertAsync(batch);
        }

        await index.OptimizeAsync();
    }

    Console.WriteLine(FormattableString.Invariant($"index: {listings.Count} achievements {(build ? "built" : "reused")} in {watch.Elapsed.TotalSeconds:F1} s; needs={needs.Count} candidates={candidates} cores={Environment.ProcessorCount} load {LoadAverage()}"));

    // Search alone, as the pipeline asks it (the candidates with their score parts, no highlights or facets).
    {
        var query = (string need) => new SearchQuery { Text = need, Kind = ListingKind.Achievement, Statuses = ["published"], PageSize = candidates, IncludeFacets = false, IncludeHighlights = false, IncludeScoreParts = true };
        foreach (var need in needs.Take(30))
        {
            await index.SearchAsync(query(need));
        }

        var times = new List<double>(needs.Count);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        foreach (var need in needs)
        {
            var started = Stopwatch.GetTimestamp();
            await index.SearchAsync(query(need));
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        Report("search alone", times, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / needs.Count);
    }

    var model = MatchModel.Load(modelPath);
    foreach (var (name, ranker) in new (string, IMatchRanker?)[] { ("search order only", null), ("model " + model.Name, model) })
    {
        var pipeline = new MatchPipeline(index, catalog, () => ranker);
        var matchOptions = new MatchOptions { Candidates = candidates, Top = 10, WithReasons = true };
        foreach (var need in needs.Take(30))
        {
            await pipeline.SuggestAsync(new MatchSide { Id = -1, Kind = ListingKind.Need, Body = need }, matchOptions);
        }

        var times = new List<double>(needs.Count);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var scored = 0;
        foreach (var need in needs)
        {
            var started = Stopwatch.GetTimestamp();
            var result = await pipeline.SuggestAsync(new MatchSide { Id = -1, Kind = ListingKind.Need, Body = need }, matchOptions);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            scored += result.Count;
        }

        Report(name, times, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / needs.Count);
    }

    return 0;
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    foreach (var f in keep ? [] : Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(path) + "*"))
    {
        File.Delete(f);
    }
}

/// <summary>The benchmark's listings, in memory.</summary>
internal sealed class MemoryCatalog(Dictionary<long, MatchSide> sides) : IMatchCatalog
{
    public Task<IReadOnlyDictionary<long, MatchSide>> LoadAsync(IReadOnlyCollection<long> ids, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyDictionary<long, MatchSide>>(ids.Where(sides.ContainsKey).ToDictionary(id => id, id => sides[id]));
}
