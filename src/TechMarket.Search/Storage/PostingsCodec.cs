namespace TechMarket.Search.Storage;

/// <summary>One document's term frequencies in the three fields, and the write that produced them.</summary>
internal struct Posting
{
    public long DocId;
    public long DocSeq;
    public int TitleTf;
    public int BodyTf;
    public int KeywordsTf;
}

/// <summary>
/// Postings blobs: entries sorted by document id; per entry the id delta (zig-zag varint), the block id minus
/// the document's write sequence (varint), a presence byte (bit 0 title, 1 body, 2 keywords) and the
/// non-zero term frequencies (varints). The layout is the same on every backend.
/// </summary>
internal static class PostingsCodec
{
    public static byte[] Encode(IReadOnlyList<Posting> sorted, long block)
    {
        var buffer = new byte[sorted.Count * 8 + 16];
        var at = 0;
        long previous = 0;
        foreach (var p in sorted)
        {
            EnsureRoom(ref buffer, at, 40);
            WriteVarint(buffer, ref at, ZigZag(p.DocId - previous));
            previous = p.DocId;
            WriteVarint(buffer, ref at, (ulong)(block - p.DocSeq));
            var flags = (p.TitleTf > 0 ? 1 : 0) | (p.BodyTf > 0 ? 2 : 0) | (p.KeywordsTf > 0 ? 4 : 0);
            buffer[at++] = (byte)flags;
            if (p.TitleTf > 0)
            {
                WriteVarint(buffer, ref at, (ulong)p.TitleTf);
            }

            if (p.BodyTf > 0)
            {
                WriteVarint(buffer, ref at, (ulong)p.BodyTf);
            }

            if (p.KeywordsTf > 0)
            {
                WriteVarint(buffer, ref at, (ulong)p.KeywordsTf);
            }
        }

        return buffer.AsSpan(0, at).ToArray();
    }

    public static void Decode(ReadOnlySpan<byte> data, long block, List<Posting> into)
    {
        var at = 0;
        long previous = 0;
        while (at < data.Length)
        {
            var p = new Posting();
            previous += UnZigZag(ReadVarint(data, ref at));
            p.DocId = previous;
            p.DocSeq = block - (long)ReadVarint(data, ref at);
            var flags = data[at++];
            p.TitleTf = (flags & 1) != 0 ? (int)ReadVarint(data, ref at) : 0;
            p.BodyTf = (flags & 2) != 0 ? (int)ReadVarint(data, ref at) : 0;
            p.KeywordsTf = (flags & 4) != 0 ? (int)ReadVarint(data, ref at) : 0;
            into.Add(p);
        }
    }

    private static void EnsureRoom(ref byte[] buffer, int at, int needed)
    {
        if (at + needed > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, at + needed));
        }
    }

    private static ulong ZigZag(long v) => (ulong)((v << 1) ^ (v >> 63));

    private static long UnZigZag(ulong v) => (long)(v >> 1) ^ -(long)(v & 1);

    private static void WriteVarint(byte[] buffer, ref int at, ulong value)
    {
        while (value >= 0x80)
        {
            buffer[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        buffer[at++] = (byte)value;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int at)
    {
        ulong result = 0;
        var shift = 0;
        while (true)
        {
            var b = data[at++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }

            shift += 7;
        }
    }
}
