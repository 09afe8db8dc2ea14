using System.Text;
using TechMarket.Text.Jieba;

namespace TechMarket.Text;

/// <summary>
/// The character rules of the index analysis: which code points are CJK, what a Latin (or
/// other non-CJK) run is and how it splits into the parts a user would type.
/// </summary>
internal static class TokenRules
{
    /// <summary>Han (with extensions, radicals, compatibility ideographs), kana, bopomofo and Hangul.</summary>
    public static bool IsCjk(int cp) =>
        cp is (>= 0x2E80 and <= 0x2FDF) or 0x3005 or 0x3006 or 0x3007 or (>= 0x3021 and <= 0x3029)
            or (>= 0x3038 and <= 0x303B) or (>= 0x3040 and <= 0x30FF) or (>= 0x3100 and <= 0x31BF)
            or (>= 0x31F0 and <= 0x31FF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF)
            or (>= 0xAC00 and <= 0xD7AF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x20000 and <= 0x3FFFF);

    public static bool ContainsCjk(ReadOnlySpan<char> s)
    {
        var i = 0;
        while (i < s.Length)
        {
            var (cp, width) = CodePointAt(s, i);
            if (IsCjk(cp))
            {
                return true;
            }

            i += width;
        }

        return false;
    }

    public static bool ContainsLetterOrDigit(ReadOnlySpan<char> s)
    {
        var i = 0;
        while (i < s.Length)
        {
            var (cp, width) = CodePointAt(s, i);
            if (cp >= 0 && Rune.IsLetterOrDigit(new Rune(cp)))
            {
                return true;
            }

            i += width;
        }

        return false;
    }

    public static bool ContainsLetter(ReadOnlySpan<char> s)
    {
        var i = 0;
        while (i < s.Length)
        {
            var (cp, width) = CodePointAt(s, i);
            if (cp >= 0 && Rune.IsLetter(new Rune(cp)))
            {
                return true;
            }

            i += width;
        }

        return false;
    }

    /// <summary>The code point at <paramref name="i"/> and its width; -1 for an unpaired surrogate.</summary>
    public static (int CodePoint, int Width) CodePointAt(ReadOnlySpan<char> s, int i)
    {
        var c = s[i];
        if (!char.IsSurrogate(c))
        {
            return (c, 1);
        }

        if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        {
            return (char.ConvertToUtf32(c, s[i + 1]), 2);
        }

        return (-1, 1);
    }

    private static bool IsRunChar(int cp) => cp >= 0 && !IsCjk(cp) && Rune.IsLetterOrDigit(new Rune(cp));

    private static bool IsConnector(char c) => c is '-' or '_' or '.' or '/' or '+' or '&' or '\'' or '·';

    /// <summary>
    /// Finds runs of non-CJK letters and digits joined by connectors ("pm2.5", "navier-stokes",
    /// "c++", "c#"). Returns a mask of the characters that belong to a run.
    /// </summary>
    public static bool[] FindRuns(string text, List<Piece> runs)
    {
        var mask = new bool[text.Length];
        var s = text.AsSpan();
        var i = 0;
        while (i < s.Length)
        {
            var (cp, width) = CodePointAt(s, i);
            if (!IsRunChar(cp))
            {
                i += width;
                continue;
            }

            var start = i;
            var end = i + width;
            while (end < s.Length)
            {
                var (next, w) = CodePointAt(s, end);
                if (IsRunChar(next))
                {
                    end += w;
                    continue;
                }

                if (IsConnector(s[end]) && end + 1 < s.Length)
                {
                    var (after, _) = CodePointAt(s, end + 1);
                    if (IsRunChar(after))
                    {
                        end += 1;
                        continue;
                    }
                }

                break;
            }

            // "c++", "c#", "f#": a trailing + or # right after a letter belongs to the name.
            if (end < s.Length && s[end] is '+' or '#' && char.IsAsciiLetter(s[end - 1]))
            {
                end++;
                if (end < s.Length && s[end] == '+' && s[end - 1] == '+')
                {
                    end++;
                }
            }

            runs.Add(new Piece(start, end - start));
            Array.Fill(mask, true, start, end - start);
            i = end;
        }

        return mask;
    }

    public static bool AllIn(bool[] mask, Piece p)
    {
        for (var k = p.Start; k < p.Start + p.Length; k++)
        {
            if (!mask[k])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Adds the run and, when it has several, its parts: split at connectors (a dot between
    /// digits stays: "2.5"), then at letter/digit boundaries when every letter part has at least
    /// two letters ("pm2.5" → "pm", "2.5"; "gpt4" → "gpt", "4"; but "5g", "h1n1" stay whole).
    /// </summary>
    public static void AddRunAndParts(string text, Piece run, List<Piece> output)
    {
        output.Add(run);
        var parts = new List<Piece>();
        var segStart = run.Start;
        var end = run.Start + run.Length;
        for (var k = run.Start; k <= end; k++)
        {
            var boundary = k == end
                || (IsConnector(text[k]) && !(text[k] == '.' && k > run.Start && char.IsDigit(text[k - 1]) && k + 1 < end && char.IsDigit(text[k + 1])));
            if (!boundary)
            {
                continue;
            }

            if (k > segStart)
            {
                SplitLettersAndDigits(text, new Piece(segStart, k - segStart), parts);
            }

            segStart = k + 1;
        }

        if (parts.Count > 1)
        {
            output.AddRange(parts);
        }
    }

    private static void SplitLettersAndDigits(string text, Piece segment, List<Piece> parts)
    {
        var pieces = new List<Piece>();
        var start = segment.Start;
        var end = segment.Start + segment.Length;
        for (var k = segment.Start + 1; k <= end; k++)
        {
            if (k == end || IsDigitLike(text, k, end) != IsDigitLike(text, k - 1, end))
            {
                pieces.Add(new Piece(start, k - start));
                start = k;
            }
        }

        var letterPartsLongEnough = true;
        foreach (var p in pieces)
        {
            if (!IsDigitLike(text, p.Start, end) && p.Length < 2)
            {
                letterPartsLongEnough = false;
            }
        }

        if (pieces.Count > 1 && letterPartsLongEnough)
        {
            parts.AddRange(pieces);
        }
        else
        {
            parts.Add(segment);
        }
    }

    private static bool IsDigitLike(string text, int k, int end) =>
        char.IsDigit(text[k]) || (text[k] == '.' && k + 1 < end && char.IsDigit(text[k + 1]));

    /// <summary>Overlapping bigrams of every CJK run; a run of one character gives a unigram.</summary>
    public static void AddCjkBigrams(string text, List<Piece> output)
    {
        var s = text.AsSpan();
        var prevStart = -1;
        var prevWidth = 0;
        var runLength = 0;
        var i = 0;
        while (i <= s.Length)
        {
            var cjk = false;
            var width = 1;
            if (i < s.Length)
            {
                (var cp, width) = CodePointAt(s, i);
                cjk = IsCjk(cp);
            }

            if (cjk)
            {
                if (runLength > 0)
                {
                    output.Add(new Piece(prevStart, prevWidth + width));
                }

                prevStart = i;
                prevWidth = width;
                runLength++;
            }
            else
            {
                if (runLength == 1)
                {
                    output.Add(new Piece(prevStart, prevWidth));
                }

                runLength = 0;
            }

            i += width;
        }
    }
}
