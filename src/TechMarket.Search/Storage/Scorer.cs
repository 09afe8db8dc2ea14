using System.Buffers;

namespace TechMarket.Search.Storage;

/// <summary>A hit before highlighting.</summary>
internal sealed record ScoredHit(long Id, ListingKind Kind, double Score, string Title, string? Field, string? District, string? Maturity, double? Price, long UpdatedMs)
{
    public ScoreParts? Parts { get; init; }
}

internal sealed record Scored(int Total, IReadOnlyList<ScoredHit> Page, SearchFacets Facets);

/// <summary>
/// BM25 over the postings read for a query, filters, multi-select facets and top-k, all against the in-memory
/// document table. Pure computation: the same inputs give bit-identical scores on every backend.
/// </summary>
internal sealed class Scorer(SearchIndexOptions options)
{
    private const int KindBit = 1, FieldBit = 2, DistrictBit = 4, MaturityBit = 8, ModeBit = 16, PriceBit = 32, StatusBit = 64, DateBit = 128;

    private readonly List<Posting> _decoded = [];

    /// <summary>
    /// BM25 over <paramref name="postings"/>, plus the coverage bonus for each query segment (the set of its bigram
    /// terms) and the length prior; then filters, facets and the requested page.
    /// </summary>
    public Scored Run(DocTable table, SearchQuery query, Dictionary<string, int> terms, IReadOnlyList<string[]> segments, List<(string Term, long Block, byte[] Data)> postings, bool browse)
    {
        var n = table.Count;
        var scores = ArrayPool<double>.Shared.Rent(Math.Max(n, 1));
        var marked = ArrayPool<bool>.Shared.Rent(Math.Max(n, 1));
        Array.Clear(scores, 0, n);
        Array.Clear(marked, 0, n);
        var candidates = new List<int>();
        var parts = query.IncludeScoreParts && !browse ? new PartSums(n) : null;
        try
        {
            if (browse)
            {
                for (var slot = 0; slot < n; slot++)
                {
                    if (table.Live[slot])
                    {
                        candidates.Add(slot);
                    }
                }
            }
            else
            {
                var slotsOfTerm = new Dictionary<string, List<int>>(StringComparer.Ordinal);
                foreach (var segment in segments)
                {
                    foreach (var term in segment)
                    {
                        slotsOfTerm.TryAdd(term, []);
                    }
                }

                Accumulate(table, terms, postings, scores, marked, candidates, slotsOfTerm, parts);
                AddCoverage(n, segments, slotsOfTerm, scores, parts);
                AddLengthPrior(table, candidates, scores);
            }

            return Collect(table, query, candidates, scores, browse, parts);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scores);
            ArrayPool<bool>.Shared.Return(marked);
        }
    }

    /// <summary>Adds <see cref="SearchIndexOptions.CoverageBonus"/> per segment whose bigram terms all occur in the document.</summary>
    private void AddCoverage(int n, IReadOnlyList<string[]> segments, Dictionary<string, List<int>> slotsOfTerm, double[] scores, PartSums? parts)
    {
        if (segments.Count == 0 || options.CoverageBonus == 0)
        {
            return;
        }

        var counts = ArrayPool<int>.Shared.Rent(Math.Max(n, 1));
        Array.Clear(counts, 0, n);
        try
        {
            foreach (var segment in segments)
            {
                foreach (var term in segment)
                {
                    foreach (var slot in slotsOfTerm[term])
                    {
                        if (++counts[slot] == segment.Length)
                        {
                            scores[slot] += options.CoverageBonus;
                            if (parts is not null)
                            {
                                parts.Segments[slot]++;
                            }
                        }
                    }
                }

                foreach (var term in segment)
                {
                    foreach (var slot in slotsOfTerm[term])
                    {
                        counts[slot] = 0;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(counts);
        }
    }

    /// <summary>Subtracts <see cref="SearchIndexOptions.LengthPrior"/> · ln((bigrams + 1)/(mean bigrams + 1)) from each match.</summary>
    private void AddLengthPrior(DocTable table, List<int> candidates, double[] scores)
    {
        if (options.LengthPrior == 0 || table.LiveCount == 0)
        {
            return;
        }

        var mean = (double)(table.SumLengths[3] + table.SumLengths[4] + table.SumLengths[5]) / table.LiveCount;
        foreach (var slot in candidates)
        {
            var at = slot * DocTable.LengthSlots;
            var length = table.Lengths[at + 3] + table.Lengths[at + 4] + table.Lengths[at + 5];
            scores[slot] -= options.LengthPrior * Math.Log((length + 1) / (mean + 1));
        }
    }

    private void Accumulate(DocTable table, Dictionary<string, int> terms, List<(string Term, long Block, byte[] Data)> postings, double[] scores, bool[] marked, List<int> candidates, Dictionary<string, List<int>> slotsOfTerm, PartSums? parts)
    {
        double[] fieldWeights = [options.TitleWeight, options.BodyWeight, options.KeywordsWeight];
        var live = new List<(int Slot, int T, int B, int K)>();
        Span<double> weight = stackalloc double[3];
        Span<double> avg = stackalloc double[3];
        Span<int> df = stackalloc int[3];
        foreach (var group in postings.GroupBy(p => p.Term, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            _decoded.Clear();
            foreach (var (_, block, data) in group.OrderBy(p => p.Block))
            {
                PostingsCodec.Decode(data, block, _decoded);
            }

            live.Clear();
            int dfT = 0, dfB = 0, dfK = 0;
            foreach (var p in _decoded)
            {
                var slot = table.SlotOf(p.DocId);
                if (slot < 0 || !table.Live[slot] || table.Seqs[slot] != p.DocSeq)
                {
                    continue;
                }

                live.Add((slot, p.TitleTf, p.BodyTf, p.KeywordsTf));
                dfT += p.TitleTf > 0 ? 1 : 0;
                dfB += p.BodyTf > 0 ? 1 : 0;
                dfK += p.KeywordsTf > 0 ? 1 : 0;
            }

            if (live.Count == 0)
            {
                continue;
            }

            if (slotsOfTerm.TryGetValue(group.Key, out var termSlots))
            {
                foreach (var entry in live)
                {
                    termSlots.Add(entry.Slot);
                }
            }

            var ns = group.Key[0] == 'w' ? 0 : 3;
            var kindWeight = ns == 0 ? options.WordWeight : options.BigramWeight;
            var qtf = terms.TryGetValue(group.Key, out var q) ? q : 1;
            df[0] = dfT;
            df[1] = dfB;
            df[2] = dfK;
            for (var f = 0; f < 3; f++)
            {
                var docCount = table.DocCounts[ns + f];
                avg[f] = docCount > 0 ? (double)table.SumLengths[ns + f] / docCount : 1;
                weight[f] = df[f] > 0 ? qtf * kindWeight * fieldWeights[f] * Idf(docCount, df[f]) : 0;
            }

            // The term's rarity over the whole listing (any field), for the share of the query a listing covers.
            var termIdf = qtf * Idf(table.DocCounts[ns + 1], Math.Max(dfT, Math.Max(dfB, dfK)));
            if (parts is not null)
            {
                parts.QueryIdf += termIdf;
            }

            foreach (var (slot, t, b, k) in live)
            {
                var lengths = table.Lengths.AsSpan(slot * DocTable.LengthSlots + ns, 3);
                double st = 0, sb = 0, sk = 0;
                if (t > 0)
                {
                    st = weight[0] * Tf(t, lengths[0], avg[0]);
                }

                if (b > 0)
                {
                    sb = weight[1] * Tf(b, lengths[1], avg[1]);
                }

                if (k > 0)
                {
                    sk = weight[2] * Tf(k, lengths[2], avg[2]);
                }

                var s = st + sb + sk;
                if (parts is not null)
                {
                    parts.Title[slot] += st;
                    parts.Body[slot] += sb;
                    parts.Keywords[slot] += sk;
                    parts.MatchedIdf[slot] += termIdf;
                }

                scores[slot] += s;
                if (!marked[slot])
                {
                    marked[slot] = true;
                    candidates.Add(slot);
                }
            }
        }
    }

    /// <summary>Lucene's BM25 idf, never negative.</summary>
    internal static double Idf(long docCount, long docFreq) => Math.Log(1 + ((docCount - docFreq + 0.5) / (docFreq + 0.5)));

    private double Tf(int tf, int length, double avgLength) =>
        tf / (tf + (options.K1 * (1 - options.B + (options.B * length / avgLength))));

    private static Scored Collect(DocTable table, SearchQuery query, List<int> candidates, double[] scores, bool browse, PartSums? parts)
    {
        var filter = Filter.Create(table, query);
        var facetCounts = query.IncludeFacets ? new FacetCounter(table) : null;
        var passing = new List<int>(candidates.Count);
        foreach (var slot in candidates)
        {
            var mask = filter.Mask(slot);
            if (mask == 0)
            {
                passing.Add(slot);
            }

            facetCounts?.Add(slot, mask);
        }

        var sort = query.Sort == SearchSort.Relevance && browse ? SearchSort.Newest : query.Sort;
        Comparison<int> better = sort switch
        {
            SearchSort.Newest => (x, y) => table.UpdatedMs[x] != table.UpdatedMs[y] ? table.UpdatedMs[y].CompareTo(table.UpdatedMs[x]) : table.Ids[y].CompareTo(table.Ids[x]),
            SearchSort.PriceAscending => (x, y) => ComparePrice(table, x, y, ascending: true),
            SearchSort.PriceDescending => (x, y) => ComparePrice(table, x, y, ascending: false),
            _ => (x, y) => scores[x] != scores[y] ? scores[y].CompareTo(scores[x]) : table.Ids[x].CompareTo(table.Ids[y]),
        };

        var pageSize = Math.Clamp(query.PageSize, 1, 1000);
        var page = Math.Max(query.Page, 1);
        var skip = (long)(page - 1) * pageSize;
        var hits = new List<ScoredHit>();
        if (skip < passing.Count)
        {
            var top = TopK(passing, (int)Math.Min(skip + pageSize, passing.Count), better);
            for (var i = (int)skip; i < top.Count; i++)
            {
                var slot = top[i];
                hits.Add(new ScoredHit(table.Ids[slot], (ListingKind)table.Kinds[slot], browse ? 0 : scores[slot], table.Titles[slot],
                    Value(table, table.FieldCodes[slot]), Value(table, table.DistrictCodes[slot]), Value(table, table.MaturityCodes[slot]),
                    double.IsNaN(table.Prices[slot]) ? null : table.Prices[slot], table.UpdatedMs[slot])
                {
                    Parts = parts?.For(slot),
                });
            }
        }

        return new Scored(passing.Count, hits, facetCounts?.Result() ?? SearchFacets.Empty);
    }

    private static string? Value(DocTable table, int code) => code >= 0 ? table.Values[code] : null;

    private static int ComparePrice(DocTable table, int x, int y, bool ascending)
    {
        double px = table.Prices[x], py = table.Prices[y];
        if (double.IsNaN(px) != double.IsNaN(py))
        {
            return double.IsNaN(px) ? 1 : -1;
        }

        if (!double.IsNaN(px) && px != py)
        {
            return ascending ? px.CompareTo(py) : py.CompareTo(px);
        }

        return table.Ids[x].CompareTo(table.Ids[y]);
    }

    /// <summary>The best <paramref name="k"/> slots in order, with a bounded heap.</summary>
    private static List<int> TopK(List<int> slots, int k, Comparison<int> better)
    {
        var worstFirst = Comparer<int>.Create((x, y) => better(y, x));
        var heap = new PriorityQueue<int, int>(k + 1, worstFirst);
        foreach (var slot in slots)
        {
            if (heap.Count < k)
            {
                heap.Enqueue(slot, slot);
            }
            else if (better(slot, heap.Peek()) < 0)
            {
                heap.DequeueEnqueue(slot, slot);
            }
        }

        var result = new List<int>(heap.Count);
        while (heap.Count > 0)
        {
            result.Add(heap.Dequeue());
        }

        result.Reverse();
        return result;
    }

    private sealed class Filter
    {
        private int _kind = -1;
        private HashSet<int>? _fields, _districts, _maturities, _modes, _statuses;
        private HashSet<string>? _bands;
        private long _from = long.MinValue, _before = long.MaxValue;
        private DocTable _table = null!;

        public static Filter Create(DocTable table, SearchQuery q) => new()
        {
            _table = table,
            _kind = q.Kind is { } k ? (int)k : -1,
            _fields = Codes(table, q.Fields),
            _districts = Codes(table, q.Districts),
            _maturities = Codes(table, q.Maturities),
            _modes = Codes(table, q.TransferModes),
            _statuses = Codes(table, q.Statuses),
            _bands = q.PriceBandNames is { Count: > 0 } b ? b.ToHashSet(StringComparer.Ordinal) : null,
            _from = q.UpdatedFrom?.ToUnixTimeMilliseconds() ?? long.MinValue,
            _before = q.UpdatedBefore?.ToUnixTimeMilliseconds() ?? long.MaxValue,
        };

        public int Mask(int slot)
        {
            var t = _table;
            var mask = 0;
            if (_kind >= 0 && t.Kinds[slot] != _kind)
            {
                mask |= KindBit;
            }

            if (_fields is not null && !_fields.Contains(t.FieldCodes[slot]))
            {
                mask |= FieldBit;
            }

            if (_districts is not null && !_districts.Contains(t.DistrictCodes[slot]))
            {
                mask |= DistrictBit;
            }

            if (_maturities is not null && !_maturities.Contains(t.MaturityCodes[slot]))
            {
                mask |= MaturityBit;
            }

            if (_modes is not null && !t.ModeCodes[slot].Any(_modes.Contains))
            {
                mask |= ModeBit;
            }

            if (_bands is not null && !_bands.Contains(PriceBands.Of(double.IsNaN(t.Prices[slot]) ? null : t.Prices[slot])))
            {
                mask |= PriceBit;
            }

            if (_statuses is not null && !_statuses.Contains(t.StatusCodes[slot]))
            {
                mask |= StatusBit;
            }

            if (t.UpdatedMs[slot] < _from || t.UpdatedMs[slot] >= _before)
            {
                mask |= DateBit;
            }

            return mask;
        }

        private static HashSet<int>? Codes(DocTable table, IReadOnlyList<string>? values) =>
            values is { Count: > 0 } ? values.Select(v => table.CodeOf(v ?? "")).ToHashSet() : null;
    }

    private sealed class FacetCounter(DocTable table)
    {
        private readonly int[] _kind = new int[2];
        private readonly Dictionary<int, int> _field = [], _district = [], _maturity = [], _mode = [], _status = [];
        private readonly Dictionary<string, int> _band = new(StringComparer.Ordinal);

        public void Add(int slot, int mask)
        {
            if ((mask & ~KindBit) == 0)
            {
                _kind[table.Kinds[slot]]++;
            }

            Count(_field, mask, FieldBit, table.FieldCodes[slot]);
            Count(_district, mask, DistrictBit, table.DistrictCodes[slot]);
            Count(_maturity, mask, MaturityBit, table.MaturityCodes[slot]);
            Count(_status, mask, StatusBit, table.StatusCodes[slot]);
            if ((mask & ~ModeBit) == 0)
            {
                foreach (var code in table.ModeCodes[slot])
                {
                    _mode[code] = _mode.GetValueOrDefault(code) + 1;
                }
            }

            if ((mask & ~PriceBit) == 0)
            {
                var band = PriceBands.Of(double.IsNaN(table.Prices[slot]) ? null : table.Prices[slot]);
                _band[band] = _band.GetValueOrDefault(band) + 1;
            }
        }

        public SearchFacets Result()
        {
            var kinds = new List<FacetCount>();
            if (_kind[0] > 0)
            {
                kinds.Add(new("need", _kind[0]));
            }

            if (_kind[1] > 0)
            {
                kinds.Add(new("achievement", _kind[1]));
            }

            return new SearchFacets(Sorted(kinds), Named(_field), Named(_district), Named(_maturity), Named(_mode),
                Sorted(_band.Select(kv => new FacetCount(kv.Key, kv.Value))), Named(_status));
        }

        private static void Count(Dictionary<int, int> counts, int mask, int bit, int code)
        {
            if ((mask & ~bit) == 0 && code >= 0)
            {
                counts[code] = counts.GetValueOrDefault(code) + 1;
            }
        }

        private List<FacetCount> Named(Dictionary<int, int> counts) =>
            Sorted(counts.Select(kv => new FacetCount(table.Values[kv.Key], kv.Value)));

        private static List<FacetCount> Sorted(IEnumerable<FacetCount> counts) =>
            [.. counts.OrderByDescending(c => c.Count).ThenBy(c => c.Value, StringComparer.Ordinal)];
    }

    /// <summary>Per-slot sums behind <see cref="ScoreParts"/>, kept only when a query asks for them.</summary>
    private sealed class PartSums(int n)
    {
        public double[] Title { get; } = new double[n];

        public double[] Body { get; } = new double[n];

        public double[] Keywords { get; } = new double[n];

        public double[] MatchedIdf { get; } = new double[n];

        public int[] Segments { get; } = new int[n];

        public double QueryIdf { get; set; }

        public ScoreParts For(int slot) =>
            new(Title[slot], Body[slot], Keywords[slot], Segments[slot], QueryIdf > 0 ? MatchedIdf[slot] / QueryIdf : 0);
    }
}
