using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Exchange;
using TechMarket.Data.Model;
using TechMarket.Server.Features.Listings;
using TechMarket.Server.Infrastructure;

namespace TechMarket.Server.Features.Exchange;

/// <summary>Import needs or achievements from CSV / Excel with a row-by-row report, and export any list.</summary>
internal static class ExchangeEndpoints
{
    public const long MaxUploadBytes = 20 * 1024 * 1024;

    public static void MapExchange(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/review/queue/export", (string? kind, string? format, MarketDb db, CancellationToken ct) => ExportQueue(kind, format, db, ct))
            .WithTags("Import/Export").RequireAuthorization(Policies.Reviewer).WithSummary("导出待审核队列（kind=need 或 achievement）");

        foreach (var (prefix, needs) in new[] { ("/api/needs", true), ("/api/achievements", false) })
        {
            var group = app.MapGroup(prefix).WithTags("Import/Export").RequireAuthorization(Policies.Member);

            // Bearer clients send no antiforgery token; cookie sessions are SameSite=Lax, so no other site can post here with them.
            group.MapPost("/import", (IFormFile? file, string? mode, HttpContext http, MarketDb db, TimeProvider clock, CancellationToken ct) =>
                    Import(needs, file, mode, http, db, clock, ct))
                .DisableAntiforgery().Accepts<IFormFile>("multipart/form-data")
                .WithSummary("从 CSV / Excel 导入为本机构的草稿（mode=all 全部成功才写入；mode=valid 只写入有效行）");
            group.MapGet("/export", ([AsParameters] ListingEndpoints.BrowseQuery query, string? format, MarketDb db, CancellationToken ct) =>
                    ExportPublished(needs, query, format, db, ct))
                .AllowAnonymous().WithSummary("导出已发布的信息（可带筛选条件）");
            group.MapGet("/mine/export", (string? format, HttpContext http, MarketDb db, CancellationToken ct) =>
                    ExportMine(needs, format, http, db, ct))
                .WithSummary("导出本机构的全部信息");
        }
    }

