using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using TechMarket.Text.Jieba;

namespace TechMarket.Text;

/// <summary>
/// A Chinese word segmenter that reproduces jieba 0.42.1 exactly: prefix dictionary, DAG of
/// dictionary words, maximum-probability route by log frequency, BMES HMM (Viterbi) for runs of
/// unknown single characters, and jieba's handling of Latin letters, digits, punctuation and
/// whitespace. Data (<c>dict.txt</c>, <c>finalseg/prob_*.py</c>) is read at run time from
/// Debian's <c>python3-jieba</c> or from <c>TECHMARKET_JIEBA_DIR</c>.
/// </summary>
/// <remarks>
/// <see cref="Cut"/> and <see cref="CutForSearch"/> are safe to call from many threads at once.
/// <see cref="AddWord"/> and <see cref="LoadUserDictionary"/> change the dictionary: call them
/// before the segmenter is shared (as <see cref="TextAnalyzer.Shared"/> does), not while other
/// threads are cutting.
/// </remarks>
public sealed partial class JiebaSegmenter
{
    /// <summary>Where Debian's <c>python3-jieba</c> installs jieba's data.</summary>
    public const string DebianJiebaDirectory = "/usr/lib/python3/dist-packages/jieba";

    /// <summary>The environment variable that overrides <see cref="DebianJiebaDirectory"/>.</summary>
    public const string JiebaDirectoryVariable = "TECHMARKET_JIEBA_DIR";

    private static readonly string?[] SingleCharStrings = new string?[char.MaxValue + 1];

    private readonly PrefixTrie _trie;
    private readonly HmmModel _hmm;
    private readonly HashSet<string> _forceSplit = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _tags = new(StringComparer.Ordinal);
    private readonly Lock _writeLock = new();

    private JiebaSegmenter(string directory, PrefixTrie trie, HmmModel hmm)
    {
        Directory = directory;
        _trie = trie;
        _hmm = hmm;
    }

    /// <summary>The directory the data was read from.</summary>
    public string Directory { get; }

    /// <summary>Number of entries of the prefix dictionary (words and their prefixes).</summary>
    public int PrefixDictionarySize => _trie.KeyCount;

    /// <summary>jieba's <c>total</c>: the sum of all word frequencies.</summary>
    public long TotalFrequency => _trie.Total;

    /// <summary>Part-of-speech tags given to words added at run time or from user dictionaries.</summary>
    public IReadOnlyDictionary<string, string> UserWordTags => _tags;

    /// <summary>
    /// The directory used when none is given: <c>TECHMARKET_JIEBA_DIR</c> if set, else
    /// <see cref="DebianJiebaDirectory"/>.
    /// </summary>
    public static string DefaultDirectory =>
        Environment.GetEnvironmentVariable(JiebaDirectoryVariable) is { Length: > 0 } dir ? dir : DebianJiebaDirectory;

