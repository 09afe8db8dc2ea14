using System.Text;
using TechMarket.Text;

namespace TechMarket.Cli.Commands;

/// <summary>
/// <c>techmarket segment [--mode precise|search] [--no-hmm] [--user-dict FILE]...</c>: one line of
/// space-separated jieba words per input line (see docs/contracts.md). Extra options:
/// <c>--jieba-dir DIR</c>, <c>--input FILE</c>, <c>--output FILE</c>.
/// </summary>
internal static class SegmentCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = CliArgs.Parse(args, ["--mode", "--user-dict", "--jieba-dir", "--input", "--output"], ["--no-hmm"]);
        var input = options.Get("--input");
        var output = options.Get("--output");
        var utf8 = new UTF8Encoding(false);
        using var reader = input is null
            ? new StreamReader(Console.OpenStandardInput(), utf8, false, 1 << 16)
            : new StreamReader(CliArgs.ExistingFile(input), utf8, false, 1 << 16);
        var segmenter = LoadSegmenter(options);
        try
        {
            await using var writer = new StreamWriter(
                output is null ? Console.OpenStandardOutput() : File.Create(output), utf8, 1 << 16);
            return Run(options, segmenter, reader, writer);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            // A closed pipe (`techmarket segment < big.txt | head`) or a full disk: one line, no stack trace.
            throw new CliException("读写失败：输出管道已关闭或磁盘已满");
        }
    }

    /// <summary>The verb on given streams, for tests.</summary>
    internal static int Run(string[] args, TextReader reader, TextWriter writer)
    {
        var options = CliArgs.Parse(args, ["--mode", "--user-dict", "--jieba-dir"], ["--no-hmm"]);
        return Run(options, LoadSegmenter(options), reader, writer);
    }

    private static int Run(CliArgs options, JiebaSegmenter segmenter, TextReader reader, TextWriter writer)
    {
        var search = Mode(options) == "search";
        var hmm = !options.Has("--no-hmm");
        var line = new StringBuilder();
        while (reader.ReadLine() is { } text)
        {
            line.Clear();
            var tokens = search ? segmenter.CutForSearch(text, hmm) : segmenter.Cut(text, hmm);
            foreach (var token in tokens)
            {
                if (JiebaSegmenter.IsWhitespaceToken(token))
                {
                    continue;
                }

                if (line.Length > 0)
                {
                    line.Append(' ');
                }

                line.Append(token);
            }

            line.Append('\n');
            writer.Write(line);
        }

        writer.Flush();
        return 0;
    }

    private static string Mode(CliArgs options)
    {
        var mode = options.Get("--mode") ?? "precise";
        return mode is "precise" or "search"
            ? mode
            : throw new CliException($"选项 --mode 的取值无效：{mode}（应为 precise 或 search）");
    }

    private static JiebaSegmenter LoadSegmenter(CliArgs options)
    {
        _ = Mode(options);
        try
        {
            var segmenter = JiebaSegmenter.Load(options.Get("--jieba-dir"));
            foreach (var path in options.GetAll("--user-dict"))
            {
                segmenter.LoadUserDictionary(CliArgs.ExistingFile(path));
            }

            return segmenter;
        }
        catch (TextDataException ex)
        {
            throw new CliException(ex.Message);
        }
    }
}
