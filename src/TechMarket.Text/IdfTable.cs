using System.Globalization;
using System.Text;

namespace TechMarket.Text;

/// <summary>jieba's <c>analyse/idf.txt</c>: IDF per word, and the median for unknown words.</summary>
internal sealed class IdfTable
{
    private readonly Dictionary<string, double> _idf;

    private IdfTable(Dictionary<string, double> idf, double median)
    {
        _idf = idf;
        Median = median;
    }

    public double Median { get; }

    public int Count => _idf.Count;

    public double Get(string word) => _idf.TryGetValue(word, out var v) ? v : Median;

    public static IdfTable Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new TextDataException(
                $"找不到 jieba 的 IDF 表（{path}）。请安装 python3-jieba（apt-get install python3-jieba），" +
                $"或把环境变量 {JiebaSegmenter.JiebaDirectoryVariable} 设为含 analyse/idf.txt 的 jieba 目录。");
        }

        var idf = new Dictionary<string, double>(300_000, StringComparer.Ordinal);
        var lineNo = 0;
        foreach (var raw in File.ReadLines(path, Encoding.UTF8))
        {
            lineNo++;
            var line = raw.AsSpan().Trim();
            if (line.IsEmpty)
            {
                continue;
            }

            var sp = line.IndexOf(' ');
            if (sp <= 0 || !double.TryParse(line[(sp + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw new TextDataException($"IDF 表 {path} 第 {lineNo} 行格式无效");
            }

            idf[line[..sp].ToString()] = value;
        }

        if (idf.Count == 0)
        {
            throw new TextDataException($"IDF 表 {path} 是空的");
        }

        var values = idf.Values.ToArray();
        Array.Sort(values);
        return new IdfTable(idf, values[values.Length / 2]);
    }
}
