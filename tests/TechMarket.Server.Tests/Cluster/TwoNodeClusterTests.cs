using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Npgsql;
using TechMarket.Client;
using TechMarket.Server.Tests.Support;
using Xunit.Abstractions;

namespace TechMarket.Server.Tests.Cluster;

/// <summary>
/// Two real server processes on one PostgreSQL database and one Redis form one Orleans cluster: one activation per
/// listing cluster-wide, sign-ins valid on both nodes, and after <c>kill -9</c> of one node the other serves every
/// listing again, loses nothing committed and fires each due reminder once.
/// </summary>
[Collection(nameof(TwoNodeClusterTests))]
public sealed class TwoNodeClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int ReminderNeeds = 6;
    private readonly string _database = "tm_cluster_" + Guid.NewGuid().ToString("N")[..12];
    private string _connectionString = "";
    private ServerNode _a = null!;
    private ServerNode _b = null!;
    private DateTime _marketMidnight;

    public static string RedisServer =>
        Environment.GetEnvironmentVariable("TECHMARKET_TEST_REDIS") is { Length: > 0 } redis
            ? redis
            : throw new InvalidOperationException("TECHMARKET_TEST_REDIS is not set: run the tests through scripts/test.sh, or export TECHMARKET_TEST_REDIS=$(scripts/redis-test-server.sh start)");

    public async Task InitializeAsync()
    {
        MarketFactory.CreatePostgresDatabase(_database);
        _connectionString = new NpgsqlConnectionStringBuilder(MarketFactory.PostgresServer) { Database = _database }.ConnectionString;

        // The market's clock on both nodes: the next market midnight is 75 s of real time away, so needs valid
        // "today" fall due while the test runs — around the time node A is killed.
        var now = DateTime.UtcNow;
        _marketMidnight = now.AddSeconds(75);
        var marketNow = now.Date.AddDays(30).AddSeconds(-75);
        var offset = (marketNow - now).TotalSeconds;
        var cluster = "cluster-" + Guid.NewGuid().ToString("N")[..8];
        Dictionary<string, string> Settings(int siloPort) => new()
        {
            ["Database:Provider"] = "postgres",
            ["Database:ConnectionString"] = _connectionString,
            ["Cluster:Clustering"] = "postgres",
            ["Cluster:SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cluster:ClusterId"] = cluster,
            ["Cluster:ServiceId"] = cluster,
            ["Redis:Configuration"] = RedisServer,
            ["Demo:Seed"] = "false",
            ["Admin:Email"] = MarketFactory.AdminEmail,
            ["Admin:Password"] = MarketFactory.AdminPassword,
            ["Testing:MarketClockOffsetSeconds"] = offset.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Security:LoginFailuresPerAddress"] = "5",
        };

        _a = ServerNode.Start("A", MarketFactory.FreePort(), Settings(MarketFactory.FreePort()));
        await _a.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        _b = ServerNode.Start("B", MarketFactory.FreePort(), Settings(MarketFactory.FreePort()));
        await _b.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        await WaitForActiveSilosAsync(2, TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(MarketFactory.PostgresServer);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", conn);
        await cmd.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task TwoNodesOnOnePostgresAreOneCluster()
    {
        using var adminA = await SignInAsync(_a, MarketFactory.AdminEmail, MarketFactory.AdminPassword);
        var (memberA, email) = await RegisterAsync(_a);
        using var memberAClient = memberA;
        using var memberB = await SignInAsync(_b, email, Support.Api.Password);

        // A cookie and a bearer token issued by node A are accepted by node B (one data-protection key ring in Redis).
        var cookie = await CookieSignInAsync(_a, email);
        using (var cookieOnB = Client(_b))
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
            request.Headers.Add("Cookie", cookie);
            Assert.Equal(HttpStatusCode.OK, (await cookieOnB.SendAsync(request)).StatusCode);
        }

        var bearerOnB = Client(_b);
        bearerOnB.DefaultRequestHeaders.Authorization = memberA.DefaultRequestHeaders.Authorization;
        Assert.Equal(HttpStatusCode.OK, (await bearerOnB.GetAsync("/api/auth/me")).StatusCode);

        // Needs whose 需求时限 is the market's today: each has an expiry reminder due at the market's midnight.
        var dueNeeds = new List<long>();
        var today = DateOnly.FromDateTime(_marketMidnight.Date.AddDays(29));
        for (var i = 0; i < ReminderNeeds; i++)
        {
            var need = await Support.Api.CreateAsync(memberA, "needs", Support.Api.CompleteNeed($"今日到期的注塑需求 {i}") with { ValidUntil = today });
            var submitted = await Support.Api.ReadListingAsync(await Support.Api.SendAsync(memberB, HttpMethod.Post, $"/api/needs/{need.Id}/submit", need.Version));
            var published = await Support.Api.SendAsync(adminA, HttpMethod.Post, $"/api/review/{need.Id}/publish", submitted.Version);
            Assert.Equal(HttpStatusCode.OK, published.StatusCode);
            dueNeeds.Add(need.Id);
        }

        // One page cache in Redis: an anonymous read on B fills it, A answers from it (even a change made behind the
        // grains' back stays hidden), and a publication through A clears it for both.
        await using (var sql = new NpgsqlConnection(_connectionString))
        {
            // Behind nginx both nodes see one Host; the cache key includes it.
            using var anonA = Client(_a);
            using var anonB = Client(_b);
            anonA.DefaultRequestHeaders.Host = anonB.DefaultRequestHeaders.Host = "market.test";
            var path = $"/api/needs/{dueNeeds[0]}";
            Assert.Contains("今日到期的注塑需求 0", await anonB.GetStringAsync(path), StringComparison.Ordinal);
            await sql.OpenAsync();
            await using (var cmd = new NpgsqlCommand($"""UPDATE "Listings" SET "Title" = '直接改库的标题' WHERE "Id" = {dueNeeds[0]}""", sql))
            {
                await cmd.ExecuteNonQueryAsync();
            }

            var fromCache = await anonA.GetAsync(path);
            Assert.Contains("今日到期的注塑需求 0", await fromCache.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.NotNull(fromCache.Headers.Age);
            var another = await Support.Api.CreateAsync(memberA, "needs", Support.Api.CompleteNeed("清除缓存用的需求"));
            var anotherSubmitted = await Support.Api.ReadListingAsync(await Support.Api.SendAsync(memberA, HttpMethod.Post, $"/api/needs/{another.Id}/submit", another.Version));
            Assert.Equal(HttpStatusCode.OK, (await Support.Api.SendAsync(adminA, HttpMethod.Post, $"/api/review/{another.Id}/publish", anotherSubmitted.Version)).StatusCode);
            Assert.Contains("直接改库的标题", await anonB.GetStringAsync(path), StringComparison.Ordinal);
        }

        // Failed sign-ins from one address are counted in Redis by both nodes: 3 on A and 2 on B use up the 5.
        using (var guesserA = Client(_a))
        using (var guesserB = Client(_b))
        {
            guesserA.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.50");
            guesserB.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.50");
            for (var i = 0; i < 5; i++)
            {
                var wrong = await (i < 3 ? guesserA : guesserB).PostAsJsonAsync("/api/auth/login", new { email, password = "Wrong#2026x" });
                Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            }

            var blocked = await guesserB.PostAsJsonAsync("/api/auth/login", new { email, password = Support.Api.Password });
            Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        }

        // 50 concurrent edits of one listing with one version, half through each node: exactly one wins.
        var contested = await Support.Api.CreateAsync(memberA, "needs", Support.Api.CompleteNeed("两个节点同时修改的需求"));
        var edits = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Support.Api.SendAsync(i % 2 == 0 ? memberA : memberB, HttpMethod.Put, $"/api/needs/{contested.Id}", contested.Version,
                Support.Api.CompleteNeed($"并发修改 {i}"))));
        var codes = edits.GroupBy(r => (int)r.StatusCode).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine("50 concurrent edits: " + string.Join(", ", codes.Select(c => $"{c.Key}×{c.Value}")));
        Assert.Equal(1, codes.GetValueOrDefault(200));
        Assert.Equal(49, codes.GetValueOrDefault(409));

        // Twenty drafts, each first touched through node A, so grains live on both nodes.
        var drafts = new List<Listing>();
        for (var i = 0; i < 20; i++)
        {
            var d = await Support.Api.CreateAsync(memberA, "needs", Support.Api.CompleteNeed($"切换测试需求 {i}"));
            var touched = await Support.Api.SendAsync(memberA, HttpMethod.Put, $"/api/needs/{d.Id}", d.Version, Support.Api.CompleteNeed($"切换测试需求 {i} 已修改"));
            drafts.Add(await Support.Api.ReadListingAsync(touched));
        }

        // Load through node B, then kill -9 node A, and keep going until every listing has been written again.
        var acknowledged = drafts.ToDictionary(d => d.Id, _ => new List<(long Version, string Title)>());
        var firstAfterKill = new Dictionary<long, TimeSpan>();
        var failures = new Dictionary<int, int>();
        var clock = Stopwatch.StartNew();
        TimeSpan? killedAt = null;
        var round = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(120) && firstAfterKill.Count < drafts.Count)
        {
            round++;
            // Kill once the load runs and the reminders are about to fall due, so that they come due during the outage.
            if (killedAt is null && round >= 3 && DateTime.UtcNow >= _marketMidnight.AddSeconds(-3))
            {
                _a.Kill();
                killedAt = clock.Elapsed;
                output.WriteLine($"killed node A at {DateTime.UtcNow:HH:mm:ss.fff}; market midnight (reminders due) at {_marketMidnight:HH:mm:ss.fff}");
            }

            foreach (var d in drafts.Where(d => !firstAfterKill.ContainsKey(d.Id)))
            {
                var title = $"切换测试需求 第 {round} 轮";
                var started = clock.Elapsed;
                HttpResponseMessage response;
                try
                {
                    var current = await bearerOnB.GetFromJsonAsync<Listing>($"/api/needs/{d.Id}", TechMarketClient.Json);
                    response = await Support.Api.SendAsync(memberB, HttpMethod.Put, $"/api/needs/{d.Id}", current!.Version, Support.Api.CompleteNeed(title));
                }
                catch (TaskCanceledException)
                {
                    failures[-1] = failures.GetValueOrDefault(-1) + 1;
                    continue;
                }

                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var saved = await Support.Api.ReadListingAsync(response);
                    acknowledged[d.Id].Add((saved.Version, title));
                    if (killedAt is { } k && started > k)
                    {
                        firstAfterKill[d.Id] = clock.Elapsed - k;
                    }
                }
                else
                {
                    failures[(int)response.StatusCode] = failures.GetValueOrDefault((int)response.StatusCode) + 1;
                }
            }
        }

        Assert.NotNull(killedAt);
        output.WriteLine($"after kill -9 of node A: every one of {drafts.Count} listings written again through B within {firstAfterKill.Values.DefaultIfEmpty().Max().TotalSeconds:F1} s " +
            $"(median {Median(firstAfterKill.Values):F1} s); refused meanwhile: {string.Join(", ", failures.Select(f => $"{(f.Key < 0 ? "timeout" : f.Key.ToString(System.Globalization.CultureInfo.InvariantCulture))}×{f.Value}"))}");
        Assert.Equal(drafts.Count, firstAfterKill.Count);
        Assert.DoesNotContain(500, failures.Keys);

        // Nothing acknowledged is lost: each acknowledged write is in the row's history and the row is at least that new.
        await using var conn = new NpgsqlConnection(_connectionString);
        await conn.OpenAsync();
        foreach (var (id, writes) in acknowledged)
        {
            var version = (long)(await Scalar(conn, """SELECT "Version" FROM "Listings" WHERE "Id" = @id""", id))!;
            Assert.True(version >= writes.Max(w => w.Version), $"listing {id}: row version {version} is older than an acknowledged write");
            foreach (var (_, title) in writes)
            {
                var found = (long)(await Scalar(conn, """SELECT count(*) FROM "AuditLog" WHERE "EntityId" = @id AND "EntityType" = 'Need' AND "Changes" LIKE '%' || @t || '%'""", id, title))!;
                Assert.True(found >= 1, $"listing {id}: acknowledged write '{title}' is not in the audit log");
            }
        }

        // Each due reminder fires exactly once, whichever node owned it when A died.
        var deadline = DateTime.UtcNow.AddSeconds(120);
        long expired;
        do
        {
            await Task.Delay(500);
            expired = (long)(await Scalar(conn, """SELECT count(*) FROM "Listings" WHERE "Id" = ANY(@ids) AND "Status" = 5""", dueNeeds.ToArray()))!;
        }
        while (expired < ReminderNeeds && DateTime.UtcNow < deadline);

        output.WriteLine($"{expired} of {ReminderNeeds} needs expired by {DateTime.UtcNow:HH:mm:ss.fff} (due {_marketMidnight:HH:mm:ss.fff})");
        Assert.Equal(ReminderNeeds, expired);
        foreach (var id in dueNeeds)
        {
            var fired = (long)(await Scalar(conn, """SELECT count(*) FROM "AuditLog" WHERE "EntityId" = @id AND "EntityType" = 'Need' AND "Action" = 'status:Published->Expired'""", id))!;
            Assert.Equal(1, fired);
        }
    }

    private static double Median(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Select(v => v.TotalSeconds).Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
    }

    private static async Task<object?> Scalar(NpgsqlConnection conn, string sql, object id, string? text = null)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue(id is long[]? "ids" : "id", id);
        if (text is not null)
        {
            cmd.Parameters.AddWithValue("t", text);
        }

        return await cmd.ExecuteScalarAsync();
    }

    private async Task WaitForActiveSilosAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        await using var conn = new NpgsqlConnection(_connectionString);
        await conn.OpenAsync();
        while (DateTime.UtcNow < deadline)
        {
            await using var cmd = new NpgsqlCommand("SELECT count(*) FROM orleansmembershiptable WHERE status = 3", conn);
            if ((long)(await cmd.ExecuteScalarAsync())! >= count)
            {
                return;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"the cluster did not reach {count} active silos:\nA:\n{_a.Log}\nB:\n{_b.Log}");
    }

    private static HttpClient Client(ServerNode node) => new() { BaseAddress = node.Address, Timeout = TimeSpan.FromSeconds(30) };

    private static async Task<HttpClient> SignInAsync(ServerNode node, string email, string password)
    {
        var http = Client(node);
        var login = await http.PostAsJsonAsync("/api/auth/login", new { email, password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var token = await login.Content.ReadFromJsonAsync<TokenResponse>(TechMarketClient.Json);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.AccessToken);
        return http;
    }

    private static async Task<(HttpClient Http, string Email)> RegisterAsync(ServerNode node)
    {
        using var anon = Client(node);
        var registration = Support.Api.NewRegistration();
        var response = await anon.PostAsJsonAsync("/api/auth/register", registration, TechMarketClient.Json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await SignInAsync(node, registration.Email!, registration.Password!), registration.Email!);
    }

    private static async Task<string> CookieSignInAsync(ServerNode node, string email)
    {
        using var http = Client(node);
        var login = await http.PostAsJsonAsync("/api/auth/login?useCookies=true", new { email, password = Support.Api.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return string.Join("; ", login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
    }
}