    /// <summary>
    /// Loads jieba's dictionary and HMM tables from <paramref name="jiebaDirectory"/> (default
    /// <see cref="DefaultDirectory"/>).
    /// </summary>
    /// <exception cref="TextDataException">The data is missing or malformed.</exception>
    public static JiebaSegmenter Load(string? jiebaDirectory = null)
    {
        var dir = jiebaDirectory ?? DefaultDirectory;
        var dictPath = Path.Combine(dir, "dict.txt");
        var finalseg = Path.Combine(dir, "finalseg");
        if (!File.Exists(dictPath) || !File.Exists(Path.Combine(finalseg, "prob_emit.py")))
        {
            throw new TextDataException(
                $"找不到 jieba 词典数据（{dictPath}）。请安装 python3-jieba（apt-get install python3-jieba），" +
                $"或把环境变量 {JiebaDirectoryVariable} 设为含 dict.txt 与 finalseg/prob_*.py 的 jieba 目录。");
        }

        try
        {
            var trie = ReadMainDictionary(dictPath);
            var hmm = HmmModel.Load(finalseg);
            return new JiebaSegmenter(dir, trie, hmm);
        }
        catch (IOException ex)
        {
            throw new TextDataException($"无法读取 jieba 词典数据（{dir}）：{ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new TextDataException($"没有权限读取 jieba 词典数据（{dir}）：{ex.Message}", ex);
        }
    }

    private static PrefixTrie ReadMainDictionary(string path)
    {
        var text = Encoding.UTF8.GetString(File.ReadAllBytes(path));
        var trie = new PrefixTrie(640 * 1024);
        var span = text.AsSpan();
        var lineNo = 0;
        while (!span.IsEmpty)
        {
            lineNo++;
            var nl = span.IndexOf('\n');
            var line = nl < 0 ? span : span[..nl];
            span = nl < 0 ? [] : span[(nl + 1)..];
            line = TrimAscii(line);
            if (line.IsEmpty && span.IsEmpty)
            {
                break;
            }

            var sp = line.IndexOf(' ');
            if (sp <= 0)
            {
                throw new TextDataException($"jieba 词典 {path} 第 {lineNo} 行格式无效：{line}");
            }

            var rest = line[(sp + 1)..];
            var sp2 = rest.IndexOf(' ');
            var freqText = sp2 < 0 ? rest : rest[..sp2];
            if (!long.TryParse(freqText, out var freq) || freq < 0)
            {
                throw new TextDataException($"jieba 词典 {path} 第 {lineNo} 行的词频无效：{line}");
            }

            trie.Set(line[..sp], freq);
        }

        return trie;
    }

    /// <summary>Python's <c>bytes.strip()</c>: ASCII whitespace only.</summary>
    private static ReadOnlySpan<char> TrimAscii(ReadOnlySpan<char> s) => s.Trim(" \t\n\r\v\f");

    /// <summary>
    /// jieba's <c>cut(text, HMM=hmm)</c> (precise mode): the words in order; their
    /// concatenation is <paramref name="text"/>.
    /// </summary>
    public IReadOnlyList<string> Cut(string text, bool hmm = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pieces = new List<Piece>();
        CutPieces(text, hmm, pieces);
        return ToStrings(text, pieces);
    }

    /// <summary>
    /// jieba's <c>cut_for_search(text, HMM=hmm)</c>: each precise word preceded by its
    /// dictionary sub-words of two and three characters.
    /// </summary>
    public IReadOnlyList<string> CutForSearch(string text, bool hmm = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pieces = new List<Piece>();
        CutForSearchPieces(text, hmm, pieces);
        return ToStrings(text, pieces);
    }

    /// <summary>
    /// True when the token is only whitespace in Python's sense (<c>str.isspace()</c>), which is
    /// what <c>techmarket segment</c> drops; differs from <see cref="string.IsNullOrWhiteSpace(string)"/>.
    /// </summary>
    public static bool IsWhitespaceToken(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.Length > 0 && CharClass.IsAllPythonSpace(token);
    }

    private static List<string> ToStrings(string text, List<Piece> pieces)
    {
        var result = new List<string>(pieces.Count);
        foreach (var p in pieces)
        {
            result.Add(p.Length == 1 ? SingleChar(text[p.Start]) : text.Substring(p.Start, p.Length));
        }

        return result;
    }

    private static string SingleChar(char c) => SingleCharStrings[c] ??= c.ToString();

    /// <summary>Precise-mode cut as (start, length) pieces appended to <paramref name="output"/>.</summary>
    internal void CutPieces(ReadOnlySpan<char> text, bool hmm, List<Piece> output)
    {
        var n = text.Length;
        var i = 0;
        while (i < n)
        {
            var c = text[i];
            if (CharClass.IsHanDefault(c))
            {
                var j = i + 1;
                while (j < n && CharClass.IsHanDefault(text[j]))
                {
                    j++;
                }

                CutBlock(text[i..j], i, hmm, output);
                i = j;
            }
            else if ((c == '\r' && i + 1 < n && text[i + 1] == '\n')
                || (char.IsHighSurrogate(c) && i + 1 < n && char.IsLowSurrogate(text[i + 1])))
            {
                output.Add(new Piece(i, 2));
                i += 2;
            }
            else
            {
                output.Add(new Piece(i, 1));
                i++;
            }
        }
    }

    /// <summary>Search-mode cut as (start, length) pieces appended to <paramref name="output"/>.</summary>
    internal void CutForSearchPieces(ReadOnlySpan<char> text, bool hmm, List<Piece> output)
    {
        var words = new List<Piece>();
        CutPieces(text, hmm, words);
        foreach (var w in words)
        {
            if (w.Length > 2)
            {
                for (var k = 0; k < w.Length - 1; k++)
                {
                    if (_trie.FreqOf(text.Slice(w.Start + k, 2)) > 0)
                    {
                        output.Add(new Piece(w.Start + k, 2));
                    }
                }
            }

            if (w.Length > 3)
            {
                for (var k = 0; k < w.Length - 2; k++)
                {
                    if (_trie.FreqOf(text.Slice(w.Start + k, 3)) > 0)
                    {
                        output.Add(new Piece(w.Start + k, 3));
                    }
                }
            }

            output.Add(w);
        }
    }

    /// <summary>
    /// One re_han_default block: the route (jieba's <c>calc</c>, built right to left so the DAG
    /// never needs storing) and then <c>__cut_DAG</c> or <c>__cut_DAG_NO_HMM</c>.
    /// </summary>
    private void CutBlock(ReadOnlySpan<char> block, int offset, bool hmm, List<Piece> output)
    {
        var n = block.Length;
        var pool = ArrayPool<double>.Shared;
        var ipool = ArrayPool<int>.Shared;
        var routeP = pool.Rent(n + 1);
        var routeX = ipool.Rent(n + 1);
        try
        {
            var logTotal = Math.Log(_trie.Total);
            routeP[n] = 0;
            for (var idx = n - 1; idx >= 0; idx--)
            {
                var node = 0;
                var found = false;
                var best = 0.0;
                var bestX = idx;
                for (var x = idx; x < n; x++)
                {
                    node = _trie.Child(node, block[x]);
                    if (node == 0)
                    {
                        break;
                    }

                    if (_trie.Freq(node) > 0)
                    {
                        var value = _trie.LogFreq(node) - logTotal + routeP[x + 1];
                        if (!found || value >= best)
                        {
                            best = value;
                            bestX = x;
                            found = true;
                        }
                    }
                }

                if (!found)
                {
                    best = 0.0 - logTotal + routeP[idx + 1];
                    bestX = idx;
                }

                routeP[idx] = best;
                routeX[idx] = bestX;
            }

            if (hmm)
            {
                EmitWithHmm(block, offset, routeX, output);
            }
            else
            {
                EmitWithoutHmm(block, offset, routeX, output);
            }
        }
        finally
        {
            pool.Return(routeP);
            ipool.Return(routeX);
        }
    }

    private static void EmitWithoutHmm(ReadOnlySpan<char> block, int offset, int[] routeX, List<Piece> output)
    {
        var n = block.Length;
        var x = 0;
        var bufStart = -1;
        while (x < n)
        {
            var y = routeX[x] + 1;
            if (y - x == 1 && CharClass.IsEng(block[x]))
            {
                if (bufStart < 0)
                {
                    bufStart = x;
                }
            }
            else
            {
                if (bufStart >= 0)
                {
                    output.Add(new Piece(offset + bufStart, x - bufStart));
                    bufStart = -1;
                }

                output.Add(new Piece(offset + x, y - x));
            }

            x = y;
        }

        if (bufStart >= 0)
        {
            output.Add(new Piece(offset + bufStart, n - bufStart));
        }
    }

    private void EmitWithHmm(ReadOnlySpan<char> block, int offset, int[] routeX, List<Piece> output)
    {
        var n = block.Length;
        var x = 0;
        var bufStart = -1;
        while (x < n)
        {
            var y = routeX[x] + 1;
            if (y - x == 1)
            {
                if (bufStart < 0)
                {
                    bufStart = x;
                }
            }
            else
            {
                if (bufStart >= 0)
                {
                    FlushBuffer(block, bufStart, x, offset, output);
                    bufStart = -1;
                }

                output.Add(new Piece(offset + x, y - x));
            }

            x = y;
        }

        if (bufStart >= 0)
        {
            FlushBuffer(block, bufStart, n, offset, output);
        }
    }

    private void FlushBuffer(ReadOnlySpan<char> block, int start, int end, int offset, List<Piece> output)
    {
        var len = end - start;
        if (len == 1)
        {
            output.Add(new Piece(offset + start, 1));
        }
        else if (_trie.FreqOf(block[start..end]) > 0)
        {
            for (var k = start; k < end; k++)
            {
                output.Add(new Piece(offset + k, 1));
            }
        }
        else
        {
            FinalSegCut(block[start..end], offset + start, output);
        }
    }

    /// <summary>
    /// finalseg's <c>cut</c>: runs of [\u4E00-\u9FD5] go through Viterbi; the rest is split by
    /// <c>([a-zA-Z0-9]+(?:\.\d+)?%?)</c>, keeping the non-empty pieces between matches.
    /// </summary>
    private void FinalSegCut(ReadOnlySpan<char> s, int offset, List<Piece> output)
    {
        var n = s.Length;
        var i = 0;
        HashSet<string>.AlternateLookup<ReadOnlySpan<char>>? forceSplit =
            _forceSplit.Count == 0 ? null : _forceSplit.GetAlternateLookup<ReadOnlySpan<char>>();
        while (i < n)
        {
            if (CharClass.IsHan(s[i]))
            {
                var j = i + 1;
                while (j < n && CharClass.IsHan(s[j]))
                {
                    j++;
                }

                _hmm.Cut(s[i..j], offset + i, output, forceSplit);
                i = j;
                continue;
            }

            var blockEnd = i + 1;
            while (blockEnd < n && !CharClass.IsHan(s[blockEnd]))
            {
                blockEnd++;
            }

            var gapStart = i;
            var p = i;
            while (p < blockEnd)
            {
                if (!CharClass.IsEng(s[p]))
                {
                    p++;
                    continue;
                }

                var q = p + 1;
                while (q < blockEnd && CharClass.IsEng(s[q]))
                {
                    q++;
                }

                if (q + 1 < blockEnd && s[q] == '.' && char.IsDigit(s[q + 1]))
                {
                    q += 2;
                    while (q < blockEnd && char.IsDigit(s[q]))
                    {
                        q++;
                    }
                }

                if (q < blockEnd && s[q] == '%')
                {
                    q++;
                }

                if (p > gapStart)
                {
                    output.Add(new Piece(offset + gapStart, p - gapStart));
                }

                output.Add(new Piece(offset + p, q - p));
                gapStart = q;
                p = q;
            }

            if (blockEnd > gapStart)
            {
                output.Add(new Piece(offset + gapStart, blockEnd - gapStart));
            }

            i = blockEnd;
        }
    }

    /// <summary>
    /// jieba's <c>add_word</c>: adds or updates a word. Without a frequency, jieba's
    /// <c>suggest_freq(word)</c> is used so the word can be cut out whole. A frequency of 0
    /// deletes the word and makes the HMM split it too.
    /// </summary>
    public void AddWord(string word, int? frequency = null, string? tag = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(word);
        if (frequency < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(frequency), "词频不能为负数");
        }

        lock (_writeLock)
        {
            var freq = frequency ?? SuggestFrequency(word);
            _trie.Set(word, freq);
            if (!string.IsNullOrEmpty(tag))
            {
                _tags[word] = tag;
            }

            if (freq == 0)
            {
                _forceSplit.Add(word);
            }
        }
    }

