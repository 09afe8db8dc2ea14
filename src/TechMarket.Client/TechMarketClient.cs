using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Refit;

namespace TechMarket.Client;

/// <summary>Creates <see cref="ITechMarketApi"/> clients with the server's JSON conventions.</summary>
public static class TechMarketClient
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        Converters = { new JsonStringEnumConverter() },
    };

    public const string Needs = "needs";
    public const string Achievements = "achievements";

    /// <summary>A client over an existing <see cref="HttpClient"/> (its BaseAddress set to the server).</summary>
    public static ITechMarketApi For(HttpClient http) =>
        RestService.ForGenerated<ITechMarketApi>(http, new RefitSettings(new SystemTextJsonContentSerializer(Json)));

    /// <summary>A client for a server address such as http://127.0.0.1:5080.</summary>
    public static ITechMarketApi For(Uri server) => For(new HttpClient { BaseAddress = server });

    /// <summary>The If-Match value for a version.</summary>
    public static string Version(long version) => string.Create(CultureInfo.InvariantCulture, $"\"{version}\"");

    /// <summary>Signs in and keeps the bearer token on the client.</summary>
    public static async Task<Account> SignInAsync(this ITechMarketApi api, string email, string password, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        var token = await api.LoginAsync(new Credentials(email, password), ct);
        api.Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.AccessToken);
        return await api.MeAsync(ct);
    }
}
