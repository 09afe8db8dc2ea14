using System.Data.Common;
using TechMarket.Search.Analysis;

namespace TechMarket.Search.Storage;

/// <summary>
/// The engine behind both backends. Storage is a small log-structured inverted index in plain tables
/// (<c>search_docs</c>, <c>search_postings</c>, <c>search_blocks</c>, <c>search_meta</c>): each write appends one
/// postings block per term and stamps the written documents with a new sequence number; an entry is live only
/// while its sequence equals its document's. Scoring happens here, in .NET, so every backend gives the same
/// scores bit for bit.
/// </summary>
internal sealed class SearchEngine : IDisposable
{
    internal const int MaxQueryChars = 2000;
    internal const int MaxQueryTerms = 256;
    private const int MergeFanIn = 8;
    private const int DocRowColumns = 20;
    private const int MaxQuerySegments = 32;
    private const string DocColumns = "doc_id, seg, deleted, kind, title, keywords, field, district, maturity, modes, price, status, updated_ms, l0, l1, l2, l3, l4, l5";

    private readonly ISqlDialect _dialect;
    private readonly string? _connectionString;
    private readonly DbConnection? _sharedConnection;
    private readonly SemaphoreSlim _sharedGate = new(1, 1);
    private readonly SemaphoreSlim _tableGate = new(1, 1);
    private readonly DocTable _table = new();
    private readonly Scorer _scorer;
    private volatile bool _schemaReady;
    private bool _connectionPrepared;

    public SearchEngine(ISqlDialect dialect, string? connectionString, DbConnection? sharedConnection, SearchIndexOptions options, ISearchAnalyzer analyzer)
    {
        _dialect = dialect;
        _connectionString = connectionString;
        _sharedConnection = sharedConnection;
        Options = options;
        Analyzer = analyzer;
        _scorer = new Scorer(options);
    }

    public SearchIndexOptions Options { get; }

    public ISearchAnalyzer Analyzer { get; }

    public void Dispose()
    {
        _sharedGate.Dispose();
        _tableGate.Dispose();
    }

