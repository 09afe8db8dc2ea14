using Microsoft.Extensions.Diagnostics.HealthChecks;
using TechMarket.Data;

namespace TechMarket.Server.Infrastructure;

/// <summary>Healthy when the market's database answers a query.</summary>
internal sealed class DatabaseHealthCheck(MarketDb db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy("数据库正常")
            : HealthCheckResult.Unhealthy("无法连接数据库");
}
