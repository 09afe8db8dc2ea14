using Microsoft.AspNetCore.OutputCaching;
using StackExchange.Redis;
using TechMarket.Market.Hosting;

namespace TechMarket.Server.Infrastructure;

/// <summary>
/// An output cache of what anonymous visitors read most: the home page, browse, details and search, as pages and
/// as API answers. Signed-in requests are never cached (the default policy skips them, and responses that set a
/// cookie). Every commit that changes what the public sees clears the whole tag, through
/// <see cref="IPublicMarketObserver"/>: the grains tell after publishing, withdrawing, closing, expiring or
/// editing a published listing, and after an organisation's profile changes.
/// With Redis the cache is shared by every node, so a publication on one node clears it for all; several nodes
/// without Redis cache nothing, since one node's memory would miss the others' publications.
/// </summary>
internal static class PublicPageCache
{
    public const string Policy = "public-market";
    public const string Tag = "public-market";

    public static IServiceCollection AddPublicPageCache(this IServiceCollection services, IConfiguration config, MarketClusterOptions cluster, Func<IConnectionMultiplexer>? redis)
    {
        var seconds = config.GetValue("Cache:PublicPageSeconds", 60);
        ArgumentNullException.ThrowIfNull(cluster);
        var enabled = seconds > 0 && (redis is not null || cluster.Clustering == MarketClusterOptions.Localhost);
        services.AddOutputCache(o => o.AddPolicy(Policy, b =>
        {
            if (enabled)
            {
                b.Expire(TimeSpan.FromSeconds(seconds)).Tag(Tag).SetVaryByQuery("*");
            }
            else
            {
                b.NoCache();
            }
        }));
        if (!enabled)
        {
            return services;
        }

        if (redis is not null)
        {
            services.AddStackExchangeRedisOutputCache(o =>
            {
                o.ConnectionMultiplexerFactory = () => Task.FromResult(redis());
                o.InstanceName = $"techmarket:{cluster.ServiceId}:pages:";
            });
        }

        services.AddSingleton<IPublicMarketObserver, OutputCacheObserver>();
        return services;
    }

    /// <summary>Clears every cached public page (on this node's memory, or in the cluster's Redis).</summary>
    private sealed class OutputCacheObserver(IOutputCacheStore store) : IPublicMarketObserver
    {
        public Task PublicMarketChangedAsync(CancellationToken ct = default) => store.EvictByTagAsync(Tag, ct).AsTask();
    }
}
