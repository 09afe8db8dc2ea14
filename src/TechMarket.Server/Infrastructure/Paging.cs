namespace TechMarket.Server.Infrastructure;

/// <summary>The paging rule every list shares.</summary>
internal static class Paging
{
    public const int MaxPageSize = 100;

    /// <summary>Deeper pages are refused so that the row offset can never overflow.</summary>
    public const int MaxPage = 100_000;

    public static bool IsValid(int page, int pageSize) => page is >= 1 and <= MaxPage && pageSize is >= 1 and <= MaxPageSize;
}
