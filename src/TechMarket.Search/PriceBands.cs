namespace TechMarket.Search;

/// <summary>The price facet's bands (万元). A listing without a price is in <see cref="Negotiable"/>.</summary>
public static class PriceBands
{
    /// <summary>No price given (面议).</summary>
    public const string Negotiable = "面议";

    /// <summary>All bands in display order.</summary>
    public static IReadOnlyList<string> All { get; } = [Negotiable, "10万以下", "10-50万", "50-100万", "100-500万", "500万以上"];

    /// <summary>The band of a price in 万元.</summary>
    public static string Of(double? price) => price switch
    {
        null => Negotiable,
        < 10 => All[1],
        < 50 => All[2],
        < 100 => All[3],
        < 500 => All[4],
        _ => All[5],
    };
}
