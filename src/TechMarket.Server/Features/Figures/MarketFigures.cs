using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Market.Brokers;
using TechMarket.Market.Deals;
using TechMarket.Server.Features.Events;

namespace TechMarket.Server.Features.Figures;

/// <summary>One record behind a figure: what the drill-down lists and the Excel export writes.</summary>
internal sealed class FigureRow
{
    public long Id { get; set; }

    /// <summary>When it counts (UTC): published, proposed, consented, held or registered.</summary>
    public DateTime At { get; set; }

    public string District { get; set; } = "";

    public string Field { get; set; } = "";

    public long? EventId { get; set; }

    public string Title { get; set; } = "";

    /// <summary>The other side, the organisations, or the 登记号.</summary>
    public string Detail { get; set; } = "";

    /// <summary>万元, for the deal figures; 0 for the others.</summary>
    public decimal Amount { get; set; }

    public bool IsDemo { get; set; }
}

/// <summary>Which records of a figure: any of a month (yyyy-MM, China time), district, field, event and broker.</summary>
internal sealed record FigureFilter(string? Month = null, string? District = null, string? Field = null, long? EventId = null, long? BrokerUserId = null)
{
    /// <summary>The month's bounds in UTC, or null when no month (or a malformed one) is given.</summary>
    public (DateTime From, DateTime To)? MonthRange()
    {
        if (Month is null || !DateTime.TryParseExact(Month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start))
        {
            return null;
        }

        // UTC bounds (PostgreSQL compares timestamptz only with UTC values).
        return (DateTime.SpecifyKind(start.Add(-MarketFigures.ChinaOffset), DateTimeKind.Utc), DateTime.SpecifyKind(start.AddMonths(1).Add(-MarketFigures.ChinaOffset), DateTimeKind.Utc));
    }
}

/// <summary>A figure's value in one bucket (a month, district, field, event or broker).</summary>
internal sealed record FigureBucket(string Key, string Label, IReadOnlyDictionary<string, decimal> Values);

/// <summary>A figure's definition as the dashboard shows it.</summary>
internal sealed record FigureInfo(string Key, string Label, string Unit, bool ByEvent, bool ByBroker);

/// <summary>The dashboard: totals, and the same figures by month, district, field, event and broker.</summary>
internal sealed record DashboardView(
    IReadOnlyList<FigureInfo> Figures,
    IReadOnlyDictionary<string, decimal> Totals,
    IReadOnlyList<FigureBucket> Months,
    IReadOnlyList<FigureBucket> Districts,
    IReadOnlyList<FigureBucket> Fields,
    IReadOnlyList<FigureBucket> Events,
    IReadOnlyList<FigureBucket> Brokers,
    IReadOnlyList<FieldBalance> Balance,
    IReadOnlyList<CampaignView> Campaigns,
    decimal RewardRate);

/// <summary>
/// The market's figures, each defined once as a query of its records (<see cref="Rows"/>): the dashboard sums those
/// rows by bucket, and a drill-down lists the same rows under the same filter, so a number and its list cannot
/// disagree. The rules:
/// <list type="bullet">
/// <item>挖掘需求 (mined): needs a broker wrote up that the enterprise then submitted (its consent), at the consent.</item>
/// <item>发布成果 (achievements): achievements now published, at publication.</item>
/// <item>推荐撮合 (matches): every need × achievement pair someone acted on or a broker took up, at creation.</item>
/// <item>双方有意向 (accepted): matches where both sides expressed interest, at the later interest.</item>
/// <item>洽谈场次 (meetings) and 达成意向 (agreements): meetings counted as for a campaign (accepted, placed, at a held
/// event, neither side absent nor 未进行), at the event; agreements when the lower outcome is 达成意向 or 签约.</item>
/// <item>签订合同 (contracts): deals recorded, neither cancelled nor refused registration, when recorded; 登记合同 (deals) and 技术交易额 (amount, the
/// 核定技术交易额): registered deals only, at registration. A refused registration counts in neither.</item>
/// </list>
/// District is the need's enterprise's for mined needs and matches, the achievement owner's for achievements, the
/// event's for meetings, and the deal's district market for deals. Field is the need's or achievement's; a deal's
/// is its match's achievement's (empty when it has no match). A deal is credited to each of its brokers in full.
/// </summary>
internal static class MarketFigures
{
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    public const string Mined = "mined";
    public const string Achievements = "achievements";
    public const string Matches = "matches";
    public const string Accepted = "accepted";
    public const string Meetings = "meetings";
    public const string Agreements = "agreements";
    public const string Contracts = "contracts";
    public const string Deals = "deals";
    public const string Amount = "amount";

