using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TechMarket.Client;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Api;

/// <summary>The foundation's journey over HTTP: register → post → submit → review → publish → browse.</summary>
public abstract class JourneyTests(Backend backend) : IDisposable
{
    private readonly MarketFactory _factory = new(backend);

    public void Dispose()
    {
        _factory.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task EnterprisePostsNeedThatOrganiserPublishesAndVisitorFinds()
    {
        using var member = TechMarketClient.For(_factory.CreateClient());
        var registration = Support.Api.NewRegistration();
        await member.RegisterAsync(registration);
        var account = await member.SignInAsync(registration.Email!, registration.Password!);
        using var organiser = TechMarketClient.For(_factory.CreateClient());
        await organiser.SignInAsync(MarketFactory.AdminEmail, MarketFactory.AdminPassword);
        using var visitor = TechMarketClient.For(_factory.CreateClient());

        var draft = await member.CreateAsync(TechMarketClient.Needs, Support.Api.CompleteNeed() with { Title = "注塑件翘曲变形控制" });
        var edited = await member.UpdateAsync(TechMarketClient.Needs, draft.Id, TechMarketClient.Version(draft.Version), Support.Api.CompleteNeed());
        var submitted = await member.SubmitAsync(TechMarketClient.Needs, draft.Id, TechMarketClient.Version(edited.Version));
        var hiddenBeforeReview = await visitor.BrowseAsync(TechMarketClient.Needs);
        var queue = await organiser.ReviewQueueAsync("need");
        var published = await organiser.PublishAsync(draft.Id, TechMarketClient.Version(submitted.Version));
        var browsed = await visitor.BrowseAsync(TechMarketClient.Needs, q: "注塑");
        var detail = await visitor.GetAsync(TechMarketClient.Needs, draft.Id);

        Assert.Equal("Draft", draft.Status);
        Assert.Equal(account.OrganisationId, draft.OrganisationId);
        Assert.Equal("Submitted", submitted.Status);
        Assert.Equal(0, hiddenBeforeReview.Total);
        Assert.Contains(queue.Items, l => l.Id == draft.Id);
        Assert.Equal("Published", published.Status);
        Assert.Equal("已发布", published.StatusLabel);
        Assert.Equal(draft.Id, Assert.Single(browsed.Items).Id);
        Assert.Equal("注塑机工艺参数优化", detail.Title);
        Assert.Equal(30m, detail.BudgetWan);
    }

    [Fact]
    public async Task ReturnedListingCarriesReasonsAndCanBeResubmitted()
    {
        var (member, _) = await Support.Api.NewMemberAsync(_factory, "institute");
        var (organiser, _) = await Support.Api.NewOrganiserAsync(_factory);
        var draft = await Support.Api.CreateAsync(member, "achievements", Support.Api.CompleteAchievement());
        var submitted = await Support.Api.ReadListingAsync(await Support.Api.SendAsync(member, HttpMethod.Post, $"/api/achievements/{draft.Id}/submit", draft.Version));

        var returned = await Support.Api.SendAsync(organiser, HttpMethod.Post, $"/api/review/{draft.Id}/return", submitted.Version, new { note = "请补充知识产权信息" });
        var seenByOwner = await member.GetFromJsonAsync<Listing>($"/api/achievements/{draft.Id}", TechMarketClient.Json);
        var resubmitted = await Support.Api.SendAsync(member, HttpMethod.Post, $"/api/achievements/{draft.Id}/submit", seenByOwner!.Version);

        Assert.Equal(HttpStatusCode.OK, returned.StatusCode);
        Assert.Equal("Returned", seenByOwner.Status);
        Assert.Equal("请补充知识产权信息", seenByOwner.ReviewNote);
        Assert.Equal(HttpStatusCode.OK, resubmitted.StatusCode);
        Assert.Null((await Support.Api.ReadListingAsync(resubmitted)).ReviewNote);
    }

    [Fact]
    public async Task EditingPublishedListingSendsItBackToReview()
    {
        var (member, _) = await Support.Api.NewMemberAsync(_factory);
        var (admin, _) = await Support.Api.AdminAsync(_factory);
        var published = await PublishedNeedAsync(member, admin);

        var edit = await Support.Api.SendAsync(member, HttpMethod.Put, $"/api/needs/{published.Id}", published.Version, Support.Api.CompleteNeed("注塑机节能改造"));
        var anonymous = await _factory.CreateClient().GetAsync($"/api/needs/{published.Id}");

        Assert.Equal("Submitted", (await Support.Api.ReadListingAsync(edit)).Status);
        Assert.Equal(HttpStatusCode.NotFound, anonymous.StatusCode);
    }

    [Fact]
    public async Task DraftsAreInvisibleToVisitorsAndOtherOrganisations()
    {
        var (owner, _) = await Support.Api.NewMemberAsync(_factory);
        var (other, _) = await Support.Api.NewMemberAsync(_factory);
        var draft = await Support.Api.CreateAsync(owner, "needs", Support.Api.CompleteNeed());

        var byVisitor = await _factory.CreateClient().GetAsync($"/api/needs/{draft.Id}");
        var byOther = await other.GetAsync($"/api/needs/{draft.Id}");
        var byOwner = await owner.GetAsync($"/api/needs/{draft.Id}");
        var mine = await owner.GetFromJsonAsync<PagedList<Listing>>("/api/needs/mine?status=Draft", TechMarketClient.Json);

        await Support.Api.AssertProblemAsync(byVisitor, HttpStatusCode.NotFound);
        await Support.Api.AssertProblemAsync(byOther, HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, byOwner.StatusCode);
        Assert.Equal(draft.Id, Assert.Single(mine!.Items).Id);
    }

    [Fact]
    public async Task ConcurrentEditWithStaleVersionIsRefusedWith409()
    {
        var (member, _) = await Support.Api.NewMemberAsync(_factory);
        var draft = await Support.Api.CreateAsync(member, "needs", Support.Api.CompleteNeed());

        var first = await Support.Api.SendAsync(member, HttpMethod.Put, $"/api/needs/{draft.Id}", draft.Version, Support.Api.CompleteNeed("第一位编辑的标题"));
        var second = await Support.Api.SendAsync(member, HttpMethod.Put, $"/api/needs/{draft.Id}", draft.Version, Support.Api.CompleteNeed("第二位编辑的标题"));
        var final = await member.GetFromJsonAsync<Listing>($"/api/needs/{draft.Id}", TechMarketClient.Json);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await Support.Api.AssertProblemAsync(second, HttpStatusCode.Conflict);
        Assert.Equal("第一位编辑的标题", final!.Title);
    }

    [Fact]
    public async Task SimultaneousEditsNeverBothSucceed()
    {
        var (member, _) = await Support.Api.NewMemberAsync(_factory);
        var draft = await Support.Api.CreateAsync(member, "needs", Support.Api.CompleteNeed());

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            Support.Api.SendAsync(member, HttpMethod.Put, $"/api/needs/{draft.Id}", draft.Version, Support.Api.CompleteNeed($"并发编辑标题{i}"))));

