using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TechMarket.Client;
using CreditCode = TechMarket.Data.Rules.CreditCode;

namespace TechMarket.Server.Tests.Support;

/// <summary>Small helpers to drive the API as a real client would.</summary>
public static class Api
{
    private const string CreditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static int _counter;

    public const string Password = "Passw0rd!2026";

    /// <summary>A fresh valid 统一社会信用代码.</summary>
    public static string NewCreditCode()
    {
        var n = Interlocked.Increment(ref _counter) + Random.Shared.Next(1_000_000);
        var body = new StringBuilder("91330200");
        for (var i = 0; i < 9; i++)
        {
            body.Append(CreditAlphabet[(n + (i * 7919) + Random.Shared.Next(31)) % 31]);
        }

        return CreditCode.Complete(body.ToString());
    }

    public static Registration NewRegistration(string kind = "enterprise") => new()
    {
        Email = $"u{Guid.NewGuid():N}@test.cn",
        Password = Password,
        DisplayName = "测试用户",
        OrganisationKind = kind,
        OrganisationName = kind == "enterprise" ? "宁波测试制造有限公司" : "宁波测试研究院",
        CreditCode = NewCreditCode(),
        District = "镇海区",
        Fields = ["新材料"],
    };

    /// <summary>Registers a new organisation and returns a client signed in as its member (bearer token).</summary>
    public static async Task<(HttpClient Http, Account Account)> NewMemberAsync(MarketFactory factory, string kind = "enterprise")
    {
        var anon = factory.CreateClient();
        var reg = NewRegistration(kind);
        var response = await anon.PostAsJsonAsync("/api/auth/register", reg, TechMarketClient.Json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await SignInAsync(factory, reg.Email!, reg.Password!);
    }

    public static async Task<(HttpClient Http, Account Account)> SignInAsync(MarketFactory factory, string email, string password)
    {
        var http = factory.CreateClient();
        var login = await http.PostAsJsonAsync("/api/auth/login", new { email, password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var token = await login.Content.ReadFromJsonAsync<TokenResponse>(TechMarketClient.Json);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.AccessToken);
        var me = await http.GetFromJsonAsync<Account>("/api/auth/me", TechMarketClient.Json);
        return (http, me!);
    }

    public static Task<(HttpClient Http, Account Account)> AdminAsync(MarketFactory factory) =>
        SignInAsync(factory, MarketFactory.AdminEmail, MarketFactory.AdminPassword);

    /// <summary>A person with the Organiser role and no organisation, created through the admin API.</summary>
    public static async Task<(HttpClient Http, Account Account)> NewOrganiserAsync(MarketFactory factory)
    {
        var (member, account) = await NewMemberAsync(factory, "agency");
        member.Dispose();
        var (admin, _) = await AdminAsync(factory);
        var set = await admin.PutAsJsonAsync($"/api/admin/users/{account.Id}/roles", new { roles = new[] { "Organiser" } });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        return await SignInAsync(factory, account.Email, Password);
    }

    public static ListingInput CompleteNeed(string title = "注塑机工艺参数优化") => new()
    {
        Title = title,
        Summary = "我公司注塑车间现有注塑机 40 台，产品翘曲和缩痕不良率偏高，需要优化工艺参数。",
        Keywords = "注塑、工艺优化",
        Field = "高端装备",
        TransferModes = ["技术开发", "技术服务"],
        ContactName = "王工",
        ContactPhone = "0574-86000000",
        Problem = "翘曲变形和缩痕导致不良率约 6%。",
        KeyPoints = "保压压力与冷却时间的协同优化。",
        Targets = "不良率降到 1.5% 以下。",
        BudgetWan = 30,
    };

    public static ListingInput CompleteAchievement(string title = "钕铁硼永磁材料晶界扩散技术") => new()
    {
        Title = title,
        Summary = "通过晶界扩散重稀土，在降低重稀土用量的同时显著提高矫顽力。",
        Keywords = "钕铁硼、晶界扩散",
        Field = "磁性材料",
        TransferModes = ["技术许可"],
        Maturity = "中试",
        PriceWan = 200,
    };

    /// <summary>Creates a listing as <paramref name="owner"/>, submits it and has <paramref name="admin"/> publish it.</summary>
    public static async Task<Listing> PublishAsync(HttpClient owner, HttpClient admin, string kind, ListingInput input)
    {
        var l = await CreateAsync(owner, kind, input);
        l = await ReadListingAsync(await SendAsync(owner, HttpMethod.Post, $"/api/{kind}/{l.Id}/submit", l.Version));
        return await ReadListingAsync(await SendAsync(admin, HttpMethod.Post, $"/api/review/{l.Id}/publish", l.Version));
    }

    public static async Task<Listing> CreateAsync(HttpClient http, string kind, ListingInput input)
    {
        var response = await http.PostAsJsonAsync($"/api/{kind}", input, TechMarketClient.Json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Listing>(TechMarketClient.Json))!;
    }

    public static Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string url, long? version = null, object? body = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (version is { } v)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{v}\""));
        }

        if (body is HttpContent content)
        {
            request.Content = content;
        }
        else if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: TechMarketClient.Json);
        }

        return http.SendAsync(request);
    }

    /// <summary>An event as an organiser posts it (a 专场对接会 a month ahead by default).</summary>
    public sealed record EventBody(
        string Format, string Title, string Theme, string[] Fields, DateTime StartsAt, string Venue, string District,
        int Capacity, int Tables, int SlotMinutes, int SlotCount, DateTime RegistrationDeadline, long? CampaignId = null);

    public static EventBody EventDraft(int capacity = 50) => new(
        "专场对接会", "注塑与模具技术专场对接会", "注塑成型、模具设计与智能制造", ["高端装备", "新材料"], DateTime.UtcNow.Date.AddDays(30).AddHours(1),
        "宁波国际会议中心 3 号厅", "鄞州区", capacity, 10, 20, 12, DateTime.UtcNow.Date.AddDays(20));

    /// <summary>Creates an event as <paramref name="organiser"/> and opens it for registration; returns its view.</summary>
    public static async Task<JsonElement> OpenEventAsync(HttpClient organiser, EventBody? body = null)
    {
        var created = await organiser.PostAsJsonAsync("/api/events", body ?? EventDraft(), TechMarketClient.Json);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var ev = await created.Content.ReadFromJsonAsync<JsonElement>();
        var opened = await SendAsync(organiser, HttpMethod.Post, $"/api/events/{ev.GetProperty("id").GetInt64()}/status", ev.GetProperty("version").GetInt64(), new { status = "Open" });
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        return await opened.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>A multipart upload of a CSV file with the given lines (header first).</summary>
    public static MultipartFormDataContent CsvUpload(string fileName, params string[] lines)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", fileName);
        return form;
    }

    public const string NeedCsvHeader = "名称,领域,需求描述,关键词,合作方式,主要问题";

    public static async Task<Listing> ReadListingAsync(HttpResponseMessage response)
    {
        // A refusal here is the test's real failure: show its problem rather than a JSON shape error.
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<Listing>(TechMarketClient.Json))!;
    }

    /// <summary>Asserts a problem-details answer with a Chinese title.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(text).RootElement;
        var title = json.GetProperty("title").GetString() ?? "";
        Assert.Contains(title, c => c is >= '\u4e00' and <= '\u9fff');
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        return json;
    }
}
