// The issue's speed target: "the dashboard over a market of 100,000 listings and 10,000 deals: server time to the
// first paint (≤ 500 ms)". Two steps:
//   fill:  dotnet TechMarket.Figures.Bench.dll fill --provider sqlite --connection "Data Source=/tmp/fig/techmarket.db"
//            [--listings 100000] [--deals 10000] [--matches 30000] [--events 100] [--brokers 50] [--seed 2027]
//          writes a market of that size into an empty database (schema upgraded first; not timed as the target).
//   time:  dotnet TechMarket.Figures.Bench.dll time --server http://127.0.0.1:5392 --admin-email a@b.cn --admin-password '…' [--runs 20]
//          signs in as an admin and times GET /dashboard (the page, server-rendered with the charts' data: time to the
//          first byte and to the whole page, which is what the browser paints) and GET /api/figures.
// Loopback addresses only.
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Data.Schema;

var mode = args.Length > 0 ? args[0] : "";
return mode switch
{
    "fill" => await FillAsync(),
    "time" => await TimeAsync(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("用法：fill --provider sqlite|postgres --connection CS [--listings N] [--deals N] | time --server URL --admin-email E --admin-password P [--runs N]");
    return 2;
}

async Task<int> FillAsync()
{
    var options = new DatabaseOptions { Provider = Arg("--provider", "sqlite"), ConnectionString = Arg("--connection", "") };
    var listingCount = Int("--listings", 100_000);
    var dealCount = Int("--deals", 10_000);
    var matchCount = Int("--matches", 30_000);
    var eventCount = Int("--events", 100);
    var brokerCount = Int("--brokers", 50);
    var rng = new Random(Int("--seed", 2027));
    var now = DateTime.UtcNow;
    DateTime Past(int days) => now.AddDays(-rng.Next(0, days)).AddMinutes(-rng.Next(0, 1440));
    T Pick<T>(IReadOnlyList<T> items) => items[rng.Next(items.Count)];
    var watch = Stopwatch.StartNew();

    await using (var db = new MarketDb(options.BuildOptions()))
    {
        await SchemaUpgrader.UpgradeAsync(db);
        if (await db.Listings.AnyAsync())
        {
            Console.Error.WriteLine("数据库已有数据，请用一个空库");
            return 2;
        }
    }

    async Task BatchAsync<T>(IEnumerable<T> rows, Func<MarketDb, List<T>, Task> add)
    {
        foreach (var chunk in rows.Chunk(5000))
        {
            await using var db = new MarketDb(options.BuildOptions());
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            await add(db, [.. chunk]);
            await db.SaveChangesAsync();
        }
    }

    var orgs = Enumerable.Range(0, Math.Max(20, listingCount / 50)).Select(i => new Organisation
    {
        Kind = i % 3 == 0 ? OrganisationKind.Institute : OrganisationKind.Enterprise,
        Name = $"示例压测单位{i:D5}",
        CreditCode = $"BENCH{i:D13}",
        District = Pick(Labels.Districts),
        Fields = Pick(Labels.Fields),
        CreatedAt = Past(900),
        IsDemo = true,
        Version = 1,
    }).ToList();
    await BatchAsync(orgs, (db, c) => { db.Organisations.AddRange(c); return Task.CompletedTask; });
    var institutes = orgs.Where(o => o.Kind == OrganisationKind.Institute).ToList();
    var enterprises = orgs.Where(o => o.Kind == OrganisationKind.Enterprise).ToList();

    var users = Enumerable.Range(0, brokerCount).Select(i => new AppUser { UserName = $"bench-broker-{i}@bench.cn", NormalizedUserName = $"BENCH-BROKER-{i}@BENCH.CN", Email = $"bench-broker-{i}@bench.cn", NormalizedEmail = $"BENCH-BROKER-{i}@BENCH.CN", DisplayName = $"压测经纪人{i}", CreatedAt = now, SecurityStamp = Guid.NewGuid().ToString(), IsDemo = true }).ToList();
    await BatchAsync(users, (db, c) => { db.Users.AddRange(c); return Task.CompletedTask; });
    await BatchAsync(users.Select((u, i) => new BrokerProfile { UserId = u.Id, CertificateNumber = $"BENCHJJR{i:D5}", Level = BrokerLevel.Intermediate, District = Pick(Labels.Districts), Specialties = Pick(Labels.Fields), RegisteredAt = now, IsDemo = true }),
        (db, c) => { db.Brokers.AddRange(c); return Task.CompletedTask; });
    long? AnyBroker() => rng.Next(3) == 0 ? null : users[rng.Next(users.Count)].Id;

    var needs = new List<Need>();
    var achievements = new List<Achievement>();
    for (var i = 0; i < listingCount; i++)
    {
        var published = rng.Next(10) < 8;
        var created = Past(720);
        Listing l = i % 2 == 0
            ? new Need { OrganisationId = Pick(enterprises).Id, MinedByUserId = rng.Next(20) == 0 ? AnyBroker() : null }
            : new Achievement { OrganisationId = Pick(institutes).Id };
        l.Title = $"示例压测{(i % 2 == 0 ? "需求" : "成果")}{i:D6}";
        l.Field = Pick(Labels.Fields);
        l.Status = published ? ListingStatus.Published : ListingStatus.Draft;
        l.CreatedAt = l.UpdatedAt = created;
        l.PublishedAt = published ? created.AddDays(1) : null;
        l.IsDemo = true;
        l.Version = 1;
        if (l is Need { MinedByUserId: not null } n)
        {
            n.MiningConsentAt = created.AddHours(3);
        }

        (l is Need need ? (System.Collections.IList)needs : achievements).Add(l);
    }

    await BatchAsync(needs.Cast<Listing>().Concat(achievements), (db, c) => { db.Listings.AddRange(c); return Task.CompletedTask; });
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"单位 {orgs.Count}、经纪人 {users.Count}、需求与成果 {listingCount}：{watch.Elapsed.TotalSeconds:F0} s"));

    var pairs = new HashSet<(long, long)>();
    var matches = new List<Match>();
    while (matches.Count < matchCount)
    {
        var (n, a) = (Pick(needs), Pick(achievements));
        if (!pairs.Add((n.Id, a.Id)))
        {
            continue;
        }

        var created = Past(600);
        matches.Add(new Match
        {
            NeedId = n.Id,
            AchievementId = a.Id,
            State = (MatchState)rng.Next(0, 10),
            ProposedBy = "model",
            Score = rng.NextDouble(),
            CreatedAt = created,
            UpdatedAt = created,
            NeedInterestAt = rng.Next(2) == 0 ? created.AddDays(1) : null,
            AchievementInterestAt = rng.Next(2) == 0 ? created.AddDays(2) : null,
            BrokerUserId = AnyBroker(),
            Version = 1,
        });
    }

    await BatchAsync(matches, (db, c) => { db.Matches.AddRange(c); return Task.CompletedTask; });

    var events = Enumerable.Range(0, eventCount).Select(i => new MarketEvent
    {
        Format = EventFormat.Bilateral,
        Status = i < eventCount * 9 / 10 ? EventStatus.Held : EventStatus.Open,
        Title = $"示例压测对接会{i:D3}",
        StartsAt = now.AddDays(i < eventCount * 9 / 10 ? -rng.Next(1, 500) : rng.Next(5, 60)),
        Venue = "宁波",
        District = Pick(Labels.Districts),
        Capacity = 40,
        Tables = 10,
        SlotMinutes = 20,
        SlotCount = 10,
        RegistrationDeadline = now.AddDays(-600),
        CreatedAt = now,
        UpdatedAt = now,
        IsDemo = true,
        Version = 1,
    }).ToList();
    await BatchAsync(events, (db, c) => { db.Events.AddRange(c); return Task.CompletedTask; });
    var code = 100000;
    var regs = events.SelectMany(e => Enumerable.Range(0, 20).Select(k => new EventRegistration
    {
        EventId = e.Id,
        OrganisationId = k % 2 == 0 ? enterprises[(int)(((e.Id * 13) + (k / 2)) % enterprises.Count)].Id : institutes[(int)(((e.Id * 7) + (k / 2)) % institutes.Count)].Id,
        UserId = users[0].Id,
        Status = RegistrationStatus.Approved,
        CheckInCode = (code++).ToString(CultureInfo.InvariantCulture),
        NoShow = rng.Next(15) == 0,
        CreatedAt = now,
        UpdatedAt = now,
        Version = 1,
    })).ToList();
    await BatchAsync(regs, (db, c) => { db.EventRegistrations.AddRange(c); return Task.CompletedTask; });
    var meetings = events.SelectMany(e =>
    {
        var here = regs.Where(r => r.EventId == e.Id).ToList();
        return Enumerable.Range(0, 30).Select(k => new EventMeeting
        {
            EventId = e.Id,
            RequesterId = here[(k % 10) * 2].Id,
            TargetId = here[((k * 3) % 10 * 2) + 1].Id,
            Origin = MeetingOrigin.Request,
            Status = MeetingStatus.Accepted,
            RequestedByUserId = users[0].Id,
            AchievementId = Pick(achievements).Id,
            Slot = k % 10,
            Table = k / 10,
            RequesterOutcome = (MeetingOutcome)rng.Next(0, 6),
            TargetOutcome = (MeetingOutcome)rng.Next(0, 6),
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        });
    }).ToList();
    await BatchAsync(meetings, (db, c) => { db.EventMeetings.AddRange(c); return Task.CompletedTask; });

    var deals = new List<Deal>();
    for (var i = 0; i < dealCount; i++)
    {
        var status = rng.Next(10) switch { < 7 => DealStatus.Registered, 7 => DealStatus.Applied, 8 => DealStatus.Refused, _ => DealStatus.Contracted };
        var created = Past(700);
        var amount = rng.Next(500, 100_000) / 100m;
        var m = rng.Next(2) == 0 ? Pick(matches) : null;
        deals.Add(new Deal
        {
            Title = $"示例压测合同{i:D5}",
            ContractType = Pick(Labels.ContractTypes),
            BuyerOrganisationId = Pick(enterprises).Id,
            SellerOrganisationId = Pick(institutes).Id,
            AmountWan = amount,
            SignedOn = DateOnly.FromDateTime(created),
            MatchId = m?.Id,
            EventId = rng.Next(3) == 0 ? Pick(events).Id : null,
            District = Pick(Labels.Districts),
            Status = status,
            RegistrationNumber = status == DealStatus.Registered ? $"BENCH{i:D9}" : null,
            RegisteredAmountWan = status == DealStatus.Registered ? Math.Round(amount * 0.9m, 2) : null,
            RegisteredAt = status == DealStatus.Registered ? created.AddDays(10) : null,
            CreatedById = users[0].Id,
            CreatedAt = created,
            UpdatedAt = created,
            IsDemo = true,
            Version = 1,
        });
    }

    await BatchAsync(deals, (db, c) => { db.Deals.AddRange(c); return Task.CompletedTask; });
    await BatchAsync(deals.Where(_ => rng.Next(3) > 0).Select(d => new DealBroker { DealId = d.Id, UserId = users[rng.Next(users.Count)].Id }),
        (db, c) => { db.DealBrokers.AddRange(c); return Task.CompletedTask; });
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"已写入：撮合 {matches.Count}、活动 {events.Count}、会谈 {meetings.Count}、合同 {deals.Count}，共 {watch.Elapsed.TotalSeconds:F0} s"));
    return 0;
}

