using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TechMarket.Data;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Api;

/// <summary>
/// The embedded default's output cache of anonymous pages: a second anonymous read is served from the cache, a
/// signed-in read never is, and a publication clears it. Failed sign-ins are counted per client address.
/// </summary>
public sealed class PublicCacheTests : IDisposable
{
    private readonly MarketFactory _factory = new(Backend.Sqlite);

    public void Dispose()
    {
        _factory.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task AnonymousPagesAreCachedUntilSomethingIsPublished()
    {
        var (member, _) = await Support.Api.NewMemberAsync(_factory);
        var (admin, _) = await Support.Api.AdminAsync(_factory);
        var first = await PublishAsync(member, admin, "注塑件翘曲变形控制");
        var anon = _factory.CreateClient();
        Assert.Contains("注塑件翘曲变形控制", await anon.GetStringAsync("/needs"), StringComparison.Ordinal);
        Assert.Equal(1, (await anon.GetFromJsonAsync<JsonElement>("/api/needs")).GetProperty("total").GetInt32());

        // A change behind the grains' back (no grain, so no notice) stays invisible to anonymous readers while the
        // cache holds, and is visible at once to a signed-in reader, whose answers are never cached.
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
            await db.Listings.Where(l => l.Id == first.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.Title, "直接改库的标题"));
        }

        var cachedPage = await anon.GetAsync("/needs");
        Assert.Contains("注塑件翘曲变形控制", await cachedPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(cachedPage.Headers.Age is not null, "a cached answer carries Age");
        Assert.Contains("注塑件翘曲变形控制", await anon.GetStringAsync("/api/needs"), StringComparison.Ordinal);
        Assert.Contains("直接改库的标题", await member.GetStringAsync("/api/needs"), StringComparison.Ordinal);

        // Publishing through the grain clears the cache: the next anonymous read sees both changes.
        await PublishAsync(member, admin, "伺服电机振动噪声抑制");
        var fresh = await anon.GetStringAsync("/needs");
        Assert.Contains("直接改库的标题", fresh, StringComparison.Ordinal);
        Assert.Contains("伺服电机振动噪声抑制", fresh, StringComparison.Ordinal);
        Assert.Equal(2, (await anon.GetFromJsonAsync<JsonElement>("/api/needs")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task WithdrawingAPublishedListingClearsTheCache()
    {
        var (member, _) = await Support.Api.NewMemberAsync(_factory);
        var (admin, _) = await Support.Api.AdminAsync(_factory);
        var need = await PublishAsync(member, admin, "高速冲压模具寿命提升");
        var anon = _factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anon.GetAsync($"/api/needs/{need.Id}")).StatusCode);
        Assert.Contains("高速冲压模具寿命提升", await anon.GetStringAsync("/api/search?q=冲压模具"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await Support.Api.SendAsync(member, HttpMethod.Post, $"/api/needs/{need.Id}/withdraw", need.Version)).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await anon.GetAsync($"/api/needs/{need.Id}")).StatusCode);
        Assert.DoesNotContain("高速冲压模具寿命提升", await anon.GetStringAsync("/api/search?q=冲压模具"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManyFailedSignInsFromOneAddressBlockThatAddressOnly()
    {
        var (_, account) = await Support.Api.NewMemberAsync(_factory);
        var email = account.Email;
        var attacker = _factory.CreateClient();
        attacker.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");

        // Twenty different wrong accounts: no single account reaches Identity's lockout, the address does.
        for (var i = 0; i < 20; i++)
        {
            var wrong = await attacker.PostAsJsonAsync("/api/auth/login", new { email = $"guess{i}@test.cn", password = "Wrong#2026x" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        var blocked = await attacker.PostAsJsonAsync("/api/auth/login", new { email, password = Support.Api.Password });
        var problem = await Support.Api.AssertProblemAsync(blocked, HttpStatusCode.TooManyRequests);
        Assert.Contains("登录失败次数过多", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.True(blocked.Headers.RetryAfter is not null);

        var elsewhere = _factory.CreateClient();
        elsewhere.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.20");
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.PostAsJsonAsync("/api/auth/login", new { email, password = Support.Api.Password })).StatusCode);
    }

    private static async Task<Client.Listing> PublishAsync(HttpClient member, HttpClient admin, string title)
    {
        var draft = await Support.Api.CreateAsync(member, "needs", Support.Api.CompleteNeed(title));
        var submitted = await Support.Api.ReadListingAsync(await Support.Api.SendAsync(member, HttpMethod.Post, $"/api/needs/{draft.Id}/submit", draft.Version));
        return await Support.Api.ReadListingAsync(await Support.Api.SendAsync(admin, HttpMethod.Post, $"/api/review/{draft.Id}/publish", submitted.Version));
    }
}
