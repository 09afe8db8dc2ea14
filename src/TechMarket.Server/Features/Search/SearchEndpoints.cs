using Microsoft.AspNetCore.Http.HttpResults;
using TechMarket.Data.Rules;
using TechMarket.Search;
using TechMarket.Server.Infrastructure;

namespace TechMarket.Server.Features.Search;

/// <summary>Full-text search over published needs and achievements, with facets, highlights and autocomplete.</summary>
internal static class SearchEndpoints
{
    public static RouteGroupBuilder MapSearch(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/search").WithTags("Search").AllowAnonymous().CacheOutput(PublicPageCache.Policy);
        group.MapGet("/", Search).WithSummary("检索已发布的技术需求和科技成果（任何输入都是合法查询）");
        group.MapGet("/suggest", Suggest).WithSummary("输入提示（来自名称和关键词）");
        return group;
    }

    internal sealed record SearchRequest(string? Q, string? Kind, string? Field, string? District, string? Maturity, string? Mode, string? Price, string? Sort, int? Page, int? PageSize);

    internal sealed record HitView(long Id, string Kind, string Url, double Score, string Title, string TitleHtml, string SnippetHtml, string? Field, string? District, string? Maturity, double? Price, DateTimeOffset UpdatedAt);

    internal sealed record SearchView(int Total, int Page, int PageSize, IReadOnlyList<HitView> Items, SearchFacets Facets);

    /// <summary>Validates the request; the text itself is never refused.</summary>
    public static (SearchQuery? Query, Dictionary<string, string[]>? Errors) Parse(SearchRequest r)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        ListingKind? kind = r.Kind switch
        {
            null or "" => null,
            "need" => ListingKind.Need,
            "achievement" => ListingKind.Achievement,
            _ => default(ListingKind?),
        };
        if (r.Kind is not (null or "" or "need" or "achievement"))
        {
            errors["kind"] = ["kind 只能是 need 或 achievement"];
        }

        var sort = r.Sort switch
        {
            null or "" or "relevance" => SearchSort.Relevance,
            "newest" => SearchSort.Newest,
            "price" or "price-asc" => SearchSort.PriceAscending,
            "price-desc" => SearchSort.PriceDescending,
            _ => (SearchSort?)null,
        };
        if (sort is null)
        {
            errors["sort"] = ["sort 只能是 relevance、newest、price-asc 或 price-desc"];
        }

        void Known(string key, string? value, IReadOnlyList<string> allowed, string label)
        {
            if (!string.IsNullOrEmpty(value) && !allowed.Contains(value))
            {
                errors[key] = [$"未知的{label}：{value}"];
            }
        }

        Known("field", r.Field, Labels.Fields, "领域");
        Known("district", r.District, Labels.Districts, "区县市");
        Known("maturity", r.Maturity, [.. Labels.Maturities.Select(Labels.Of)], "成果阶段");
        Known("mode", r.Mode, [.. Labels.TransferModeLabels.Select(t => t.Label)], "合作方式");
        Known("price", r.Price, PriceBands.All, "价格区间");
        var page = r.Page ?? 1;
        var size = r.PageSize ?? 20;
        if (!Paging.IsValid(page, size))
        {
            errors["page"] = [$"页码应在 1 到 {Paging.MaxPage} 之间，每页条数应在 1 到 {Paging.MaxPageSize} 之间"];
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        static IReadOnlyList<string> One(string? v) => string.IsNullOrEmpty(v) ? [] : [v];
        return (new SearchQuery
        {
            Text = r.Q,
            Kind = kind,
            Fields = One(r.Field),
            Districts = One(r.District),
            Maturities = One(r.Maturity),
            TransferModes = One(r.Mode),
            PriceBandNames = One(r.Price),
            Sort = sort!.Value,
            Page = page,
            PageSize = size,
        }, null);
    }

    public static SearchView View(SearchResult result, SearchQuery query) =>
        new(result.Total, query.Page, query.PageSize,
            [.. result.Hits.Select(h => new HitView(
                h.Id,
                h.Kind == ListingKind.Need ? "need" : "achievement",
                $"/{(h.Kind == ListingKind.Need ? "needs" : "achievements")}/{h.Id}",
                h.Score,
                h.Title.Text,
                h.Title.ToHtml("<mark>", "</mark>"),
                h.Snippet.ToHtml("<mark>", "</mark>"),
                h.Field,
                h.District,
                h.Maturity,
                h.Price,
                h.UpdatedAt))],
            result.Facets);

    private static async Task<Results<Ok<SearchView>, ValidationProblem>> Search([AsParameters] SearchRequest request, SqlSearchIndex index, CancellationToken ct)
    {
        var (query, errors) = Parse(request);
        if (errors is not null)
        {
            return Problems.Invalid(errors, "检索条件有误");
        }

        return TypedResults.Ok(View(await index.SearchAsync(query!, ct), query!));
    }

    private static async Task<Ok<IReadOnlyList<Suggestion>>> Suggest(string? prefix, int? limit, SqlSearchIndex index, CancellationToken ct) =>
        TypedResults.Ok(await index.SuggestAsync(prefix ?? "", Math.Clamp(limit ?? 10, 1, 20), ct));
}
