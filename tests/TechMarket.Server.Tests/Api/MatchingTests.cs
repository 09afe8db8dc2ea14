using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Market.Matching;
using TechMarket.Search;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Api;

/// <summary>
/// Matching over HTTP: suggestions with reasons for the parties, brokers and organisers only; interest on both
/// sides reveals contacts; a decline is a label; the inbox; a model trained on the market's labels is taken up by
/// the running server.
/// </summary>
public abstract class MatchingTests : IDisposable
{
    private readonly MarketFactory _factory;
    private readonly string _modelPath = Path.Combine(Path.GetTempPath(), $"techmarket-match-{Guid.NewGuid():N}.model");
    private readonly string _mailFolder = Path.Combine(Path.GetTempPath(), $"techmarket-mail-{Guid.NewGuid():N}");

    protected MatchingTests(Backend backend)
    {
        _factory = new MarketFactory(backend) { Settings = new() { ["Matching:ModelPath"] = _modelPath, ["Mail:Folder"] = _mailFolder } };
    }

    public void Dispose()
    {
        _factory.Dispose();
        File.Delete(_modelPath);
        if (Directory.Exists(_mailFolder))
        {
            Directory.Delete(_mailFolder, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    private async Task<Client.Listing> PublishedAsync(HttpClient owner, HttpClient admin, string kind, Client.ListingInput input)
    {
        var draft = await Support.Api.CreateAsync(owner, kind, input);
        var submitted = await Support.Api.ReadListingAsync(await Support.Api.SendAsync(owner, HttpMethod.Post, $"/api/{kind}/{draft.Id}/submit", draft.Version));
        return await Support.Api.ReadListingAsync(await Support.Api.SendAsync(admin, HttpMethod.Post, $"/api/review/{draft.Id}/publish", submitted.Version));
    }

    private static Client.ListingInput Need(string title, string problem) => Support.Api.CompleteNeed(title) with { Summary = problem, Problem = problem, Keywords = "注塑、翘曲", ContactName = "张工", ContactPhone = "13800000001" };

    private static Client.ListingInput Achievement(string title, string summary) => Support.Api.CompleteAchievement(title) with { Summary = summary, ContactName = "陈教授", ContactPhone = "0574-87600000" };

    [Fact]
    public async Task DoubleOptInRevealsContactsAndADeclineIsALabel()
    {
        var (enterprise, _) = await Support.Api.NewMemberAsync(_factory);
        var (institute, _) = await Support.Api.NewMemberAsync(_factory, "institute");
        var (stranger, _) = await Support.Api.NewMemberAsync(_factory);
        var (admin, _) = await Support.Api.AdminAsync(_factory);
        var need = await PublishedAsync(enterprise, admin, "needs", Need("薄壁注塑件翘曲变形控制", "汽车内饰薄壁注塑件冷却后翘曲变形严重，需要优化模具冷却与工艺参数。"));
        var fit = await PublishedAsync(institute, admin, "achievements", Achievement("注塑件翘曲变形预测与模具冷却优化技术", "基于模流分析预测薄壁注塑件翘曲变形，优化模具随形冷却水路与工艺参数。"));
        var other = await PublishedAsync(institute, admin, "achievements", Achievement("注塑模具随形冷却水路设计", "随形冷却水路缩短注塑周期，减少翘曲变形。"));

        // Suggestions: the need's owners, brokers and organisers; not other members, not visitors.
        var suggestions = await enterprise.GetFromJsonAsync<JsonElement>($"/api/needs/{need.Id}/suggestions");
        var first = suggestions.EnumerateArray().First(s => s.GetProperty("id").GetInt64() == fit.Id);
        Assert.Contains(first.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("kind").GetString() == "terms" && r.GetProperty("text").GetString()!.Contains("翘曲", StringComparison.Ordinal));
        Assert.Contains("<mark>", first.GetProperty("titleHtml").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync($"/api/needs/{need.Id}/suggestions")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _factory.CreateClient().GetAsync($"/api/needs/{need.Id}/suggestions")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/needs/{need.Id}/suggestions")).StatusCode);
        var reverse = await institute.GetFromJsonAsync<JsonElement>($"/api/achievements/{fit.Id}/suggestions");
        Assert.Contains(reverse.EnumerateArray(), s => s.GetProperty("id").GetInt64() == need.Id);

        // Contacts are not shown to visitors.
        var anonymousView = await _factory.CreateClient().GetFromJsonAsync<JsonElement>($"/api/achievements/{fit.Id}");
        Assert.Equal("", anonymousView.GetProperty("contactPhone").GetString());

        // 我感兴趣 from the enterprise, then the institute answers from its inbox: both see each other's contacts.
        var interest = await enterprise.PostAsJsonAsync("/api/matches/interest", new { needId = need.Id, achievementId = fit.Id, message = "想了解中试条件" });
        Assert.Equal(HttpStatusCode.OK, interest.StatusCode);
        var match = await interest.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("NeedInterested", match.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, match.GetProperty("contacts").ValueKind);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.PostAsJsonAsync("/api/matches/interest", new { needId = need.Id, achievementId = fit.Id })).StatusCode);

        var inbox = await institute.GetFromJsonAsync<JsonElement>("/api/matches/inbox");
        var item = Assert.Single(inbox.EnumerateArray());
        Assert.Equal("想了解中试条件", item.GetProperty("message").GetString());
        var notes = await institute.GetFromJsonAsync<JsonElement>("/api/notifications");
        Assert.Contains(notes.EnumerateArray(), n => n.GetProperty("kind").GetString() == "interest");

        var answer = await institute.PostAsJsonAsync("/api/matches/interest", new { needId = need.Id, achievementId = fit.Id, message = "欢迎来所交流" });
        var both = await answer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("BothInterested", both.GetProperty("state").GetString());
        var matchId = both.GetProperty("id").GetInt64();
        var seenByEnterprise = await enterprise.GetFromJsonAsync<JsonElement>($"/api/matches/{matchId}");
        Assert.Equal("0574-87600000", seenByEnterprise.GetProperty("contacts").GetProperty("achievementContactPhone").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/matches/{matchId}")).StatusCode);
        Assert.Empty((await institute.GetFromJsonAsync<JsonElement>("/api/matches/inbox")).EnumerateArray());

        // A decline with a reason is stored as a label for the next model.
        var badReason = await institute.PostAsJsonAsync("/api/matches/decline", new { needId = need.Id, achievementId = other.Id, reason = "没兴趣" });
        await Support.Api.AssertProblemAsync(badReason, HttpStatusCode.BadRequest);
        var declined = await institute.PostAsJsonAsync("/api/matches/decline", new { needId = need.Id, achievementId = other.Id, reason = "阶段不符", note = "尚在实验室阶段" });
        Assert.Equal(HttpStatusCode.OK, declined.StatusCode);
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var row = await db.Matches.AsNoTracking().SingleAsync(m => m.AchievementId == other.Id);
        Assert.Equal(MatchState.Declined, row.State);
        Assert.Equal(DeclineReason.WrongStage, row.DeclineReason);
        Assert.Equal(0, MatchTraining.Label(row));
        var labels = await MatchTraining.MarketRowsAsync(db, scope.ServiceProvider.GetRequiredService<SqlSearchIndex>());
        Assert.Equal([2.0, 0.0], labels.Select(l => l.Label).Order().Reverse());
    }

    [Fact]
    public async Task AModelTrainedOnTheMarketsLabelsIsTakenUpWithoutARestart()
    {
        var (admin, _) = await Support.Api.AdminAsync(_factory);
        var before = await admin.GetFromJsonAsync<JsonElement>("/api/admin/match-model");
        Assert.Equal(JsonValueKind.Null, before.GetProperty("model").ValueKind);

        // Labels made in the market: interest on both sides (2), on one side (1), declines (0).
        var (enterprise, _) = await Support.Api.NewMemberAsync(_factory);
        var (institute, _) = await Support.Api.NewMemberAsync(_factory, "institute");
        var warp = await PublishedAsync(enterprise, admin, "needs", Need("薄壁注塑件翘曲变形控制", "汽车内饰薄壁注塑件冷却后翘曲变形严重，需要优化模具冷却与工艺参数。"));
        var cycle = await PublishedAsync(enterprise, admin, "needs", Need("注塑周期缩短", "注塑周期偏长，希望改进模具冷却水路缩短冷却时间。"));
        var a1 = await PublishedAsync(institute, admin, "achievements", Achievement("注塑件翘曲变形预测与模具冷却优化技术", "基于模流分析预测薄壁注塑件翘曲变形，优化模具随形冷却水路与工艺参数。"));
        var a2 = await PublishedAsync(institute, admin, "achievements", Achievement("注塑模具随形冷却水路设计", "随形冷却水路缩短注塑周期，减少翘曲变形。"));
        var a3 = await PublishedAsync(institute, admin, "achievements", Achievement("注塑件表面缺陷视觉检测", "机器视觉检测注塑件表面缺陷。"));
        async Task Act(HttpClient who, string action, Client.Listing need, Client.Listing achievement) =>
            Assert.Equal(HttpStatusCode.OK, (await who.PostAsJsonAsync($"/api/matches/{action}", new { needId = need.Id, achievementId = achievement.Id, reason = "不相关" })).StatusCode);
        await Act(enterprise, "interest", warp, a1);
        await Act(institute, "interest", warp, a1);
        await Act(enterprise, "interest", warp, a2);
        await Act(enterprise, "decline", warp, a3);
        await Act(institute, "interest", cycle, a2);
        await Act(enterprise, "interest", cycle, a2);
        await Act(enterprise, "decline", cycle, a3);

        // A market this young has too few labels to learn from alone, so public rows go with them (--base), as the
        // README tells operators: a small LETOR file shaped like `match features` output.
        var basePath = _modelPath + ".base.svm";
        var random = new Random(7);
        await using (var w = new StreamWriter(basePath))
        {
            for (var q = 0; q < 40; q++)
            {
                for (var r = 0; r < 10; r++)
                {
                    var features = Enumerable.Range(0, TechMarket.Matching.PairFeatures.Count).Select(_ => random.NextDouble()).ToArray();
                    var grade = features[0] > 0.7 ? 2 : features[0] > 0.4 ? 1 : 0;
                    await w.WriteLineAsync($"{grade} qid:{q + 1} " + string.Join(' ', features.Select((f, i) => FormattableString.Invariant($"{i + 1}:{f:F4}"))));
                }
            }
        }

        // `techmarket match train` on the market's own database, as a separate process beside the running server.
        _ = _factory.Services;
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "TechMarket.sln")))
        {
            root = Path.GetDirectoryName(root)!;
        }

        var cli = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        cli.ArgumentList.Add(Path.Combine(root, "src/TechMarket.Cli/bin/Release/net10.0/techmarket.dll"));
        foreach (var arg in new[] { "match", "train", "--model", _modelPath, "--base", basePath, "--trees", "10", "--min-data-in-leaf", "5" })
        {
            cli.ArgumentList.Add(arg);
        }

        cli.ArgumentList.Add(_factory.Backend == Backend.Sqlite ? "--db" : "--postgres");
        cli.ArgumentList.Add(_factory.Backend == Backend.Sqlite
            ? new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(_factory.ConnectionString).DataSource
            : _factory.ConnectionString);
        using var process = System.Diagnostics.Process.Start(cli)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        File.Delete(basePath);
        Assert.True(process.ExitCode == 0, stderr);
        Assert.Contains("平台标注：5 行，2 条需求", stderr, StringComparison.Ordinal);
        Assert.Contains("公开数据 400 行，平台标注 5 行", await stdout, StringComparison.Ordinal);
        Assert.Contains("10 棵树", await stdout, StringComparison.Ordinal);

        JsonElement after = default;
        for (var i = 0; i < 50 && (after.ValueKind == JsonValueKind.Undefined || after.GetProperty("model").ValueKind == JsonValueKind.Null); i++)
        {
            await Task.Delay(200);
            after = await admin.GetFromJsonAsync<JsonElement>("/api/admin/match-model");
        }

        Assert.Contains("10 棵树", after.GetProperty("model").GetString(), StringComparison.Ordinal);

        // The running server now orders suggestions with it.
        Assert.Equal(HttpStatusCode.OK, (await enterprise.GetAsync($"/api/needs/{warp.Id}/suggestions")).StatusCode);
    }

