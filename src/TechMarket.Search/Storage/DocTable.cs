namespace TechMarket.Search.Storage;

/// <summary>A row of <c>search_docs</c> as read back for the in-memory table.</summary>
internal sealed record DocRow(
    long Id,
    long Seq,
    bool Deleted,
    ListingKind Kind,
    string Title,
    string Keywords,
    string? Field,
    string? District,
    string? Maturity,
    string Modes,
    double? Price,
    string Status,
    long UpdatedMs,
    int[] Lengths);

/// <summary>
/// The per-process copy of every live document's facets, lengths and title, kept in step with the store by
/// reading the rows whose write sequence is newer than the last one seen. Slots are dense indexes for arrays.
/// Not thread-safe: the engine locks around it.
/// </summary>
internal sealed class DocTable
{
    public const int LengthSlots = 6;
    public const char ListSeparator = '\u001F';

    private readonly Dictionary<long, int> _slotOfId = [];
    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
    private readonly List<string> _values = [];
    private int[] _denseSlotOfId = [];

    public int Count { get; private set; }

    public int LiveCount { get; private set; }

    public long KnownSeq { get; set; }

    public long[] Ids { get; private set; } = new long[1024];

    public long[] Seqs { get; private set; } = new long[1024];

    public bool[] Live { get; private set; } = new bool[1024];

    public int[] Lengths { get; private set; } = new int[1024 * LengthSlots];

    public byte[] Kinds { get; private set; } = new byte[1024];

    public int[] FieldCodes { get; private set; } = new int[1024];

    public int[] DistrictCodes { get; private set; } = new int[1024];

    public int[] MaturityCodes { get; private set; } = new int[1024];

    public int[] StatusCodes { get; private set; } = new int[1024];

    public int[][] ModeCodes { get; private set; } = new int[1024][];

    public double[] Prices { get; private set; } = new double[1024];

    public long[] UpdatedMs { get; private set; } = new long[1024];

    public string[] Titles { get; private set; } = new string[1024];

    public string[] NormalizedTitles { get; private set; } = new string[1024];

    public string[][] Keywords { get; private set; } = new string[1024][];

    public long[] SumLengths { get; } = new long[LengthSlots];

    public int[] DocCounts { get; } = new int[LengthSlots];

    public IReadOnlyList<string> Values => _values;

    public void Reset()
    {
        _slotOfId.Clear();
        _denseSlotOfId = [];
        Array.Clear(Live);
        Array.Clear(SumLengths);
        Array.Clear(DocCounts);
        Count = 0;
        LiveCount = 0;
        KnownSeq = 0;
    }

    /// <summary>The slot of a live or dead document, or -1.</summary>
    public int SlotOf(long id)
    {
        if ((ulong)id < (ulong)_denseSlotOfId.Length)
        {
            return _denseSlotOfId[id] - 1;
        }

        return _slotOfId.TryGetValue(id, out var slot) ? slot : -1;
    }

    /// <summary>The code of a facet value; -2 for a value never seen (matches nothing), -1 for null.</summary>
    public int CodeOf(string? value) => value is null ? -1 : _codes.TryGetValue(value, out var code) ? code : -2;

    public void Apply(DocRow row, Func<string, string> normalize)
    {
        var slot = SlotOf(row.Id);
        if (slot >= 0 && Live[slot])
        {
            RemoveStats(slot);
            Live[slot] = false;
            LiveCount--;
        }

        if (row.Deleted)
        {
            return;
        }

        if (slot < 0)
        {
            slot = Count++;
            Grow(Count);
            Map(row.Id, slot);
        }

        Ids[slot] = row.Id;
        Seqs[slot] = row.Seq;
        Live[slot] = true;
        LiveCount++;
        Kinds[slot] = (byte)row.Kind;
        FieldCodes[slot] = Intern(row.Field);
        DistrictCodes[slot] = Intern(row.District);
        MaturityCodes[slot] = Intern(row.Maturity);
        StatusCodes[slot] = Intern(row.Status);
        ModeCodes[slot] = SplitList(row.Modes).Select(m => Intern(m)).Distinct().ToArray();
        Prices[slot] = row.Price ?? double.NaN;
        UpdatedMs[slot] = row.UpdatedMs;
        Titles[slot] = row.Title;
        NormalizedTitles[slot] = normalize(row.Title);
        Keywords[slot] = SplitList(row.Keywords);
        for (var k = 0; k < LengthSlots; k++)
        {
            var length = row.Lengths[k];
            Lengths[(slot * LengthSlots) + k] = length;
            SumLengths[k] += length;
            if (length > 0)
            {
                DocCounts[k]++;
            }
        }
    }

    public static string[] SplitList(string joined) =>
        joined.Length == 0 ? [] : joined.Split(ListSeparator, StringSplitOptions.RemoveEmptyEntries);

    private void RemoveStats(int slot)
    {
        for (var k = 0; k < LengthSlots; k++)
        {
            var length = Lengths[(slot * LengthSlots) + k];
            SumLengths[k] -= length;
            if (length > 0)
            {
                DocCounts[k]--;
            }
        }
    }

    private int Intern(string? value)
    {
        if (value is null)
        {
            return -1;
        }

        if (!_codes.TryGetValue(value, out var code))
        {
            code = _values.Count;
            _values.Add(value);
            _codes[value] = code;
        }

        return code;
    }

    private void Map(long id, int slot)
    {
        // Database ids are usually dense: an array lookup is several times cheaper than a dictionary
        // when scoring tens of thousands of postings.
        if (id >= 0 && id < 1L << 24)
        {
            if (id >= _denseSlotOfId.Length)
            {
                var grown = new int[(int)Math.Min(1L << 24, Math.Max(id + 1, _denseSlotOfId.Length * 2L))];
                _denseSlotOfId.CopyTo(grown, 0);
                _denseSlotOfId = grown;
            }

            _denseSlotOfId[id] = slot + 1;
        }
        else
        {
            _slotOfId[id] = slot;
        }
    }

    private void Grow(int needed)
    {
        if (needed <= Ids.Length)
        {
            return;
        }

        var size = Math.Max(needed, Ids.Length * 2);
        Ids = Resize(Ids, size);
        Seqs = Resize(Seqs, size);
        Live = Resize(Live, size);
        Lengths = Resize(Lengths, size * LengthSlots);
        Kinds = Resize(Kinds, size);
        FieldCodes = Resize(FieldCodes, size);
        DistrictCodes = Resize(DistrictCodes, size);
        MaturityCodes = Resize(MaturityCodes, size);
        StatusCodes = Resize(StatusCodes, size);
        ModeCodes = Resize(ModeCodes, size);
        Prices = Resize(Prices, size);
        UpdatedMs = Resize(UpdatedMs, size);
        Titles = Resize(Titles, size);
        NormalizedTitles = Resize(NormalizedTitles, size);
        Keywords = Resize(Keywords, size);
    }

    private static T[] Resize<T>(T[] array, int size)
    {
        var copy = new T[size];
        array.CopyTo(copy, 0);
        return copy;
    }
}
