// The issue's speed target: "300 participants with 2,000 requests, scheduled from the web, end to end (≤ 2 s)".
// Against a running server: sets up an open 专场对接会 through the API as an admin (not timed: P organisations
// registered, signed in, registered for the event and approved; R meetings asked by enterprises and accepted by
// institutes), then times from the client POST /api/events/{id}/schedule → polling GET /api/events/{id}/schedule until
// the run is done: one warm-up, N preliminary runs, one final run. For comparison it runs the engine alone in-process
// (MeetingScheduler) on the same input, read back from the board.
//   dotnet run -c Release -- --server http://127.0.0.1:5390 --admin-email a@b.cn --admin-password 'Xx#12345678'
//     [--participants 300] [--requests 2000] [--slots 12] [--tables 150] [--runs 5] [--parallel 8] [--poll-ms 15]
//     [--event ID]   (time an event set up by an earlier run again, without the set-up)
// Loopback addresses only; every wait is bounded.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TechMarket.Scheduling;

var server = new Uri(Arg("--server", "http://127.0.0.1:5390"));
var adminEmail = Arg("--admin-email", "");
var adminPassword = Arg("--admin-password", "");
var participantCount = Int("--participants", 300);
var requestCount = Int("--requests", 2000);
var slotCount = Int("--slots", 12);
var tableCount = Int("--tables", 150);
var runs = Int("--runs", 5);
var parallel = Int("--parallel", 8);
var pollMs = Int("--poll-ms", 15);
var seed = Int("--seed", 2027);
var reuse = Int("--event", 0);
if (!server.IsLoopback)
{
    Console.Error.WriteLine("只对本机地址做压测");
    return 2;
}

if (adminEmail.Length == 0 || adminPassword.Length == 0)
{
    Console.Error.WriteLine("请用 --admin-email 与 --admin-password 给出管理员或组织方账号（服务器可用 --Admin:Email、--Admin:Password 在启动时创建）");
    return 2;
}

var enterprises = participantCount / 2;
var institutes = participantCount - enterprises;
if (enterprises == 0 || institutes == 0 || requestCount > enterprises * institutes)
{
    Console.Error.WriteLine($"会谈数 {requestCount} 超过企业 × 院所的对数 {enterprises * institutes}");
    return 2;
}

var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Math.Max(parallel, 2) * 2 }) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(120) };
var runTag = Guid.NewGuid().ToString("N")[..8];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"专场对接会排程压测：服务器 {server}，{participantCount} 家参会单位（企业 {enterprises}、院所 {institutes}），{requestCount} 场会谈，{slotCount} 个时段 × {tableCount} 张桌，并发 {parallel}，轮询间隔 {pollMs} ms"));

// --- Set-up (not timed as the target; printed) -------------------------------------------------------------------
var admin = await LoginAsync(adminEmail, adminPassword);
var eventId = reuse > 0 ? reuse : await SetUpAsync();
if (reuse > 0)
{
    Console.WriteLine($"沿用活动 {eventId}（不再准备数据）");
}

// --- The board alone, before any run: what one poll costs --------------------------------------------------------
var (boardMs, boardBytes) = await BoardCostAsync(5);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"日程看板 GET（排程前）：中位数 {boardMs:F0} ms，{boardBytes / 1024.0:F0} KB"));

// --- Timed: POST schedule → poll GET schedule until done ----------------------------------------------------------
var warm = await TimedRunAsync(final: false);
Console.WriteLine($"{(reuse > 0 ? "预热" : "预热（首次排程，写入全部会谈位置）")}：{Describe(warm)}；{warm.Summary}");
var timings = new List<double>();
for (var r = 1; r <= runs; r++)
{
    var run = await TimedRunAsync(final: false);
    timings.Add(run.TotalMs);
    Console.WriteLine($"初步日程 第 {r} 次：{Describe(run)}");
}

// The same runs polled as a signed-in member outside the event: the board then carries no meetings (the status is the
// same), so this shows how much of the figure above is the organisers' 1 MB board itself.
var watcherEmail = $"evbench-watch-{runTag}@bench.cn";
await EnsureAsync(await SendAsync(HttpMethod.Post, "/api/auth/register", null, new
{
    email = watcherEmail,
    password = "Bench#2026x",
    displayName = "压测观察员",
    organisationKind = "enterprise",
    organisationName = $"宁波压测观察有限公司{runTag}",
    creditCode = CreditCode(runTag, 9999),
    district = "鄞州区",
    fields = new[] { "高端装备" },
}), "注册观察账号");
var watcher = await LoginAsync(watcherEmail, "Bench#2026x");
var light = new List<double>();
for (var r = 1; r <= runs; r++)
{
    var run = await TimedRunAsync(final: false, pollAs: watcher);
    light.Add(run.TotalMs);
    Console.WriteLine($"初步日程（以未参会成员轮询，看板不含会谈）第 {r} 次：{Describe(run)}");
}

