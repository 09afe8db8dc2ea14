using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using TechMarket.Client;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Api;

/// <summary>
/// For every write endpoint: anonymous → 401, another organisation's member → 403, reviewers as designed, the
/// owner → success. Refused attempts run first so that the owner's success is checked on untouched state.
/// </summary>
public abstract class AuthorizationMatrixTests(Backend backend) : IDisposable
{
    private readonly MarketFactory _factory = new(backend);

    /// <summary>Who tries.</summary>
    public enum Who
    {
        Anonymous,
        OtherMember,
        Organiser,
        Admin,
        Owner,
    }

    /// <summary>A request against a prepared target: method, url, body; the target's version goes in If-Match.</summary>
    private sealed record Target(HttpMethod Method, string Url, long? Version, object? Body);

    public void Dispose()
    {
        _factory.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Every write endpoint with the answer each kind of caller gets (0 = the owner's success code).</summary>
    public static TheoryData<string, int, int, int, int, int> Matrix => new()
    {
        // endpoint,                       anonymous, other member, organiser, admin, owner
        { "POST /api/needs", 401, 201, 201, 403, 201 },
        { "PUT /api/needs/{id}", 401, 403, 403, 403, 200 },
        { "POST /api/needs/{id}/submit", 401, 403, 403, 403, 200 },
        { "POST /api/needs/{id}/withdraw", 401, 403, 403, 403, 200 },
        { "POST /api/needs/{id}/close", 401, 403, 403, 403, 200 },
        { "DELETE /api/needs/{id}", 401, 403, 403, 403, 204 },
        { "POST /api/achievements", 401, 201, 201, 403, 201 },
        { "PUT /api/achievements/{id}", 401, 403, 403, 403, 200 },
        { "POST /api/achievements/{id}/submit", 401, 403, 403, 403, 200 },
        { "POST /api/achievements/{id}/withdraw", 401, 403, 403, 403, 200 },
        { "POST /api/achievements/{id}/close", 401, 403, 403, 403, 200 },
        { "DELETE /api/achievements/{id}", 401, 403, 403, 403, 204 },
        { "POST /api/review/{id}/publish", 401, 403, 200, 200, 403 },
        { "POST /api/review/{id}/return", 401, 403, 200, 200, 403 },
        { "PUT /api/organisations/{id}", 401, 403, 403, 403, 200 },
        { "PUT /api/admin/users/{id}/roles", 401, 403, 403, 200, 403 },
        { "GET /api/admin/users", 401, 403, 403, 200, 403 },
        { "GET /api/admin/organisations", 401, 403, 200, 200, 403 },
        { "POST /api/admin/organisations/{id}/name/approve", 401, 403, 200, 200, 403 },
        { "POST /api/admin/organisations/{id}/name/reject", 401, 403, 200, 200, 403 },
        { "POST /api/admin/organisations/{id}/verify", 401, 403, 200, 200, 403 },
        { "POST /api/auth/logout", 401, 204, 204, 204, 204 },
        { "GET /api/needs/mine", 401, 200, 200, 403, 200 },
        { "GET /api/achievements/mine", 401, 200, 200, 403, 200 },
        { "GET /api/review/queue", 401, 403, 200, 200, 403 },
        { "GET /api/review/queue/export", 401, 403, 200, 200, 403 },
        { "GET /api/admin/audit", 401, 403, 403, 200, 403 },
        { "GET /api/auth/me", 401, 200, 200, 200, 200 },
        { "POST /api/needs/import", 401, 200, 200, 403, 200 },
        { "POST /api/achievements/import", 401, 200, 200, 403, 200 },
        { "GET /api/needs/mine/export", 401, 200, 200, 403, 200 },
        { "GET /api/organisations/{id}/members", 401, 403, 403, 403, 200 },
        { "POST /api/organisations/{id}/members", 401, 403, 403, 403, 201 },
        { "POST /api/admin/brokers", 401, 403, 403, 201, 403 },
        { "PUT /api/admin/brokers/{id}", 401, 403, 403, 200, 403 },
        { "GET /api/achievements/mine/export", 401, 200, 200, 403, 200 },
        { "GET /api/needs/{id}/suggestions", 401, 403, 200, 200, 200 },
        { "GET /api/achievements/{id}/suggestions", 401, 403, 200, 200, 200 },
        { "POST /api/needs/coach", 401, 200, 200, 403, 200 },
        { "POST /api/matches/interest", 401, 403, 403, 403, 200 },
        { "POST /api/matches/decline", 401, 403, 403, 403, 200 },
        { "GET /api/matches/inbox", 401, 200, 200, 403, 200 },
        { "GET /api/matches/mine", 401, 200, 200, 403, 200 },
        { "GET /api/matches/{id}", 401, 404, 200, 200, 200 },
        { "GET /api/notifications", 401, 200, 200, 200, 200 },
        { "POST /api/notifications/{id}/read", 401, 404, 404, 404, 204 },
        { "GET /api/admin/match-model", 401, 403, 403, 200, 403 },
        { "GET /api/organisations/{id}/suppliers", 401, 403, 200, 200, 200 },
        { "GET /api/saved-searches", 401, 200, 200, 200, 200 },
        { "POST /api/saved-searches", 401, 201, 201, 201, 201 },
        { "DELETE /api/saved-searches/{id}", 401, 404, 404, 404, 204 },
        { "POST /api/notifications/read-all", 401, 204, 204, 204, 204 },
        { "POST /api/campaigns", 401, 403, 201, 201, 403 },
        { "GET /api/campaigns/{id}/plan", 401, 200, 200, 200, 200 },
        { "GET /api/deals", 401, 200, 200, 200, 200 },
        { "POST /api/deals", 401, 403, 201, 201, 201 },
        { "GET /api/deals/{id}", 401, 404, 200, 200, 200 },
        { "POST /api/deals/{id}/apply", 401, 404, 403, 403, 200 },
        { "POST /api/deals/{id}/register", 401, 403, 403, 403, 403 },
        { "POST /api/deals/{id}/refuse", 401, 403, 403, 403, 403 },
        { "POST /api/deals/{id}/cancel", 401, 404, 200, 200, 200 },
        { "POST /api/matches/claim", 401, 403, 403, 403, 403 },
        { "POST /api/matches/assign", 401, 403, 200, 200, 403 },
        { "POST /api/matches/{id}/release", 401, 403, 200, 200, 403 },
        { "POST /api/matches/{id}/move", 401, 403, 200, 200, 403 },
        { "POST /api/matches/{id}/undo", 401, 403, 200, 200, 403 },
        { "GET /api/broker/workspace", 401, 403, 403, 403, 403 },
        { "POST /api/broker/tasks", 401, 403, 403, 403, 403 },
        { "POST /api/broker/tasks/{id}/done", 401, 403, 403, 403, 403 },
        { "POST /api/broker/tasks/{id}/reopen", 401, 403, 403, 403, 403 },
        { "POST /api/broker/tasks/{id}/cancel", 401, 403, 403, 403, 403 },
        { "POST /api/broker/mined-needs", 401, 403, 403, 403, 403 },
        { "DELETE /api/broker/mined-needs/{id}", 401, 403, 403, 403, 403 },
        { "GET /api/figures", 401, 403, 200, 200, 403 },
        { "GET /api/figures/records", 401, 403, 200, 200, 403 },
        { "GET /api/figures/records.xlsx", 401, 403, 200, 200, 403 },
        { "GET /api/figures/balance", 401, 403, 200, 200, 403 },
        { "POST /api/figures/balance/check", 401, 403, 200, 200, 403 },
        { "PUT /api/campaigns/{id}/interests/mine", 401, 200, 200, 403, 200 },
        { "DELETE /api/campaigns/{id}/interests/mine", 401, 404, 404, 403, 200 },
        { "POST /api/campaigns/{id}/plan", 401, 403, 200, 200, 403 },
        { "POST /api/campaigns/{id}/plan/confirm", 401, 403, 200, 200, 403 },
        { "DELETE /api/campaigns/{id}/plan/{assignmentId}", 401, 403, 200, 200, 403 },
        { "POST /api/campaigns/{id}/listings", 401, 403, 200, 200, 403 },
        { "DELETE /api/campaigns/{id}/listings/{listingId}", 401, 403, 200, 200, 403 },
        { "POST /api/events", 401, 403, 201, 201, 403 },
        { "PUT /api/events/{id}", 401, 403, 200, 200, 403 },
        { "POST /api/events/{id}/status", 401, 403, 200, 200, 403 },
        { "POST /api/events/{id}/registrations", 401, 201, 201, 403, 201 },
        { "DELETE /api/events/{id}/registrations/mine", 401, 404, 404, 403, 200 },
        { "GET /api/events/{id}/registrations", 401, 200, 200, 200, 200 },
        { "POST /api/events/{id}/registrations/{registrationId}/approve", 401, 403, 200, 200, 403 },
        { "POST /api/events/{id}/registrations/{registrationId}/reject", 401, 403, 200, 200, 403 },
        { "POST /api/events/{id}/meetings", 401, 403, 403, 403, 201 },
        { "POST /api/events/{id}/meetings/{meetingId}/answer", 401, 403, 403, 403, 200 },
        { "POST /api/events/{id}/meetings/{meetingId}/cancel", 401, 403, 200, 200, 200 },
        { "POST /api/events/{id}/meetings/{meetingId}/pin", 401, 403, 200, 200, 403 },
        { "POST /api/events/{id}/meetings/{meetingId}/outcome", 401, 403, 403, 403, 200 },
        { "POST /api/events/{id}/proposals", 401, 403, 200, 200, 403 },
        { "POST /api/events/{id}/schedule", 401, 403, 202, 202, 403 },
        { "POST /api/events/{id}/checkin", 401, 403, 200, 200, 403 },
        { "POST /api/events/{id}/registrations/{registrationId}/no-show", 401, 403, 200, 200, 403 },
        { "POST /api/events/{id}/walk-ins", 401, 403, 201, 201, 403 },
        { "GET /api/events/{id}/meetings", 401, 200, 200, 200, 200 },
        { "GET /api/events/{id}/schedule", 401, 200, 200, 200, 200 },
        { "GET /api/events/{id}/agenda", 401, 404, 404, 404, 200 },
        { "GET /api/events/{id}/agenda.ics", 401, 404, 404, 404, 200 },
        { "PUT /api/challenges/{id}", 401, 403, 200, 200, 200 },
        { "POST /api/challenges/{id}/applications", 401, 403, 403, 403, 403 },
        { "POST /api/challenges/{id}/close", 401, 403, 200, 200, 200 },
        { "POST /api/challenges/{id}/applications/{applicationId}/reviews", 401, 403, 403, 200, 403 },
        { "POST /api/challenges/{id}/award", 401, 403, 200, 200, 403 },
        { "POST /api/challenges/{id}/milestones", 401, 403, 201, 201, 201 },
        { "POST /api/challenges/{id}/milestones/{milestoneId}/done", 401, 403, 200, 200, 200 },
    };

    /// <summary>The endpoints of the matrix, for the coverage test.</summary>
    public static IEnumerable<string> Endpoints => Matrix.Select(row => (string)row[0]);

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task EachCallerGetsTheDesignedAnswer(string endpoint, int anonymous, int otherMember, int organiser, int admin, int owner)
    {
        var (ownerHttp, ownerAccount) = await Support.Api.NewMemberAsync(_factory);
        var clients = new Dictionary<Who, HttpClient>
        {
            [Who.Anonymous] = _factory.CreateClient(),
            [Who.OtherMember] = (await Support.Api.NewMemberAsync(_factory)).Http,
            [Who.Organiser] = (await Support.Api.NewOrganiserAsync(_factory)).Http,
            [Who.Admin] = (await Support.Api.AdminAsync(_factory)).Http,
            [Who.Owner] = ownerHttp,
        };
        var expected = new Dictionary<Who, int>
        {
            [Who.Anonymous] = anonymous,
            [Who.OtherMember] = otherMember,
            [Who.Organiser] = organiser,
            [Who.Admin] = admin,
            [Who.Owner] = owner,
        };
        var (admin0, _) = await Support.Api.AdminAsync(_factory);

        var actual = new Dictionary<Who, int>();
        foreach (var who in new[] { Who.Anonymous, Who.OtherMember, Who.Owner, Who.Organiser, Who.Admin }.OrderBy(w => expected[w] is >= 200 and < 300 ? 1 : 0))
        {
            var target = await PrepareAsync(endpoint, ownerHttp, ownerAccount, admin0);
            var response = await Support.Api.SendAsync(clients[who], target.Method, target.Url, target.Version, target.Body);
            actual[who] = (int)response.StatusCode;
        }

        Assert.Equal(expected, actual);
    }

    /// <summary>Creates fresh state for one attempt: a listing in the state the endpoint acts on.</summary>
    private async Task<Target> PrepareAsync(string endpoint, HttpClient owner, Account ownerAccount, HttpClient admin)
    {
        var parts = endpoint.Split(' ');
        var method = new HttpMethod(parts[0]);
        var path = parts[1];
        var kind = path.Contains("achievements", StringComparison.Ordinal) ? "achievements" : "needs";
        var input = kind == "needs" ? Support.Api.CompleteNeed() : Support.Api.CompleteAchievement();

        async Task<Listing> InState(string state)
        {
            var listing = await Support.Api.CreateAsync(owner, kind, input);
            if (state == "Draft")
            {
                return listing;
            }

            listing = await Support.Api.ReadListingAsync(await Support.Api.SendAsync(owner, HttpMethod.Post, $"/api/{kind}/{listing.Id}/submit", listing.Version));
            if (state == "Submitted")
            {
                return listing;
            }

            return await Support.Api.ReadListingAsync(await Support.Api.SendAsync(admin, HttpMethod.Post, $"/api/review/{listing.Id}/publish", listing.Version));
        }

        // A registered broker (an agency member given the registry entry by the admin).
        async Task<Account> BrokerAsync()
        {
            var (member, account) = await Support.Api.NewMemberAsync(_factory, "agency");
            member.Dispose();
            var set = await admin.PostAsJsonAsync("/api/admin/brokers", new { userId = account.Id, certificateNumber = $"NB{Guid.NewGuid():N}"[..20], level = "中级", district = "镇海区", specialties = "高端装备" });
            Assert.True(set.IsSuccessStatusCode, await set.Content.ReadAsStringAsync());
            return account;
        }

        // A published need of the owner's and a published achievement of a supplier's, for the matching endpoints.
        async Task<(Listing Need, Listing Achievement, HttpClient Supplier)> PairAsync()
        {
            var need = await Publish(owner, "needs", Support.Api.CompleteNeed("注塑件翘曲变形控制"));
            var (supplier, _) = await Support.Api.NewMemberAsync(_factory, "institute");
            var achievement = await Publish(supplier, "achievements", Support.Api.CompleteAchievement("注塑件翘曲补偿技术"));
            return (need, achievement, supplier);
        }

        async Task<Listing> Publish(HttpClient who, string k, ListingInput body)
        {
            var l = await Support.Api.CreateAsync(who, k, body);
            l = await Support.Api.ReadListingAsync(await Support.Api.SendAsync(who, HttpMethod.Post, $"/api/{k}/{l.Id}/submit", l.Version));
            return await Support.Api.ReadListingAsync(await Support.Api.SendAsync(admin, HttpMethod.Post, $"/api/review/{l.Id}/publish", l.Version));
        }

        // 揭榜挂帅: a published challenge need of the owner's, taken as far as the endpoint needs (the admin is its
        // assigned reviewer; the applicant is an institute of its own). Only institute members apply, so no caller
        // of the matrix succeeds there; ChallengeTests covers the institutes.
        async Task<Target> ChallengeAsync(string p)
        {
            var need = await ChallengeTests.PublishedChallengeNeedAsync(owner, admin, "揭榜挂帅权限矩阵需求");
            string Url(string s) => s.Replace("{id}", need.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            async Task<System.Text.Json.JsonElement> Ok(HttpClient who, HttpMethod m, string url, long? version, object? body)
            {
                var response = await Support.Api.SendAsync(who, m, Url(url), version, body);
                Assert.True(response.IsSuccessStatusCode, $"{m} {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                return await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            }

            if (p == "/api/challenges/{id}")
            {
                return new Target(method, Url(p), null, new { rule = "抢榜", places = 2, requirements = "先到先得" });
            }

            var adminId = (await admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/auth/me")).GetProperty("id").GetInt64();
            var setUp = await Ok(owner, HttpMethod.Put, "/api/challenges/{id}", null, new { rule = "Open", places = 1, reviewerUserIds = new[] { adminId } });
            if (p.EndsWith("/applications", StringComparison.Ordinal))
            {
                return new Target(method, Url(p), null, new { plan = "氟橡胶改性配方" });
            }

            var (institute, _) = await Support.Api.NewMemberAsync(_factory, "institute");
            var applicationId = (await Ok(institute, HttpMethod.Post, "/api/challenges/{id}/applications", null, new { plan = "氟橡胶改性配方" })).GetProperty("id").GetInt64();
            if (p.EndsWith("/close", StringComparison.Ordinal))
            {
                return new Target(method, Url(p), setUp.GetProperty("version").GetInt64(), null);
            }

            var closed = await Ok(owner, HttpMethod.Post, "/api/challenges/{id}/close", setUp.GetProperty("version").GetInt64(), null);
            if (p.EndsWith("/reviews", StringComparison.Ordinal))
            {
                return new Target(method, Url(p).Replace("{applicationId}", applicationId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), null, new { score = 80, comment = "方案可行" });
            }

            if (p.EndsWith("/award", StringComparison.Ordinal))
            {
                return new Target(method, Url(p), closed.GetProperty("version").GetInt64(), new { applicationId });
            }

            await Ok(admin, HttpMethod.Post, "/api/challenges/{id}/award", closed.GetProperty("version").GetInt64(), new { applicationId });
            if (p.EndsWith("/milestones", StringComparison.Ordinal))
            {
                return new Target(method, Url(p), null, new { title = "中试验证", dueDate = "2027-06-30" });
            }

            var milestone = await Ok(owner, HttpMethod.Post, "/api/challenges/{id}/milestones", null, new { title = "中试验证", dueDate = "2027-06-30" });
            return new Target(method, Url(p).Replace("{milestoneId}", milestone.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), null, null);
        }

        // 专场对接会 meetings: an open event where the owner and an institute are approved; the institute asks the owner.
        async Task<Target> MeetingTargetAsync(string p)
        {
            var ev = await Support.Api.OpenEventAsync(admin);
            var eventId = ev.GetProperty("id").GetInt64();
            string Id(long v) => v.ToString(System.Globalization.CultureInfo.InvariantCulture);
            async Task<long> RegisterAsync(HttpClient who)
            {
                var r = await (await who.PostAsJsonAsync($"/api/events/{eventId}/registrations", new { offers = "注塑工艺" })).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
                Assert.True((await admin.PostAsync($"/api/events/{eventId}/registrations/{r.GetProperty("id").GetInt64()}/approve", null)).IsSuccessStatusCode);
                return r.GetProperty("id").GetInt64();
            }

            var ownerReg = await RegisterAsync(owner);
            var (institute, _) = await Support.Api.NewMemberAsync(_factory, "institute");
            var instituteReg = await RegisterAsync(institute);
            var url = p.Replace("{id}", Id(eventId), StringComparison.Ordinal).Replace("{registrationId}", Id(ownerReg), StringComparison.Ordinal);
            switch (p)
            {
                case "/api/events/{id}/meetings":
                    return new Target(method, url, null, new { targetRegistrationId = instituteReg, message = "想了解模流分析" });
                case "/api/events/{id}/proposals":
                    return new Target(method, url, null, new { perEnterprise = 3 });
                case "/api/events/{id}/schedule":
                    return new Target(method, url, null, method == HttpMethod.Post ? new { final = false } : null);
                case "/api/events/{id}/checkin":
                    return new Target(method, url, null, new { registrationId = ownerReg });
                case "/api/events/{id}/walk-ins":
                    return new Target(method, url, null, new { requesterRegistrationId = ownerReg, targetRegistrationId = instituteReg, slot = 0, table = 0 });
                case "/api/events/{id}/registrations/{registrationId}/no-show":
                    return new Target(method, url, null, new { noShow = true });
            }

            var asked = await (await institute.PostAsJsonAsync($"/api/events/{eventId}/meetings", new { targetRegistrationId = ownerReg })).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            url = url.Replace("{meetingId}", Id(asked.GetProperty("id").GetInt64()), StringComparison.Ordinal);
            if (p.EndsWith("/answer", StringComparison.Ordinal))
            {
                return new Target(method, url, null, new { answer = "Accept" });
            }

            Assert.True((await owner.PostAsJsonAsync($"/api/events/{eventId}/meetings/{asked.GetProperty("id").GetInt64()}/answer", new { answer = "Accept" })).IsSuccessStatusCode);
            if (p.EndsWith("/outcome", StringComparison.Ordinal))
            {
                // Outcomes come after the start: the event is moved to an hour ago.
                await using var scope = _factory.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TechMarket.Data.MarketDb>();
                await db.Events.Where(e => e.Id == eventId).ExecuteUpdateAsync(s => s.SetProperty(e => e.StartsAt, DateTime.UtcNow.AddHours(-1)));
                return new Target(method, url, null, new { outcome = "有合作可能" });
            }

            return new Target(method, url, null, p.EndsWith("/pin", StringComparison.Ordinal) ? new { slot = 1, table = 1 } : null);
        }

        switch (path)
        {
            case var p when p.StartsWith("/api/admin/organisations/{id}", StringComparison.Ordinal):
                {
                    // The owner's organisation with a new name waiting (asked anew for each attempt), at its version.
                    var org = await owner.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/organisations/{ownerAccount.OrganisationId}");
                    var renamed = await Support.Api.SendAsync(owner, HttpMethod.Put, $"/api/organisations/{ownerAccount.OrganisationId}", org.GetProperty("version").GetInt64(), new { name = $"宁波改名{Guid.NewGuid():N}"[..12] });
                    Assert.True(renamed.IsSuccessStatusCode, await renamed.Content.ReadAsStringAsync());
                    var version = (await renamed.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("version").GetInt64();
                    var url = p.Replace("{id}", ownerAccount.OrganisationId!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
                    return p.EndsWith("/verify", StringComparison.Ordinal)
                        ? new Target(method, url, null, null)
                        : new Target(method, url, version, p.EndsWith("/reject", StringComparison.Ordinal) ? new { reason = "与营业执照不符" } : null);
                }

            case var p when p.StartsWith("/api/challenges", StringComparison.Ordinal):
                return await ChallengeAsync(p);
            case "/api/needs/{id}/suggestions" or "/api/achievements/{id}/suggestions":
                {
                    var l = await InState("Published");
                    return new Target(method, path.Replace("{id}", l.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), null, null);
                }

            case "/api/matches/interest" or "/api/matches/decline":
                {
                    var (need, achievement, _) = await PairAsync();
                    return new Target(method, path, null, path.EndsWith("decline", StringComparison.Ordinal)
                        ? new { needId = need.Id, achievementId = achievement.Id, reason = "不相关" }
                        : new { needId = need.Id, achievementId = achievement.Id, message = "想进一步了解" });
                }

            // Broker work: a registered broker (a role no matrix caller has) follows the pair up and has moved it once,
            // so that an organiser may release, move or undo; the broker's own success is in ClosedLoopTests.
            case "/api/matches/claim" or "/api/matches/assign":
                {
                    var (need, achievement, _) = await PairAsync();
                    var broker = await BrokerAsync();
                    return new Target(method, path, null, new { needId = need.Id, achievementId = achievement.Id, brokerUserId = broker.Id });
                }

            case "/api/matches/{id}/release" or "/api/matches/{id}/move" or "/api/matches/{id}/undo":
                {
                    var (need, achievement, supplier) = await PairAsync();
                    await supplier.PostAsJsonAsync("/api/matches/interest", new { needId = need.Id, achievementId = achievement.Id });
                    var broker = await BrokerAsync();
                    var (brokerHttp, _) = await Support.Api.SignInAsync(_factory, broker.Email, Support.Api.Password);
                    var claimed = await (await brokerHttp.PostAsJsonAsync("/api/matches/claim", new { needId = need.Id, achievementId = achievement.Id })).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
                    var id = claimed.GetProperty("id").GetInt64();
                    Assert.True((await brokerHttp.PostAsJsonAsync($"/api/matches/{id}/move", new { stage = "contacted" })).IsSuccessStatusCode);
                    return new Target(method, path.Replace("{id}", id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), null,
                        path.EndsWith("/move", StringComparison.Ordinal) ? new { stage = "met" } : null);
                }

            case var p when p.StartsWith("/api/broker/", StringComparison.Ordinal):
                return new Target(method, p.Replace("{id}", "1", StringComparison.Ordinal), null, p switch
                {
                    "/api/broker/tasks" => new { matchId = 1, dueAt = DateTime.UtcNow.AddDays(1), note = "回访" },
                    "/api/broker/mined-needs" => new { organisationId = ownerAccount.OrganisationId, need = Support.Api.CompleteNeed() },
                    _ => null,
                });

            case "/api/figures/records" or "/api/figures/records.xlsx":
                return new Target(method, path + "?figure=amount&month=2026-11", null, null);

            case "/api/matches/{id}" or "/api/notifications/{id}/read":
                {
                    // The supplier speaks first, so the owner has a match and a message in its inbox.
                    var (need, achievement, supplier) = await PairAsync();
                    var match = await (await supplier.PostAsJsonAsync("/api/matches/interest", new { needId = need.Id, achievementId = achievement.Id })).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
                    if (path == "/api/matches/{id}")
                    {
                        return new Target(method, $"/api/matches/{match.GetProperty("id").GetInt64()}", null, null);
                    }

                    var notes = await owner.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/notifications");
                    return new Target(method, $"/api/notifications/{notes[0].GetProperty("id").GetInt64()}/read", null, null);
                }

            case "/api/organisations/{id}/suppliers":
                await Publish(owner, "needs", Support.Api.CompleteNeed("注塑件翘曲变形控制"));
                return new Target(method, $"/api/organisations/{ownerAccount.OrganisationId}/suppliers", null, null);
            case "/api/campaigns":
                return new Target(method, path, null, new { name = $"百日百场 {Guid.NewGuid():N}"[..12], year = 2027, targetEvents = 100 });
            case var p when p.StartsWith("/api/deals", StringComparison.Ordinal):
                {
                    // A contract the owner's organisation sells to a buyer of its own; applied for where the registrar acts.
                    // Only registrars register or refuse, and none is among the matrix's callers (DealTests has one).
                    var (buyer, buyerAccount) = await Support.Api.NewMemberAsync(_factory, "institute");
                    buyer.Dispose();
                    var body = new { title = "技术开发合同", contractType = "技术开发", buyerOrganisationId = buyerAccount.OrganisationId, sellerOrganisationId = ownerAccount.OrganisationId, amountWan = 50m, signedOn = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)) };
                    if (p == "/api/deals")
                    {
                        return new Target(method, p, null, method == HttpMethod.Post ? body : null);
                    }

                    var deal = await (await owner.PostAsJsonAsync("/api/deals", body)).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
                    var url = p.Replace("{id}", deal.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
                    if (p.EndsWith("/register", StringComparison.Ordinal) || p.EndsWith("/refuse", StringComparison.Ordinal))
                    {
                        Assert.True((await owner.PostAsync($"/api/deals/{deal.GetProperty("id").GetInt64()}/apply", null)).IsSuccessStatusCode);
                        return new Target(method, url, null, p.EndsWith("/register", StringComparison.Ordinal) ? new { registeredAmountWan = 40m } : new { reason = "资料不全" });
                    }

                    return new Target(method, url, null, null);
                }

            case var p when p.StartsWith("/api/campaigns/{id}", StringComparison.Ordinal):
                {
                    // A campaign with an open event in the owner's field, and the owner's interest; planned where the
                    // endpoint acts on a plan.
                    var campaign = await (await admin.PostAsJsonAsync("/api/campaigns", new { name = "权限矩阵百日百场", year = 2027 })).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
                    var campaignId = campaign.GetProperty("id").GetInt64();
                    await Support.Api.OpenEventAsync(admin, Support.Api.EventDraft() with { CampaignId = campaignId });
                    Assert.True((await owner.PutAsJsonAsync($"/api/campaigns/{campaignId}/interests/mine", new { maxEvents = 1 })).IsSuccessStatusCode);
                    var url = p.Replace("{id}", campaignId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
                    if (p.Contains("/listings", StringComparison.Ordinal))
                    {
                        // A published achievement of an institute, on the list already where it is taken off.
                        var (supplier, _) = await Support.Api.NewMemberAsync(_factory, "institute");
                        var achievement = await Publish(supplier, "achievements", Support.Api.CompleteAchievement("推介清单中的成果"));
                        if (method == HttpMethod.Delete)
                        {
                            Assert.True((await admin.PostAsJsonAsync($"/api/campaigns/{campaignId}/listings", new { listingId = achievement.Id })).IsSuccessStatusCode);
                        }

                        return new Target(method, url.Replace("{listingId}", achievement.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), null,
                            method == HttpMethod.Post ? new { listingId = achievement.Id, note = "重点推介" } : null);
                    }

                    if (p.EndsWith("/interests/mine", StringComparison.Ordinal))
                    {
                        return new Target(method, url, null, method == HttpMethod.Put ? new { fields = new[] { "新材料" }, maxEvents = 2 } : null);
                    }

                    if (p.EndsWith("/confirm", StringComparison.Ordinal) || p.EndsWith("/{assignmentId}", StringComparison.Ordinal))
                    {
                        Assert.True((await admin.PostAsync($"/api/campaigns/{campaignId}/plan", null)).IsSuccessStatusCode);
                        var plan = await admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/campaigns/{campaignId}/plan");
                        url = url.Replace("{assignmentId}", plan.GetProperty("lines")[0].GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
                    }

                    return new Target(method, url, null, null);
                }

            case "/api/events" when method == HttpMethod.Post:
                return new Target(method, path, null, Support.Api.EventDraft());
            case var p when p.StartsWith("/api/events/{id}/meetings", StringComparison.Ordinal) || p is "/api/events/{id}/proposals" or "/api/events/{id}/schedule" or "/api/events/{id}/checkin" or "/api/events/{id}/walk-ins" or "/api/events/{id}/registrations/{registrationId}/no-show" or "/api/events/{id}/agenda" or "/api/events/{id}/agenda.ics":
                return await MeetingTargetAsync(p);
            case var p when p.StartsWith("/api/events/{id}", StringComparison.Ordinal):
                {
                    var ev = await Support.Api.OpenEventAsync(admin);
                    var url = p.Replace("{id}", ev.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
                    switch (p)
                    {
                        case "/api/events/{id}":
                            return new Target(method, url, ev.GetProperty("version").GetInt64(), Support.Api.EventDraft() with { Title = "改名后的对接会" });
                        case "/api/events/{id}/status":
                            return new Target(method, url, ev.GetProperty("version").GetInt64(), new { status = "Closed" });
                        case "/api/events/{id}/registrations":
                            return new Target(method, url, null, new { offers = "注塑工艺需求", seeks = "高校模具团队" });
                    }

                    var registered = await (await owner.PostAsJsonAsync($"/api/events/{ev.GetProperty("id").GetInt64()}/registrations", new { offers = "注塑工艺需求" })).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
                    return new Target(method, url.Replace("{registrationId}", registered.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), null,
                        p.EndsWith("reject", StringComparison.Ordinal) ? new { note = "本场名额留给高校院所" } : null);
                }

            case "/api/saved-searches" when method == HttpMethod.Post:
                return new Target(method, path, null, new { query = "注塑 伺服", kind = "need" });
            case "/api/saved-searches/{id}":
                {
                    var saved = await (await owner.PostAsJsonAsync("/api/saved-searches", new { query = $"注塑 {Guid.NewGuid():N}"[..12], field = "高端装备" })).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
                    return new Target(method, $"/api/saved-searches/{saved.GetProperty("id").GetInt64()}", null, null);
                }

            case "/api/needs" or "/api/achievements" when method == HttpMethod.Post:
                return new Target(method, path, null, input);
            case var p when p.EndsWith("/{id}", StringComparison.Ordinal) && p.StartsWith($"/api/{kind}", StringComparison.Ordinal):
                {
                    var l = await InState("Draft");
                    return new Target(method, p.Replace("{id}", l.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), l.Version, method == HttpMethod.Put ? input with { Title = "修改后的名称" } : null);
                }

            case var p when p.EndsWith("/submit", StringComparison.Ordinal):
                {
                    var l = await InState("Draft");
                    return new Target(method, $"/api/{kind}/{l.Id}/submit", l.Version, null);
                }

            case var p when p.EndsWith("/withdraw", StringComparison.Ordinal):
                {
                    var l = await InState("Submitted");
                    return new Target(method, $"/api/{kind}/{l.Id}/withdraw", l.Version, null);
                }

            case var p when p.EndsWith("/close", StringComparison.Ordinal):
                {
                    var l = await InState("Published");
                    return new Target(method, $"/api/{kind}/{l.Id}/close", l.Version, null);
                }

            case var p when p.StartsWith("/api/review/{id}", StringComparison.Ordinal):
                {
                    var l = await InState("Submitted");
                    return new Target(method, p.Replace("{id}", l.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), l.Version, p.EndsWith("return", StringComparison.Ordinal) ? new { note = "请补充技术指标" } : null);
                }

            case "/api/organisations/{id}":
                {
                    var org = await owner.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/organisations/{ownerAccount.OrganisationId}");
                    return new Target(method, $"/api/organisations/{ownerAccount.OrganisationId}", org.GetProperty("version").GetInt64(), new { introduction = "专注注塑工艺" });
                }

            case "/api/needs/coach":
                return new Target(method, path, null, new { title = "注塑件翘曲变形控制", problem = "薄壁注塑件冷却后翘曲变形严重。" });
            case "/api/needs/import":
                return new Target(method, path, null, Support.Api.CsvUpload("needs.csv", Support.Api.NeedCsvHeader, "导入的注塑工艺需求,高端装备,需要优化注塑机工艺参数降低不良率,注塑,技术开发,翘曲变形"));
            case "/api/achievements/import":
                return new Target(method, path, null, Support.Api.CsvUpload("achievements.csv", "名称,领域,成果简介,关键词,合作方式,成果阶段", "导入的晶界扩散成果,磁性材料,晶界扩散重稀土提高矫顽力,钕铁硼,技术许可,中试"));
            case "/api/organisations/{id}/members":
                return new Target(method, $"/api/organisations/{ownerAccount.OrganisationId}/members", null,
                    method == HttpMethod.Post ? new { email = $"c{Guid.NewGuid():N}@test.cn", displayName = "同事", password = Support.Api.Password } : null);
            case "/api/review/queue/export":
                return new Target(method, path + "?kind=need&format=xlsx", null, null);
            case "/api/admin/brokers":
                return new Target(method, path, null, new { userId = ownerAccount.Id, certificateNumber = $"NB{Guid.NewGuid():N}"[..20], level = "中级", agency = "宁波技术转移中心", district = "鄞州区", specialties = "新材料" });
            case "/api/admin/brokers/{id}":
                {
                    // The owner is registered (once; later attempts answer 409) so that there is an entry to correct.
                    await Support.Api.SendAsync(admin, HttpMethod.Post, "/api/admin/brokers", null, new { userId = ownerAccount.Id, certificateNumber = $"NB{Guid.NewGuid():N}"[..20], level = "初级", agency = "宁波技术转移中心", district = "鄞州区", specialties = "新材料" });
                    return new Target(method, $"/api/admin/brokers/{ownerAccount.Id}", null, new { certificateNumber = $"NB{Guid.NewGuid():N}"[..20], level = "中级", agency = "宁波技术转移中心", district = "海曙区", specialties = "新材料、模具" });
                }

            case "/api/admin/users/{id}/roles":
                return new Target(method, $"/api/admin/users/{ownerAccount.Id}/roles", null, new { roles = new[] { "Broker" } });
            default:
                return new Target(method, path, null, null);
        }
    }
}

public sealed class AuthorizationMatrixTestsOnSqlite() : AuthorizationMatrixTests(Backend.Sqlite);

[Trait("Category", "Postgres")]
public sealed class AuthorizationMatrixTestsOnPostgres() : AuthorizationMatrixTests(Backend.Postgres);
