using TechMarket.Matching;
using TechMarket.Ranking;

namespace TechMarket.Server.Features.Matching;

/// <summary>
/// The matching model the server ranks with, loaded once and shared by every request (its scoring is thread-safe).
/// A new file at the same path (what <c>techmarket match train</c> writes) is taken up without a restart: the file's
/// time is checked at most every two seconds and a model that fails to load leaves the current one in place.
/// </summary>
internal sealed class MatchModelHolder(IConfiguration config, IHostEnvironment env, ILogger<MatchModelHolder> log, TimeProvider time)
{
    public const string BootstrapRelativePath = "ml-models/match/bootstrap.model";
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(2);
    private readonly Lock _gate = new();
    private IMatchRanker? _current;
    private DateTime _loadedStamp;
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;
    private string? _path;

    /// <summary>The model file: Matching:ModelPath, else the bootstrap model shipped in the repository.</summary>
    public string? Path => _path ??= config["Matching:ModelPath"] is { Length: > 0 } p ? System.IO.Path.GetFullPath(p) : FindBootstrap(env.ContentRootPath);

    /// <summary>When the current model was loaded (its file's time), for operators.</summary>
    public DateTime LoadedStamp => _loadedStamp;

    /// <summary>The current model, or null (search order) when there is none.</summary>
    public IMatchRanker? Current
    {
        get
        {
            var now = time.GetUtcNow();
            if (now - _checkedAt < CheckEvery)
            {
                return _current;
            }

            lock (_gate)
            {
                if (now - _checkedAt < CheckEvery)
                {
                    return _current;
                }

                _checkedAt = now;
                if (Path is not { } path || !File.Exists(path))
                {
                    if (_current is null && _loadedStamp == default)
                    {
                        log.LogWarning("未找到撮合模型文件（{Path}），推荐按检索相关度排序", Path ?? BootstrapRelativePath);
                        _loadedStamp = DateTime.MinValue;
                    }

                    return _current;
                }

                var stamp = File.GetLastWriteTimeUtc(path);
                if (stamp != _loadedStamp)
                {
                    try
                    {
                        var model = MatchModel.Load(path);
                        _current = model;
                        _loadedStamp = stamp;
                        log.LogInformation("已载入撮合模型 {Model}（{Stamp:O}）", model.Name, stamp);
                    }
                    catch (Exception ex) when (ex is RankingInputException or IOException or InvalidDataException or FormatException or UnauthorizedAccessException)
                    {
                        _loadedStamp = stamp;
                        log.LogError(ex, "撮合模型 {Path} 无法载入，继续使用当前模型", path);
                    }
                }

                return _current;
            }
        }
    }

    private static string? FindBootstrap(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, BootstrapRelativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