(boardMs, boardBytes) = await BoardCostAsync(5, watcher);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"未参会成员看到的日程 GET：中位数 {boardMs:F0} ms，{boardBytes / 1024.0:F0} KB"));

var final = await TimedRunAsync(final: true);
Console.WriteLine($"正式日程：{Describe(final)}；{final.Summary}");
(boardMs, boardBytes) = await BoardCostAsync(5);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"日程看板 GET（排程后）：中位数 {boardMs:F0} ms，{boardBytes / 1024.0:F0} KB"));

// --- The engine alone, in-process, on the input the server read (participants and accepted meetings by id) --------
var board = JsonDocument.Parse(await GetStringAsync($"/api/events/{eventId}/schedule", admin)).RootElement;
var input = InputFrom(board, slotCount, tableCount);
var scheduler = new MeetingScheduler();
var result = scheduler.Schedule(input);
for (var r = 0; r < 3; r++)
{
    // A few more unmeasured runs, so the engine's code is as warm (tiered JIT) as the server's after its runs.
    result = scheduler.Schedule(input);
}

var engine = new List<double>();
for (var r = 0; r < Math.Max(runs * 2, 10); r++)
{
    var s = Stopwatch.GetTimestamp();
    result = scheduler.Schedule(input);
    engine.Add(Stopwatch.GetElapsedTime(s).TotalMilliseconds);
}

var placedOnServer = board.GetProperty("slots").EnumerateArray().Sum(s => s.GetProperty("meetings").GetArrayLength());
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"引擎单独（进程内 MeetingScheduler，{input.Participants.Count} 方、{input.Requests.Count} 个请求）：中位数 {Median(engine):F0} ms，最大 {engine.Max():F0} ms；已安排 {result.Meetings.Count} 场、未能安排 {result.Unplaced.Count} 场（服务器看板已安排 {placedOnServer} 场）"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"结果：端到端初步日程中位数 {Median(timings):F0} ms，最大 {timings.Max():F0} ms；轻量轮询中位数 {Median(light):F0} ms；首次 {warm.TotalMs:F0} ms；正式日程 {final.TotalMs:F0} ms；目标 ≤ 2000 ms：中位数{(Median(timings) <= 2000 ? "达到" : "未达到")}，最大值{(timings.Max() <= 2000 ? "达到" : "未达到")}"));
return 0;

