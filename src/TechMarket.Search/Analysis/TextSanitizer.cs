namespace TechMarket.Search.Analysis;

/// <summary>
/// Makes any string safe for analysis and storage without changing its length (so offsets stay valid):
/// unpaired surrogates become U+FFFD, NUL and other control characters become spaces.
/// </summary>
internal static class TextSanitizer
{
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        char[]? buffer = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            char replacement;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    i++;
                    continue;
                }

                replacement = '\uFFFD';
            }
            else if (char.IsLowSurrogate(c))
            {
                replacement = '\uFFFD';
            }
            else if (char.IsControl(c) && c is not '\n' and not '\t')
            {
                replacement = ' ';
            }
            else
            {
                continue;
            }

            buffer ??= text.ToCharArray();
            buffer[i] = replacement;
        }

        return buffer is null ? text : new string(buffer);
    }
}