        Assert.Equal(1, results.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(results.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
    }

    [Fact]
    public async Task AuditLogRecordsWhoChangedWhatAndIsAdminOnly()
    {
        var (member, account) = await Support.Api.NewMemberAsync(_factory);
        var (admin, _) = await Support.Api.AdminAsync(_factory);
        var published = await PublishedNeedAsync(member, admin);

        var log = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/audit?entityType=Need&entityId={published.Id}");
        var byMember = await member.GetAsync("/api/admin/audit");

        var actions = log.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Contains("create", actions);
        Assert.Contains("status:Draft->Submitted", actions);
        Assert.Contains("status:Submitted->Published", actions);
        var creation = log.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("action").GetString() == "create");
        Assert.Equal(account.Id, creation.GetProperty("userId").GetInt64());
        Assert.Contains("注塑机工艺参数优化", creation.GetProperty("changes").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, byMember.StatusCode);
    }

    [Fact]
    public async Task WithdrawnAndClosedListingsLeaveTheMarket()
    {
        var (member, _) = await Support.Api.NewMemberAsync(_factory);
        var (admin, _) = await Support.Api.AdminAsync(_factory);
        var a = await PublishedNeedAsync(member, admin);
        var b = await PublishedNeedAsync(member, admin);

        var withdrawn = await Support.Api.SendAsync(member, HttpMethod.Post, $"/api/needs/{a.Id}/withdraw", a.Version);
        var closed = await Support.Api.SendAsync(member, HttpMethod.Post, $"/api/needs/{b.Id}/close", b.Version);
        var closedAgain = await Support.Api.SendAsync(member, HttpMethod.Put, $"/api/needs/{b.Id}", b.Version + 1, Support.Api.CompleteNeed());
        var browse = await _factory.CreateClient().GetFromJsonAsync<PagedList<Listing>>("/api/needs", TechMarketClient.Json);

        Assert.Equal("Withdrawn", (await Support.Api.ReadListingAsync(withdrawn)).Status);
        Assert.Equal("Closed", (await Support.Api.ReadListingAsync(closed)).Status);
        await Support.Api.AssertProblemAsync(closedAgain, HttpStatusCode.Conflict);
        Assert.Equal(0, browse!.Total);
    }

