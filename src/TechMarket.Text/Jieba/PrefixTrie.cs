using System.Runtime.InteropServices;

namespace TechMarket.Text.Jieba;

/// <summary>
/// jieba's prefix dictionary (<c>FREQ</c>: every word with its frequency, every proper prefix
/// with 0) as a trie, so the DAG is built by walking one character at a time without slicing
/// or hashing substrings. The root's children sit in a flat array indexed by the character;
/// deeper edges live in one hash table keyed by (parent, character).
/// </summary>
internal sealed class PrefixTrie
{
    private readonly int[] _rootChildren = new int[char.MaxValue + 1];
    private readonly Dictionary<long, int> _edges;
    private long[] _freq;
    private double[] _logFreq;
    private int _count = 1;

    public PrefixTrie(int capacity = 1024)
    {
        _edges = new Dictionary<long, int>(capacity);
        _freq = new long[capacity];
        _logFreq = new double[capacity];
    }

    /// <summary>Sum of the frequencies of every added word (jieba's <c>total</c>).</summary>
    public long Total { get; private set; }

    /// <summary>Number of keys (words and prefixes).</summary>
    public int KeyCount => _count - 1;

    /// <summary>The child of <paramref name="node"/> along <paramref name="c"/>, or 0 when there is none.</summary>
    public int Child(int node, char c)
    {
        if (node == 0)
        {
            return _rootChildren[c];
        }

        return _edges.TryGetValue(((long)node << 16) | c, out var child) ? child : 0;
    }

    /// <summary>The frequency stored at a node (0 for a prefix that is not itself a word).</summary>
    public long Freq(int node) => _freq[node];

    /// <summary><c>log(FREQ[word] or 1)</c>, precomputed.</summary>
    public double LogFreq(int node) => _logFreq[node];

    /// <summary>The node of a key, or 0 when the key is not in the dictionary.</summary>
    public int Find(ReadOnlySpan<char> key)
    {
        var node = 0;
        foreach (var c in key)
        {
            node = Child(node, c);
            if (node == 0)
            {
                return 0;
            }
        }

        return node;
    }

    /// <summary><c>FREQ.get(key) or 0</c>.</summary>
    public long FreqOf(ReadOnlySpan<char> key)
    {
        var node = Find(key);
        return node == 0 ? 0 : _freq[node];
    }

    /// <summary>
    /// <c>FREQ[word] = freq; total += freq</c> and every missing prefix set to 0, as jieba's
    /// <c>gen_pfdict</c> and <c>add_word</c> do.
    /// </summary>
    public void Set(ReadOnlySpan<char> word, long freq)
    {
        if (word.IsEmpty)
        {
            return;
        }

        var node = 0;
        foreach (var c in word)
        {
            if (node == 0)
            {
                ref var root = ref _rootChildren[c];
                if (root == 0)
                {
                    root = NewNode();
                }

                node = root;
                continue;
            }

            ref var child = ref CollectionsMarshal.GetValueRefOrAddDefault(_edges, ((long)node << 16) | c, out _);
            if (child == 0)
            {
                child = NewNode();
            }

            node = child;
        }

        _freq[node] = freq;
        _logFreq[node] = Math.Log(freq == 0 ? 1 : freq);
        Total += freq;
    }

    private int NewNode()
    {
        if (_count == _freq.Length)
        {
            Array.Resize(ref _freq, _freq.Length * 2);
            Array.Resize(ref _logFreq, _logFreq.Length * 2);
        }

        var id = _count++;
        _freq[id] = 0;
        _logFreq[id] = 0;
        return id;
    }
}