    /// <summary>
    /// jieba's <c>suggest_freq(word, tune=False)</c>: the smallest frequency that makes the
    /// no-HMM cut keep <paramref name="word"/> whole.
    /// </summary>
    public long SuggestFrequency(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var total = _trie.Total;
        var ftotal = (double)total;
        var freq = 1.0;
        var pieces = new List<Piece>();
        CutPieces(word, false, pieces);
        foreach (var p in pieces)
        {
            var node = _trie.Find(word.AsSpan(p.Start, p.Length));
            freq *= (node == 0 ? 1 : _trie.Freq(node)) / ftotal;
        }

        var wordNode = _trie.Find(word);
        return Math.Max((long)(freq * total) + 1, wordNode == 0 ? 1 : _trie.Freq(wordNode));
    }

    /// <summary>
    /// jieba's <c>load_userdict</c>: a UTF-8 file with one <c>word [freq] [tag]</c> a line
    /// (parsed with jieba's <c>re_userdict</c>); blank lines are skipped.
    /// </summary>
    /// <exception cref="TextDataException">The file is missing or not UTF-8.</exception>
    public void LoadUserDictionary(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new TextDataException($"找不到用户词典：{path}");
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(File.ReadAllBytes(path));
        }
        catch (DecoderFallbackException ex)
        {
            throw new TextDataException($"用户词典 {path} 必须是 UTF-8 编码", ex);
        }

        LoadUserDictionaryText(text, path);
    }

    /// <summary>Adds the words of a user dictionary already read into memory.</summary>
    internal void LoadUserDictionaryText(string text, string sourceName)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = TrimAscii(raw).TrimStart('\uFEFF');
            if (line.IsEmpty)
            {
                continue;
            }

            var m = UserDictLine().Match(line.ToString());
            var word = m.Groups[1].Value;
            int? freq = m.Groups[2].Success ? ParseFrequency(m.Groups[2].Value.Trim(), sourceName) : null;
            var tag = m.Groups[3].Success ? m.Groups[3].Value.Trim() : null;
            AddWord(word, freq, tag);
        }
    }

    private static int ParseFrequency(string text, string path) =>
        int.TryParse(text, out var f) ? f : throw new TextDataException($"用户词典 {path} 中的词频太大：{text}");

    /// <summary>jieba's re_userdict.</summary>
    [GeneratedRegex("^(.+?)( [0-9]+)?( [a-z]+)?$")]
    private static partial Regex UserDictLine();
}
