using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Api;

/// <summary>Search over HTTP follows the market: publish, edit, withdraw; any user text is a valid query.</summary>
public abstract class SearchTests(Backend backend) : IDisposable
{
    private readonly MarketFactory _factory = new(backend);

    public void Dispose()
    {
        _factory.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task PublishedListingIsFoundWithHighlightsAndLeavesTheIndexWhenWithdrawn()
    {
        var (member, _) = await Support.Api.NewMemberAsync(_factory);
        var (admin, _) = await Support.Api.AdminAsync(_factory);
        var anon = _factory.CreateClient();
        var draft = await Support.Api.CreateAsync(member, "needs", Support.Api.CompleteNeed());
        var submitted = await Support.Api.ReadListingAsync(await Support.Api.SendAsync(member, HttpMethod.Post, $"/api/needs/{draft.Id}/submit", draft.Version));
        var beforePublish = await anon.GetFromJsonAsync<JsonElement>("/api/search?q=注塑机");

        var published = await Support.Api.ReadListingAsync(await Support.Api.SendAsync(admin, HttpMethod.Post, $"/api/review/{draft.Id}/publish", submitted.Version));
        var found = await anon.GetFromJsonAsync<JsonElement>("/api/search?q=注塑机 工艺&kind=need&field=高端装备");
        var suggestions = await anon.GetFromJsonAsync<JsonElement>("/api/search/suggest?prefix=注塑");
        await Support.Api.SendAsync(member, HttpMethod.Post, $"/api/needs/{draft.Id}/withdraw", published.Version);
        var afterWithdraw = await anon.GetFromJsonAsync<JsonElement>("/api/search?q=注塑机");

        Assert.Equal(0, beforePublish.GetProperty("total").GetInt32());
        var hit = Assert.Single(found.GetProperty("items").EnumerateArray());
        Assert.Equal(draft.Id, hit.GetProperty("id").GetInt64());
        Assert.Contains("<mark>", hit.GetProperty("titleHtml").GetString(), StringComparison.Ordinal);
        Assert.Contains(found.GetProperty("facets").GetProperty("field").EnumerateArray(), f => f.GetProperty("value").GetString() == "高端装备");
        Assert.NotEqual(0, suggestions.GetArrayLength());
        Assert.Equal(0, afterWithdraw.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task EditOfAPublishedListingTakesItOutUntilReviewedAgain()
    {
        var (member, _) = await Support.Api.NewMemberAsync(_factory, "institute");
        var (admin, _) = await Support.Api.AdminAsync(_factory);
        var draft = await Support.Api.CreateAsync(member, "achievements", Support.Api.CompleteAchievement());
        var submitted = await Support.Api.ReadListingAsync(await Support.Api.SendAsync(member, HttpMethod.Post, $"/api/achievements/{draft.Id}/submit", draft.Version));
        var published = await Support.Api.ReadListingAsync(await Support.Api.SendAsync(admin, HttpMethod.Post, $"/api/review/{draft.Id}/publish", submitted.Version));

        var edited = await Support.Api.ReadListingAsync(await Support.Api.SendAsync(member, HttpMethod.Put, $"/api/achievements/{draft.Id}", published.Version, Support.Api.CompleteAchievement("烧结钕铁硼磁体回收再利用")));
        var whileInReview = await _factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/search?q=回收再利用");
        await Support.Api.SendAsync(admin, HttpMethod.Post, $"/api/review/{draft.Id}/publish", edited.Version);
        var afterReview = await _factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/search?q=回收再利用&kind=achievement");

        Assert.Equal(0, whileInReview.GetProperty("total").GetInt32());
        Assert.Equal(1, afterReview.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("*")]
    [InlineData("NEAR(注塑 机)")]
    [InlineData("注塑 AND OR NOT 机")]
    [InlineData("title:注塑")]
    [InlineData("(((注塑")]
    [InlineData("'; DROP TABLE \"Listings\"; --")]
    [InlineData("😀🧪 钕铁硼")]
    [InlineData("\ud800 半个代理对")]
    [InlineData("")]
    public async Task AnyTextIsAValidQuery(string q)
    {
        var anon = _factory.CreateClient();

        var response = await anon.GetAsync("/api/search?q=" + Uri.EscapeDataString(q));
        var long10k = await anon.GetAsync("/api/search?q=" + Uri.EscapeDataString(new string('注', 10_000)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, long10k.StatusCode);
    }

    [Fact]
    public async Task UnknownFiltersAreRefusedInChinese()
    {
        var response = await _factory.CreateClient().GetAsync("/api/search?q=注塑&kind=robot&sort=random");

        var problem = await Support.Api.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("kind", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("sort", out _));
    }
}

public sealed class SearchTestsOnSqlite() : SearchTests(Backend.Sqlite);

[Trait("Category", "Postgres")]
public sealed class SearchTestsOnPostgres() : SearchTests(Backend.Postgres);
