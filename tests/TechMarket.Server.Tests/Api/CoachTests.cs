using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Api;

/// <summary>
/// POST /api/needs/coach over HTTP: the score and hints follow the draft, keywords come from its text, the field from
/// the published achievements nearest to it; nothing is stored.
/// </summary>
public abstract class CoachTests(Backend backend) : IDisposable
{
    private readonly MarketFactory _factory = new(backend);

    public void Dispose()
    {
        _factory.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task PublishAchievementAsync(HttpClient owner, HttpClient admin, string title, string summary, string field)
    {
        var draft = await Support.Api.CreateAsync(owner, "achievements", Support.Api.CompleteAchievement(title) with { Summary = summary, Field = field });
        var submitted = await Support.Api.ReadListingAsync(await Support.Api.SendAsync(owner, HttpMethod.Post, $"/api/achievements/{draft.Id}/submit", draft.Version));
        var published = await Support.Api.SendAsync(admin, HttpMethod.Post, $"/api/review/{draft.Id}/publish", submitted.Version);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
    }

    private static async Task<JsonElement> CoachAsync(HttpClient http, object draft)
    {
        var response = await http.PostAsJsonAsync("/api/needs/coach", draft);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static IEnumerable<string> HintFields(JsonElement coaching) =>
        coaching.GetProperty("hints").EnumerateArray().Select(h => h.GetProperty("field").GetString()!);

    [Fact]
    public async Task ScoresTheDraftSuggestsKeywordsAndTheFieldOfItsNearestAchievements()
    {
        var (member, _) = await Support.Api.NewMemberAsync(_factory);
        var (institute, _) = await Support.Api.NewMemberAsync(_factory, "institute");
        var (admin, _) = await Support.Api.AdminAsync(_factory);
        await PublishAchievementAsync(institute, admin, "钕铁硼永磁晶界扩散技术", "晶界扩散重稀土，显著提高钕铁硼磁体矫顽力。", "磁性材料");
        await PublishAchievementAsync(institute, admin, "低重稀土钕铁硼烧结磁体", "降低重稀土用量的钕铁硼烧结工艺，矫顽力不降。", "磁性材料");
        await PublishAchievementAsync(institute, admin, "钕铁硼磁体表面防腐涂层", "钕铁硼磁体的耐腐蚀涂层技术。", "磁性材料");
        await PublishAchievementAsync(institute, admin, "高性能工程塑料改性", "耐高温改性工程塑料配方。", "新材料");
        var listingsBefore = (await member.GetFromJsonAsync<JsonElement>("/api/needs/mine")).GetProperty("total").GetInt32();

        var sparse = await CoachAsync(member, new { title = "钕铁硼磁体矫顽力提升", summary = "我公司生产烧结钕铁硼磁体，希望提高矫顽力并减少重稀土镝、铽的用量。" });
        var fuller = await CoachAsync(member, new
        {
            title = "钕铁硼磁体矫顽力提升",
            summary = "我公司生产烧结钕铁硼磁体，希望提高矫顽力并减少重稀土镝、铽的用量。",
            problem = "电机用磁体在 150℃ 下退磁明显，客户退货；镝铽价格上涨使每吨成本增加约 8 万元。",
            targets = "矫顽力不低于 25 kOe，重稀土用量减少 30%。",
            keywords = "钕铁硼、矫顽力、晶界扩散",
            field = "磁性材料",
            budgetWan = 50,
            transferModes = new[] { "技术开发" },
            validUntil = "2099-12-31",
        });

        Assert.InRange(sparse.GetProperty("score").GetInt32(), 0, 20);
        Assert.Contains("problem", HintFields(sparse));
        Assert.Contains("field", HintFields(sparse));
        var keywords = sparse.GetProperty("keywords").EnumerateArray().Select(k => k.GetString()!).ToList();
        Assert.InRange(keywords.Count, 1, 5);
        Assert.Contains(keywords, k => k.Contains("钕铁硼", StringComparison.Ordinal) || k.Contains("矫顽力", StringComparison.Ordinal));
        Assert.Equal("磁性材料", sparse.GetProperty("field").GetString());
        Assert.InRange(sparse.GetProperty("fieldConfidence").GetDouble(), Matching.NeedCoach.MinFieldConfidence, 1.0);

        Assert.True(fuller.GetProperty("score").GetInt32() >= 80, fuller.ToString());
        Assert.DoesNotContain("problem", HintFields(fuller));
        Assert.DoesNotContain("targets", HintFields(fuller));
        Assert.Contains("keyPoints", HintFields(fuller));
        Assert.Equal(JsonValueKind.Null, fuller.GetProperty("field").ValueKind);
        Assert.DoesNotContain(fuller.GetProperty("keywords").EnumerateArray(), k => k.GetString() is "钕铁硼" or "矫顽力");
        Assert.Equal(listingsBefore, (await member.GetFromJsonAsync<JsonElement>("/api/needs/mine")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task AnEmptyDraftIsScoredWithoutAFieldAndVisitorsAreRefused()
    {
        var (member, _) = await Support.Api.NewMemberAsync(_factory);

        var empty = await CoachAsync(member, new { });
        var anonymous = await _factory.CreateClient().PostAsJsonAsync("/api/needs/coach", new { title = "注塑" });

        Assert.Equal(0, empty.GetProperty("score").GetInt32());
        Assert.Equal(8, empty.GetProperty("hints").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("field").ValueKind);
        Assert.Equal(0, empty.GetProperty("keywords").GetArrayLength());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}

public sealed class CoachTestsOnSqlite() : CoachTests(Backend.Sqlite);

[Trait("Category", "Postgres")]
public sealed class CoachTestsOnPostgres() : CoachTests(Backend.Postgres);
