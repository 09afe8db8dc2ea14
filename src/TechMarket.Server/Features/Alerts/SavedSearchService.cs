using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Market.Alerts;

namespace TechMarket.Server.Features.Alerts;

/// <summary>A saved search as the API and the pages show it.</summary>
internal sealed record SavedSearchView(long Id, string Query, string Kind, string Field, string District, string Label, string Url, DateTime CreatedAt);

/// <summary>What a person asks to be alerted about: words, and optionally a kind, a field and a district.</summary>
internal sealed record SavedSearchRequest(string? Query, string? Kind, string? Field, string? District);

/// <summary>
/// Saved searches: each person keeps up to <see cref="MaxPerUser"/>, and the listing grain alerts them when a new
/// listing holds their words (see <see cref="SavedSearchAlerts"/>). Only the owner sees or deletes one.
/// </summary>
internal sealed class SavedSearchService(MarketDb db, TimeProvider clock)
{
    public const int MaxPerUser = 20;

    public const int MaxQueryLength = 100;

    public async Task<IReadOnlyList<SavedSearchView>> MineAsync(long userId, CancellationToken ct) =>
        [.. (await db.SavedSearches.AsNoTracking().Where(s => s.UserId == userId).OrderByDescending(s => s.Id).ToListAsync(ct)).Select(View)];

    /// <summary>The new search, or the reasons it was refused (keyed by field, in Chinese).</summary>
    public async Task<(SavedSearchView? Saved, Dictionary<string, string[]> Errors)> SaveAsync(long userId, SavedSearchRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var query = request.Query?.Trim() ?? "";
        var kind = request.Kind?.Trim() ?? "";
        var field = request.Field?.Trim() ?? "";
        var district = request.District?.Trim() ?? "";
        if (query.Length > MaxQueryLength)
        {
            errors["query"] = [$"搜索词不能超过 {MaxQueryLength} 个字符"];
        }

        if (kind is not ("" or "need" or "achievement"))
        {
            errors["kind"] = ["类型应为 need（技术需求）、achievement（科技成果）或留空（两者）"];
        }

        if (field.Length > 0 && !Labels.Fields.Contains(field))
        {
            errors["field"] = [$"未知的领域：{Cut(field)}"];
        }

        if (district.Length > 0 && !Labels.Districts.Contains(district))
        {
            errors["district"] = [$"未知的区县：{Cut(district)}"];
        }

        // Alerts match runs of letters and digits: words made only of punctuation would save a search that never fires.
        if (query.Length > 0 && !query.Any(char.IsLetterOrDigit))
        {
            errors["query"] = ["搜索词中没有文字或数字，请输入技术关键词"];
        }

        if (query.Length == 0 && field.Length == 0 && district.Length == 0 && errors.Count == 0)
        {
            errors["query"] = ["请输入搜索词，或至少选择领域或区县，再保存提醒"];
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var existing = await db.SavedSearches.AsNoTracking().Where(s => s.UserId == userId).ToListAsync(ct);
        if (existing.FirstOrDefault(s => s.Query == query && s.Kind == kind && s.Field == field && s.District == district) is { } same)
        {
            return (View(same), errors);
        }

        if (existing.Count >= MaxPerUser)
        {
            errors["query"] = [$"最多保存 {MaxPerUser} 条搜索，请先删除不再需要的"];
            return (null, errors);
        }

        var row = new SavedSearch { UserId = userId, Query = query, Kind = kind, Field = field, District = district, CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.SavedSearches.Add(row);
        await db.SaveChangesAsync(ct);
        return (View(row), errors);
    }

    /// <summary>False when there is no such search of this person's (another's is not revealed).</summary>
    public async Task<bool> DeleteAsync(long userId, long id, CancellationToken ct) =>
        await db.SavedSearches.Where(s => s.Id == id && s.UserId == userId).ExecuteDeleteAsync(ct) > 0;

    public static SavedSearchView View(SavedSearch s)
    {
        var path = s.Kind == "achievement" ? "/achievements" : "/needs";
        var args = new[] { ("q", s.Query), ("field", s.Field), ("district", s.District) }
            .Where(a => a.Item2.Length > 0).Select(a => $"{a.Item1}={Uri.EscapeDataString(a.Item2)}");
        var url = path + (args.Any() ? "?" + string.Join('&', args) : "");
        return new SavedSearchView(s.Id, s.Query, s.Kind, s.Field, s.District, Prefix(s.Kind) + SavedSearchAlerts.Describe(s), url, s.CreatedAt);
    }

    private static string Prefix(string kind) => kind switch
    {
        "need" => "技术需求：",
        "achievement" => "科技成果：",
        _ => "",
    };

    private static string Cut(string s) => s.Length > 20 ? s[..20] + "…" : s;
}