async Task<long> SetUpAsync()
{
    var setup = Stopwatch.StartNew();
    var startsAt = DateTime.UtcNow.Date.AddDays(30).AddHours(1);
    var created = await SendAsync(HttpMethod.Post, "/api/events", admin, new
    {
        format = "专场对接会",
        title = $"排程压测专场对接会 {runTag}",
        theme = "注塑成型、模具设计与智能制造",
        fields = new[] { "高端装备", "新材料" },
        startsAt,
        venue = "宁波国际会议中心 3 号厅",
        district = "鄞州区",
        capacity = participantCount,
        tables = tableCount,
        slotMinutes = 20,
        slotCount,
        registrationDeadline = startsAt.AddDays(-10),
    });
    var ev = await ReadAsync(created, HttpStatusCode.Created, "创建活动");
    var id = ev.GetProperty("id").GetInt64();
    var opened = await SendAsync(HttpMethod.Post, $"/api/events/{id}/status", admin, new { status = "Open" }, ev.GetProperty("version").GetInt64());
    await ReadAsync(opened, HttpStatusCode.OK, "开放报名");
    Console.WriteLine($"活动 {id} 已创建并开放报名");

    // Participants: enterprises first, then institutes; each registers, signs in, registers for the event, is approved.
    var tokens = new string[participantCount];
    var registrations = new long[participantCount];
    var t0 = Stopwatch.GetTimestamp();
    await Parallel.ForEachAsync(Enumerable.Range(0, participantCount), new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, _) =>
    {
        var enterprise = i < enterprises;
        var email = $"evbench-{runTag}-{i:D4}@bench.cn";
        const string password = "Bench#2026x";
        var reg = await SendAsync(HttpMethod.Post, "/api/auth/register", null, new
        {
            email,
            password,
            displayName = $"压测联系人{i:D3}",
            organisationKind = enterprise ? "enterprise" : "institute",
            organisationName = enterprise ? $"宁波压测制造有限公司{runTag}{i:D3}" : $"宁波压测研究院{runTag}{i:D3}",
            creditCode = CreditCode(runTag, i),
            district = "鄞州区",
            fields = new[] { "高端装备" },
        });
        await EnsureAsync(reg, "注册参会单位");
        tokens[i] = await LoginAsync(email, password);
        var registered = await SendAsync(HttpMethod.Post, $"/api/events/{id}/registrations", tokens[i], new
        {
            offers = enterprise ? "注塑车间与量产验证" : "模流分析与工艺优化",
            seeks = enterprise ? "工艺参数优化技术" : "产业化合作企业",
            listingIds = Array.Empty<long>(),
        });
        registrations[i] = (await ReadAsync(registered, HttpStatusCode.Created, "报名")).GetProperty("id").GetInt64();
        await EnsureAsync(await SendAsync(HttpMethod.Post, $"/api/events/{id}/registrations/{registrations[i]}/approve", admin, new { note = "" }), "通过报名");
    });
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"准备：{participantCount} 家单位注册、登录、报名并通过审核，用时 {Stopwatch.GetElapsedTime(t0).TotalSeconds:F1} s"));

    // Requests: each enterprise asks about R / E institutes drawn at random (seeded), the institute accepts.
    var rng = new Random(seed);
    var pairs = new List<(int Enterprise, int Institute)>(requestCount);
    for (var e = 0; e < enterprises; e++)
    {
        var want = (requestCount / enterprises) + (e < requestCount % enterprises ? 1 : 0);
        foreach (var k in Enumerable.Range(0, institutes).OrderBy(_ => rng.Next()).Take(want))
        {
            pairs.Add((e, enterprises + k));
        }
    }

    t0 = Stopwatch.GetTimestamp();
    await Parallel.ForEachAsync(pairs, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (p, _) =>
    {
        var asked = await SendAsync(HttpMethod.Post, $"/api/events/{id}/meetings", tokens[p.Enterprise], new { targetRegistrationId = registrations[p.Institute], message = "希望交流工艺参数优化" });
        var meetingId = (await ReadAsync(asked, HttpStatusCode.Created, "约请会谈")).GetProperty("id").GetInt64();
        var answered = await SendAsync(HttpMethod.Post, $"/api/events/{id}/meetings/{meetingId}/answer", tokens[p.Institute], new { answer = "Accept" });
        await ReadAsync(answered, HttpStatusCode.OK, "接受会谈");
    });
    var meetingSeconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"准备：{pairs.Count} 场会谈约请并接受（{pairs.Count * 2} 次请求），用时 {meetingSeconds:F1} s（{pairs.Count * 2 / meetingSeconds:F0} 次/秒）"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"准备合计 {setup.Elapsed.TotalSeconds:F1} s"));
    return id;
}

// One run as the client sees it. StampMs is the event's scheduledAt after the POST was sent (same machine's clock):
// the grain sets it when the engine's result comes back, before the rows are saved; the rest is the save and the poll.
async Task<Run> TimedRunAsync(bool final, string? pollAs = null)
{
    var before = JsonDocument.Parse(await GetStringAsync($"/api/events/{eventId}/schedule?statusOnly=true", admin)).RootElement.GetProperty("completed").GetInt32();
    var wall = DateTime.UtcNow;
    var start = Stopwatch.GetTimestamp();
    using (var posted = await SendAsync(HttpMethod.Post, $"/api/events/{eventId}/schedule", admin, new { final }))
    {
        if (posted.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"排程请求失败：{(int)posted.StatusCode} {await posted.Content.ReadAsStringAsync()}");
        }
    }

    var postMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    var polls = 0;
    while (Stopwatch.GetElapsedTime(start) < TimeSpan.FromSeconds(120))
    {
        await Task.Delay(pollMs);
        var getStart = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        // The status alone (?statusOnly=true), as a poller needs; the board is fetched once the run is done.
        var status = JsonDocument.Parse(await GetStringAsync($"/api/events/{eventId}/schedule?statusOnly=true", pollAs ?? admin)).RootElement;
        var total = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        polls++;
        if (!status.GetProperty("running").GetBoolean() && status.GetProperty("completed").GetInt32() > before)
        {
            if (status.GetProperty("error").GetString() is { Length: > 0 } error)
            {
                throw new InvalidOperationException("排程出错：" + error);
            }

            var stamp = status.GetProperty("scheduledAt").GetString() is { } at
                ? (DateTime.Parse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal) - wall).TotalMilliseconds
                : double.NaN;
            return new Run(total, postMs, polls, total - getStart, stamp, status.GetProperty("summary").GetString() ?? "");
        }
    }

    throw new TimeoutException("排程 120 秒内没有完成");
}

static string Describe(Run r) => string.Create(CultureInfo.InvariantCulture,
    $"{r.TotalMs:F0} ms（POST {r.PostMs:F0} ms；引擎结果写回始于 {r.StampMs:F0} ms；轮询 {r.Polls} 次，末次 GET {r.LastGetMs:F0} ms）");

