using System.Globalization;
using System.Reflection;
using System.Text;
using TechMarket.Text.Jieba;

namespace TechMarket.Text;

/// <summary>
/// The analysis every search and match uses: normalisation, search-mode jieba words, CJK
/// bigrams and TF-IDF keywords. Every token keeps the offsets of the original text.
/// Thread-safe.
/// </summary>
public sealed class TextAnalyzer
{
    private static readonly Lazy<TextNormalizer> SharedNormalizer = new(TextNormalizer.Create);
    private static readonly Lazy<TextAnalyzer> SharedAnalyzer = new(() => CreateDefault());
    private static readonly Lazy<HashSet<string>> StopWords = new(LoadStopWords);

    private readonly Lazy<IdfTable> _idf;
    private readonly TextNormalizer _normalizer;

    private TextAnalyzer(JiebaSegmenter segmenter)
    {
        Segmenter = segmenter;
        _normalizer = SharedNormalizer.Value;
        _idf = new Lazy<IdfTable>(() => IdfTable.Load(Path.Combine(segmenter.Directory, "analyse", "idf.txt")));
    }

    /// <summary>
    /// The analyser of the whole application: jieba's default data (see
    /// <see cref="JiebaSegmenter.DefaultDirectory"/>) plus the shipped domain dictionary. Loaded on first use.
    /// </summary>
    /// <exception cref="TextDataException">jieba's data or OpenCC is not installed.</exception>
    public static TextAnalyzer Shared => SharedAnalyzer.Value;

    /// <summary>The segmenter behind this analyser.</summary>
    public JiebaSegmenter Segmenter { get; }

    /// <summary>Wraps a segmenter (used as given: no domain dictionary is added).</summary>
    public static TextAnalyzer Create(JiebaSegmenter segmenter)
    {
        ArgumentNullException.ThrowIfNull(segmenter);
        return new TextAnalyzer(segmenter);
    }

    /// <summary>Loads jieba's data from <paramref name="jiebaDirectory"/> and adds the shipped domain dictionary.</summary>
    public static TextAnalyzer CreateDefault(string? jiebaDirectory = null)
    {
        var segmenter = JiebaSegmenter.Load(jiebaDirectory);
        AddDomainDictionary(segmenter);
        return new TextAnalyzer(segmenter);
    }

    /// <summary>Adds the shipped dictionary of Ningbo's fields, technology terms and place names.</summary>
    public static void AddDomainDictionary(JiebaSegmenter segmenter)
    {
        ArgumentNullException.ThrowIfNull(segmenter);
        var lines = ReadResource("TechMarket.Text.domain-dict.txt").Split('\n').Where(l => !l.StartsWith('#'));
        segmenter.LoadUserDictionaryText(string.Join('\n', lines), "domain-dict.txt");
    }

    /// <summary>
    /// Traditional → simplified (OpenCC, character by character), full → half width and
    /// lower case. The result has the same length as <paramref name="text"/> and character i
    /// of the result comes from character i of the input.
    /// </summary>
    public string Normalize(string text) => _normalizer.Fold(text);