    [Fact]
    public async Task BrowsingPagesAndFilters()
    {
        var (member, _) = await Support.Api.NewMemberAsync(_factory);
        var (admin, _) = await Support.Api.AdminAsync(_factory);
        for (var i = 0; i < 5; i++)
        {
            await PublishedNeedAsync(member, admin, Support.Api.CompleteNeed($"分页测试需求{i}") with { Field = i % 2 == 0 ? "新材料" : "生物医药" });
        }

        var anon = _factory.CreateClient();
        var page2 = await anon.GetFromJsonAsync<PagedList<Listing>>("/api/needs?page=2&pageSize=2", TechMarketClient.Json);
        var materials = await anon.GetFromJsonAsync<PagedList<Listing>>("/api/needs?field=新材料", TechMarketClient.Json);
        var district = await anon.GetFromJsonAsync<PagedList<Listing>>("/api/needs?district=北仑区", TechMarketClient.Json);

        Assert.Equal(5, page2!.Total);
        Assert.Equal(2, page2.Items.Count);
        Assert.Equal(3, materials!.Total);
        Assert.Equal(0, district!.Total);
    }

    [Fact]
    public async Task AchievementWithoutMaturityStaysADraft()
    {
        var (member, _) = await Support.Api.NewMemberAsync(_factory, "institute");
        var draft = await Support.Api.CreateAsync(member, "achievements", Support.Api.CompleteAchievement() with { Maturity = null });

        var submit = await Support.Api.SendAsync(member, HttpMethod.Post, $"/api/achievements/{draft.Id}/submit", draft.Version);

        Assert.Null(draft.Maturity);
        var problem = await Support.Api.AssertProblemAsync(submit, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("maturity", out _));
    }

    [Fact]
    public async Task MemberAddsAColleagueWhoWorksOnTheSameListings()
    {
        var (member, account) = await Support.Api.NewMemberAsync(_factory);
        var draft = await Support.Api.CreateAsync(member, "needs", Support.Api.CompleteNeed());

        var added = await member.PostAsJsonAsync($"/api/organisations/{account.OrganisationId}/members", new { email = "colleague@test.cn", displayName = "同事小李", password = Support.Api.Password });
        var (colleague, colleagueAccount) = await Support.Api.SignInAsync(_factory, "colleague@test.cn", Support.Api.Password);
        var submitted = await Support.Api.SendAsync(colleague, HttpMethod.Post, $"/api/needs/{draft.Id}/submit", draft.Version);
        var members = await member.GetFromJsonAsync<JsonElement>($"/api/organisations/{account.OrganisationId}/members");

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(account.OrganisationId, colleagueAccount.OrganisationId);
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        Assert.Equal(2, members.GetArrayLength());
    }

    [Fact]
    public async Task AdminRegistersABrokerWhoAppearsInTheRegistry()
    {
        var (_, account) = await Support.Api.NewMemberAsync(_factory, "agency");
        var (admin, _) = await Support.Api.AdminAsync(_factory);

        var registered = await admin.PostAsJsonAsync("/api/admin/brokers", new { userId = account.Id, certificateNumber = "NB-2026-0001", level = "高级", agency = "宁波技术转移中心", district = "镇海区", specialties = "磁性材料" });
        var duplicate = await admin.PostAsJsonAsync("/api/admin/brokers", new { userId = account.Id, certificateNumber = "NB-2026-0002", level = "高级", district = "镇海区" });
        var registry = await _factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/brokers?district=镇海区");
        var (_, asBroker) = await Support.Api.SignInAsync(_factory, account.Email, Support.Api.Password);

        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        await Support.Api.AssertProblemAsync(duplicate, HttpStatusCode.Conflict);
        var entry = Assert.Single(registry.GetProperty("items").EnumerateArray());
        Assert.Equal("高级", entry.GetProperty("level").GetString());
        Assert.Contains("Broker", asBroker.Roles);
    }

    private async Task<Listing> PublishedNeedAsync(HttpClient member, HttpClient reviewer, ListingInput? input = null)
    {
        var draft = await Support.Api.CreateAsync(member, "needs", input ?? Support.Api.CompleteNeed());
        var submitted = await Support.Api.ReadListingAsync(await Support.Api.SendAsync(member, HttpMethod.Post, $"/api/needs/{draft.Id}/submit", draft.Version));
        var published = await Support.Api.SendAsync(reviewer, HttpMethod.Post, $"/api/review/{draft.Id}/publish", submitted.Version);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        return await Support.Api.ReadListingAsync(published);
    }
}

public sealed class JourneyTestsOnSqlite() : JourneyTests(Backend.Sqlite);

[Trait("Category", "Postgres")]
public sealed class JourneyTestsOnPostgres() : JourneyTests(Backend.Postgres);
