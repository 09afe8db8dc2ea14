using System.Text.Json;

namespace TechMarket.Data.Seeding;

/// <summary>One real paper record from CSL (Apache-2.0) used as a demo achievement: title, abstract, discipline.</summary>
internal sealed record CslText(string Id, string Title, string Text, string Discipline);

/// <summary>Reads seeds/csl-achievements.jsonl, the CSL rows shipped with the repository.</summary>
internal static class CslTexts
{
    public const string RelativePath = "seeds/csl-achievements.jsonl";

    public static async Task<IReadOnlyList<CslText>> LoadAsync(string? path, CancellationToken ct)
    {
        var file = path ?? Find() ?? throw new FileNotFoundException(
            $"找不到示例成果文本 {RelativePath}（请在仓库目录中运行，或指定文件路径）", RelativePath);
        var texts = new List<CslText>();
        foreach (var line in await File.ReadAllLinesAsync(file, ct))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            texts.Add(new CslText(
                root.GetProperty("id").GetString() ?? "",
                root.GetProperty("title").GetString() ?? "",
                root.GetProperty("text").GetString() ?? "",
                root.GetProperty("discipline").GetString() ?? ""));
        }

        return texts;
    }

    /// <summary>Looks for the file in the current directory, the application's directory and their parents.</summary>
    public static string? Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, RelativePath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
