namespace TechMarket.Data.Rules;

/// <summary>统一社会信用代码 (GB 32100-2015): 18 characters from a 31-symbol alphabet, the last a mod-31 check character.</summary>
public static class CreditCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>True when <paramref name="code"/> is a well-formed code with a correct check character.</summary>
    public static bool IsValid(string? code)
    {
        if (code is null || code.Length != 18)
        {
            return false;
        }

        var expected = CheckCharacter(code.AsSpan(0, 17));
        return expected is not null && code[17] == expected;
    }

    /// <summary>The check character for the first 17 characters, or null if one of them is not in the alphabet.</summary>
    public static char? CheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17)
        {
            return null;
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var v = Alphabet.IndexOf(first17[i], StringComparison.Ordinal);
            if (v < 0)
            {
                return null;
            }

            sum += v * Weights[i];
        }

        var check = 31 - (sum % 31);
        return Alphabet[check == 31 ? 0 : check];
    }

    /// <summary>Builds a valid code from a 17-character body (used by the demo generator and tests).</summary>
    public static string Complete(string first17) =>
        first17 + (CheckCharacter(first17) ?? throw new ArgumentException("统一社会信用代码含有无效字符", nameof(first17)));
}
