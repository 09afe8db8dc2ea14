using Microsoft.Extensions.Logging;

namespace TechMarket.Market.Hosting;

/// <summary>
/// Told by the grains, after a commit, that what anonymous visitors see has changed: a listing entered or left
/// 已发布, a published listing changed, or an organisation's public profile changed. A host that caches public
/// pages clears them here. The grains know no HTTP; the server supplies the implementation.
/// </summary>
public interface IPublicMarketObserver
{
    Task PublicMarketChangedAsync(CancellationToken ct = default);
}

/// <summary>The default for hosts without a page cache (the grain tests, the CLI): nothing to clear.</summary>
internal sealed class NoPublicMarketObserver : IPublicMarketObserver
{
    public Task PublicMarketChangedAsync(CancellationToken ct = default) => Task.CompletedTask;
}

/// <summary>Calls the observer without letting a failure of the cache undo or fail a write that has committed.</summary>
internal static class PublicMarketObserverExtensions
{
    public static async Task NotifySafelyAsync(this IPublicMarketObserver observer, ILogger log)
    {
        try
        {
            await observer.PublicMarketChangedAsync();
        }
#pragma warning disable CA1031 // The write has committed; a stale page for its cache lifetime beats a failed call.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            log.LogWarning(ex, "Clearing the public page cache failed; pages may stay stale until they expire");
        }
    }
}