async Task<int> TimeAsync()
{
    var server = new Uri(Arg("--server", "http://127.0.0.1:5392"));
    if (!server.IsLoopback)
    {
        Console.Error.WriteLine("只对本机地址做压测");
        return 2;
    }

    var runs = Int("--runs", 20);
    using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(120) };
    var login = await http.PostAsJsonAsync("/api/auth/login", new { email = Arg("--admin-email", ""), password = Arg("--admin-password", "") });
    if (!login.IsSuccessStatusCode)
    {
        Console.Error.WriteLine($"登录失败：{(int)login.StatusCode}");
        return 2;
    }

    var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    foreach (var path in new[] { "/dashboard", "/api/figures" })
    {
        var first = new List<double>();
        var whole = new List<double>();
        long bytes = 0;
        for (var r = 0; r <= runs; r++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            var headers = watch.Elapsed.TotalMilliseconds;
            var body = await response.Content.ReadAsByteArrayAsync();
            var total = watch.Elapsed.TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                Console.Error.WriteLine($"{path}：{(int)response.StatusCode}");
                return 1;
            }

            bytes = body.Length;
            if (r == 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{path} 首次（冷）：首字节 {headers:F0} ms，整页 {total:F0} ms，{bytes / 1024.0:F0} KB"));
                continue;
            }

            first.Add(headers);
            whole.Add(total);
        }

        static double P(List<double> xs, double q) => xs.Order().ElementAt((int)Math.Min(xs.Count - 1, Math.Floor(q * xs.Count)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{path} {runs} 次：首字节 中位数 {P(first, 0.5):F0} ms；整页 中位数 {P(whole, 0.5):F0} ms、p90 {P(whole, 0.9):F0} ms、最大 {whole.Max():F0} ms；{bytes / 1024.0:F0} KB"));
    }

    Console.WriteLine($"负载：{File.ReadAllText("/proc/loadavg").Trim()}");
    return 0;
}

string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

int Int(string name, int fallback) => int.Parse(Arg(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
