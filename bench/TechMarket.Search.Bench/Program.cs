using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using TechMarket.Search;

// Search benchmark: N listings built from CSL text, in-process query latency (2–4 words, with and without a
// filter), index build rate and index size, on SQLite and PostgreSQL. See docs/search.md for the method.
var options = ParseArgs(args);
var count = int.Parse(options.GetValueOrDefault("--docs", "100000"), CultureInfo.InvariantCulture);
var queryCount = int.Parse(options.GetValueOrDefault("--queries", "1000"), CultureInfo.InvariantCulture);
var backends = options.GetValueOrDefault("--backend", "both");
var data = options.GetValueOrDefault("--data", Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/data/csl")));
var pg = options.GetValueOrDefault("--pg") ?? Environment.GetEnvironmentVariable("TECHMARKET_TEST_PG");
var indexOptions = options.TryGetValue("--max-blocks", out var maxBlocks)
    ? SearchIndexOptions.Default with { MaxBlocks = int.Parse(maxBlocks, CultureInfo.InvariantCulture) }
    : SearchIndexOptions.Default;

var listings = CslListings.Build(Path.Combine(data, "M1x_need2supply_distractors", "docs.jsonl"), count, new Random(42));
var queries = BuildQueries(Path.Combine(data, "M1_need2supply", "queries_kwstyle.dev.tsv"), queryCount, new Random(7));
var fields = listings.Select(l => l.Field).OfType<string>().GroupBy(f => f).OrderByDescending(g => g.Count()).Take(10).Select(g => g.Key).ToArray();
Console.WriteLine($"listings={listings.Count} queries={queries.Count} cores={Environment.ProcessorCount} loadavg={LoadAverage()}");

// Analysis alone (jieba words + bigrams), single-threaded CPU time, to separate it from storage costs.
{
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var sample = listings.Take(Math.Min(5000, listings.Count)).ToList();
    foreach (var listing in sample)
    {
        _ = TechMarket.Search.Storage.AnalyzedDocument.Create(listing, TechMarket.Search.Analysis.SearchAnalyzers.Default);
    }

    var seconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
    Console.WriteLine(FormattableString.Invariant($"analysis: {sample.Count / seconds:F0} listings per CPU-second ({sample.Count} listings)"));
}

if (backends is "sqlite" or "both")
{
    var path = Path.Combine(Path.GetTempPath(), $"tm-bench-{Guid.NewGuid():N}.db");
    var index = new SqliteSearchIndex($"Data Source={path}", indexOptions);
    await RunAsync("sqlite", index, () => Task.FromResult(new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0)));
    SqliteConnection.ClearAllPools();
    foreach (var suffix in new[] { "", "-wal", "-shm" })
    {
        File.Delete(path + suffix);
    }
}

if (backends is "postgres" or "both")
{
    if (pg is null)
    {
        Console.WriteLine("postgres: skipped (set TECHMARKET_TEST_PG or pass --pg)");
    }
    else
    {
        var name = $"tm_bench_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(pg))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE {name}", admin).ExecuteNonQueryAsync();
        }

        var cs = new NpgsqlConnectionStringBuilder(pg) { Database = name }.ConnectionString;
        var index = new PostgresSearchIndex(cs, indexOptions);
        await RunAsync("postgres", index, async () =>
        {
            await using var c = new NpgsqlConnection(cs);
            await c.OpenAsync();
            return (long)(await new NpgsqlCommand(
                "SELECT sum(pg_total_relation_size(c.oid))::bigint FROM pg_class c WHERE c.relname LIKE 'search\\_%' AND c.relkind = 'r'", c).ExecuteScalarAsync())!;
        });
        NpgsqlConnection.ClearAllPools();
        await using (var admin = new NpgsqlConnection(pg))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE {name} WITH (FORCE)", admin).ExecuteNonQueryAsync();
        }
    }
}

async Task RunAsync(string backend, ISearchIndex index, Func<Task<long>> size)
{
    var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    foreach (var batch in listings.Chunk(2000))
    {
        await index.UpsertAsync(batch);
    }

    var build = watch.Elapsed.TotalSeconds;
    var buildCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds;
    watch.Restart();
    await index.OptimizeAsync();
    var optimize = watch.Elapsed.TotalSeconds;
    var bytes = await size();
    Console.WriteLine(FormattableString.Invariant(
        $"{backend}: build {listings.Count} listings in {build:F1} s = {listings.Count / build:F0} listings/s (bench process CPU {buildCpu:F1} s); optimize {optimize:F1} s; index size {bytes / 1048576.0:F0} MiB; loadavg {LoadAverage()}"));

    // Single edits after the bulk build: each is its own transaction and postings block.
    watch.Restart();
    for (var i = 0; i < 200; i++)
    {
        await index.UpsertAsync([listings[i] with { UpdatedAt = listings[i].UpdatedAt.AddMinutes(1) }]);
    }

    Console.WriteLine(FormattableString.Invariant($"{backend}: single-listing upsert mean {watch.Elapsed.TotalMilliseconds / 200:F1} ms (200 edits); loadavg {LoadAverage()}"));
    await index.OptimizeAsync();

    var random = new Random(3);
    foreach (var (label, filtered, facets) in new[] { ("no filter", false, false), ("filter kind+field", true, false), ("no filter, facets+highlights", false, true) })
    {
        var times = new List<double>();
        var cpu = TimeSpan.Zero;
        for (var i = -100; i < queries.Count; i++)
        {
            if (i == 0)
            {
                cpu = Process.GetCurrentProcess().TotalProcessorTime;
            }

            var text = queries[(i + queries.Count) % queries.Count];
            var query = new SearchQuery
            {
                Text = text,
                PageSize = 10,
                IncludeFacets = facets,
                IncludeHighlights = facets,
                Kind = filtered ? ListingKind.Achievement : null,
                Fields = filtered ? [fields[random.Next(fields.Length)]] : [],
            };
            var t = Stopwatch.GetTimestamp();
            await index.SearchAsync(query);
            if (i >= 0)
            {
                times.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
        }

        var cpuPerQuery = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / queries.Count;
        times.Sort();
        Console.WriteLine(FormattableString.Invariant(
            $"{backend}: search {label}: p50 {times[times.Count / 2]:F2} ms, p99 {times[(int)(times.Count * 0.99)]:F2} ms, max {times[^1]:F2} ms, mean process CPU {cpuPerQuery:F2} ms/query ({times.Count} queries); loadavg {LoadAverage()}"));
    }
}

static List<string> BuildQueries(string path, int count, Random random)
{
    var lines = File.ReadLines(path).Select(l => l.Split('\t')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(w => w.Length >= 2).ToList();
    var queries = new List<string>(count);
    for (var i = 0; i < count; i++)
    {
        var words = lines[random.Next(lines.Count)];
        var take = Math.Min(words.Length, 2 + random.Next(3));
        queries.Add(string.Join(' ', words.Take(take)));
    }

    return queries;
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static Dictionary<string, string> ParseArgs(string[] args)
{
    var result = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        result[args[i]] = args[i + 1];
    }

    return result;
}
