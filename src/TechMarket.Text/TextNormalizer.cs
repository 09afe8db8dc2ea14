using System.Runtime.InteropServices;
using System.Text;

namespace TechMarket.Text;

/// <summary>
/// Character-by-character normalisation, so every offset in the normalised text is the offset
/// of the same character in the original: traditional → simplified (OpenCC's t2s through
/// Debian's <c>libopencc</c>, applied to single characters), full-width → half-width, and
/// (for <see cref="Fold(string)"/>) lower case.
/// </summary>
internal sealed partial class TextNormalizer
{
    private const string OpenCcLibrary = "libopencc.so.1.1";

    private readonly char[] _script;
    private readonly char[] _folded;

    private TextNormalizer(char[] script, char[] folded)
    {
        _script = script;
        _folded = folded;
    }

    /// <summary>Number of traditional characters the OpenCC table maps to another character.</summary>
    public int TraditionalCount { get; private init; }

    /// <summary>Builds the tables, asking libopencc for the simplified form of every CJK character.</summary>
    /// <exception cref="TextDataException">libopencc or its data is not installed.</exception>
    public static TextNormalizer Create()
    {
        var script = new char[char.MaxValue + 1];
        for (var c = 0; c <= char.MaxValue; c++)
        {
            script[c] = (char)c;
        }

        for (var c = 0xFF01; c <= 0xFF5E; c++)
        {
            script[c] = (char)(c - 0xFEE0);
        }

        script[0x3000] = ' ';
        var count = 0;
        foreach (var (from, to) in TraditionalToSimplified())
        {
            if (script[from] == from)
            {
                script[from] = to;
                count++;
            }
        }

        var folded = new char[char.MaxValue + 1];
        for (var c = 0; c <= char.MaxValue; c++)
        {
            folded[c] = char.IsSurrogate((char)c) ? (char)c : char.ToLowerInvariant(script[c]);
        }

        return new TextNormalizer(script, folded) { TraditionalCount = count };
    }

    /// <summary>Traditional → simplified and full → half width, keeping case (jieba's dictionary has upper-case words such as "B超").</summary>
    public string Script(string text) => Map(text, _script);

    /// <summary><see cref="Script(string)"/> plus lower case.</summary>
    public string Fold(string text) => Map(text, _folded);

    /// <summary>The folded form of one character.</summary>
    public char Fold(char c) => _folded[c];

    private static string Map(string text, char[] table)
    {
        ArgumentNullException.ThrowIfNull(text);
        return string.Create(text.Length, (text, table), static (dest, state) =>
        {
            var (src, map) = state;
            for (var i = 0; i < src.Length; i++)
            {
                dest[i] = map[src[i]];
            }
        });
    }

    private static List<(char From, char To)> TraditionalToSimplified()
    {
        var input = new StringBuilder();
        var chars = new List<char>();
        foreach (var (lo, hi) in new[] { (0x2E80, 0x2FDF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF) })
        {
            for (var c = lo; c <= hi; c++)
            {
                chars.Add((char)c);
                input.Append((char)c).Append('\n');
            }
        }

        var output = Convert(input.ToString());
        var lines = output.Split('\n');
        var pairs = new List<(char, char)>();
        if (lines.Length < chars.Count)
        {
            throw new TextDataException("OpenCC 繁简转换结果异常，请重新安装 libopencc-data（apt-get install --reinstall libopencc-data）");
        }

        for (var i = 0; i < chars.Count; i++)
        {
            var line = lines[i];
            if (line.Length == 1 && line[0] != chars[i])
            {
                pairs.Add((chars[i], line[0]));
            }
        }

        return pairs;
    }

    private static string Convert(string text)
    {
        IntPtr handle;
        try
        {
            handle = OpenCcOpen("t2s.json");
        }
        catch (DllNotFoundException ex)
        {
            throw new TextDataException("找不到 OpenCC 库（libopencc.so.1.1）。请安装 libopencc1.1 与 libopencc-data（apt-get install libopencc1.1 libopencc-data）。", ex);
        }

        if (handle == IntPtr.Zero || handle == new IntPtr(-1))
        {
            throw new TextDataException("无法打开 OpenCC 的繁简转换配置 t2s.json。请安装 libopencc-data（apt-get install libopencc-data）。");
        }

        try
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            var result = OpenCcConvertUtf8(handle, bytes, (nuint)bytes.Length);
            if (result == IntPtr.Zero)
            {
                throw new TextDataException("OpenCC 繁简转换失败，请检查 libopencc-data 是否完整安装。");
            }

            try
            {
                return Marshal.PtrToStringUTF8(result) ?? string.Empty;
            }
            finally
            {
                OpenCcConvertUtf8Free(result);
            }
        }
        finally
        {
            _ = OpenCcClose(handle);
        }
    }

    [LibraryImport(OpenCcLibrary, EntryPoint = "opencc_open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr OpenCcOpen(string configFileName);

    [LibraryImport(OpenCcLibrary, EntryPoint = "opencc_convert_utf8")]
    private static partial IntPtr OpenCcConvertUtf8(IntPtr opencc, byte[] input, nuint length);

    [LibraryImport(OpenCcLibrary, EntryPoint = "opencc_convert_utf8_free")]
    private static partial void OpenCcConvertUtf8Free(IntPtr text);

    [LibraryImport(OpenCcLibrary, EntryPoint = "opencc_close")]
    private static partial int OpenCcClose(IntPtr opencc);
}
