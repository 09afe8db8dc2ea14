using System.Text.Json;
using TechMarket.Matching;
using TechMarket.Search;

namespace TechMarket.Cli.Commands;

/// <summary>
/// A matching benchmark loaded for the pipeline: the documents indexed as published achievements in a temporary
/// index (exactly as <c>eval search</c> builds it), the same documents as the pipeline's catalog, and the queries.
/// </summary>
internal sealed class MatchBench : IAsyncDisposable, IMatchCatalog
{
    private readonly EvalCommand.TemporaryIndex _store;
    private readonly Dictionary<long, MatchSide> _sides;

    private MatchBench(EvalCommand.TemporaryIndex store, Dictionary<long, MatchSide> sides, List<string> docIds, List<(string Qid, string Text)> queries)
    {
        _store = store;
        _sides = sides;
        DocIds = docIds;
        Queries = queries;
    }

    public List<string> DocIds { get; }

    public List<(string Qid, string Text)> Queries { get; private set; }

    /// <summary>Reads --docs and --queries, builds the index; --split even|odd keeps every other query (by line).</summary>
    public static async Task<MatchBench> OpenAsync(CliArgs options, TextWriter stderr)
    {
        var docsPath = CliArgs.ExistingFile(options.Require("--docs"));
        var queriesPath = CliArgs.ExistingFile(options.Require("--queries"));
        var backend = options.Get("--backend") ?? "sqlite";
        if (backend is not ("sqlite" or "postgres"))
        {
            throw new CliException($"选项 --backend 的取值无效：{backend}（应为 sqlite 或 postgres）");
        }

        var docIds = new List<string>();
        var documents = EvalCommand.ReadDocuments(docsPath, docIds);
        var queries = EvalCommand.ReadQueries(queriesPath);
        queries = (options.Get("--split") ?? "all") switch
        {
            "all" => queries,
            "even" => [.. queries.Where((_, i) => i % 2 == 0)],
            "odd" => [.. queries.Where((_, i) => i % 2 == 1)],
            var other => throw new CliException($"选项 --split 的取值无效：{other}（应为 all、even 或 odd）"),
        };

        // A benchmark with nothing in it would "pass" on nothing: refuse it.
        if (documents.Count == 0 || queries.Count == 0)
        {
            throw new CliException(documents.Count == 0 ? $"{docsPath} 中没有文档" : $"{queriesPath} 中没有需求（或 --split 之后一条不剩）");
        }

        var store = await EvalCommand.TemporaryIndex.CreateAsync(backend, options.Get("--pg"));
        foreach (var batch in documents.Chunk(2000))
        {
            await store.Index.UpsertAsync(batch);
        }

        await store.Index.OptimizeAsync();
        await stderr.WriteLineAsync($"已建立索引：{documents.Count} 篇文档（{backend}），{queries.Count} 条需求");
        var sides = documents.ToDictionary(d => d.Id, d => new MatchSide
        {
            Id = d.Id,
            Kind = ListingKind.Achievement,
            Title = d.Title,
            Body = d.Body,
            Field = d.Field,
        });
        return new MatchBench(store, sides, docIds, queries);
    }

    /// <summary>A benchmark query as a need: its text only, every structured field unknown unless given.</summary>
    public static MatchSide Need(string text, string? field = null) => new() { Id = -1, Kind = ListingKind.Need, Body = text, Field = field };

    /// <summary>The benchmark's index (its documents as published achievements).</summary>
    public ISearchIndex Index => _store.Index;

    public MatchPipeline Pipeline(Func<IMatchRanker?> ranker) => new(_store.Index, this, ranker);

    public Task<IReadOnlyDictionary<long, MatchSide>> LoadAsync(IReadOnlyCollection<long> ids, CancellationToken ct = default)
    {
        var found = new Dictionary<long, MatchSide>(ids.Count);
        foreach (var id in ids)
        {
            if (_sides.TryGetValue(id, out var side))
            {
                found[id] = side;
            }
        }

        return Task.FromResult<IReadOnlyDictionary<long, MatchSide>>(found);
    }

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    /// <summary>qid → discipline from a benchmark's needs_meta file (the need's own field, for training only).</summary>
    public static Dictionary<string, string> ReadNeedFields(string path)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                var qid = root.GetProperty("qid").ToString();
                if (root.TryGetProperty("discipline", out var d) && d.ValueKind == JsonValueKind.String)
                {
                    fields[qid] = d.GetString()!;
                }
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new CliException($"{path} 第 {lineNumber} 行不是有效的需求元数据（需要含 qid 的 JSON 对象）");
            }
        }

        return fields;
    }
}
