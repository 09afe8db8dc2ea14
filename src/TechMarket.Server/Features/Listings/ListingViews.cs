
namespace TechMarket.Server.Features.Listings;

/// <summary>One page of a list.</summary>
internal sealed record Paged<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

/// <summary>Filters for browsing published listings.</summary>
internal sealed record ListingFilter
{
    public string? Q { get; init; }

    public string? Field { get; init; }

    public string? District { get; init; }

    public string? Maturity { get; init; }

    public string? Mode { get; init; }

    public bool? Challenge { get; init; }

    public int Page { get; init; } = 1;

    public int PageSize { get; init; } = 20;
}