    private static async Task<IResult> Import(bool needs, IFormFile? file, string? mode, HttpContext http, MarketDb db, TimeProvider clock, CancellationToken ct)
    {
        var importMode = mode?.Trim().ToUpperInvariant() switch
        {
            null or "" or "ALL" => ImportMode.AllOrNothing,
            "VALID" => ImportMode.ValidRowsOnly,
            _ => (ImportMode?)null,
        };
        if (importMode is null)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["mode"] = ["mode 只能是 all（全部成功才写入）或 valid（只写入有效行）"] });
        }

        var outcome = await ImportFileAsync(db, Actors.From(http.User)!, needs, file, importMode.Value, DateOnly.FromDateTime(clock.GetLocalNow().DateTime), ct);
        if (outcome.Problem is { } refused)
        {
            return refused;
        }

        var report = outcome.Report!;
        var view = new ImportResult(report.TotalRows, report.Imported, report.Committed, [.. report.Errors.Select(e => e.ToString())], report.ImportedIds);
        if (!report.Committed && report.Errors.Count > 0)
        {
            var problem = new ProblemDetails
            {
                Status = 422,
                Title = $"文件中有 {report.Errors.Count} 处错误，未导入任何数据（可改正后重试，或选择只导入有效行）",
                Type = Problems.TypeBase + "import-rejected",
                Extensions = { ["report"] = view },
            };
            return TypedResults.Problem(problem);
        }

        return TypedResults.Ok(view);
    }

    /// <summary>The import rules shared by the API and the web page: size, format, then the importer in one transaction.</summary>
    internal static async Task<(ImportReport? Report, IResult? Problem, string? Message)> ImportFileAsync(
        MarketDb db, Actor actor, bool needs, IFormFile? file, ImportMode mode, DateOnly today, CancellationToken ct)
    {
        string? message = null;
        IResult? problem = null;
        if (file is null || file.Length == 0)
        {
            message = "请上传 CSV 或 Excel（.xlsx）文件";
            problem = Problems.Invalid(new Dictionary<string, string[]> { ["file"] = [message + "（表单字段名 file）"] });
        }
        else if (file.Length > MaxUploadBytes)
        {
            message = $"文件不能超过 {MaxUploadBytes / 1024 / 1024} MB，请拆分后分批导入";
            problem = Problems.Status(413, Problems.TitleFor(413), "too-large", message);
        }
        else if (ExchangeFormats.FromFileName(file.FileName) is not { } format)
        {
            message = "只支持 .csv 和 .xlsx 文件";
            problem = Problems.Invalid(new Dictionary<string, string[]> { ["file"] = [message] });
        }
        else
        {
            try
            {
                await using var stream = file.OpenReadStream();
                var report = await ListingImporter.ImportAsync(db, stream, format, needs, actor.OrganisationId!.Value, actor.UserId, mode, today, ct: ct);
                return (report, null, null);
            }
            catch (ExchangeException ex)
            {
                message = ex.Message;
                problem = Problems.Status(400, "文件无法导入", "bad-file", ex.Message);
            }
        }

        return (null, problem, message);
    }

    internal sealed record ImportResult(int TotalRows, int Imported, bool Committed, IReadOnlyList<string> Errors, IReadOnlyList<long> ImportedIds);

    private static async Task<IResult> ExportPublished(bool needs, ListingEndpoints.BrowseQuery query, string? format, MarketDb db, CancellationToken ct)
    {
        var f = ExchangeFormats.Parse(format ?? "csv");
        var filter = query.ToFilter() with { Page = 1, PageSize = 1 };
        var errors = ListingService.ValidateFilter(filter);
        if (f is null)
        {
            (errors ??= new Dictionary<string, string[]>(StringComparer.Ordinal))["format"] = ["format 只能是 csv 或 xlsx"];
        }

        if (errors is not null)
        {
            return Problems.Invalid(errors, "导出条件有误");
        }

        var q = ListingService.ApplyFilter(Source(db, needs).Where(l => l.Status == ListingStatus.Published), needs, filter);
        return await FileAsync(needs, f!.Value, q.OrderByDescending(l => l.PublishedAt).ThenByDescending(l => l.Id), "published", ct);
    }

    private static async Task<IResult> ExportMine(bool needs, string? format, HttpContext http, MarketDb db, CancellationToken ct)
    {
        var f = ExchangeFormats.Parse(format ?? "csv");
        if (f is null)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["format"] = ["format 只能是 csv 或 xlsx"] }, "导出条件有误");
        }

        var org = Actors.From(http.User)!.OrganisationId;
        var q = Source(db, needs).Where(l => l.OrganisationId == org).OrderByDescending(l => l.UpdatedAt).ThenByDescending(l => l.Id);
        return await FileAsync(needs, f.Value, q, "mine", ct);
    }

    private static async Task<IResult> ExportQueue(string? kind, string? format, MarketDb db, CancellationToken ct)
    {
        var f = ExchangeFormats.Parse(format ?? "csv");
        if (f is null || kind is not ("need" or "achievement"))
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["query"] = ["kind 须为 need 或 achievement，format 须为 csv 或 xlsx"] }, "导出条件有误");
        }

        var needs = kind == "need";
        var q = Source(db, needs).Where(l => l.Status == ListingStatus.Submitted).OrderBy(l => l.UpdatedAt).ThenBy(l => l.Id);
        return await FileAsync(needs, f.Value, q, "review-queue", ct);
    }

    private static IQueryable<Listing> Source(MarketDb db, bool needs) =>
        needs ? db.Needs.AsNoTracking() : db.Achievements.AsNoTracking();

    private static async Task<IResult> FileAsync(bool needs, ExchangeFormat format, IQueryable<Listing> rows, string scope, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        await ListingExporter.ExportAsync(rows.AsAsyncEnumerable(), needs, buffer, format, ct);
        buffer.Position = 0;
        var name = $"{(needs ? "技术需求" : "科技成果")}-{scope}.{(format == ExchangeFormat.Csv ? "csv" : "xlsx")}";
        var type = format == ExchangeFormat.Csv ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        return TypedResults.File(buffer, type, name);
    }
}
