using System.Globalization;

namespace TechMarket.Cli;

/// <summary>
/// Minimal GNU-style option parsing (--name value, --flag, repeated options) with Chinese errors.
/// Hand-written because every message must be Chinese and the contract's verbs are few.
/// </summary>
internal sealed class CliArgs
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private CliArgs()
    {
    }

    /// <param name="args">The arguments after the verb.</param>
    /// <param name="valueOptions">Options that take a value, e.g. "--input".</param>
    /// <param name="flagOptions">Options that take no value, e.g. "--no-hmm".</param>
    public static CliArgs Parse(IReadOnlyList<string> args, IEnumerable<string> valueOptions, IEnumerable<string>? flagOptions = null)
    {
        var valueSet = new HashSet<string>(valueOptions, StringComparer.Ordinal);
        var flagSet = new HashSet<string>(flagOptions ?? [], StringComparer.Ordinal);
        var result = new CliArgs();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string name = arg;
            string? inlineValue = null;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                name = arg[..eq];
                inlineValue = arg[(eq + 1)..];
            }

            if (flagSet.Contains(name) && inlineValue is null)
            {
                result._flags.Add(name);
            }
            else if (valueSet.Contains(name))
            {
                var value = inlineValue;
                if (value is null)
                {
                    if (i + 1 >= args.Count)
                    {
                        throw new CliException($"选项 {name} 缺少取值");
                    }

                    value = args[++i];
                }

                if (!result._values.TryGetValue(name, out var list))
                {
                    result._values[name] = list = [];
                }

                list.Add(value);
            }
            else if (arg.StartsWith('-'))
            {
                throw new CliException($"未知选项：{name}");
            }
            else
            {
                throw new CliException($"多余的参数：{arg}");
            }
        }

        return result;
    }

    public bool Has(string flag) => _flags.Contains(flag) || _values.ContainsKey(flag);

    public string? Get(string name) => _values.TryGetValue(name, out var list) ? list[^1] : null;

    public IReadOnlyList<string> GetAll(string name) => _values.TryGetValue(name, out var list) ? list : [];

    public string Require(string name) => Get(name) ?? throw new CliException($"缺少必需的选项：{name}");

    public int GetInt(string name, int defaultValue, int min = int.MinValue, int max = int.MaxValue)
    {
        var text = Get(name);
        if (text is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new CliException($"选项 {name} 的取值无效：{text}（应为 {min} 到 {max} 之间的整数）");
        }

        return value;
    }

    public double GetDouble(string name, double defaultValue, double min = double.MinValue, double max = double.MaxValue)
    {
        var text = Get(name);
        if (text is null)
        {
            return defaultValue;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < min || value > max)
        {
            throw new CliException($"选项 {name} 的取值无效：{text}");
        }

        return value;
    }

    /// <summary>Checks that an input file exists, with a Chinese message naming it if not.</summary>
    public static string ExistingFile(string path) =>
        File.Exists(path) ? path : throw new CliException($"找不到文件：{path}");
}
