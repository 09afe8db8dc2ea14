using TechMarket.Matching;
using TechMarket.Ranking;

namespace TechMarket.Cli.Commands;

/// <summary>The ranker a matching verb uses: --model FILE, --model none (search order), or the shipped bootstrap model.</summary>
internal static class MatchModels
{
    /// <summary>The bootstrap model's place in the repository, as the server finds it too.</summary>
    public const string BootstrapRelativePath = "ml-models/match/bootstrap.model";

    public static IMatchRanker? Open(string? option, TextWriter stderr)
    {
        if (option == "none")
        {
            stderr.WriteLine("撮合排序：不用模型（检索顺序）");
            return null;
        }

        var path = option ?? FindBootstrap() ?? throw new CliException($"找不到随附的撮合模型 {BootstrapRelativePath}；请用 --model 指定模型文件，或 --model none 按检索顺序");
        try
        {
            var model = MatchModel.Load(CliArgs.ExistingFile(path));
            stderr.WriteLine($"撮合排序：模型 {model.Name}");
            return model;
        }
        catch (RankingInputException ex)
        {
            throw new CliException(ex.Message);
        }
    }

    private static string? FindBootstrap()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, BootstrapRelativePath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
