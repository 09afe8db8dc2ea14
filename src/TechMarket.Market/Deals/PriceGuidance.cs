using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;

namespace TechMarket.Market.Deals;

/// <summary>
/// 参考价 for an achievement: the range of 核定技术交易额 of comparable registered deals. A deal is comparable when the
/// achievement on its seller's side (its match's achievement) is in the same 领域, shares at least one 合作方式, and
/// is at the same 成果阶段 or one stage apart. Only registered deals count (refused, cancelled or pending ones do
/// not), and fewer than <see cref="MinimumDeals"/> give no range at all.
/// </summary>
public static class PriceGuidance
{
    /// <summary>Below this many comparable deals no range is shown: two amounts would only reveal two contracts.</summary>
    public const int MinimumDeals = 3;

    public const string TooFewNote = "可比成交不足，暂不提供参考价";

    /// <summary>The guidance for one achievement's own field, modes and stage.</summary>
    public static async Task<PriceGuidanceView> ForAsync(MarketDb db, Achievement achievement, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(achievement);

        // Same field on the server; the modes and stages are compared here, and the amounts summarised here too
        // (SQLite cannot order or sum decimals).
        var field = achievement.Field;
        var candidates = await (
            from d in db.Deals.AsNoTracking()
            where d.Status == DealStatus.Registered && d.RegisteredAmountWan != null && d.MatchId != null
            join m in db.Matches.AsNoTracking() on d.MatchId equals m.Id
            join a in db.Achievements.AsNoTracking() on m.AchievementId equals a.Id
            where a.Field == field
            select new { Amount = d.RegisteredAmountWan!.Value, a.TransferModes, a.Maturity })
            .ToListAsync(ct);
        var amounts = candidates
            .Where(c => (c.TransferModes & achievement.TransferModes) != 0 && ComparableStage(achievement.Maturity, c.Maturity))
            .Select(c => c.Amount)
            .ToList();
        return Summarise(amounts) with
        {
            Field = field,
            TransferModes = [.. Labels.TransferModeLabels.Where(x => achievement.TransferModes.HasFlag(x.Mode)).Select(x => x.Label)],
            Maturities = Stages(achievement.Maturity),
        };
    }

    /// <summary>Same stage or a neighbouring one; an achievement without a stage compares with every stage.</summary>
    public static bool ComparableStage(Maturity mine, Maturity theirs) =>
        mine == Maturity.Unspecified || theirs == Maturity.Unspecified || Math.Abs((int)mine - (int)theirs) <= 1;

    /// <summary>Min, median (the mean of the middle two for an even count) and max, or none under the minimum.</summary>
    public static PriceGuidanceView Summarise(IReadOnlyCollection<decimal> amounts)
    {
        ArgumentNullException.ThrowIfNull(amounts);
        if (amounts.Count < MinimumDeals)
        {
            return new PriceGuidanceView { Available = false, DealCount = amounts.Count, Note = TooFewNote };
        }

        var sorted = amounts.Order().ToArray();
        var mid = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[mid] : Math.Round((sorted[mid - 1] + sorted[mid]) / 2, 2, MidpointRounding.AwayFromZero);
        return new PriceGuidanceView
        {
            Available = true,
            DealCount = sorted.Length,
            MinWan = sorted[0],
            MedianWan = median,
            MaxWan = sorted[^1],
            Note = $"依据 {sorted.Length} 笔可比的已登记技术合同（核定技术交易额）",
        };
    }

    private static string[] Stages(Maturity m) => m == Maturity.Unspecified
        ? []
        : [.. Enum.GetValues<Maturity>().Where(x => x != Maturity.Unspecified && ComparableStage(m, x)).Select(x => Labels.Of(x))];
}

/// <summary>The price guidance of an achievement as the API and its page show it.</summary>
public sealed record PriceGuidanceView
{
    /// <summary>False when fewer than three comparable registered deals exist; then no amounts are given.</summary>
    public bool Available { get; init; }

    /// <summary>How many comparable registered deals the range rests on.</summary>
    public int DealCount { get; init; }

    public decimal? MinWan { get; init; }

    public decimal? MedianWan { get; init; }

    public decimal? MaxWan { get; init; }

    public string Note { get; init; } = "";

    /// <summary>What "comparable" meant for this achievement: its 领域, its 合作方式, the 成果阶段 compared with.</summary>
    public string Field { get; init; } = "";

    public IReadOnlyList<string> TransferModes { get; init; } = [];

    public IReadOnlyList<string> Maturities { get; init; } = [];
}
