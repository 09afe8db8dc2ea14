using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TechMarket.Server.Tests.Support;
using Xunit.Abstractions;

namespace TechMarket.Server.Tests.Api;

/// <summary>
/// 揭榜挂帅 over HTTP: a 抢榜 race from many institutes at once gives exactly the announced places, by arrival order,
/// and no 5xx; the whole open round (发榜 → 揭榜 → 评榜 → 定榜 → milestones); malformed applications and reviews.
/// </summary>
public abstract class ChallengeTests(Backend backend, ITestOutputHelper output) : IDisposable
{
    private readonly MarketFactory _factory = new(backend);

    public void Dispose()
    {
        _factory.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A published need marked as a challenge, with a bounty and a deadline two months ahead.</summary>
    public static async Task<Client.Listing> PublishedChallengeNeedAsync(HttpClient owner, HttpClient admin, string title = "高温密封材料寿命提升")
    {
        var input = Support.Api.CompleteNeed(title) with { IsChallenge = true, BountyWan = 300, ChallengeDeadline = DateOnly.FromDateTime(DateTime.Today.AddDays(60)) };
        var draft = await Support.Api.CreateAsync(owner, "needs", input);
        var submitted = await Support.Api.ReadListingAsync(await Support.Api.SendAsync(owner, HttpMethod.Post, $"/api/needs/{draft.Id}/submit", draft.Version));
        var published = await Support.Api.SendAsync(admin, HttpMethod.Post, $"/api/review/{draft.Id}/publish", submitted.Version);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        return await Support.Api.ReadListingAsync(published);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    [Fact]
    public async Task TwoHundredConcurrentClaimsOnThreePlacesGiveExactlyThreeWinnersByArrivalAndNo5xx()
    {
        var (owner, _) = await Support.Api.NewMemberAsync(_factory);
        var (admin, _) = await Support.Api.AdminAsync(_factory);
        var need = await PublishedChallengeNeedAsync(owner, admin);
        await JsonAsync(await Support.Api.SendAsync(owner, HttpMethod.Put, $"/api/challenges/{need.Id}", null, new { rule = "抢榜", places = 3, requirements = "现场抢榜，先到先得" }), HttpStatusCode.OK);

        // Sign-ins hash passwords and are slow: the 200 institute members are signed in before the race starts.
        using var gate = new SemaphoreSlim(4);
        var institutes = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                return (await Support.Api.NewMemberAsync(_factory, "institute")).Http;
            }
            finally
            {
                gate.Release();
            }
        }));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var responses = await Task.WhenAll(institutes.Select(http => http.PostAsJsonAsync($"/api/challenges/{need.Id}/applications", new { plan = "抢榜", team = "课题组" })));
        output.WriteLine($"{backend}: 200 concurrent claims answered in {clock.ElapsedMilliseconds} ms");

        Assert.DoesNotContain(responses, r => (int)r.StatusCode >= 500);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var claims = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<JsonElement>()));
        var winners = claims.Where(c => c.GetProperty("status").GetString() == "PlaceWon").ToList();
        Assert.Equal(3, winners.Count);
        Assert.Equal([1, 2, 3], winners.Select(w => w.GetProperty("arrivalSeq").GetInt32()).Order());
        Assert.All(winners, w => Assert.Equal("抢榜成功", w.GetProperty("statusLabel").GetString()));

        // The owner sees the whole race in arrival order: 200 institutes, sequence 1…200, the places on the first three.
        var view = await owner.GetFromJsonAsync<JsonElement>($"/api/challenges/{need.Id}");
        var applications = view.GetProperty("applications").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, 200), applications.Select(a => a.GetProperty("arrivalSeq").GetInt32()));
        Assert.Equal(200, applications.Select(a => a.GetProperty("organisationId").GetInt64()).Distinct().Count());
        Assert.Equal(["PlaceWon", "PlaceWon", "PlaceWon"], applications.Take(3).Select(a => a.GetProperty("status").GetString()));
        Assert.All(applications.Skip(3), a => Assert.Equal("PlaceMissed", a.GetProperty("status").GetString()));
        var arrived = applications.Select(a => a.GetProperty("arrivedAt").GetDateTime()).ToList();
        Assert.Equal(arrived.Order(), arrived);
        Assert.Equal(3, view.GetProperty("placesTaken").GetInt32());

        // A visitor sees the counts, not the applications; an institute sees its own only.
        var visitor = await _factory.CreateClient().GetFromJsonAsync<JsonElement>($"/api/challenges/{need.Id}");
        Assert.Equal(0, visitor.GetProperty("applications").GetArrayLength());
        Assert.Equal(200, visitor.GetProperty("applicationCount").GetInt32());
        var own = await institutes[0].GetFromJsonAsync<JsonElement>($"/api/challenges/{need.Id}");
        Assert.Equal(1, own.GetProperty("applications").GetArrayLength());
        var again = await institutes[0].PostAsJsonAsync($"/api/challenges/{need.Id}/applications", new { plan = "再抢一次" });
        await Support.Api.AssertProblemAsync(again, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task AnOpenRoundGoesFromPublishingToAwardAndMilestones()
    {
        var (owner, _) = await Support.Api.NewMemberAsync(_factory);
        var (admin, adminAccount) = await Support.Api.AdminAsync(_factory);
        var (institute, _) = await Support.Api.NewMemberAsync(_factory, "institute");
        var (organiser, organiserAccount) = await Support.Api.NewOrganiserAsync(_factory);
        var need = await PublishedChallengeNeedAsync(owner, admin);

        var setUp = await JsonAsync(await Support.Api.SendAsync(owner, HttpMethod.Put, $"/api/challenges/{need.Id}", null, new { rule = "Open", places = 1, requirements = "须有同类材料业绩", reviewerUserIds = new[] { organiserAccount.Id } }), HttpStatusCode.OK);
        var list = await _factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/challenges");
        Assert.Contains(list.GetProperty("items").EnumerateArray(), i => i.GetProperty("needId").GetInt64() == need.Id && i.GetProperty("ruleLabel").GetString() == "公开揭榜");
        var application = await JsonAsync(await institute.PostAsJsonAsync($"/api/challenges/{need.Id}/applications", new { plan = "氟橡胶改性配方", team = "教授 1 名、工程师 3 名", priceWan = 260 }), HttpStatusCode.Created);
        var applicationId = application.GetProperty("id").GetInt64();
        var closed = await JsonAsync(await Support.Api.SendAsync(owner, HttpMethod.Post, $"/api/challenges/{need.Id}/close", setUp.GetProperty("version").GetInt64()), HttpStatusCode.OK);
        await JsonAsync(await organiser.PostAsJsonAsync($"/api/challenges/{need.Id}/applications/{applicationId}/reviews", new { score = 86, comment = "方案可行" }), HttpStatusCode.OK);

        var awarded = await JsonAsync(await Support.Api.SendAsync(admin, HttpMethod.Post, $"/api/challenges/{need.Id}/award", closed.GetProperty("version").GetInt64(), new { applicationId }), HttpStatusCode.OK);
        var milestone = await JsonAsync(await owner.PostAsJsonAsync($"/api/challenges/{need.Id}/milestones", new { title = "中试验证", dueDate = "2027-06-30" }), HttpStatusCode.Created);
        var done = await JsonAsync(await owner.PostAsync($"/api/challenges/{need.Id}/milestones/{milestone.GetProperty("id").GetInt64()}/done", null), HttpStatusCode.OK);

        Assert.Equal("已定榜", awarded.GetProperty("statusLabel").GetString());
        Assert.Equal(86, awarded.GetProperty("applications")[0].GetProperty("averageScore").GetDouble());
        Assert.Equal("中榜", awarded.GetProperty("applications")[0].GetProperty("statusLabel").GetString());
        Assert.NotEqual(JsonValueKind.Null, done.GetProperty("doneAt").ValueKind);
        Assert.NotEqual(0, adminAccount.Id);
    }

    [Fact]
    public async Task ThePagesListTheChallengeAndShowItsPublicPart()
    {
        var (owner, _) = await Support.Api.NewMemberAsync(_factory);
        var (admin, _) = await Support.Api.AdminAsync(_factory);
        var need = await PublishedChallengeNeedAsync(owner, admin, "海水淡化膜抗污染改性");
        await JsonAsync(await Support.Api.SendAsync(owner, HttpMethod.Put, $"/api/challenges/{need.Id}", null, new { rule = "抢榜", places = 3, requirements = "具备中试线" }), HttpStatusCode.OK);
        var visitor = _factory.CreateClient();

        // The pages encode text they did not write themselves as character references.
        var list = WebUtility.HtmlDecode(await visitor.GetStringAsync("/challenges"));
        var detail = WebUtility.HtmlDecode(await visitor.GetStringAsync($"/challenges/{need.Id}"));
        var missing = await visitor.GetAsync("/challenges/999999");

        Assert.Contains("海水淡化膜抗污染改性", list, StringComparison.Ordinal);
        Assert.Contains("抢榜（3 个名额）", list, StringComparison.Ordinal);
        Assert.Contains("具备中试线", detail, StringComparison.Ordinal);
        Assert.Contains("已抢名额 0 / 3", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("apply-form", detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("plan missing under the open rule", """{"team":"课题组"}""", 400)]
    [InlineData("overlong plan", "OVERLONG", 400)]
    [InlineData("negative price", """{"plan":"方案","priceWan":-1}""", 400)]
    [InlineData("price as text", """{"plan":"方案","priceWan":"很多"}""", 400)]
    [InlineData("broken JSON", """{"plan":""", 400)]
    [InlineData("JSON array", "[]", 400)]
    public async Task MalformedApplicationsAreRefusedWithChineseProblems(string name, string body, int status)
    {
        var (owner, _) = await Support.Api.NewMemberAsync(_factory);
        var (admin, _) = await Support.Api.AdminAsync(_factory);
        var (institute, _) = await Support.Api.NewMemberAsync(_factory, "institute");
        var need = await PublishedChallengeNeedAsync(owner, admin);
        await JsonAsync(await Support.Api.SendAsync(owner, HttpMethod.Put, $"/api/challenges/{need.Id}", null, new { rule = "Open", places = 1 }), HttpStatusCode.OK);
        body = body == "OVERLONG" ? $$"""{"plan":"{{new string('方', 8001)}}"}""" : body;

        var response = await institute.PostAsync($"/api/challenges/{need.Id}/applications", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await Support.Api.AssertProblemAsync(response, (HttpStatusCode)status);
        var view = await owner.GetFromJsonAsync<JsonElement>($"/api/challenges/{need.Id}");
        Assert.Equal(0, view.GetProperty("applicationCount").GetInt32());
        Assert.False(string.IsNullOrEmpty(name));
    }
}

public sealed class ChallengeTestsOnSqlite(ITestOutputHelper output) : ChallengeTests(Backend.Sqlite, output);

[Trait("Category", "Postgres")]
public sealed class ChallengeTestsOnPostgres(ITestOutputHelper output) : ChallengeTests(Backend.Postgres, output);
