namespace TechMarket.Search;

/// <summary>Which side of the market a listing belongs to.</summary>
public enum ListingKind
{
    /// <summary>An enterprise's technical need (技术需求).</summary>
    Need = 0,

    /// <summary>A university's or institute's achievement (科技成果).</summary>
    Achievement = 1,
}

/// <summary>
/// A listing as the search engine sees it: plain values, no EF Core. The market maps its records to
/// this shape when it publishes, edits or withdraws a listing.
/// </summary>
public sealed record SearchDocument
{
    /// <summary>The listing's id; unique across needs and achievements.</summary>
    public required long Id { get; init; }

    /// <summary>Need or achievement.</summary>
    public required ListingKind Kind { get; init; }

    /// <summary>Title (名称), the most heavily weighted field.</summary>
    public required string Title { get; init; }

    /// <summary>All descriptive text of the listing (简介, 技术指标, 应用前景 …).</summary>
    public string Body { get; init; } = "";

    /// <summary>Keywords or tags (关键词).</summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];

    /// <summary>Technical field (领域), a facet.</summary>
    public string? Field { get; init; }

    /// <summary>District (区县市), a facet.</summary>
    public string? District { get; init; }

    /// <summary>Maturity (成熟度), a facet.</summary>
    public string? Maturity { get; init; }

    /// <summary>Transfer or cooperation modes (合作方式), a multi-valued facet.</summary>
    public IReadOnlyList<string> TransferModes { get; init; } = [];

    /// <summary>Price or budget in 万元; null means negotiable (面议).</summary>
    public double? Price { get; init; }

    /// <summary>Status, e.g. <c>published</c> or <c>withdrawn</c>; a facet and a filter.</summary>
    public string Status { get; init; } = "published";

    /// <summary>Last edit time, for the "newest" sort and date filters.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
