using System.Globalization;

namespace TechMarket.Text.Jieba;

/// <summary>
/// jieba's finalseg: a BMES hidden Markov model decoded with Viterbi, with the tables of
/// <c>finalseg/prob_*.py</c>. States are numbered in alphabetical order (B, E, M, S) so that
/// breaking ties by the larger index reproduces Python's <c>max</c> over (prob, state) tuples.
/// </summary>
internal sealed class HmmModel
{
    public const double MinFloat = -3.14e100;
    private const int B = 0;
    private const int E = 1;
    private const int M = 2;
    private const int S = 3;

    private readonly double[] _start = new double[4];
    private readonly double[] _trans = new double[16];
    private readonly double[][] _emit = new double[4][];

    private HmmModel()
    {
        Array.Fill(_start, MinFloat);
        Array.Fill(_trans, MinFloat);
        for (var s = 0; s < 4; s++)
        {
            _emit[s] = new double[char.MaxValue + 1];
            Array.Fill(_emit[s], MinFloat);
        }
    }

    /// <summary>Reads <c>prob_start.py</c>, <c>prob_trans.py</c> and <c>prob_emit.py</c>.</summary>
    public static HmmModel Load(string finalsegDirectory)
    {
        var model = new HmmModel();
        var start = ReadTable(Path.Combine(finalsegDirectory, "prob_start.py"));
        foreach (var (state, key, value) in start)
        {
            _ = key;
            model._start[state] = value;
        }

        foreach (var (from, key, value) in ReadTable(Path.Combine(finalsegDirectory, "prob_trans.py")))
        {
            model._trans[(from * 4) + StateIndex(key[0])] = value;
        }

        foreach (var (state, key, value) in ReadTable(Path.Combine(finalsegDirectory, "prob_emit.py")))
        {
            model._emit[state][key[0]] = value;
        }

        return model;
    }

    private static int StateIndex(char c) => c switch
    {
        'B' => B,
        'E' => E,
        'M' => M,
        'S' => S,
        _ => throw new TextDataException($"jieba 的 HMM 表中有未知状态：{c}"),
    };

    /// <summary>
    /// Parses a Python dict literal of the form <c>P={'B': {'\u4e00': -3.65, ...}, ...}</c> or
    /// <c>P={'B': -0.26, ...}</c> into (outer state, inner key, value) triples; for the flat form
    /// the inner key is empty. Hand-written because a regular expression over the 1.3 MB emission
    /// table dominated the load time.
    /// </summary>
    private static List<(int State, string Key, double Value)> ReadTable(string path)
    {
        var text = File.ReadAllText(path).AsSpan();
        var result = new List<(int, string, double)>(40_000);
        var depth = 0;
        var state = -1;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '{')
            {
                depth++;
                i++;
                continue;
            }

            if (c == '}')
            {
                depth--;
                i++;
                continue;
            }

            if (c != '\'' || depth == 0)
            {
                i++;
                continue;
            }

            var close = text[(i + 1)..].IndexOf('\'');
            if (close < 0)
            {
                break;
            }

            var key = DecodePythonString(text.Slice(i + 1, close));
            i += close + 2;
            while (i < text.Length && (text[i] == ':' || char.IsWhiteSpace(text[i])))
            {
                i++;
            }

            if (i < text.Length && text[i] == '{')
            {
                state = StateIndex(key[0]);
                continue;
            }

            var numberStart = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] is '-' or '+' or '.' or 'e' or 'E'))
            {
                i++;
            }

            if (!double.TryParse(text[numberStart..i], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw new TextDataException($"jieba 的 HMM 表格式不对：{path}");
            }

            result.Add(depth == 1 ? (StateIndex(key[0]), string.Empty, value) : (state, key, value));
        }

        if (result.Count == 0)
        {
            throw new TextDataException($"jieba 的 HMM 表为空或格式不对：{path}");
        }

        return result;
    }

    private static string DecodePythonString(ReadOnlySpan<char> literal)
    {
        if (literal.Length == 6 && literal.StartsWith("\\u"))
        {
            return ((char)int.Parse(literal[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString();
        }

        if (literal.Length == 2 && literal[0] == '\\')
        {
            return literal[1..].ToString();
        }

        return literal.ToString();
    }

    /// <summary>
    /// finalseg's <c>__cut</c> on a run of [\u4E00-\u9FD5] characters: appends the words as
    /// (start, length) pieces relative to <paramref name="offset"/>.
    /// </summary>
    public void Cut(ReadOnlySpan<char> han, int offset, List<Piece> output, HashSet<string>.AlternateLookup<ReadOnlySpan<char>>? forceSplit)
    {
        var n = han.Length;
        if (n == 0)
        {
            return;
        }

        Span<byte> back = n * 4 <= 1024 ? stackalloc byte[n * 4] : new byte[n * 4];
        Span<double> v = stackalloc double[4];
        Span<double> next = stackalloc double[4];
        var c0 = han[0];
        for (var y = 0; y < 4; y++)
        {
            v[y] = _start[y] + _emit[y][c0];
        }

        for (var t = 1; t < n; t++)
        {
            var c = han[t];
            var row = back.Slice(t * 4, 4);
            next[B] = Best(v, E, S, B, _emit[B][c], out row[B]);
            next[E] = Best(v, B, M, E, _emit[E][c], out row[E]);
            next[M] = Best(v, B, M, M, _emit[M][c], out row[M]);
            next[S] = Best(v, E, S, S, _emit[S][c], out row[S]);
            next.CopyTo(v);
        }

        var state = v[S] >= v[E] ? S : E;
        Span<byte> path = n <= 1024 ? stackalloc byte[n] : new byte[n];
        for (var t = n - 1; t >= 0; t--)
        {
            path[t] = (byte)state;
            if (t > 0)
            {
                state = back[(t * 4) + state];
            }
        }

        var begin = 0;
        var nexti = 0;
        for (var i = 0; i < n; i++)
        {
            switch (path[i])
            {
                case B:
                    begin = i;
                    break;
                case E:
                    Emit(han, begin, i + 1 - begin, offset, output, forceSplit);
                    nexti = i + 1;
                    break;
                case S:
                    output.Add(new Piece(offset + i, 1));
                    nexti = i + 1;
                    break;
                default:
                    break;
            }
        }

        if (nexti < n)
        {
            Emit(han, nexti, n - nexti, offset, output, forceSplit);
        }
    }

    private static void Emit(ReadOnlySpan<char> han, int start, int length, int offset, List<Piece> output, HashSet<string>.AlternateLookup<ReadOnlySpan<char>>? forceSplit)
    {
        if (forceSplit is { } lookup && lookup.Contains(han.Slice(start, length)))
        {
            for (var k = 0; k < length; k++)
            {
                output.Add(new Piece(offset + start + k, 1));
            }
        }
        else
        {
            output.Add(new Piece(offset + start, length));
        }
    }

    /// <summary>
    /// <c>max((V[t-1][y0] + trans_p[y0][y] + em_p, y0) for y0 in PrevStatus[y])</c>; the two
    /// candidates are passed in increasing state order so a tie goes to the second.
    /// </summary>
    private double Best(ReadOnlySpan<double> v, int lo, int hi, int y, double emit, out byte from)
    {
        var a = v[lo] + _trans[(lo * 4) + y] + emit;
        var b = v[hi] + _trans[(hi * 4) + y] + emit;
        if (b >= a)
        {
            from = (byte)hi;
            return b;
        }

        from = (byte)lo;
        return a;
    }
}

/// <summary>A token as a (start, length) slice of the text it was cut from.</summary>
internal readonly record struct Piece(int Start, int Length);
