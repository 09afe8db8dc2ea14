using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Api;

/// <summary>
/// The dashboard's figures against an independent recomputation: a random market is written straight into the
/// tables; every figure (total, by month, district, field, event and broker) is recomputed here in hand-written SQL
/// for the provider, and each must equal the dashboard's number; the drill-downs must list exactly the records the
/// SQL summed, and their Excel export must hold the same rows.
/// </summary>
public abstract class FigureTests(Backend backend) : IDisposable
{
    private readonly MarketFactory _factory = new(backend);

    private static readonly string[] Fields = ["新材料", "磁性材料", "高端装备", "绿色石化"];
    private static readonly string[] Districts = ["镇海区", "北仑区", "鄞州区"];

    public void Dispose()
    {
        _factory.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>One record as the SQL sees it.</summary>
    private sealed record SqlRow(long Id, string Month, string District, string Field, long? EventId, decimal Amount);

    [Fact]
    public async Task EveryFigureEqualsItsSqlRecomputationAndItsDrillDownListsExactlyItsRecords()
    {
        var (organiser, _) = await Support.Api.NewOrganiserAsync(_factory);
        var brokers = await SeedAsync();
        var dashboard = await organiser.GetFromJsonAsync<JsonElement>("/api/figures");
        var figures = dashboard.GetProperty("figures").EnumerateArray().Select(f => f.GetProperty("key").GetString()!).ToList();
        Assert.Equal(9, figures.Count);

        var sql = new Dictionary<string, List<SqlRow>>();
        foreach (var f in figures)
        {
            sql[f] = await RecomputeAsync(f, null);
            Assert.True(sql[f].Count > 0, $"{f}: 随机数据里没有记录，比较没有意义");
        }

        decimal Value(string f, IEnumerable<SqlRow> rows) => f == "amount" ? rows.Sum(r => r.Amount) : rows.Count();
        decimal Bucket(string list, string key, string f) =>
            dashboard.GetProperty(list).EnumerateArray().Where(b => b.GetProperty("key").GetString() == key)
                .Select(b => b.GetProperty("values").TryGetProperty(f, out var v) ? v.GetDecimal() : 0m).SingleOrDefault();

        var compared = 0;
        foreach (var f in figures)
        {
            Assert.Equal(Value(f, sql[f]), dashboard.GetProperty("totals").GetProperty(f).GetDecimal());
            foreach (var month in dashboard.GetProperty("months").EnumerateArray().Select(m => m.GetProperty("key").GetString()!))
            {
                Assert.True(Value(f, sql[f].Where(r => r.Month == month)) == Bucket("months", month, f), $"{f} {month}");
                compared++;
            }

            foreach (var d in Labels.Districts)
            {
                Assert.True(Value(f, sql[f].Where(r => r.District == d)) == Bucket("districts", d, f), $"{f} {d}");
                compared++;
            }

            foreach (var field in Labels.Fields)
            {
                Assert.True(Value(f, sql[f].Where(r => r.Field == field)) == Bucket("fields", field, f), $"{f} {field}");
                compared++;
            }

            if (f is "meetings" or "agreements" or "contracts" or "deals" or "amount")
            {
                foreach (var ev in sql[f].Where(r => r.EventId != null).Select(r => r.EventId!.Value).Distinct())
                {
                    Assert.True(Value(f, sql[f].Where(r => r.EventId == ev)) == Bucket("events", ev.ToString(CultureInfo.InvariantCulture), f), $"{f} 活动 {ev}");
                    compared++;
                }
            }

            if (f is "mined" or "matches" or "accepted" or "contracts" or "deals" or "amount")
            {
                foreach (var b in brokers)
                {
                    var mine = await RecomputeAsync(f, b);
                    Assert.True(Value(f, mine) == Bucket("brokers", b.ToString(CultureInfo.InvariantCulture), f), $"{f} 经纪人 {b}");
                    compared++;
                    await AssertDrillDownAsync(organiser, f, $"broker={b}", mine);
                }
            }

            // Drill-downs: everything, one month, one district, one field, one event.
            await AssertDrillDownAsync(organiser, f, "", sql[f]);
            var sample = sql[f][sql[f].Count / 2];
            await AssertDrillDownAsync(organiser, f, $"month={sample.Month}", sql[f].Where(r => r.Month == sample.Month).ToList());
            await AssertDrillDownAsync(organiser, f, $"district={Uri.EscapeDataString(sample.District)}", sql[f].Where(r => r.District == sample.District).ToList());
            var withField = sql[f].First(r => r.Field.Length > 0);
            await AssertDrillDownAsync(organiser, f, $"field={Uri.EscapeDataString(withField.Field)}", sql[f].Where(r => r.Field == withField.Field).ToList());
            if (sql[f].FirstOrDefault(r => r.EventId != null) is { } withEvent)
            {
                await AssertDrillDownAsync(organiser, f, $"event={withEvent.EventId}", sql[f].Where(r => r.EventId == withEvent.EventId).ToList());
            }
        }

        Assert.True(compared > 300, $"只比较了 {compared} 个数字");

        // The export holds the drill-down's rows.
        var xlsx = await organiser.GetAsync("/api/figures/records.xlsx?figure=amount");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        using var doc = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()), false);
        var sheet = doc.WorkbookPart!.WorksheetParts.Single().Worksheet;
        Assert.Equal(sql["amount"].Count + 1, sheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Row>().Count());
    }

    private static async Task AssertDrillDownAsync(HttpClient organiser, string figure, string filter, List<SqlRow> expected)
    {
        var records = await organiser.GetFromJsonAsync<JsonElement>($"/api/figures/records?figure={figure}&{filter}");
        var ids = records.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ToList();
        for (var page = 2; ids.Count < records.GetProperty("count").GetInt32() && page < 20; page++)
        {
            var next = await organiser.GetFromJsonAsync<JsonElement>($"/api/figures/records?figure={figure}&{filter}&page={page}");
            ids.AddRange(next.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
        }

        Assert.Equal(expected.Select(r => r.Id).Order().ToList(), ids.Order().ToList());
        Assert.Equal(expected.Count, records.GetProperty("count").GetInt32());
        Assert.Equal(figure == "amount" ? expected.Sum(r => r.Amount) : expected.Count, records.GetProperty("value").GetDecimal());
    }

    /// <summary>The figure's records by hand-written SQL (for one broker when given).</summary>
    private async Task<List<SqlRow>> RecomputeAsync(string figure, long? broker)
    {
        var sqlite = backend == Backend.Sqlite;
        string M(string col) => sqlite ? $"strftime('%Y-%m', {col}, '+8 hours')" : $"to_char(({col} AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM')";
        string T(string col) => sqlite ? $"CAST({col} AS TEXT)" : $"CAST({col} AS text)";
        var b = broker?.ToString(CultureInfo.InvariantCulture);
        var dealBroker = b is null ? "" : $" AND EXISTS (SELECT 1 FROM \"DealBrokers\" x WHERE x.\"DealId\" = d.\"Id\" AND x.\"UserId\" = {b})";
        var held = (int)EventStatus.Held;
        var meetings = $"""
            FROM "EventMeetings" mt JOIN "Events" e ON e."Id" = mt."EventId"
            JOIN "EventRegistrations" r1 ON r1."Id" = mt."RequesterId" JOIN "EventRegistrations" r2 ON r2."Id" = mt."TargetId"
            LEFT JOIN "Listings" a ON a."Id" = mt."AchievementId"
            WHERE e."Status" = {held} AND mt."Status" = {(int)MeetingStatus.Accepted} AND mt."Slot" IS NOT NULL AND mt."Table" IS NOT NULL
              AND mt."RequesterOutcome" <> 1 AND mt."TargetOutcome" <> 1 AND NOT r1."NoShow" AND NOT r2."NoShow"
            """;
        var combined = "CASE WHEN mt.\"RequesterOutcome\" = 0 THEN mt.\"TargetOutcome\" WHEN mt.\"TargetOutcome\" = 0 THEN mt.\"RequesterOutcome\" WHEN mt.\"RequesterOutcome\" < mt.\"TargetOutcome\" THEN mt.\"RequesterOutcome\" ELSE mt.\"TargetOutcome\" END";
        var dealField = "COALESCE((SELECT a.\"Field\" FROM \"Matches\" m JOIN \"Listings\" a ON a.\"Id\" = m.\"AchievementId\" WHERE m.\"Id\" = d.\"MatchId\"), '')";
        var text = figure switch
        {
            "mined" => $"""SELECT n."Id", {M("n.\"MiningConsentAt\"")}, o."District", n."Field", NULL, '0' FROM "Listings" n JOIN "Organisations" o ON o."Id" = n."OrganisationId" WHERE n."Kind" = 'need' AND n."MinedByUserId" IS NOT NULL AND n."MiningConsentAt" IS NOT NULL{(b is null ? "" : $" AND n.\"MinedByUserId\" = {b}")}""",
            "achievements" => $"""SELECT a."Id", {M("a.\"PublishedAt\"")}, o."District", a."Field", NULL, '0' FROM "Listings" a JOIN "Organisations" o ON o."Id" = a."OrganisationId" WHERE a."Kind" = 'achievement' AND a."Status" = {(int)ListingStatus.Published} AND a."PublishedAt" IS NOT NULL""",
            "matches" => $"""SELECT m."Id", {M("m.\"CreatedAt\"")}, o."District", n."Field", NULL, '0' FROM "Matches" m JOIN "Listings" n ON n."Id" = m."NeedId" JOIN "Organisations" o ON o."Id" = n."OrganisationId" WHERE 1 = 1{(b is null ? "" : $" AND m.\"BrokerUserId\" = {b}")}""",
            "accepted" => $"""SELECT m."Id", {M("CASE WHEN m.\"NeedInterestAt\" > m.\"AchievementInterestAt\" THEN m.\"NeedInterestAt\" ELSE m.\"AchievementInterestAt\" END")}, o."District", n."Field", NULL, '0' FROM "Matches" m JOIN "Listings" n ON n."Id" = m."NeedId" JOIN "Organisations" o ON o."Id" = n."OrganisationId" WHERE m."NeedInterestAt" IS NOT NULL AND m."AchievementInterestAt" IS NOT NULL{(b is null ? "" : $" AND m.\"BrokerUserId\" = {b}")}""",
            "meetings" => $"""SELECT mt."Id", {M("e.\"StartsAt\"")}, e."District", COALESCE(a."Field", ''), e."Id", '0' {meetings}""",
            "agreements" => $"""SELECT mt."Id", {M("e.\"StartsAt\"")}, e."District", COALESCE(a."Field", ''), e."Id", '0' {meetings} AND {combined} >= {(int)MeetingOutcome.Intention}""",
            "contracts" => $"""SELECT d."Id", {M("d.\"CreatedAt\"")}, d."District", {dealField}, d."EventId", {T("d.\"AmountWan\"")} FROM "Deals" d WHERE d."Status" IN ({(int)DealStatus.Contracted}, {(int)DealStatus.Applied}, {(int)DealStatus.Registered}){dealBroker}""",
            _ => $"""SELECT d."Id", {M("d.\"RegisteredAt\"")}, d."District", {dealField}, d."EventId", {T("d.\"RegisteredAmountWan\"")} FROM "Deals" d WHERE d."Status" = {(int)DealStatus.Registered}{dealBroker}""",
        };
        if (broker is not null && figure is "meetings" or "agreements" or "achievements")
        {
            return [];
        }

        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = text;
        var rows = new List<SqlRow>();
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new SqlRow(
                Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : Convert.ToInt64(reader.GetValue(4), CultureInfo.InvariantCulture),
                decimal.Parse(reader.GetString(5), NumberStyles.Number, CultureInfo.InvariantCulture)));
        }

        return rows;
    }

    /// <summary>A random market written straight into the tables; returns the brokers' user ids.</summary>
    private async Task<List<long>> SeedAsync()
    {
        var rng = new Random(20261202);
        var now = DateTime.UtcNow;
        DateTime Past() => now.AddDays(-rng.Next(0, 420)).AddMinutes(-rng.Next(0, 1440));
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();

        var users = Enumerable.Range(0, 2).Select(i => new AppUser { UserName = $"figure-broker-{i}@test.cn", NormalizedUserName = $"FIGURE-BROKER-{i}@TEST.CN", Email = $"figure-broker-{i}@test.cn", DisplayName = $"经纪人{i}", CreatedAt = now, SecurityStamp = Guid.NewGuid().ToString() }).ToList();
        db.Users.AddRange(users);
        await db.SaveChangesAsync();
        db.Brokers.AddRange(users.Select((u, i) => new BrokerProfile { UserId = u.Id, CertificateNumber = $"NBFIG{i:D4}", Level = BrokerLevel.Intermediate, District = Districts[i], Specialties = Fields[i], RegisteredAt = now }));
        var brokerIds = users.Select(u => u.Id).ToList();
        long? AnyBroker() => rng.Next(3) switch { 0 => null, 1 => brokerIds[0], _ => brokerIds[1] };

        var orgs = Enumerable.Range(0, 6).Select(i => new Organisation
        {
            Kind = i % 2 == 0 ? OrganisationKind.Enterprise : OrganisationKind.Institute,
            Name = $"宁波统计测试单位{i}",
            CreditCode = Support.Api.NewCreditCode(),
            District = Districts[i % Districts.Length],
            CreatedAt = now,
            Version = 1,
        }).ToList();
        db.Organisations.AddRange(orgs);
        await db.SaveChangesAsync();

        var needs = new List<Need>();
        var achievements = new List<Achievement>();
        for (var i = 0; i < 40; i++)
        {
            var status = rng.Next(10) < 7 ? ListingStatus.Published : (ListingStatus)rng.Next(0, 2);
            var created = Past();
            if (i % 2 == 0)
            {
                var mined = rng.Next(3) == 0 ? AnyBroker() : null;
                needs.Add(new Need
                {
                    OrganisationId = orgs[rng.Next(3) * 2].Id,
                    Title = $"统计测试需求{i}",
                    Field = Fields[rng.Next(Fields.Length)],
                    Status = status,
                    CreatedAt = created,
                    UpdatedAt = created,
                    PublishedAt = status == ListingStatus.Published ? created.AddDays(1) : null,
                    MinedByUserId = mined,
                    MiningConsentAt = mined is null || rng.Next(4) == 0 ? null : created.AddHours(5),
                    Version = 1,
                });
            }
            else
            {
                achievements.Add(new Achievement
                {
                    OrganisationId = orgs[(rng.Next(3) * 2) + 1].Id,
                    Title = $"统计测试成果{i}",
                    Field = Fields[rng.Next(Fields.Length)],
                    Status = status,
                    CreatedAt = created,
                    UpdatedAt = created,
                    PublishedAt = status == ListingStatus.Published ? created.AddDays(2) : null,
                    Version = 1,
                });
            }
        }

        db.Listings.AddRange(needs);
        db.Listings.AddRange(achievements);
        await db.SaveChangesAsync();

        var matches = new List<Match>();
        foreach (var n in needs)
        {
            foreach (var a in achievements.Where(_ => rng.Next(4) == 0))
            {
                var created = Past();
                matches.Add(new Match
                {
                    NeedId = n.Id,
                    AchievementId = a.Id,
                    State = (MatchState)rng.Next(0, 10),
                    ProposedBy = "model",
                    CreatedAt = created,
                    UpdatedAt = created,
                    NeedInterestAt = rng.Next(2) == 0 ? created.AddHours(rng.Next(1, 500)) : null,
                    AchievementInterestAt = rng.Next(2) == 0 ? created.AddHours(rng.Next(1, 500)) : null,
                    BrokerUserId = AnyBroker(),
                    Version = 1,
                });
            }
        }

        db.Matches.AddRange(matches);
        await db.SaveChangesAsync();

        var events = Enumerable.Range(0, 3).Select(i => new MarketEvent
        {
            Format = EventFormat.Bilateral,
            Status = i < 2 ? EventStatus.Held : EventStatus.Open,
            Title = $"统计测试对接会{i}",
            StartsAt = now.AddDays(i < 2 ? -30 * (i + 1) : 20),
            Venue = "宁波",
            District = Districts[i],
            Capacity = 20,
            Tables = 6,
            SlotMinutes = 20,
            SlotCount = 6,
            RegistrationDeadline = now.AddDays(-60),
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        }).ToList();
        db.Events.AddRange(events);
        await db.SaveChangesAsync();
        var code = 200000;
        var regs = events.SelectMany(e => orgs.Select(o => new EventRegistration
        {
            EventId = e.Id,
            OrganisationId = o.Id,
            UserId = 1,
            Status = RegistrationStatus.Approved,
            CheckInCode = (code++).ToString(CultureInfo.InvariantCulture),
            NoShow = rng.Next(8) == 0,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        })).ToList();
        db.EventRegistrations.AddRange(regs);
        await db.SaveChangesAsync();
        var meetings = new List<EventMeeting>();
        foreach (var e in events)
        {
            var here = regs.Where(r => r.EventId == e.Id).ToList();
            for (var k = 0; k < 14; k++)
            {
                var (x, y) = (here[rng.Next(3) * 2], here[(rng.Next(3) * 2) + 1]);
                meetings.Add(new EventMeeting
                {
                    EventId = e.Id,
                    RequesterId = x.Id,
                    TargetId = y.Id,
                    Origin = MeetingOrigin.Request,
                    Status = rng.Next(6) == 0 ? MeetingStatus.Declined : MeetingStatus.Accepted,
                    RequestedByUserId = 1,
                    AchievementId = rng.Next(2) == 0 ? achievements[rng.Next(achievements.Count)].Id : null,
                    Slot = rng.Next(7) == 0 ? null : k % 6,
                    Table = k % 6,
                    RequesterOutcome = (MeetingOutcome)rng.Next(0, 6),
                    TargetOutcome = (MeetingOutcome)rng.Next(0, 6),
                    CreatedAt = now,
                    UpdatedAt = now,
                    Version = 1,
                });
            }
        }

        db.EventMeetings.AddRange(meetings);
        await db.SaveChangesAsync();

        var deals = new List<Deal>();
        for (var i = 0; i < 30; i++)
        {
            var status = (DealStatus)rng.Next(0, 5);
            var created = Past();
            var amount = rng.Next(1000, 50000) / 100m;
            var match = rng.Next(2) == 0 ? matches[rng.Next(matches.Count)] : null;
            deals.Add(new Deal
            {
                Title = $"统计测试合同{i}",
                ContractType = ContractType.Licence,
                BuyerOrganisationId = orgs[0].Id,
                SellerOrganisationId = orgs[1].Id,
                AmountWan = amount,
                SignedOn = DateOnly.FromDateTime(created),
                MatchId = match?.Id,
                EventId = rng.Next(2) == 0 ? events[rng.Next(events.Count)].Id : null,
                District = Districts[rng.Next(Districts.Length)],
                Status = status,
                RegistrationNumber = status == DealStatus.Registered ? $"26330201{i:D6}" : null,
                RegisteredAmountWan = status == DealStatus.Registered ? Math.Round(amount * 0.8m, 2) : null,
                RegisteredAt = status == DealStatus.Registered ? created.AddDays(rng.Next(1, 40)) : null,
                CreatedById = 1,
                CreatedAt = created,
                UpdatedAt = created,
                Version = 1,
            });
        }

        db.Deals.AddRange(deals);
        await db.SaveChangesAsync();
        foreach (var d in deals)
        {
            foreach (var b in brokerIds.Where(_ => rng.Next(2) == 0))
            {
                db.DealBrokers.Add(new DealBroker { DealId = d.Id, UserId = b });
            }
        }

        await db.SaveChangesAsync();
        return brokerIds;
    }
}

public sealed class FigureTestsOnSqlite() : FigureTests(Backend.Sqlite);

[Trait("Category", "Postgres")]
public sealed class FigureTestsOnPostgres() : FigureTests(Backend.Postgres);