    public static readonly IReadOnlyList<FigureInfo> All =
    [
        new(Mined, "挖掘需求", "项", false, true),
        new(Achievements, "发布成果", "项", false, false),
        new(Matches, "推荐撮合", "对", false, true),
        new(Accepted, "双方有意向", "对", false, true),
        new(Meetings, "洽谈场次", "场", true, false),
        new(Agreements, "达成意向", "项", true, false),
        new(Contracts, "签订合同", "份", true, true),
        new(Deals, "登记合同", "份", true, true),
        new(Amount, "技术交易额", "万元", true, true),
    ];

    public static FigureInfo? Find(string? key) => All.FirstOrDefault(f => f.Key == key);

    /// <summary>The records of <paramref name="figure"/> under <paramref name="filter"/>.</summary>
    public static IQueryable<FigureRow> Rows(MarketDb db, string figure, FigureFilter filter)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);
        var broker = filter.BrokerUserId;
        IQueryable<FigureRow> q = figure switch
        {
            Mined => db.Needs.AsNoTracking()
                .Where(n => n.MinedByUserId != null && n.MiningConsentAt != null && (broker == null || n.MinedByUserId == broker))
                .Select(n => new FigureRow { Id = n.Id, At = n.MiningConsentAt!.Value, District = n.Organisation!.District, Field = n.Field, EventId = null, Title = n.Title, Detail = n.Organisation.Name, IsDemo = n.IsDemo }),
            Achievements => db.Achievements.AsNoTracking()
                .Where(a => a.Status == ListingStatus.Published && a.PublishedAt != null && broker == null)
                .Select(a => new FigureRow { Id = a.Id, At = a.PublishedAt!.Value, District = a.Organisation!.District, Field = a.Field, EventId = null, Title = a.Title, Detail = a.Organisation.Name, IsDemo = a.IsDemo }),
            Matches => db.Matches.AsNoTracking()
                .Where(m => broker == null || m.BrokerUserId == broker)
                .Select(m => new FigureRow { Id = m.Id, At = m.CreatedAt, District = m.Need!.Organisation!.District, Field = m.Need.Field, EventId = null, Title = m.Need.Title, Detail = m.Achievement!.Title, IsDemo = m.Need.IsDemo }),
            Accepted => db.Matches.AsNoTracking()
                .Where(m => m.NeedInterestAt != null && m.AchievementInterestAt != null && (broker == null || m.BrokerUserId == broker))
                .Select(m => new FigureRow
                {
                    Id = m.Id,
                    At = m.NeedInterestAt > m.AchievementInterestAt ? m.NeedInterestAt!.Value : m.AchievementInterestAt!.Value,
                    District = m.Need!.Organisation!.District,
                    Field = m.Need.Field,
                    EventId = null,
                    Title = m.Need.Title,
                    Detail = m.Achievement!.Title,
                    IsDemo = m.Need.IsDemo,
                }),
            Meetings or Agreements => MeetingRows(db, figure == Agreements, broker),
            Contracts or Deals or Amount => DealRows(db, figure, broker),
            _ => Enumerable.Empty<FigureRow>().AsQueryable(),
        };

        if (filter.MonthRange() is { } range)
        {
            q = q.Where(r => r.At >= range.From && r.At < range.To);
        }
        else if (filter.Month is not null)
        {
            q = q.Where(r => false);
        }

        if (filter.District is { } district)
        {
            q = q.Where(r => r.District == district);
        }

        if (filter.Field is { } field)
        {
            q = q.Where(r => r.Field == field);
        }

        if (filter.EventId is { } ev)
        {
            q = q.Where(r => r.EventId == ev);
        }

        return q;
    }

    private static IQueryable<FigureRow> MeetingRows(MarketDb db, bool agreements, long? broker)
    {
        var counted = CampaignProgress.Counted(db);
        if (agreements)
        {
            // The lower recorded outcome is 达成意向 or 签约: every recorded side at least 达成意向, and one recorded.
            counted = counted.Where(m => (m.RequesterOutcome >= MeetingOutcome.Intention || m.RequesterOutcome == MeetingOutcome.None)
                && (m.TargetOutcome >= MeetingOutcome.Intention || m.TargetOutcome == MeetingOutcome.None)
                && (m.RequesterOutcome != MeetingOutcome.None || m.TargetOutcome != MeetingOutcome.None));
        }

        return counted
            .Where(m => broker == null)
            .Join(db.Events, m => m.EventId, e => e.Id, (m, e) => new { m, e })
            .Select(x => new FigureRow
            {
                Id = x.m.Id,
                At = x.e.StartsAt,
                District = x.e.District,
                Field = db.Achievements.Where(a => a.Id == x.m.AchievementId).Select(a => a.Field).FirstOrDefault() ?? "",
                EventId = x.e.Id,
                Title = x.e.Title,
                Detail = x.m.Requester!.Organisation!.Name + " × " + x.m.Target!.Organisation!.Name,
                IsDemo = x.e.IsDemo,
            });
    }

    private static IQueryable<FigureRow> DealRows(MarketDb db, string figure, long? broker)
    {
        var deals = db.Deals.AsNoTracking()
            .Where(d => figure == Contracts ? d.Status != DealStatus.Cancelled && d.Status != DealStatus.Refused : d.Status == DealStatus.Registered)
            .Where(d => broker == null || db.DealBrokers.Any(b => b.DealId == d.Id && b.UserId == broker));
        return figure == Contracts
            ? deals.Select(d => new FigureRow
            {
                Id = d.Id,
                At = d.CreatedAt,
                District = d.District,
                Field = db.Matches.Where(m => m.Id == d.MatchId).Select(m => m.Achievement!.Field).FirstOrDefault() ?? "",
                EventId = d.EventId,
                Title = d.Title,
                Detail = d.Buyer!.Name + " × " + d.Seller!.Name,
                Amount = d.AmountWan,
                IsDemo = d.IsDemo,
            })
            : deals.Select(d => new FigureRow
            {
                Id = d.Id,
                At = d.RegisteredAt!.Value,
                District = d.District,
                Field = db.Matches.Where(m => m.Id == d.MatchId).Select(m => m.Achievement!.Field).FirstOrDefault() ?? "",
                EventId = d.EventId,
                Title = d.Title,
                Detail = d.RegistrationNumber ?? "",
                Amount = d.RegisteredAmountWan ?? 0,
                IsDemo = d.IsDemo,
            });
    }

    /// <summary>A figure's value over its rows: the amount's sum for 技术交易额, otherwise the count.</summary>
    public static decimal Value(string figure, IEnumerable<FigureRow> rows) =>
        figure == Amount ? rows.Sum(r => r.Amount) : rows.Count();

    /// <summary>A group of a figure's records: China-time month, district, field and event, with their count and amount.</summary>
    private sealed record Cell(int Year, int Month, string District, string Field, long? EventId, int Count, decimal Amount);

    /// <summary>The whole dashboard, as of <paramref name="now"/>: the last 12 months end with the current one.</summary>
    public static async Task<DashboardView> DashboardAsync(MarketDb db, IConfiguration config, DateTime now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var cells = new Dictionary<string, List<Cell>>(StringComparer.Ordinal);
        foreach (var f in All)
        {
            if (f.Key == Amount)
            {
                cells[Amount] = cells[Deals];
                continue;
            }

            var rows = Rows(db, f.Key, new FigureFilter());
            if (f.Key is Contracts or Deals)
            {
                // Amounts are added up here (SQLite keeps decimals as text); a deal is a record of its own.
                cells[f.Key] = [.. (await rows.Select(r => new { r.At, r.District, r.Field, r.EventId, r.Amount }).ToListAsync(ct))
                    .Select(r => (Local: r.At.Add(ChinaOffset), r)).Select(x => new Cell(x.Local.Year, x.Local.Month, x.r.District, x.r.Field, x.r.EventId, 1, x.r.Amount))];
                continue;
            }

            // Counts are grouped by the database: one row per month × district × field × event, not per record.
            cells[f.Key] = [.. (await rows
                .GroupBy(r => new { r.At.AddHours(8).Year, r.At.AddHours(8).Month, r.District, r.Field, r.EventId })
                .Select(g => new { g.Key.Year, g.Key.Month, g.Key.District, g.Key.Field, g.Key.EventId, Count = g.Count() })
                .ToListAsync(ct)).Select(g => new Cell(g.Year, g.Month, g.District, g.Field, g.EventId, g.Count, 0))];
        }

        decimal V(string figure, IEnumerable<Cell> rows) => figure == Amount ? rows.Sum(r => r.Amount) : rows.Sum(r => r.Count);
        IReadOnlyDictionary<string, decimal> Values(Func<Cell, bool> where, bool eventsOnly = false) =>
            All.Where(f => !eventsOnly || f.ByEvent).ToDictionary(f => f.Key, f => V(f.Key, cells[f.Key].Where(where)));

        var totals = All.ToDictionary(f => f.Key, f => V(f.Key, cells[f.Key]));
        var thisMonth = new DateTime(now.Add(ChinaOffset).Year, now.Add(ChinaOffset).Month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var months = Enumerable.Range(0, 12).Select(i => thisMonth.AddMonths(i - 11))
            .Select(m => new FigureBucket(m.ToString("yyyy-MM", CultureInfo.InvariantCulture), $"{m.Year}年{m.Month}月", Values(c => c.Year == m.Year && c.Month == m.Month)))
            .ToList();

        var districts = Labels.Districts
            .Select(d => new FigureBucket(d, d, Values(c => c.District == d)))
            .Where(b => b.Values.Values.Any(v => v != 0)).ToList();
        var fields = Labels.Fields
            .Select(f => new FigureBucket(f, f, Values(c => c.Field == f)))
            .Where(b => b.Values.Values.Any(v => v != 0)).ToList();

        var eventIds = All.Where(f => f.ByEvent).SelectMany(f => cells[f.Key]).Where(c => c.EventId != null).Select(c => c.EventId!.Value).Distinct().ToList();
        var eventTitles = await db.Events.AsNoTracking().Where(e => eventIds.Contains(e.Id)).Select(e => new { e.Id, e.Title }).ToDictionaryAsync(e => e.Id, e => e.Title, ct);
        var events = eventIds
            .Select(id => new FigureBucket(id.ToString(CultureInfo.InvariantCulture), eventTitles.GetValueOrDefault(id, $"活动 {id}"), Values(c => c.EventId == id, eventsOnly: true)))
            .OrderByDescending(b => b.Values[Amount]).ThenByDescending(b => b.Values[Meetings]).ThenBy(b => b.Key, StringComparer.Ordinal)
            .Take(30).ToList();

        return new DashboardView(All, totals, months, districts, fields, events, await BrokersAsync(db, ct), await SupplyDemand.ComputeAsync(db, config, ct),
            await EventEndpoints.CampaignsAsync(db, null, false, ct), DealRules.RewardRate(config));
    }

    /// <summary>Every registered broker's figures: what they mined, followed up, and the deals credited to them.</summary>
    private static async Task<IReadOnlyList<FigureBucket>> BrokersAsync(MarketDb db, CancellationToken ct)
    {
        var brokers = await db.Brokers.AsNoTracking().Select(b => new { b.UserId, b.User!.DisplayName }).ToListAsync(ct);
        var mined = await db.Needs.AsNoTracking().Where(n => n.MinedByUserId != null && n.MiningConsentAt != null)
            .GroupBy(n => n.MinedByUserId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var matches = await db.Matches.AsNoTracking().Where(m => m.BrokerUserId != null)
            .GroupBy(m => m.BrokerUserId!.Value)
            .Select(g => new { g.Key, Count = g.Count(), Accepted = g.Count(m => m.NeedInterestAt != null && m.AchievementInterestAt != null) })
            .ToDictionaryAsync(g => g.Key, ct);
        var credited = await db.DealBrokers.AsNoTracking()
            .Join(db.Deals.Where(d => d.Status != DealStatus.Cancelled && d.Status != DealStatus.Refused), b => b.DealId, d => d.Id, (b, d) => new { b.UserId, d.Status, d.RegisteredAmountWan })
            .ToListAsync(ct);
        return
        [
            .. brokers.Select(b =>
            {
                var mine = credited.Where(c => c.UserId == b.UserId).ToList();
                var registered = mine.Where(c => c.Status == DealStatus.Registered).ToList();
                var m = matches.GetValueOrDefault(b.UserId);
                return new FigureBucket(b.UserId.ToString(CultureInfo.InvariantCulture), b.DisplayName, new Dictionary<string, decimal>
                {
                    [Mined] = mined.GetValueOrDefault(b.UserId),
                    [Matches] = m?.Count ?? 0,
                    [Accepted] = m?.Accepted ?? 0,
                    [Contracts] = mine.Count,
                    [Deals] = registered.Count,
                    [Amount] = registered.Sum(c => c.RegisteredAmountWan ?? 0),
                });
            }).OrderByDescending(b => b.Values[Amount]).ThenByDescending(b => b.Values[Matches]).ThenBy(b => b.Label, StringComparer.Ordinal),
        ];
    }
}
