using Microsoft.EntityFrameworkCore;

namespace TechMarket.Market.Grains;

/// <summary>What a failed save means, the same on both providers.</summary>
internal static class SaveErrors
{
    /// <summary>A unique index refused a row (PostgreSQL 23505; SQLite "UNIQUE constraint failed"): nothing was saved.</summary>
    public static bool IsUniqueViolation(DbUpdateException ex) =>
        ex.InnerException is System.Data.Common.DbException inner
        && (inner.SqlState == "23505" || inner.Message.Contains("UNIQUE constraint failed", StringComparison.Ordinal));
}
