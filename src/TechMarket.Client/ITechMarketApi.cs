using Refit;

namespace TechMarket.Client;

/// <summary>
/// The REST API as a declarative Refit interface (its implementation is generated at build time). Writes take the
/// listing's version as If-Match; a 409 means someone else changed it first.
/// </summary>
[Headers("Accept: application/json")]
public interface ITechMarketApi : IDisposable
{
    /// <summary>The HTTP client the calls go through (its Authorization header is set by SignInAsync).</summary>
    HttpClient Client { get; }

    [Post("/api/auth/register")]
    Task<Account> RegisterAsync([Body] Registration registration, CancellationToken ct = default);

    [Post("/api/auth/login")]
    Task<TokenResponse> LoginAsync([Body] Credentials credentials, CancellationToken ct = default);

    [Get("/api/auth/me")]
    Task<Account> MeAsync(CancellationToken ct = default);

    [Get("/api/{kind}")]
    Task<PagedList<Listing>> BrowseAsync(string kind, string? q = null, string? field = null, string? district = null, int? page = null, int? pageSize = null, CancellationToken ct = default);

    [Get("/api/{kind}/mine")]
    Task<PagedList<Listing>> MineAsync(string kind, string? status = null, int? page = null, int? pageSize = null, CancellationToken ct = default);

    [Get("/api/{kind}/{id}")]
    Task<Listing> GetAsync(string kind, long id, CancellationToken ct = default);

    [Post("/api/{kind}")]
    Task<Listing> CreateAsync(string kind, [Body] ListingInput input, CancellationToken ct = default);

    [Put("/api/{kind}/{id}")]
    Task<Listing> UpdateAsync(string kind, long id, [Header("If-Match")] string version, [Body] ListingInput input, CancellationToken ct = default);

    [Post("/api/{kind}/{id}/submit")]
    Task<Listing> SubmitAsync(string kind, long id, [Header("If-Match")] string version, CancellationToken ct = default);

    [Post("/api/{kind}/{id}/withdraw")]
    Task<Listing> WithdrawAsync(string kind, long id, [Header("If-Match")] string version, CancellationToken ct = default);

    /// <summary>Uploads a CSV or .xlsx file (multipart field "file"); mode is "all" or "valid". 200 with the report, 422 when all-or-nothing refused it.</summary>
    [Post("/api/{kind}/import")]
    Task<HttpResponseMessage> ImportAsync(string kind, string mode, [Body] HttpContent file, CancellationToken ct = default);

    /// <summary>Published listings as a file; format is "csv" or "xlsx".</summary>
    [Get("/api/{kind}/export")]
    Task<Stream> ExportPublishedAsync(string kind, string format, CancellationToken ct = default);

    /// <summary>All of the signed-in member's organisation's listings as a file.</summary>
    [Get("/api/{kind}/mine/export")]
    Task<Stream> ExportMineAsync(string kind, string format, CancellationToken ct = default);

    [Get("/api/review/queue")]
    Task<PagedList<Listing>> ReviewQueueAsync(string? kind = null, int? page = null, int? pageSize = null, CancellationToken ct = default);

    [Post("/api/review/{id}/publish")]
    Task<Listing> PublishAsync(long id, [Header("If-Match")] string version, CancellationToken ct = default);

    [Post("/api/review/{id}/return")]
    Task<Listing> ReturnAsync(long id, [Header("If-Match")] string version, [Body] ReturnRequest request, CancellationToken ct = default);
}
