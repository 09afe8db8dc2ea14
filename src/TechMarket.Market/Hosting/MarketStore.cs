using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TechMarket.Data;
using TechMarket.Data.Indexing;
using TechMarket.Search;

namespace TechMarket.Market.Hosting;

/// <summary>The market's tables and its search index, as every host of the grains registers them.</summary>
public static class MarketStore
{
    /// <summary>
    /// The database (SQLite or PostgreSQL), the search index that lives in it, and <see cref="MarketDb"/> with the
    /// indexer that writes the index inside each save's transaction.
    /// </summary>
    public static IServiceCollection AddMarketStore(this IServiceCollection services, DatabaseOptions database)
    {
        ArgumentNullException.ThrowIfNull(database);
        services.AddSingleton(database);
        services.AddSingleton(_ => SearchIndexer.OpenIndex(database));
        services.AddSingleton(sp => new SearchIndexer(sp.GetRequiredService<SqlSearchIndex>()));
        services.AddDbContext<MarketDb>((sp, o) =>
        {
            database.Apply(o);
            o.AddInterceptors(sp.GetRequiredService<SearchIndexer>());
        });
        services.TryAddSingleton<IPublicMarketObserver, NoPublicMarketObserver>();
        services.TryAddSingleton<Alerts.IMailSender, Alerts.NoMailSender>();
        return services;
    }
}
