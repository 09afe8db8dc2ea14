using System.Globalization;
using System.Text;

namespace TechMarket.Server.Components;

/// <summary>Formatting shared by the pages: amounts, dates and links in the way Chinese readers expect.</summary>
internal static class Ui
{
    /// <summary>China has one time zone and no daylight saving, so a fixed offset needs no tz database.</summary>
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>
    /// A page number from the query string; anything odd is page 1, and a cap keeps (page - 1) × size from
    /// overflowing into a negative offset.
    /// </summary>
    public static int PageNumber(string? raw) =>
        int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page >= 1 ? Math.Min(page, 100_000) : 1;

    public static string Money(decimal? wan) =>
        wan is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) + " 万元" : "面议";

    /// <summary>An amount in 万元 for a column that names the unit; — when none.</summary>
    public static string Wan(decimal? wan) => wan is { } v ? v.ToString("#,0.##", CultureInfo.InvariantCulture) : "—";

    public static string Time(DateTime? utc) =>
        utc is { } t ? (DateTime.SpecifyKind(t, DateTimeKind.Utc) + ChinaOffset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "—";

    public static string Date(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—";

    public static string Text(string? s) => string.IsNullOrWhiteSpace(s) ? "—" : s;

    public static string KindLabel(bool isNeed) => isNeed ? "技术需求" : "科技成果";

    public static string BasePath(bool isNeed) => isNeed ? "/needs" : "/achievements";

    public static string BasePath(ListingView view) => BasePath(view.Kind == "need");

    public static string DetailUrl(ListingView view) => BasePath(view) + "/" + view.Id.ToString(CultureInfo.InvariantCulture);

    public static string EditUrl(ListingView view) => DetailUrl(view) + "/edit";

    public static string StatusCss(string status) => "status status-" + status.ToLowerInvariant();

    /// <summary>Only same-site paths may be a post-login destination, so a crafted link cannot send users elsewhere.</summary>
    public static string SafeReturnUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : "/";

    public static string Query(string path, IEnumerable<KeyValuePair<string, string?>> parameters)
    {
        var sb = new StringBuilder(path);
        var first = true;
        foreach (var (key, value) in parameters)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            sb.Append(first ? '?' : '&').Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
            first = false;
        }

        return sb.ToString();
    }
}
