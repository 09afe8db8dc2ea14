using RestEase;

namespace TechMarket.Client;

/// <summary>
/// The REST API as a declarative interface (RestEase plays the role Refit would). Writes take the listing's
/// version as If-Match; a 409 means someone else changed it first.
/// </summary>
[Header("Accept", "application/json")]
public interface ITechMarketApi : IDisposable
{
    /// <summary>"Bearer &lt;token&gt;", set after <see cref="LoginAsync"/>.</summary>
    [Header("Authorization")]
    string? Authorization { get; set; }

    [Post("api/auth/register")]
    Task<Account> RegisterAsync([Body] Registration registration, CancellationToken ct = default);

    [Post("api/auth/login")]
    Task<TokenResponse> LoginAsync([Body] Credentials credentials, CancellationToken ct = default);

    [Get("api/auth/me")]
    Task<Account> MeAsync(CancellationToken ct = default);

    [Get("api/{kind}")]
    Task<PagedList<Listing>> BrowseAsync([Path] string kind, [Query] string? q = null, [Query] string? field = null, [Query] string? district = null, [Query] int? page = null, [Query] int? pageSize = null, CancellationToken ct = default);

    [Get("api/{kind}/mine")]
    Task<PagedList<Listing>> MineAsync([Path] string kind, [Query] string? status = null, [Query] int? page = null, [Query] int? pageSize = null, CancellationToken ct = default);

    [Get("api/{kind}/{id}")]
    Task<Listing> GetAsync([Path] string kind, [Path] long id, CancellationToken ct = default);

    [Post("api/{kind}")]
    Task<Listing> CreateAsync([Path] string kind, [Body] ListingInput input, CancellationToken ct = default);

    [Put("api/{kind}/{id}")]
    Task<Listing> UpdateAsync([Path] string kind, [Path] long id, [Header("If-Match")] string version, [Body] ListingInput input, CancellationToken ct = default);

    [Post("api/{kind}/{id}/submit")]
    Task<Listing> SubmitAsync([Path] string kind, [Path] long id, [Header("If-Match")] string version, CancellationToken ct = default);

    [Post("api/{kind}/{id}/withdraw")]
    Task<Listing> WithdrawAsync([Path] string kind, [Path] long id, [Header("If-Match")] string version, CancellationToken ct = default);

    /// <summary>Uploads a CSV or .xlsx file (multipart field "file"); mode is "all" or "valid". 200 with the report, 422 when all-or-nothing refused it.</summary>
    [Post("api/{kind}/import")]
    [AllowAnyStatusCode]
    Task<HttpResponseMessage> ImportAsync([Path] string kind, [Query] string mode, [Body] HttpContent file, CancellationToken ct = default);

    /// <summary>Published listings as a file; format is "csv" or "xlsx".</summary>
    [Get("api/{kind}/export")]
    Task<Stream> ExportPublishedAsync([Path] string kind, [Query] string format, CancellationToken ct = default);

    /// <summary>All of the signed-in member's organisation's listings as a file.</summary>
    [Get("api/{kind}/mine/export")]
    Task<Stream> ExportMineAsync([Path] string kind, [Query] string format, CancellationToken ct = default);

    [Get("api/review/queue")]
    Task<PagedList<Listing>> ReviewQueueAsync([Query] string? kind = null, [Query] int? page = null, [Query] int? pageSize = null, CancellationToken ct = default);

    [Post("api/review/{id}/publish")]
    Task<Listing> PublishAsync([Path] long id, [Header("If-Match")] string version, CancellationToken ct = default);

    [Post("api/review/{id}/return")]
    Task<Listing> ReturnAsync([Path] long id, [Header("If-Match")] string version, [Body] ReturnRequest request, CancellationToken ct = default);
}