    [Fact]
    public async Task ASavedSearchAlertsItsOwnerWhenAListingHoldingItsWordsIsPublished()
    {
        var (enterprise, account) = await Support.Api.NewMemberAsync(_factory);
        var (institute, _) = await Support.Api.NewMemberAsync(_factory, "institute");
        var (admin, _) = await Support.Api.AdminAsync(_factory);
        var saved = await enterprise.PostAsJsonAsync("/api/saved-searches", new { query = "随形冷却 注塑", kind = "achievement" });
        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        var search = await saved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("科技成果：随形冷却 注塑", search.GetProperty("label").GetString());

        // Saving the same search twice keeps one.
        await enterprise.PostAsJsonAsync("/api/saved-searches", new { query = "随形冷却 注塑", kind = "achievement" });
        Assert.Single((await enterprise.GetFromJsonAsync<JsonElement>("/api/saved-searches")).EnumerateArray());

        // One word of the two is not enough; both are.
        await PublishedAsync(institute, admin, "achievements", Achievement("注塑件表面缺陷视觉检测", "机器视觉检测注塑件表面缺陷。"));
        var fit = await PublishedAsync(institute, admin, "achievements", Achievement("3D 打印随形冷却注塑模具", "金属 3D 打印随形冷却水路，注塑周期缩短 30%。"));
        var notes = (await enterprise.GetFromJsonAsync<JsonElement>("/api/notifications")).EnumerateArray().Where(n => n.GetProperty("kind").GetString() == "alert").ToList();
        var alert = Assert.Single(notes);
        Assert.Equal($"/achievements/{fit.Id}", alert.GetProperty("link").GetString());
        Assert.Contains("随形冷却 注塑", alert.GetProperty("title").GetString(), StringComparison.Ordinal);
        var mail = await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(_mailFolder, "*.eml")));
        Assert.Contains($"To: {account.Email}", mail, StringComparison.Ordinal);

        // Read all, then delete the search: the next fitting listing alerts nobody.
        Assert.Equal(HttpStatusCode.NoContent, (await enterprise.PostAsync("/api/notifications/read-all", null)).StatusCode);
        Assert.All((await enterprise.GetFromJsonAsync<JsonElement>("/api/notifications")).EnumerateArray(), n => Assert.True(n.GetProperty("read").GetBoolean()));
        Assert.Equal(HttpStatusCode.NotFound, (await institute.DeleteAsync($"/api/saved-searches/{search.GetProperty("id").GetInt64()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await enterprise.DeleteAsync($"/api/saved-searches/{search.GetProperty("id").GetInt64()}")).StatusCode);
        await PublishedAsync(institute, admin, "achievements", Achievement("注塑模具随形冷却流道优化", "随形冷却流道拓扑优化，降低注塑件翘曲。"));
        Assert.Single((await enterprise.GetFromJsonAsync<JsonElement>("/api/notifications")).EnumerateArray(), n => n.GetProperty("kind").GetString() == "alert");
        Assert.Single(Directory.GetFiles(_mailFolder, "*.eml"));
    }

    [Fact]
    public async Task AnEnterpriseIsShownTheInstitutesWhoseAchievementsFitItsNeeds()
    {
        var (enterprise, account) = await Support.Api.NewMemberAsync(_factory);
        var (lab, labAccount) = await Support.Api.NewMemberAsync(_factory, "institute");
        var (other, otherAccount) = await Support.Api.NewMemberAsync(_factory, "institute");
        var (stranger, _) = await Support.Api.NewMemberAsync(_factory);
        var (admin, _) = await Support.Api.AdminAsync(_factory);
        var warp = await PublishedAsync(enterprise, admin, "needs", Need("薄壁注塑件翘曲变形控制", "汽车内饰薄壁注塑件冷却后翘曲变形严重，需要优化模具冷却与工艺参数。"));
        var magnet = await PublishedAsync(enterprise, admin, "needs", Need("烧结钕铁硼矫顽力提升", "烧结钕铁硼磁体高温下矫顽力不足，希望用晶界扩散减少重稀土用量。") with { Keywords = "钕铁硼、晶界扩散" });
        await PublishedAsync(lab, admin, "achievements", Achievement("注塑件翘曲变形预测与模具冷却优化技术", "基于模流分析预测薄壁注塑件翘曲变形，优化模具随形冷却水路与工艺参数。"));
        await PublishedAsync(lab, admin, "achievements", Achievement("钕铁硼晶界扩散重稀土减量技术", "晶界扩散镝铽提高烧结钕铁硼磁体矫顽力，重稀土用量减少 60%。"));
        await PublishedAsync(other, admin, "achievements", Achievement("注塑模具表面处理工艺", "注塑模具表面氮化处理，延长模具寿命。"));

        var suppliers = (await enterprise.GetFromJsonAsync<JsonElement>($"/api/organisations/{account.OrganisationId}/suppliers")).EnumerateArray().ToList();
        Assert.Equal(labAccount.OrganisationId, suppliers[0].GetProperty("organisationId").GetInt64());
        var needsServed = suppliers[0].GetProperty("fits").EnumerateArray().Select(f => f.GetProperty("needId").GetInt64()).ToHashSet();
        Assert.Equal([warp.Id, magnet.Id], needsServed.Order());
        Assert.Contains(suppliers, s => s.GetProperty("organisationId").GetInt64() == otherAccount.OrganisationId);
        Assert.DoesNotContain(suppliers, s => s.GetProperty("organisationId").GetInt64() == account.OrganisationId);

        // Another enterprise's member may not look.
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync($"/api/organisations/{account.OrganisationId}/suppliers")).StatusCode);
    }
}

public sealed class MatchingTestsOnSqlite() : MatchingTests(Backend.Sqlite);

[Trait("Category", "Postgres")]
public sealed class MatchingTestsOnPostgres() : MatchingTests(Backend.Postgres);