    /// <summary>
    /// The words to index and to query with: jieba's search mode on the normalised text
    /// (with the segmenter's dictionary), whitespace and punctuation dropped; every run of
    /// Latin letters/digits (and other non-CJK letters) kept whole and also split into the parts
    /// a user would type ("pm2.5" → "pm", "2.5"; "navier-stokes" → "navier", "stokes").
    /// Ordered by start, then length; no two tokens share a (start, length).
    /// </summary>
    public IReadOnlyList<AnalyzedToken> Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return [];
        }

        var script = _normalizer.Script(text);
        var folded = _normalizer.Fold(text);
        var pieces = new List<Piece>();
        Segmenter.CutForSearchPieces(script, true, pieces);
        var runs = new List<Piece>();
        var inRun = TokenRules.FindRuns(folded, runs);
        var output = new List<Piece>(pieces.Count + runs.Count);
        foreach (var p in pieces)
        {
            var slice = folded.AsSpan(p.Start, p.Length);
            if (TokenRules.ContainsCjk(slice) || (TokenRules.ContainsLetterOrDigit(slice) && !TokenRules.AllIn(inRun, p)))
            {
                output.Add(p);
            }
        }

        foreach (var run in runs)
        {
            TokenRules.AddRunAndParts(folded, run, output);
        }

        return Finish(folded, output);
    }

    /// <summary>
    /// Like Elasticsearch's <c>cjk</c> analyser on the normalised text: overlapping bigrams of
    /// each run of CJK characters (a lone CJK character as a unigram); non-CJK runs as in
    /// <see cref="Words"/>. Ordered by start, then length.
    /// </summary>
    public IReadOnlyList<AnalyzedToken> Bigrams(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return [];
        }

        var folded = _normalizer.Fold(text);
        var output = new List<Piece>();
        TokenRules.AddCjkBigrams(folded, output);
        var runs = new List<Piece>();
        TokenRules.FindRuns(folded, runs);
        foreach (var run in runs)
        {
            TokenRules.AddRunAndParts(folded, run, output);
        }

        return Finish(folded, output);
    }

    /// <summary>
    /// TF-IDF keywords as jieba's <c>extract_tags</c> computes them (precise cut with HMM,
    /// words of at least two characters, jieba's IDF with the median for unknown words), on the
    /// normalised text, leaving out stop words and tokens without a letter.
    /// </summary>
    public IReadOnlyList<KeywordWeight> ExtractKeywords(string text, int topK = 10)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topK);
        var script = _normalizer.Script(text);
        var folded = _normalizer.Fold(text);
        var pieces = new List<Piece>();
        Segmenter.CutPieces(script, true, pieces);
        var counts = new Dictionary<string, double>(StringComparer.Ordinal);
        var order = new List<string>();
        var stop = StopWords.Value;
        foreach (var p in pieces)
        {
            var term = folded.Substring(p.Start, p.Length);
            if (term.AsSpan().Trim().Length < 2 || stop.Contains(term) || !TokenRules.ContainsLetter(term))
            {
                continue;
            }

            if (counts.TryGetValue(term, out var c))
            {
                counts[term] = c + 1;
            }
            else
            {
                counts[term] = 1;
                order.Add(term);
            }
        }

        if (order.Count == 0)
        {
            return [];
        }

        var total = counts.Values.Sum();
        var idf = _idf.Value;
        return order
            .Select(w => new KeywordWeight(w, counts[w] * idf.Get(w) / total))
            .OrderByDescending(k => k.Weight)
            .Take(topK)
            .ToList();
    }

    private static List<AnalyzedToken> Finish(string folded, List<Piece> pieces)
    {
        pieces.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Length.CompareTo(b.Length));
        var result = new List<AnalyzedToken>(pieces.Count);
        var last = new Piece(-1, 0);
        foreach (var p in pieces)
        {
            if (p == last)
            {
                continue;
            }

            last = p;
            result.Add(new AnalyzedToken(folded.Substring(p.Start, p.Length), p.Start, p.Length));
        }

        return result;
    }

    private static string ReadResource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new TextDataException($"程序集中缺少资源：{name}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static HashSet<string> LoadStopWords()
    {
        var set = new HashSet<string>(StringComparer.Ordinal)
        {
            "the", "of", "is", "and", "to", "in", "that", "we", "for", "an", "are",
            "by", "be", "as", "on", "with", "can", "if", "from", "which", "you", "it",
            "this", "then", "at", "have", "all", "not", "one", "has", "or",
        };
        foreach (var line in ReadResource("TechMarket.Text.stop-words.txt").Split('\n'))
        {
            var w = line.Trim();
            if (w.Length > 0 && !w.StartsWith('#'))
            {
                set.Add(w.ToLower(CultureInfo.InvariantCulture));
            }
        }

        return set;
    }
}
