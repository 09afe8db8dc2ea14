using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace TechMarket.Text.Tests;

/// <summary>
/// Compares the segmenter with Debian's python3-jieba 0.42.1 (run with /usr/bin/python3) on
/// the seed lines and a few thousand CSL lines. scripts/verify-segmenter.sh does every line.
/// </summary>
public sealed class ReferenceComparisonTests
{
    private const string DebianPython = "/usr/bin/python3";

    private static readonly Lazy<string[]> Lines = new(LoadLines);

    [Theory]
    [InlineData("precise")]
    [InlineData("nohmm")]
    [InlineData("search")]
    public void EqualsDebianJiebaOnSeedAndCslLines(string mode)
    {
        var lines = Lines.Value;

        var expected = RunReference(mode, lines);
        var actual = lines.Select(l => Ours(mode, l)).ToArray();

        Assert.Equal(lines.Length, expected.Length);
        var differing = Enumerable.Range(0, lines.Length).Where(i => expected[i] != actual[i]).ToList();
        Assert.True(differing.Count == 0, differing.Count == 0 ? string.Empty :
            $"{differing.Count} of {lines.Length} lines differ; first: {lines[differing[0]]}\njieba: {expected[differing[0]]}\nours:  {actual[differing[0]]}");
    }

    private static string Ours(string mode, string line)
    {
        var jieba = TestData.Jieba;
        var tokens = mode == "search" ? jieba.CutForSearch(line) : jieba.Cut(line, mode == "precise");
        return string.Join(' ', tokens.Where(t => !JiebaSegmenter.IsWhitespaceToken(t)));
    }

    private static string[] RunReference(string mode, string[] lines)
    {
        Assert.True(File.Exists(DebianPython), "Debian's /usr/bin/python3 is needed (apt-get install python3-jieba)");
        var script = """
            import io, logging, sys
            import jieba
            jieba.setLogLevel(logging.WARNING)
            mode = sys.argv[1]
            lines = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8").read().split("\n")[:-1]
            if mode == "search":
                cut = lambda s: jieba.cut_for_search(s)
            else:
                cut = lambda s: jieba.cut(s, HMM=(mode == "precise"))
            out = [" ".join(w for w in cut(l) if w and not w.isspace()) for l in lines]
            sys.stdout.buffer.write("".join(o + "\n" for o in out).encode("utf-8"))
            """;
        var start = new ProcessStartInfo(DebianPython)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(mode);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        foreach (var line in lines)
        {
            process.StandardInput.Write(line);
            process.StandardInput.Write('\n');
        }

        process.StandardInput.Close();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "python3-jieba failed (apt-get install python3-jieba): " + stderr.Result);
        var text = stdout.Result;
        return text.Length == 0 ? [] : text[..^1].Split('\n');
    }

    /// <summary>Every seed line, then the first 3,000 distinct lines of CSL abstracts and titles (M1).</summary>
    private static string[] LoadLines()
    {
        var shared = TestData.SharedDirectory();
        var lines = new List<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(shared, "seeds"), "*.txt").Order(StringComparer.Ordinal))
        {
            lines.AddRange(File.ReadAllLines(file));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var json in File.ReadLines(Path.Combine(shared, "data", "csl", "M1_need2supply", "docs.jsonl")))
        {
            using var doc = JsonDocument.Parse(json);
            foreach (var field in new[] { "title", "text" })
            {
                if (doc.RootElement.TryGetProperty(field, out var value) && value.GetString() is { } text)
                {
                    lines.AddRange(text.Split('\n').Where(l => l.Length > 0 && !l.Contains('\r') && seen.Add(l)));
                }
            }

            if (seen.Count >= 3000)
            {
                break;
            }
        }

        return [.. lines.Where(l => !l.Contains('\r'))];
    }
}
