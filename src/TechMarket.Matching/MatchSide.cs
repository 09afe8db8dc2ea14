using TechMarket.Search;

namespace TechMarket.Matching;

/// <summary>
/// One listing as the matcher sees it: a need (with its budget and the stage it wants) or an achievement (with its
/// price and maturity), plus its owner's record in the market. Plain values: the market maps its rows to this, and
/// <c>techmarket eval match</c> maps benchmark documents.
/// </summary>
public sealed record MatchSide
{
    public required long Id { get; init; }

    public required ListingKind Kind { get; init; }

    public string Title { get; init; } = "";

    /// <summary>Every descriptive field (简介, 主要问题, 技术关键, 预期目标 …).</summary>
    public string Body { get; init; } = "";

    public IReadOnlyList<string> Keywords { get; init; } = [];

    /// <summary>Technical field (领域) or, for benchmark documents, the discipline; null when unknown.</summary>
    public string? Field { get; init; }

    public string? District { get; init; }

    /// <summary>For an achievement its maturity; for a need the least mature stage it can use (null: any).</summary>
    public string? Maturity { get; init; }

    /// <summary>万元: an achievement's price or a need's budget; null for 面议.</summary>
    public double? Price { get; init; }

    public long OrganisationId { get; init; }

    public string OrganisationName { get; init; } = "";

    /// <summary>How the owner has answered the market so far (for an achievement: the supplier's record).</summary>
    public SupplierRecord Record { get; init; }

    /// <summary>The text the matcher searches with and compares: title, body and keywords.</summary>
    public string Text => Keywords.Count == 0 ? $"{Title}\n{Body}" : $"{Title}\n{Body}\n{string.Join(' ', Keywords)}";
}

/// <summary>A supplier's record: interest it answered, meetings held, deals registered.</summary>
public readonly record struct SupplierRecord(int InterestAnswered, int Meetings, int Deals);

/// <summary>Where the matcher reads the listings that search found (the market's tables, or a benchmark's file).</summary>
public interface IMatchCatalog
{
    Task<IReadOnlyDictionary<long, MatchSide>> LoadAsync(IReadOnlyCollection<long> ids, CancellationToken ct = default);
}
