namespace TechMarket.Text.Jieba;

/// <summary>The character classes of jieba's regular expressions, reproduced exactly.</summary>
internal static class CharClass
{
    /// <summary>re_han_default: [\u4E00-\u9FD5a-zA-Z0-9+#&amp;\._%\-].</summary>
    public static bool IsHanDefault(char c) =>
        (c >= '\u4E00' && c <= '\u9FD5') || IsEng(c) || c is '+' or '#' or '&' or '.' or '_' or '%' or '-';

    /// <summary>finalseg's re_han: [\u4E00-\u9FD5].</summary>
    public static bool IsHan(char c) => c >= '\u4E00' && c <= '\u9FD5';

    /// <summary>re_eng: [a-zA-Z0-9].</summary>
    public static bool IsEng(char c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a' || (uint)(c - '0') <= 9;

    /// <summary>
    /// Python's <c>\s</c> for str patterns (= <c>str.isspace()</c>), which differs from
    /// <see cref="char.IsWhiteSpace(char)"/> (e.g. U+001C..U+001F are whitespace to Python).
    /// </summary>
    public static bool IsPythonSpace(char c) => c switch
    {
        >= '\t' and <= '\r' => true,
        >= '\u001C' and <= ' ' => true,
        '\u0085' or '\u00A0' or '\u1680' => true,
        >= '\u2000' and <= '\u200A' => true,
        '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000' => true,
        _ => false,
    };

    /// <summary>True when every character of the token is Python whitespace.</summary>
    public static bool IsAllPythonSpace(ReadOnlySpan<char> token)
    {
        foreach (var c in token)
        {
            if (!IsPythonSpace(c))
            {
                return false;
            }
        }

        return true;
    }
}
