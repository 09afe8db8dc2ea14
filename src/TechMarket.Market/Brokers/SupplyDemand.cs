using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;

namespace TechMarket.Market.Brokers;

/// <summary>One field's balance: published needs against the published achievements of the same field.</summary>
public sealed record FieldBalance(string Field, int Needs, int Achievements, string Alarm, string AlarmLabel);

/// <summary>
/// Supply and demand per field. A field raises an alarm when one side outnumbers the other by more than
/// <c>Figures:BalanceRatio</c> (default 2) and the larger side holds at least <c>Figures:BalanceMinimum</c> listings
/// (default 5): "demand" (needs outnumber the achievements that fit them: brokers go looking for achievements) or
/// "supply" (achievements without needs: brokers mine needs among the field's enterprises).
/// </summary>
public static class SupplyDemand
{
    public const string Demand = "demand";
    public const string Supply = "supply";

    public static double Ratio(IConfiguration config) => config.GetValue<double?>("Figures:BalanceRatio") ?? 2.0;

    public static int Minimum(IConfiguration config) => config.GetValue<int?>("Figures:BalanceMinimum") ?? 5;

    public static string Classify(int needs, int achievements, double ratio, int minimum) =>
        needs >= minimum && needs > ratio * achievements ? Demand
        : achievements >= minimum && achievements > ratio * needs ? Supply
        : "";

    public static string Label(string alarm) => alarm switch
    {
        Demand => "需求多于成果",
        Supply => "成果多于需求",
        _ => "平衡",
    };

    /// <summary>Every field of the market's list, in its order, with its counts and alarm.</summary>
    public static async Task<IReadOnlyList<FieldBalance>> ComputeAsync(MarketDb db, IConfiguration config, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var needs = await db.Needs.AsNoTracking().Where(l => l.Status == ListingStatus.Published)
            .GroupBy(l => l.Field).Select(g => new { Field = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Field, g => g.Count, ct);
        var achievements = await db.Achievements.AsNoTracking().Where(l => l.Status == ListingStatus.Published)
            .GroupBy(l => l.Field).Select(g => new { Field = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Field, g => g.Count, ct);
        var ratio = Ratio(config);
        var minimum = Minimum(config);
        return
        [
            .. Labels.Fields.Select(f =>
            {
                var (n, a) = (needs.GetValueOrDefault(f), achievements.GetValueOrDefault(f));
                var alarm = Classify(n, a, ratio, minimum);
                return new FieldBalance(f, n, a, alarm, Label(alarm));
            }),
        ];
    }

    /// <summary>What a mining task raised by <paramref name="b"/> asks its broker to do.</summary>
    public static string TaskNote(FieldBalance b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return b.Alarm == Supply
            ? $"「{b.Field}」已发布成果 {b.Achievements} 项，需求仅 {b.Needs} 项：请走访本领域企业，挖掘技术需求（可代企业整理，经企业确认后发布）。"
            : $"「{b.Field}」已发布需求 {b.Needs} 项，适配成果仅 {b.Achievements} 项：请联系高校院所，寻找可对接的成果。";
    }
}
