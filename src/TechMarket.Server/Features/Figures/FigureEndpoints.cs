using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Exchange;
using TechMarket.Market.Brokers;
using TechMarket.Market.Hosting;
using TechMarket.Server.Components;
using TechMarket.Server.Infrastructure;

namespace TechMarket.Server.Features.Figures;

/// <summary>The figures for organisers and admins: the dashboard, each figure's records, and their Excel export.</summary>
internal static class FigureEndpoints
{
    public const int PageSize = 100;

    /// <summary>The most rows one export writes.</summary>
    public const int MaxExport = 100_000;

    internal sealed record RecordsView(string Figure, string Label, string Unit, decimal Value, int Count, int Page, int PageSize, IReadOnlyList<FigureRow> Rows);

    public static void MapFigures(this IEndpointRouteBuilder app)
    {
        var figures = app.MapGroup("/api/figures").WithTags("Figures").RequireAuthorization(Policies.Reviewer);
        figures.MapGet("/", async (MarketDb db, IConfiguration config, [FromKeyedServices(MarketClock.Key)] TimeProvider clock, CancellationToken ct) =>
            TypedResults.Ok(await MarketFigures.DashboardAsync(db, config, clock.GetUtcNow().UtcDateTime, ct)))
            .WithSummary("市场数据：挖掘需求、发布成果、撮合、洽谈、意向、合同、登记与技术交易额，按月、区县市、领域、活动与经纪人");
        figures.MapGet("/records", async Task<IResult> (HttpContext http, MarketDb db, CancellationToken ct) =>
        {
            if (Parse(http.Request.Query) is not { } q)
            {
                return Problems.Invalid(new Dictionary<string, string[]> { ["figure"] = [QueryHelp] }, "查询条件有误");
            }

            var page = Ui.PageNumber(http.Request.Query["page"]);
            return TypedResults.Ok(await RecordsAsync(db, q.Figure, q.Filter, page, ct));
        }).WithSummary("某项数据背后的记录（与数字完全一致）；figure= month=yyyy-MM district= field= event= broker= page=");
        figures.MapGet("/records.xlsx", async Task<IResult> (HttpContext http, MarketDb db, CancellationToken ct) =>
        {
            if (Parse(http.Request.Query) is not { } q)
            {
                return Problems.Invalid(new Dictionary<string, string[]> { ["figure"] = [QueryHelp] }, "查询条件有误");
            }

            var rows = await MarketFigures.Rows(db, q.Figure.Key, q.Filter).OrderBy(r => r.At).ThenBy(r => r.Id).Take(MaxExport).ToListAsync(ct);
            var events = await EventTitlesAsync(db, rows, ct);
            var stream = new MemoryStream();
            await ListingExporter.WriteTableAsync(
                ["编号", "时间", "名称", "相关方 / 登记号", "区县市", "领域", "活动", "金额（万元）", "示例数据"],
                rows.Select(r => new object?[] { r.Id, Ui.Time(r.At), r.Title, r.Detail, r.District, r.Field, r.EventId is { } e ? events.GetValueOrDefault(e, "") : "", q.Figure.Unit == "万元" || r.Amount != 0 ? r.Amount : null, r.IsDemo ? "是" : "否" }),
                q.Figure.Label, stream, ct);
            stream.Position = 0;
            return TypedResults.File(stream, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"figures-{q.Figure.Key}.xlsx");
        }).WithSummary("导出某项数据背后的记录（Excel）");
        figures.MapGet("/balance", async (MarketDb db, IConfiguration config, CancellationToken ct) => TypedResults.Ok(await SupplyDemand.ComputeAsync(db, config, ct)))
            .WithSummary("各领域供需平衡与预警");
        figures.MapPost("/balance/check", async (IGrainFactory grains) => TypedResults.Ok(new { created = await grains.GetGrain<IMarketBalanceGrain>(0).CheckAsync() }))
            .WithSummary("立即检查供需预警，为相关领域的技术经纪人生成挖掘任务（每日也自动检查）");
    }

    public const string QueryHelp = "figure 应为 mined、achievements、matches、accepted、meetings、agreements、contracts、deals 或 amount；month 为 yyyy-MM；event、broker 为编号";

    /// <summary>A figure and its filter from a query string, or null when any part is malformed.</summary>
    public static (FigureInfo Figure, FigureFilter Filter)? Parse(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (MarketFigures.Find(query["figure"]) is not { } figure)
        {
            return null;
        }

        string? Text(string key) => query[key].ToString() is { Length: > 0 } v ? v : null;
        var month = Text("month");
        if (month is not null && new FigureFilter(Month: month).MonthRange() is null)
        {
            return null;
        }

        long? Id(string key, out bool ok)
        {
            ok = true;
            if (Text(key) is not { } raw)
            {
                return null;
            }

            ok = long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var v);
            return ok ? v : null;
        }

        var ev = Id("event", out var evOk);
        var broker = Id("broker", out var brokerOk);
        var district = Text("district");
        var field = Text("field");
        if (!evOk || !brokerOk || district is { Length: > 50 } || field is { Length: > 50 })
        {
            return null;
        }

        return (figure, new FigureFilter(month, district, field, ev, broker));
    }

    public static async Task<RecordsView> RecordsAsync(MarketDb db, FigureInfo figure, FigureFilter filter, int page, CancellationToken ct)
    {
        var q = MarketFigures.Rows(db, figure.Key, filter);
        var count = await q.CountAsync(ct);
        decimal value = count;
        if (figure.Key == MarketFigures.Amount)
        {
            value = (await q.Select(r => r.Amount).ToListAsync(ct)).Sum();
        }

        var rows = await q.OrderByDescending(r => r.At).ThenByDescending(r => r.Id).Skip((page - 1) * PageSize).Take(PageSize).ToListAsync(ct);
        return new RecordsView(figure.Key, figure.Label, figure.Unit, value, count, page, PageSize, rows);
    }

    public static async Task<Dictionary<long, string>> EventTitlesAsync(MarketDb db, IEnumerable<FigureRow> rows, CancellationToken ct)
    {
        var ids = rows.Where(r => r.EventId != null).Select(r => r.EventId!.Value).Distinct().ToList();
        return await db.Events.AsNoTracking().Where(e => ids.Contains(e.Id)).ToDictionaryAsync(e => e.Id, e => e.Title, ct);
    }

    /// <summary>The drill-down page's address for a figure under a filter.</summary>
    public static string Link(string figure, FigureFilter? filter = null) =>
        Ui.Query("/dashboard/records", [
            new("figure", figure),
            new("month", filter?.Month),
            new("district", filter?.District),
            new("field", filter?.Field),
            new("event", filter?.EventId?.ToString(CultureInfo.InvariantCulture)),
            new("broker", filter?.BrokerUserId?.ToString(CultureInfo.InvariantCulture)),
        ]);
}
