using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using TechMarket.Search;

namespace TechMarket.Cli.Commands;

/// <summary>
/// <c>techmarket eval search --docs docs.jsonl --queries queries.tsv --run out.run [--qrels qrels.trec] [--depth 100]</c>
/// (see docs/contracts.md): builds a fresh index with the server's analysis and scoring and writes a TREC run.
/// Extra options: <c>--backend sqlite|postgres</c> and <c>--pg CONNECTION</c> (a server where a temporary
/// database may be created; defaults to the environment variable TECHMARKET_PG).
/// </summary>
internal static class EvalCommand
{
    private const int BatchSize = 2000;

    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error);

    /// <summary>The verb with its output streams given, for tests.</summary>
    internal static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0)
        {
            throw new CliException("用法：techmarket eval search|match --docs 文件 --queries 文件 --run 文件 [--qrels 文件] [--depth 100]");
        }

        return args[0] switch
        {
            "search" => await SearchAsync(args[1..], stdout, stderr),
            "match" => await MatchAsync(args[1..], stdout, stderr),
            _ => throw new CliException($"未知的评测类型：{args[0]}（应为 search 或 match）"),
        };
    }

    private static async Task<int> SearchAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var options = CliArgs.Parse(args, ["--docs", "--queries", "--run", "--qrels", "--depth", "--backend", "--pg"]);
        var docsPath = CliArgs.ExistingFile(options.Require("--docs"));
        var queriesPath = CliArgs.ExistingFile(options.Require("--queries"));
        var runPath = options.Require("--run");
        var qrelsPath = options.Get("--qrels") is { } q ? CliArgs.ExistingFile(q) : null;
        var depth = options.GetInt("--depth", 100, 1, 1000);
        var backend = options.Get("--backend") ?? "sqlite";
        if (backend is not ("sqlite" or "postgres"))
        {
            throw new CliException($"选项 --backend 的取值无效：{backend}（应为 sqlite 或 postgres）");
        }

        var docIds = new List<string>();
        var documents = ReadDocuments(docsPath, docIds);
        var queries = ReadQueries(queriesPath);
        var qrels = qrelsPath is null ? null : ReadQrels(qrelsPath);

        await using var store = await TemporaryIndex.CreateAsync(backend, options.Get("--pg"));
        foreach (var batch in documents.Chunk(BatchSize))
        {
            await store.Index.UpsertAsync(batch);
        }

        await store.Index.OptimizeAsync();
        await stderr.WriteLineAsync($"已建立索引：{documents.Count} 篇文档（{backend}）");

        var run = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await using (var writer = new StreamWriter(runPath, false, new UTF8Encoding(false)))
        {
            foreach (var (qid, text) in queries)
            {
                var result = await store.Index.SearchAsync(new SearchQuery
                {
                    Text = text,
                    PageSize = depth,
                    IncludeFacets = false,
                    IncludeHighlights = false,
                });
                var ranked = new List<string>(result.Hits.Count);
                for (var i = 0; i < result.Hits.Count; i++)
                {
                    var docId = docIds[(int)result.Hits[i].Id];
                    ranked.Add(docId);
                    await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{qid} Q0 {docId} {i + 1} {result.Hits[i].Score:R} techmarket"));
                }

                run[qid] = ranked;
            }
        }

        if (qrels is not null)
        {
            await stdout.WriteLineAsync(Metrics(run, qrels));
        }

        return 0;
    }

    /// <summary>
    /// <c>eval match</c>: every query is a need's text, every document an achievement, ranked by the server's own
    /// matching pipeline (search candidates, pair features, the model). <c>--model none</c> keeps search order.
    /// <c>--coach</c> first applies the need coach's suggestions to each need (its suggested keywords as the need's
    /// keywords, its suggested field as the need's field), as a member who accepts every suggestion would;
    /// <c>--coach-apply keywords|field</c> applies only one of the two (default both); <c>--needs-meta</c> then also
    /// reports how often the suggested field is the need's own discipline.
    /// </summary>
    private static async Task<int> MatchAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var options = CliArgs.Parse(args, ["--docs", "--queries", "--run", "--qrels", "--depth", "--model", "--candidates", "--backend", "--pg", "--split", "--needs-meta", "--coach-apply"], ["--coach"]);
        var coach = options.Has("--coach") ? Matching.NeedCoach.Shared : null;
        var apply = options.Get("--coach-apply") ?? "both";
        if (apply is not ("both" or "keywords" or "field"))
        {
            throw new CliException($"选项 --coach-apply 的取值无效：{apply}（应为 both、keywords 或 field）");
        }

        var needFields = options.Get("--needs-meta") is { } meta ? MatchBench.ReadNeedFields(CliArgs.ExistingFile(meta)) : null;
        var today = DateOnly.FromDateTime(DateTime.Today);
        int coached = 0, withField = 0, fieldRight = 0, keywordCount = 0;
        var runPath = options.Require("--run");
        var qrelsPath = options.Get("--qrels") is { } q ? CliArgs.ExistingFile(q) : null;
        var depth = options.GetInt("--depth", 100, 1, 1000);
        var candidates = options.GetInt("--candidates", Math.Max(200, depth), depth, 1000);
        var ranker = MatchModels.Open(options.Get("--model"), stderr);
        await using var bench = await MatchBench.OpenAsync(options, stderr);
        var qrels = qrelsPath is null ? null : ReadQrels(qrelsPath);

        var run = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await using (var writer = new StreamWriter(runPath, false, new UTF8Encoding(false)))
        {
            foreach (var (qid, text) in bench.Queries)
            {
                var need = MatchBench.Need(text);
                if (coach is not null)
                {
                    var coaching = await coach.CoachAsync(new Matching.NeedDraft { Summary = text }, today, bench.Index);
                    need = need with
                    {
                        Keywords = apply == "field" ? [] : coaching.Keywords,
                        Field = apply == "keywords" ? null : coaching.Field,
                    };
                    coached++;
                    keywordCount += coaching.Keywords.Count;
                    if (coaching.Field is { } f)
                    {
                        withField++;
                        fieldRight += needFields?.GetValueOrDefault(qid) == f ? 1 : 0;
                    }
                }

                var suggestions = await bench.Pipeline(() => ranker).SuggestAsync(need, new Matching.MatchOptions
                {
                    Candidates = candidates,
                    Top = depth,
                    WithReasons = false,
                });
                var ranked = new List<string>(suggestions.Count);
                for (var i = 0; i < suggestions.Count; i++)
                {
                    var docId = bench.DocIds[(int)suggestions[i].Candidate.Id];
                    ranked.Add(docId);
                    await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{qid} Q0 {docId} {i + 1} {suggestions[i].Score:R} techmarket"));
                }

                run[qid] = ranked;
            }
        }

        if (coach is not null)
        {
            await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"需求辅导：{coached} 条需求，平均建议关键词 {(double)keywordCount / Math.Max(1, coached):0.00} 个，建议了领域 {withField} 条（{100.0 * withField / Math.Max(1, coached):0.0}%）") +
                (needFields is null ? "" : string.Create(CultureInfo.InvariantCulture,
                    $"，其中与需求自身学科一致 {fieldRight} 条（准确率 {100.0 * fieldRight / Math.Max(1, withField):0.0}%）")));
        }

        if (qrels is not null)
        {
            await stdout.WriteLineAsync(Metrics(run, qrels));
        }

        return 0;
    }

    internal static List<SearchDocument> ReadDocuments(string path, List<string> docIds)
    {
        var documents = new List<SearchDocument>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            string id, title, text;
            string? discipline;
            try
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                id = root.GetProperty("id") switch
                {
                    { ValueKind: JsonValueKind.String } s => s.GetString()!,
                    { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
                    _ => throw new CliException($"{path} 第 {lineNumber} 行：id 应为字符串或数字"),
                };
                title = OptionalString(root, "title") ?? "";
                text = OptionalString(root, "text") ?? throw new CliException($"{path} 第 {lineNumber} 行：缺少 text 字段");
                discipline = OptionalString(root, "discipline");
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new CliException($"{path} 第 {lineNumber} 行不是有效的文档（需要含 id 与 text 的 JSON 对象）");
            }

            if (!seen.Add(id))
            {
                throw new CliException($"{path} 第 {lineNumber} 行：文档 id 重复：{id}");
            }

            // The contract forbids indexing a document's keywords: only title and text go in.
            documents.Add(new SearchDocument
            {
                Id = docIds.Count,
                Kind = ListingKind.Achievement,
                Title = title,
                Body = text,
                Field = discipline,
            });
            docIds.Add(id);
        }

        return documents;
    }

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    internal static List<(string Qid, string Text)> ReadQueries(string path)
    {
        var queries = new List<(string, string)>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab <= 0)
            {
                throw new CliException($"{path} 第 {lineNumber} 行格式错误（应为 qid<TAB>文本）");
            }

            queries.Add((line[..tab].Trim(), line[(tab + 1)..]));
        }

        return queries;
    }

    internal static Dictionary<string, Dictionary<string, int>> ReadQrels(string path)
    {
        var qrels = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            lineNumber++;
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                continue;
            }

            if (parts.Length != 4 || !int.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var grade))
            {
                throw new CliException($"{path} 第 {lineNumber} 行格式错误（应为 qid 0 docid grade）");
            }

            if (!qrels.TryGetValue(parts[0], out var judged))
            {
                qrels[parts[0]] = judged = new Dictionary<string, int>(StringComparer.Ordinal);
            }

            judged[parts[2]] = grade;
        }

        return qrels;
    }

    /// <summary>MRR@10, nDCG@10 (gain 2^grade − 1), R@10 and R@100 over the judged queries with a relevant doc.</summary>
    internal static string Metrics(Dictionary<string, List<string>> run, Dictionary<string, Dictionary<string, int>> qrels)
    {
        double mrr = 0, ndcg = 0, r10 = 0, r100 = 0;
        var n = 0;
        foreach (var (qid, judged) in qrels)
        {
            var relevant = judged.Count(kv => kv.Value > 0);
            if (relevant == 0)
            {
                continue;
            }

            n++;
            var ranked = run.TryGetValue(qid, out var r) ? r : [];
            double dcg = 0;
            var found10 = 0;
            var found100 = 0;
            var reciprocal = 0.0;
            for (var i = 0; i < ranked.Count && i < 100; i++)
            {
                var grade = judged.GetValueOrDefault(ranked[i]);
                if (grade <= 0)
                {
                    continue;
                }

                found100++;
                if (i < 10)
                {
                    found10++;
                    dcg += (Math.Pow(2, grade) - 1) / Math.Log2(i + 2);
                    if (reciprocal == 0)
                    {
                        reciprocal = 1.0 / (i + 1);
                    }
                }
            }

            var ideal = judged.Values.Where(g => g > 0).OrderDescending().Take(10)
                .Select((g, i) => (Math.Pow(2, g) - 1) / Math.Log2(i + 2)).Sum();
            mrr += reciprocal;
            ndcg += ideal > 0 ? dcg / ideal : 0;
            r10 += (double)found10 / relevant;
            r100 += (double)found100 / relevant;
        }

        if (n == 0)
        {
            throw new CliException("qrels 中没有含相关文档的查询");
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{{\"queries\":{n},\"MRR@10\":{mrr / n:0.####},\"nDCG@10\":{ndcg / n:0.####},\"R@10\":{r10 / n:0.####},\"R@100\":{r100 / n:0.####}}}");
    }

    /// <summary>An index in a temporary SQLite file or a temporary PostgreSQL database, removed on dispose.</summary>
    internal sealed class TemporaryIndex : IAsyncDisposable
    {
        private string? _sqlitePath;
        private string? _pgAdmin;
        private string? _pgDatabase;

        public ISearchIndex Index { get; private set; } = null!;

        public static async Task<TemporaryIndex> CreateAsync(string backend, string? pg)
        {
            var store = new TemporaryIndex();
            if (backend == "sqlite")
            {
                store._sqlitePath = Path.Combine(Path.GetTempPath(), $"techmarket-eval-{Guid.NewGuid():N}.db");
                store.Index = new SqliteSearchIndex($"Data Source={store._sqlitePath}");
                return store;
            }

            var admin = pg ?? Environment.GetEnvironmentVariable("TECHMARKET_PG")
                ?? throw new CliException("使用 --backend postgres 时需要 --pg 连接字符串（或环境变量 TECHMARKET_PG）");
            store._pgDatabase = $"techmarket_eval_{Guid.NewGuid():N}";
            try
            {
                await using var connection = new NpgsqlConnection(admin);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand($"CREATE DATABASE {store._pgDatabase}", connection);
                await command.ExecuteNonQueryAsync();
            }
            catch (Exception ex) when (ex is NpgsqlException or ArgumentException)
            {
                throw new CliException($"无法在 PostgreSQL 上创建临时数据库：{ex.Message}");
            }

            store._pgAdmin = admin;
            store.Index = new PostgresSearchIndex(new NpgsqlConnectionStringBuilder(admin) { Database = store._pgDatabase }.ConnectionString);
            return store;
        }

        public async ValueTask DisposeAsync()
        {
            (Index as IDisposable)?.Dispose();
            if (_sqlitePath is not null)
            {
                SqliteConnection.ClearAllPools();
                foreach (var suffix in new[] { "", "-wal", "-shm" })
                {
                    File.Delete(_sqlitePath + suffix);
                }
            }

            if (_pgAdmin is not null)
            {
                NpgsqlConnection.ClearAllPools();
                await using var connection = new NpgsqlConnection(_pgAdmin);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_pgDatabase} WITH (FORCE)", connection);
                await command.ExecuteNonQueryAsync();
            }
        }
    }
}
