// Listing edits through the REST API: W workers, each editing its own draft for D seconds with the version from
// the previous answer (If-Match), spread round-robin over the given nodes. Prints p50, p99 and throughput.
//   dotnet run -c Release -- --nodes http://127.0.0.1:5301[,http://127.0.0.1:5302] [--workers 8] [--seconds 20]
// Loopback addresses only; bounded in time.
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

var nodes = Arg("--nodes", "http://127.0.0.1:5301").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(u => new Uri(u)).ToArray();
var workers = int.Parse(Arg("--workers", "8"), CultureInfo.InvariantCulture);
var seconds = double.Parse(Arg("--seconds", "20"), CultureInfo.InvariantCulture);
var warmup = double.Parse(Arg("--warmup", "3"), CultureInfo.InvariantCulture);
if (nodes.Any(n => !n.IsLoopback))
{
    Console.Error.WriteLine("只对本机地址做压测");
    return 2;
}

var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
var email = $"bench{Guid.NewGuid():N}@bench.cn";
const string password = "Bench#2026x";
using (var anon = new HttpClient { BaseAddress = nodes[0] })
{
    var reg = await anon.PostAsJsonAsync("/api/auth/register", new
    {
        email,
        password,
        displayName = "压测用户",
        organisationKind = "enterprise",
        organisationName = "宁波压测制造有限公司",
        creditCode = CreditCode(),
        district = "鄞州区",
        fields = new[] { "新材料" },
    });
    if (!reg.IsSuccessStatusCode)
    {
        Console.Error.WriteLine("注册失败：" + await reg.Content.ReadAsStringAsync());
        return 1;
    }
}

var clients = new List<HttpClient>();
foreach (var node in nodes)
{
    var http = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromSeconds(30) };
    var login = await http.PostAsJsonAsync("/api/auth/login", new { email, password });
    var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    clients.Add(http);
}

object Need(int worker, long n) => new
{
    title = $"压测需求 {worker} 第 {n} 次修改",
    summary = "我公司注塑车间现有注塑机 40 台，产品翘曲和缩痕不良率偏高，需要优化工艺参数。",
    keywords = "注塑、工艺优化",
    field = "高端装备",
    transferModes = new[] { "技术开发" },
};

var drafts = new List<(long Id, long Version)>();
for (var w = 0; w < workers; w++)
{
    var created = await clients[0].PostAsJsonAsync("/api/needs", Need(w, 0), json);
    var body = await created.Content.ReadFromJsonAsync<JsonElement>();
    drafts.Add((body.GetProperty("id").GetInt64(), body.GetProperty("version").GetInt64()));
}

var latencies = new List<double>[workers];
var statuses = new Dictionary<int, int>[workers];
var start = Stopwatch.GetTimestamp();
var measureFrom = TimeSpan.FromSeconds(warmup);
var stopAt = TimeSpan.FromSeconds(warmup + seconds);
await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
{
    var http = clients[w % clients.Count];
    var (id, version) = drafts[w];
    latencies[w] = [];
    statuses[w] = [];
    long n = 0;
    while (Stopwatch.GetElapsedTime(start) < stopAt)
    {
        var t0 = Stopwatch.GetTimestamp();
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/needs/{id}") { Content = JsonContent.Create(Need(w, ++n), options: json) };
        request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{version}\""));
        using var response = await http.SendAsync(request);
        var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        if (response.IsSuccessStatusCode)
        {
            version = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64();
        }

        if (Stopwatch.GetElapsedTime(start) > measureFrom)
        {
            latencies[w].Add(ms);
            var code = (int)response.StatusCode;
            statuses[w][code] = statuses[w].GetValueOrDefault(code) + 1;
        }
    }
})));

var all = latencies.SelectMany(l => l).Order().ToList();
var codes = statuses.SelectMany(s => s).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value));
double P(double q) => all.Count == 0 ? double.NaN : all[Math.Min(all.Count - 1, (int)(q * all.Count))];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"edits: {all.Count} in {seconds:F0} s over {nodes.Length} node(s), {workers} workers: {all.Count / seconds:F0} edits/s, p50 {P(0.50):F1} ms, p99 {P(0.99):F1} ms; status {string.Join(" ", codes.OrderBy(c => c.Key).Select(c => $"{c.Key}×{c.Value}"))}"));
return codes.Keys.Any(c => c >= 500) ? 1 : 0;

string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

static string CreditCode()
{
    const string chars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    int[] weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    var body = "91330200" + string.Concat(Enumerable.Range(0, 9).Select(_ => chars[Random.Shared.Next(chars.Length)]));
    var sum = body.Select((c, i) => chars.IndexOf(c, StringComparison.Ordinal) * weights[i]).Sum();
    return body + chars[(31 - (sum % 31)) % 31];
}
