using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using RestEase;

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
        new RestClient(http)
        {
            JsonSerializerSettings = null,
            RequestBodySerializer = new SystemTextJsonBody(),
            ResponseDeserializer = new SystemTextJsonResponse(),
        }.For<ITechMarketApi>();

    /// <summary>A client for a server address such as http://127.0.0.1:5080.</summary>
    public static ITechMarketApi For(Uri server) => For(new HttpClient { BaseAddress = server });

    /// <summary>The If-Match value for a version.</summary>
    public static string Version(long version) => string.Create(CultureInfo.InvariantCulture, $"\"{version}\"");

    /// <summary>Signs in and keeps the bearer token on the client.</summary>
    public static async Task<Account> SignInAsync(this ITechMarketApi api, string email, string password, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        var token = await api.LoginAsync(new Credentials(email, password), ct);
        api.Authorization = "Bearer " + token.AccessToken;
        return await api.MeAsync(ct);
    }

    private sealed class SystemTextJsonBody : RequestBodySerializer
    {
        public override HttpContent? SerializeBody<T>(T body, RequestBodySerializerInfo info) =>
            body is null ? null : new StringContent(JsonSerializer.Serialize(body, Json), System.Text.Encoding.UTF8, "application/json");
    }

    private sealed class SystemTextJsonResponse : ResponseDeserializer
    {
        public override T Deserialize<T>(string? content, HttpResponseMessage response, ResponseDeserializerInfo info) =>
            JsonSerializer.Deserialize<T>(content ?? "null", Json)!;
    }
}