    /// <summary>Creates the tables; only a commit of the engine's own transaction marks them as known to exist.</summary>
    public async Task EnsureSchemaAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await _dialect.MigrateAsync(connection, transaction, cancellationToken);
        foreach (var statement in _dialect.Schema)
        {
            await Sql.ExecuteAsync(connection, transaction, statement, cancellationToken);
        }
    }

    public Task UpsertAsync(IReadOnlyCollection<SearchDocument> documents, DbConnection? connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        if (documents.Count == 0)
        {
            return Task.CompletedTask;
        }

        var latest = new Dictionary<long, SearchDocument>();
        foreach (var d in documents)
        {
            latest[d.Id] = d;
        }

        var analyzed = new AnalyzedDocument[latest.Count];
        var list = latest.Values.ToArray();
        Parallel.For(0, list.Length, i => analyzed[i] = AnalyzedDocument.Create(list[i], Analyzer));
        return WriteAsync(connection, transaction, (c, tx, ct) => WriteDocumentsAsync(c, tx, analyzed, ct), cancellationToken);
    }

    public Task DeleteAsync(IReadOnlyCollection<long> ids, DbConnection? connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return Task.CompletedTask;
        }

        return WriteAsync(connection, transaction, async (c, tx, ct) =>
        {
            var seq = await NextSeqAsync(c, tx, ct);
            await using var command = Sql.Command(c, tx,
                "UPDATE search_docs SET deleted = 1, seg = @seg, title = '', body = '', keywords = '', modes = '', l0 = 0, l1 = 0, l2 = 0, l3 = 0, l4 = 0, l5 = 0 WHERE doc_id = @id AND deleted = 0",
                ("@seg", seq), ("@id", 0L));
            foreach (var id in ids.Distinct())
            {
                command.Parameters[1].Value = id;
                await command.ExecuteNonQueryAsync(ct);
            }
        }, cancellationToken);
    }

    public Task ClearAsync(DbConnection? connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        WriteAsync(connection, transaction, async (c, tx, ct) =>
        {
            await Sql.ExecuteAsync(c, tx, "DELETE FROM search_postings", ct);
            await Sql.ExecuteAsync(c, tx, "DELETE FROM search_blocks", ct);
            await Sql.ExecuteAsync(c, tx, "DELETE FROM search_docs", ct);
            var seq = await NextSeqAsync(c, tx, ct);
            await Sql.ExecuteAsync(c, tx, "UPDATE search_meta SET value = @v WHERE name = 'purged'", ct, ("@v", seq));
        }, cancellationToken);

    public Task OptimizeAsync(CancellationToken cancellationToken) =>
        WriteAsync(null, null, async (c, tx, ct) =>
        {
            var blocks = await ReadBlocksAsync(c, tx, ct);
            var tombstones = await Sql.ScalarLongAsync(c, tx, "SELECT COUNT(*) FROM search_docs WHERE deleted = 1", ct);
            if (blocks.Count > 1 || tombstones > 0)
            {
                await MergeAsync(c, tx, blocks.Select(b => b.Block).ToList(), ct);
            }

            if (tombstones > 0)
            {
                var seq = await NextSeqAsync(c, tx, ct);
                await Sql.ExecuteAsync(c, tx, "DELETE FROM search_docs WHERE deleted = 1", ct);
                await Sql.ExecuteAsync(c, tx, "UPDATE search_meta SET value = @v WHERE name = 'purged'", ct, ("@v", seq));
            }
        }, cancellationToken);

    public async Task<SearchResult> SearchAsync(SearchQuery query, CancellationToken cancellationToken)
    {
        var text = TextSanitizer.Clean(query.Text);
        if (text.Length > MaxQueryChars)
        {
            var cut = char.IsHighSurrogate(text[MaxQueryChars - 1]) ? MaxQueryChars - 1 : MaxQueryChars;
            text = text[..cut];
        }

        var terms = AnalyzeQuery(text);
        var browse = string.IsNullOrWhiteSpace(text);
        if (!browse && terms.Count == 0)
        {
            return new SearchResult(0, [], SearchFacets.Empty);
        }

        await using var lease = await LeaseAsync(cancellationToken);
        await using var tx = _dialect.BeginRead(lease.Connection);
        await EnsureSchemaOnceAsync(lease.Connection, tx, cancellationToken);
        var postings = terms.Count == 0 ? [] : await ReadPostingsAsync(lease.Connection, tx, terms.Keys, cancellationToken);
        Scored scored;
        await _tableGate.WaitAsync(cancellationToken);
        try
        {
            await RefreshAsync(lease.Connection, tx, cancellationToken);
            scored = _scorer.Run(_table, query, terms, QuerySegments(text, terms), postings, browse);
        }
        finally
        {
            _tableGate.Release();
        }

        var bodies = query.IncludeHighlights && scored.Page.Count > 0
            ? await ReadBodiesAsync(lease.Connection, tx, scored.Page.Select(h => h.Id).ToList(), cancellationToken)
            : [];
        await tx.CommitAsync(cancellationToken);
        _schemaReady = true;

        var hits = new List<SearchHit>(scored.Page.Count);
        foreach (var h in scored.Page)
        {
            var title = query.IncludeHighlights ? Highlighter.Highlight(h.Title, terms.Keys, Analyzer, null) : new HighlightedText(h.Title, []);
            var snippet = query.IncludeHighlights && bodies.TryGetValue(h.Id, out var body)
                ? Highlighter.Highlight(body, terms.Keys, Analyzer, Highlighter.SnippetLength)
                : HighlightedText.Empty;
            hits.Add(new SearchHit(h.Id, h.Kind, h.Score, title, snippet, h.Field, h.District, h.Maturity, h.Price,
                DateTimeOffset.FromUnixTimeMilliseconds(h.UpdatedMs))
            { Parts = h.Parts });
        }

        return new SearchResult(scored.Total, hits, scored.Facets);
    }

    public IReadOnlyList<HighlightedText> Highlight(string query, IReadOnlyList<string> texts, int? window)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var text = TextSanitizer.Clean(query);
        if (text.Length > MaxQueryChars)
        {
            text = text[..(char.IsHighSurrogate(text[MaxQueryChars - 1]) ? MaxQueryChars - 1 : MaxQueryChars)];
        }

        var terms = AnalyzeQuery(text).Keys;
        return [.. texts.Select(t => Highlighter.Highlight(t ?? "", terms, Analyzer, window))];
    }

    public async Task<IReadOnlyList<Suggestion>> SuggestAsync(string? prefix, int limit, CancellationToken cancellationToken)
    {
        var cleaned = TextSanitizer.Clean(prefix).Trim();
        if (cleaned.Length == 0)
        {
            return [];
        }

        if (cleaned.Length > 100)
        {
            cleaned = cleaned[..100];
        }

        var normalized = Analyzer.Normalize(cleaned);
        limit = Math.Clamp(limit, 1, 50);
        await using var lease = await LeaseAsync(cancellationToken);
        await using var tx = _dialect.BeginRead(lease.Connection);
        await EnsureSchemaOnceAsync(lease.Connection, tx, cancellationToken);
        await _tableGate.WaitAsync(cancellationToken);
        try
        {
            await RefreshAsync(lease.Connection, tx, cancellationToken);
            return Suggester.Suggest(_table, normalized, limit, Analyzer);
        }
        finally
        {
            _tableGate.Release();
            await tx.CommitAsync(CancellationToken.None);
        }
    }

    internal Dictionary<string, int> AnalyzeQuery(string text)
    {
        var terms = new Dictionary<string, int>(StringComparer.Ordinal);
        AddTerms(terms, Analyzer.Words(text), "w:");
        AddTerms(terms, Analyzer.Bigrams(text), "b:");
        return terms;
    }

    /// <summary>
    /// The query's segments (runs of letters and digits), each as its distinct bigram terms that are among the
    /// query's terms; segments with the same terms count once.
    /// </summary>
    internal List<string[]> QuerySegments(string text, Dictionary<string, int> terms)
    {
        var segments = new List<string[]>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        while (i < text.Length && segments.Count < MaxQuerySegments)
        {
            if (!char.IsLetterOrDigit(text[i]) && !char.IsSurrogate(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || char.IsSurrogate(text[i])))
            {
                i++;
            }

            var bigrams = Analyzer.Bigrams(text[start..i]).Select(t => "b:" + t.Term).Where(terms.ContainsKey).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            if (bigrams.Length > 0 && seen.Add(string.Join('\u0001', bigrams)))
            {
                segments.Add(bigrams);
            }
        }

        return segments;
    }

    private static void AddTerms(Dictionary<string, int> terms, IReadOnlyList<Token> tokens, string prefix)
    {
        foreach (var token in tokens)
        {
            var key = prefix + token.Term;
            if (terms.TryGetValue(key, out var n))
            {
                terms[key] = n + 1;
            }
            else if (terms.Count < MaxQueryTerms)
            {
                terms[key] = 1;
            }
        }
    }

    private async Task WriteAsync(DbConnection? connection, DbTransaction? transaction, Func<DbConnection, DbTransaction, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        if (connection is not null)
        {
            if (connection.State != System.Data.ConnectionState.Open)
            {
                await connection.OpenAsync(cancellationToken);
            }

            if (transaction is not null)
            {
                if (!_schemaReady && _dialect.SchemaBeforeCallerTransaction)
                {
                    await using var schemaLease = await LeaseAsync(cancellationToken);
                    await using var schemaTx = _dialect.BeginWrite(schemaLease.Connection);
                    await EnsureSchemaAsync(schemaLease.Connection, schemaTx, cancellationToken);
                    await schemaTx.CommitAsync(cancellationToken);
                    _schemaReady = true;
                }

                // Otherwise the caller may still roll back, so the schema is not marked as created.
                if (!_schemaReady)
                {
                    await EnsureSchemaAsync(connection, transaction, cancellationToken);
                }

                await work(connection, transaction, cancellationToken);
                return;
            }

            await using var own = _dialect.BeginWrite(connection);
            await EnsureSchemaOnceAsync(connection, own, cancellationToken);
            await work(connection, own, cancellationToken);
            await own.CommitAsync(cancellationToken);
            _schemaReady = true;
            return;
        }

        await using var lease = await LeaseAsync(cancellationToken);
        await using var tx = _dialect.BeginWrite(lease.Connection);
        await EnsureSchemaOnceAsync(lease.Connection, tx, cancellationToken);
        await work(lease.Connection, tx, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        _schemaReady = true;
    }

    private async Task EnsureSchemaOnceAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (!_schemaReady)
        {
            await EnsureSchemaAsync(connection, transaction, cancellationToken);
        }
    }

    private async Task WriteDocumentsAsync(DbConnection c, DbTransaction tx, AnalyzedDocument[] documents, CancellationToken ct)
    {
        var seq = await NextSeqAsync(c, tx, ct);
        await WriteDocRowsAsync(c, tx, documents, seq, ct);
        var byTerm = new Dictionary<string, List<Posting>>(StringComparer.Ordinal);
        foreach (var a in documents.OrderBy(a => a.Document.Id))
        {
            foreach (var (term, tf) in a.Terms)
            {
                if (!byTerm.TryGetValue(term, out var list))
                {
                    byTerm[term] = list = [];
                }

                list.Add(new Posting { DocId = a.Document.Id, DocSeq = seq, TitleTf = tf.Title, BodyTf = tf.Body, KeywordsTf = tf.Keywords });
            }
        }

        // Sorted by term, the inserts walk the postings B-tree in order instead of touching random pages.
        var rows = byTerm.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new KeyValuePair<string, byte[]>(kv.Key, PostingsCodec.Encode(kv.Value, seq))).ToList();
        await _dialect.InsertPostingsAsync(c, tx, seq, rows, ct);
        await Sql.ExecuteAsync(c, tx, "INSERT INTO search_blocks (block, entries) VALUES (@b, @n)", ct, ("@b", seq), ("@n", (long)documents.Length));
        await MergeIfNeededAsync(c, tx, ct);
    }

    /// <summary>
    /// Upserts the document rows with one reused command of <see cref="ISqlDialect.DocRowsPerStatement"/> rows
    /// (one row on SQLite, where a prepared statement is cheapest; many on PostgreSQL, to save round trips).
    /// </summary>
    private async Task WriteDocRowsAsync(DbConnection c, DbTransaction tx, AnalyzedDocument[] documents, long seq, CancellationToken ct)
    {
        var size = Math.Min(_dialect.DocRowsPerStatement, documents.Length);
        var at = 0;
        await using (var full = DocRowsCommand(c, tx, size))
        {
            for (; at + size <= documents.Length; at += size)
            {
                BindDocRows(full, documents.AsSpan(at, size), seq);
                await full.ExecuteNonQueryAsync(ct);
            }
        }

        if (at < documents.Length)
        {
            await using var rest = DocRowsCommand(c, tx, documents.Length - at);
            BindDocRows(rest, documents.AsSpan(at), seq);
            await rest.ExecuteNonQueryAsync(ct);
        }
    }

    private static DbCommand DocRowsCommand(DbConnection c, DbTransaction tx, int rows)
    {
        var command = c.CreateCommand();
        command.Transaction = tx;
        var sql = new System.Text.StringBuilder(
            "INSERT INTO search_docs (doc_id, seg, deleted, kind, title, body, keywords, field, district, maturity, modes, price, status, updated_ms, l0, l1, l2, l3, l4, l5) VALUES ");
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ",(");
            for (var k = 0; k < DocRowColumns; k++)
            {
                var name = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"@p{r}_{k}");
                sql.Append(k == 0 ? name : "," + name);
                var p = command.CreateParameter();
                p.ParameterName = name;
                p.Value = DBNull.Value;
                command.Parameters.Add(p);
            }

            sql.Append(')');
        }

        sql.Append(" ON CONFLICT (doc_id) DO UPDATE SET seg = excluded.seg, deleted = 0, kind = excluded.kind, title = excluded.title, body = excluded.body, " +
            "keywords = excluded.keywords, field = excluded.field, district = excluded.district, maturity = excluded.maturity, modes = excluded.modes, " +
            "price = excluded.price, status = excluded.status, updated_ms = excluded.updated_ms, l0 = excluded.l0, l1 = excluded.l1, l2 = excluded.l2, " +
            "l3 = excluded.l3, l4 = excluded.l4, l5 = excluded.l5");
        command.CommandText = sql.ToString();
        return command;
    }

    private static void BindDocRows(DbCommand command, ReadOnlySpan<AnalyzedDocument> rows, long seq)
    {
        var p = command.Parameters;
        for (var r = 0; r < rows.Length; r++)
        {
            var a = rows[r];
            var d = a.Document;
            var at = r * DocRowColumns;
            p[at].Value = d.Id;
            p[at + 1].Value = seq;
            p[at + 2].Value = 0;
            p[at + 3].Value = (int)d.Kind;
            p[at + 4].Value = d.Title;
            p[at + 5].Value = d.Body;
            p[at + 6].Value = string.Join(DocTable.ListSeparator, d.Keywords);
            p[at + 7].Value = (object?)d.Field ?? DBNull.Value;
            p[at + 8].Value = (object?)d.District ?? DBNull.Value;
            p[at + 9].Value = (object?)d.Maturity ?? DBNull.Value;
            p[at + 10].Value = string.Join(DocTable.ListSeparator, d.TransferModes);
            p[at + 11].Value = d.Price is { } price ? price : DBNull.Value;
            p[at + 12].Value = d.Status;
            p[at + 13].Value = d.UpdatedAt.ToUnixTimeMilliseconds();
            for (var k = 0; k < DocTable.LengthSlots; k++)
            {
                p[at + 14 + k].Value = a.Lengths[k];
            }
        }
    }

    private async Task MergeIfNeededAsync(DbConnection c, DbTransaction tx, CancellationToken ct)
    {
        var blocks = await ReadBlocksAsync(c, tx, ct);
        if (blocks.Count <= Options.MaxBlocks)
        {
            return;
        }

        var smallest = blocks.OrderBy(b => b.Entries).ThenBy(b => b.Block).Take(MergeFanIn).Select(b => b.Block).ToList();
        await MergeAsync(c, tx, smallest, ct);
    }

    private static async Task<List<(long Block, long Entries)>> ReadBlocksAsync(DbConnection c, DbTransaction tx, CancellationToken ct)
    {
        var blocks = new List<(long, long)>();
        await using var command = Sql.Command(c, tx, "SELECT block, entries FROM search_blocks");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            blocks.Add((reader.GetInt64(0), reader.GetInt64(1)));
        }

        return blocks;
    }

    /// <summary>Rewrites the given blocks as one, keeping only live entries.</summary>
    private async Task MergeAsync(DbConnection c, DbTransaction tx, List<long> blocks, CancellationToken ct)
    {
        var seq = await NextSeqAsync(c, tx, ct);
        var live = new Dictionary<long, long>();
        // No filter on deleted: a tombstone's sequence is its delete's, which no postings entry carries, so its
        // entries are dropped anyway; without the filter SQLite reads only the small (seg, doc_id) index.
        await using (var command = Sql.Command(c, tx, "SELECT doc_id, seg FROM search_docs"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                live[reader.GetInt64(0)] = reader.GetInt64(1);
            }
        }

        var byTerm = new Dictionary<string, List<(long Block, byte[] Data)>>(StringComparer.Ordinal);
        // Merging every block (optimize) reads the table in key order instead of looking rows up through the block index.
        var all = blocks.Count == await Sql.ScalarLongAsync(c, tx, "SELECT COUNT(*) FROM search_blocks", ct);
        await using (var command = all
            ? Sql.Command(c, tx, "SELECT term, block, data FROM search_postings")
            : Sql.Command(c, tx, $"SELECT term, block, data FROM search_postings WHERE {_dialect.InSet("block", "@blocks")}", ("@blocks", _dialect.IdSet(blocks))))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var term = reader.GetString(0);
                if (!byTerm.TryGetValue(term, out var list))
                {
                    byTerm[term] = list = [];
                }

                list.Add((reader.GetInt64(1), (byte[])reader.GetValue(2)));
            }
        }

        var rows = new List<KeyValuePair<string, byte[]>>(byTerm.Count);
        var buffer = new List<Posting>();
        var docs = new HashSet<long>();
        foreach (var (term, parts) in byTerm.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            buffer.Clear();
            foreach (var (block, data) in parts)
            {
                PostingsCodec.Decode(data, block, buffer);
            }

            buffer.RemoveAll(p => !live.TryGetValue(p.DocId, out var s) || s != p.DocSeq);
            if (buffer.Count == 0)
            {
                continue;
            }

            buffer.Sort((x, y) => x.DocId.CompareTo(y.DocId));
            foreach (var p in buffer)
            {
                docs.Add(p.DocId);
            }

            rows.Add(new(term, PostingsCodec.Encode(buffer, seq)));
        }

        var set = _dialect.IdSet(blocks);
        if (all)
        {
            await Sql.ExecuteAsync(c, tx, "DELETE FROM search_postings", ct);
            await Sql.ExecuteAsync(c, tx, "DELETE FROM search_blocks", ct);
        }
        else
        {
            await Sql.ExecuteAsync(c, tx, $"DELETE FROM search_postings WHERE {_dialect.InSet("block", "@blocks")}", ct, ("@blocks", set));
            await Sql.ExecuteAsync(c, tx, $"DELETE FROM search_blocks WHERE {_dialect.InSet("block", "@blocks")}", ct, ("@blocks", set));
        }
        if (rows.Count > 0)
        {
            await _dialect.InsertPostingsAsync(c, tx, seq, rows, ct);
            await Sql.ExecuteAsync(c, tx, "INSERT INTO search_blocks (block, entries) VALUES (@b, @n)", ct, ("@b", seq), ("@n", (long)docs.Count));
        }

    }

    private static Task<long> NextSeqAsync(DbConnection c, DbTransaction tx, CancellationToken ct) =>
        Sql.ScalarLongAsync(c, tx, "UPDATE search_meta SET value = value + 1 WHERE name = 'seq' RETURNING value", ct);

    private async Task<List<(string Term, long Block, byte[] Data)>> ReadPostingsAsync(DbConnection c, DbTransaction tx, IReadOnlyCollection<string> terms, CancellationToken ct)
    {
        var rows = new List<(string, long, byte[])>();
        await using var command = Sql.Command(c, tx, $"SELECT term, block, data FROM search_postings WHERE {_dialect.InSet("term", "@terms")}", ("@terms", _dialect.TextSet(terms)));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1), (byte[])reader.GetValue(2)));
        }

        return rows;
    }

    private async Task<Dictionary<long, string>> ReadBodiesAsync(DbConnection c, DbTransaction tx, List<long> ids, CancellationToken ct)
    {
        var bodies = new Dictionary<long, string>();
        await using var command = Sql.Command(c, tx, $"SELECT doc_id, body FROM search_docs WHERE {_dialect.InSet("doc_id", "@ids")}", ("@ids", _dialect.IdSet(ids)));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            bodies[reader.GetInt64(0)] = reader.GetString(1);
        }

        return bodies;
    }

    /// <summary>Brings the in-memory table up to the store's latest committed sequence (caller holds the table gate).</summary>
    private async Task RefreshAsync(DbConnection c, DbTransaction tx, CancellationToken ct)
    {
        long seq = 0, purged = 0;
        await using (var command = Sql.Command(c, tx, "SELECT name, value FROM search_meta"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                if (reader.GetString(0) == "seq")
                {
                    seq = reader.GetInt64(1);
                }
                else if (reader.GetString(0) == "purged")
                {
                    purged = reader.GetInt64(1);
                }
            }
        }

        if (seq == _table.KnownSeq)
        {
            return;
        }

        if (purged > _table.KnownSeq || seq < _table.KnownSeq)
        {
            _table.Reset();
        }

        await using (var command = Sql.Command(c, tx, $"SELECT {DocColumns} FROM search_docs WHERE seg > @known", ("@known", _table.KnownSeq)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var lengths = new int[DocTable.LengthSlots];
                for (var k = 0; k < lengths.Length; k++)
                {
                    lengths[k] = reader.GetInt32(13 + k);
                }

                _table.Apply(new DocRow(
                    reader.GetInt64(0),
                    reader.GetInt64(1),
                    reader.GetInt32(2) != 0,
                    (ListingKind)reader.GetInt32(3),
                    reader.GetString(4),
                    reader.GetString(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.IsDBNull(7) ? null : reader.GetString(7),
                    reader.IsDBNull(8) ? null : reader.GetString(8),
                    reader.GetString(9),
                    reader.IsDBNull(10) ? null : reader.GetDouble(10),
                    reader.GetString(11),
                    reader.GetInt64(12),
                    lengths), Analyzer.Normalize);
            }
        }

        _table.KnownSeq = seq;
    }

    private async Task<Lease> LeaseAsync(CancellationToken ct)
    {
        if (_sharedConnection is not null)
        {
            await _sharedGate.WaitAsync(ct);
            if (_sharedConnection.State != System.Data.ConnectionState.Open)
            {
                await _sharedConnection.OpenAsync(ct);
            }

            return new Lease(_sharedConnection, null, _sharedGate);
        }

        var connection = _dialect.CreateConnection(_connectionString!);
        await connection.OpenAsync(ct);
        if (!_connectionPrepared)
        {
            await _dialect.PrepareConnectionAsync(connection, ct);
            _connectionPrepared = true;
        }

        await _dialect.PrepareLeaseAsync(connection, ct);

        return new Lease(connection, connection, null);
    }

    private sealed class Lease(DbConnection connection, DbConnection? owned, SemaphoreSlim? gate) : IAsyncDisposable
    {
        public DbConnection Connection { get; } = connection;

        public async ValueTask DisposeAsync()
        {
            if (owned is not null)
            {
                await owned.DisposeAsync();
            }

            gate?.Release();
        }
    }
}