async Task<(double Ms, long Bytes)> BoardCostAsync(int n, string? token = null)
{
    var ms = new List<double>();
    long bytes = 0;
    for (var i = 0; i < n; i++)
    {
        var s = Stopwatch.GetTimestamp();
        bytes = (await GetStringAsync($"/api/events/{eventId}/schedule", token ?? admin)).Length;
        ms.Add(Stopwatch.GetElapsedTime(s).TotalMilliseconds);
    }

    return (Median(ms), bytes);
}

async Task<string> LoginAsync(string email, string password)
{
    using var login = await SendAsync(HttpMethod.Post, "/api/auth/login", null, new { email, password });
    return (await ReadAsync(login, HttpStatusCode.OK, "登录")).GetProperty("accessToken").GetString()!;
}

async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string? token, object? body, long? version = null)
{
    using var request = new HttpRequestMessage(method, url);
    if (token is not null)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    if (version is { } v)
    {
        request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{v}\""));
    }

    if (body is not null)
    {
        request.Content = JsonContent.Create(body, body.GetType(), options: json);
    }

    return await http.SendAsync(request);
}

async Task<string> GetStringAsync(string url, string token)
{
    using var response = await SendAsync(HttpMethod.Get, url, token, null);
    var text = await response.Content.ReadAsStringAsync();
    return response.IsSuccessStatusCode ? text : throw new InvalidOperationException($"GET {url} 失败：{(int)response.StatusCode} {text}");
}

static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected, string what)
{
    using (response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return response.StatusCode == expected
            ? JsonDocument.Parse(text).RootElement.Clone()
            : throw new InvalidOperationException($"{what}失败：{(int)response.StatusCode} {text}");
    }
}

static async Task EnsureAsync(HttpResponseMessage response, string what)
{
    using (response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what}失败：{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}

// The scheduler's input as the server builds it (EventScheduling.BuildInput): approved registrations by id, accepted
// meetings by id with their score; a pin with a table is a lock (this bench pins nothing).
static EventInput InputFrom(JsonElement board, int slots, int tables)
{
    var participants = board.GetProperty("participants").EnumerateArray().OrderBy(p => p.GetProperty("id").GetInt64()).Select(p => new Participant(
        p.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture),
        p.GetProperty("organisationKind").GetString() switch { "企业" => ParticipantSide.Enterprise, "高校院所" => ParticipantSide.Institute, _ => ParticipantSide.Other },
        null,
        [.. p.GetProperty("unavailableSlots").EnumerateArray().Select(s => s.GetInt32()).Where(s => s < slots)],
        p.GetProperty("noShow").GetBoolean())).ToList();
    var accepted = board.GetProperty("slots").EnumerateArray().SelectMany(s => s.GetProperty("meetings").EnumerateArray())
        .Concat(board.GetProperty("unplaced").EnumerateArray())
        .OrderBy(m => m.GetProperty("id").GetInt64());
    var requests = accepted.Select(m => new MeetingRequest(
        m.GetProperty("requesterId").GetInt64().ToString(CultureInfo.InvariantCulture),
        m.GetProperty("targetId").GetInt64().ToString(CultureInfo.InvariantCulture),
        m.GetProperty("score").GetDouble(),
        m.GetProperty("pinSlot").ValueKind == JsonValueKind.Number && m.GetProperty("pinTable").ValueKind == JsonValueKind.Number
            ? new MeetingLock(m.GetProperty("pinSlot").GetInt32(), m.GetProperty("pinTable").GetInt32())
            : null)).ToList();
    return new EventInput(slots, tables, participants, requests);
}

static double Median(List<double> xs)
{
    var s = xs.Order().ToList();
    return s.Count == 0 ? double.NaN : s.Count % 2 == 1 ? s[s.Count / 2] : (s[(s.Count / 2) - 1] + s[s.Count / 2]) / 2;
}

string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

int Int(string name, int fallback) => int.Parse(Arg(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

// A valid 统一社会信用代码, unique per run and index.
static string CreditCode(string tag, int index)
{
    const string chars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    int[] weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    var n = (Convert.ToInt64(tag[..6], 16) * 10_000) + index;
    var digits = new char[9];
    for (var i = 8; i >= 0; i--)
    {
        digits[i] = chars[(int)(n % 31)];
        n /= 31;
    }

    var body = "91330200" + new string(digits);
    var sum = body.Select((c, i) => chars.IndexOf(c, StringComparison.Ordinal) * weights[i]).Sum();
    return body + chars[(31 - (sum % 31)) % 31];
}

/// <summary>One timed schedule run, in ms from the POST.</summary>
internal sealed record Run(double TotalMs, double PostMs, int Polls, double LastGetMs, double StampMs, string Summary);
