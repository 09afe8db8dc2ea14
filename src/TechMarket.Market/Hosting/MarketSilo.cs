using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using TechMarket.Data;

namespace TechMarket.Market.Hosting;

/// <summary>
/// The "Cluster" configuration section: how this node joins the market's cluster. (Orleans reads a section named
/// "Orleans" itself, so ours has its own name.)
/// </summary>
public sealed class MarketClusterOptions
{
    public const string Localhost = "localhost";
    public const string Postgres = "postgres";
    public const string Redis = "redis";

    /// <summary>
    /// "localhost" (the embedded default: one silo, nothing to install), "postgres" (membership in the market's
    /// PostgreSQL database through Orleans' ADO.NET provider) or "redis" (membership in the Redis of
    /// <see cref="RedisConfiguration"/>); with either of the last two, several nodes form one cluster.
    /// </summary>
    public string Clustering { get; set; } = Localhost;

    /// <summary>Port silos talk to each other on.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port for external Orleans clients; 0 (the default) opens none, as the server co-hosts its client.</summary>
    public int GatewayPort { get; set; }

    /// <summary>The address other nodes reach this one at.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    public string ClusterId { get; set; } = "techmarket";

    public string ServiceId { get; set; } = "techmarket";

    /// <summary>
    /// How long a silo waits for a probe's answer before it counts as missed. With <see cref="MissedProbesLimit"/>
    /// it bounds how long a dead node's grains stay unreachable (about their product plus a table refresh).
    /// </summary>
    public double ProbeTimeoutSeconds { get; set; } = 2;

    /// <summary>Missed probes after which a silo votes another dead.</summary>
    public int MissedProbesLimit { get; set; } = 2;

    /// <summary>The "Redis:Configuration" value (StackExchange.Redis syntax), set by the host; null when absent.</summary>
    public string? RedisConfiguration { get; set; }
}

/// <summary>Configures a silo that hosts the market's grains; shared by the server and the grain tests.</summary>
public static class MarketSilo
{
    public static MarketClusterOptions ResolveCluster(IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var options = config.GetSection("Cluster").Get<MarketClusterOptions>() ?? new MarketClusterOptions();
        options.RedisConfiguration = config["Redis:Configuration"] is { Length: > 0 } redis ? redis : null;
        return options;
    }

    /// <summary>Clustering as configured, and durable reminders in the market's own database.</summary>
    public static ISiloBuilder AddMarketCluster(this ISiloBuilder silo, MarketClusterOptions cluster, DatabaseOptions database)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(database);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = cluster.ClusterId;
            o.ServiceId = cluster.ServiceId;
        });
        switch (cluster.Clustering.Trim().ToLowerInvariant())
        {
            case MarketClusterOptions.Localhost:
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
                break;
            case MarketClusterOptions.Postgres:
                if (!database.IsPostgres)
                {
                    throw new InvalidOperationException("Cluster:Clustering=postgres 需要 Database:Provider=postgres（集群成员表在同一个 PostgreSQL 数据库中）");
                }

                silo.UseAdoNetClustering(o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = database.ConnectionString;
                });
                ConfigureEndpoints(silo, cluster);
                break;
            case MarketClusterOptions.Redis:
                if (string.IsNullOrWhiteSpace(cluster.RedisConfiguration))
                {
                    throw new InvalidOperationException("Cluster:Clustering=redis 需要配置 Redis:Configuration（例如 127.0.0.1:6379）");
                }

                silo.UseRedisClustering(cluster.RedisConfiguration);
                ConfigureEndpoints(silo, cluster);
                break;
            default:
                throw new InvalidOperationException($"不支持的集群方式：Cluster:Clustering={cluster.Clustering}（可选 localhost、postgres 或 redis）");
        }

        silo.AddMarketGrains();
        return silo;
    }

    private static void ConfigureEndpoints(ISiloBuilder silo, MarketClusterOptions cluster)
    {
        silo.Configure<EndpointOptions>(o =>
        {
            o.AdvertisedIPAddress = IPAddress.Parse(cluster.AdvertisedAddress);
            o.SiloPort = cluster.SiloPort;
            o.GatewayPort = cluster.GatewayPort;
            o.SiloListeningEndpoint = new IPEndPoint(IPAddress.Any, cluster.SiloPort);
        });
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(cluster.ProbeTimeoutSeconds);
            o.NumMissedProbesLimit = cluster.MissedProbesLimit;
        });
    }

    /// <summary>What every silo of the market needs whatever its clustering: reminders in the market's tables, the catch-up.</summary>
    public static ISiloBuilder AddMarketGrains(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.TryAddKeyedSingleton(MarketClock.Key, TimeProvider.System);
        silo.AddReminders();
        silo.Services.AddSingleton<IReminderTable, MarketReminderTable>();
        silo.Services.AddHostedService<ScheduleCatchUp>();
        return silo;
    }
}
