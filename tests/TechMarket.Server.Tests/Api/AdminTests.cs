using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Api;

/// <summary>
/// The admin API over HTTP on both providers: organisation name review (the old name stays published until an
/// organiser approves; a rejection keeps it; the members are told either way), verification, the users list, the
/// audit log's filters, and an achievement's price guidance against a hand-made set of deals.
/// </summary>
public abstract class AdminTests(Backend backend) : IDisposable
{
    private readonly MarketFactory _factory = new(backend);

    public void Dispose()
    {
        _factory.Dispose();
        GC.SuppressFinalize(this);
    }

    private static string Id(long v) => v.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task ANewNameStaysPendingUntilApprovedARejectionKeepsTheOldNameAndMembersAreToldEitherWay()
    {
        var (admin, _) = await Support.Api.AdminAsync(_factory);
        var (organiser, _) = await Support.Api.NewOrganiserAsync(_factory);
        var (member, account) = await Support.Api.NewMemberAsync(_factory, "institute");
        var (outsider, _) = await Support.Api.NewMemberAsync(_factory);
        var anonymous = _factory.CreateClient();
        var orgId = account.OrganisationId!.Value;
        var colleague = await member.PostAsJsonAsync($"/api/organisations/{orgId}/members", new { email = $"c{Guid.NewGuid():N}@test.cn", displayName = "同事甲", password = Support.Api.Password });
        Assert.Equal(HttpStatusCode.Created, colleague.StatusCode);
        var colleagueId = (await colleague.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var achievement = await Support.Api.PublishAsync(member, admin, "achievements", Support.Api.CompleteAchievement());
        var oldName = achievement.OrganisationName;

        // The member asks for a new name: the answer keeps the published name and shows the pending one.
        var org = await member.GetFromJsonAsync<JsonElement>($"/api/organisations/{orgId}");
        var renamed = await Support.Api.SendAsync(member, HttpMethod.Put, $"/api/organisations/{orgId}", org.GetProperty("version").GetInt64(), new { name = "宁波甬江实验室" });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        var pending = await renamed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(oldName, pending.GetProperty("name").GetString());
        Assert.Equal("宁波甬江实验室", pending.GetProperty("pendingName").GetString());

        // Everyone else still reads the old name, on the listing, in the list and on the organisation; the name
        // under review is not shown to them.
        Assert.Equal(oldName, (await anonymous.GetFromJsonAsync<Client.Listing>($"/api/achievements/{achievement.Id}", Client.TechMarketClient.Json))!.OrganisationName);
        var browse = await anonymous.GetFromJsonAsync<JsonElement>("/api/achievements?pageSize=100");
        Assert.Contains(browse.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetInt64() == achievement.Id && i.GetProperty("organisationName").GetString() == oldName);
        var seen = await anonymous.GetFromJsonAsync<JsonElement>($"/api/organisations/{orgId}");
        Assert.Equal(oldName, seen.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("pendingName").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await outsider.GetFromJsonAsync<JsonElement>($"/api/organisations/{orgId}")).GetProperty("pendingName").ValueKind);
        Assert.DoesNotContain("宁波甬江实验室", WebUtility.HtmlDecode(await anonymous.GetStringAsync($"/achievements/{achievement.Id}")), StringComparison.Ordinal);

        // The reviewers' queue holds it; a rejection needs a reason and the version reviewed.
        var queue = await organiser.GetFromJsonAsync<JsonElement>("/api/admin/organisations?pending=true");
        var row = Assert.Single(queue.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetInt64() == orgId);
        var version = row.GetProperty("version").GetInt64();
        await Support.Api.AssertProblemAsync(await Support.Api.SendAsync(organiser, HttpMethod.Post, $"/api/admin/organisations/{orgId}/name/reject", version, new { reason = "" }), HttpStatusCode.BadRequest);
        await Support.Api.AssertProblemAsync(await Support.Api.SendAsync(organiser, HttpMethod.Post, $"/api/admin/organisations/{orgId}/name/reject", version - 1, new { reason = "与营业执照不符" }), HttpStatusCode.Conflict);
        var rejected = await Support.Api.SendAsync(organiser, HttpMethod.Post, $"/api/admin/organisations/{orgId}/name/reject", version, new { reason = "与营业执照登记的名称不符" });
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        var afterReject = await rejected.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(oldName, afterReject.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, afterReject.GetProperty("pendingName").ValueKind);
        Assert.Equal("与营业执照登记的名称不符", afterReject.GetProperty("nameReviewNote").GetString());
        Assert.Equal(oldName, (await anonymous.GetFromJsonAsync<Client.Listing>($"/api/achievements/{achievement.Id}", Client.TechMarketClient.Json))!.OrganisationName);
        await Support.Api.AssertProblemAsync(await Support.Api.SendAsync(organiser, HttpMethod.Post, $"/api/admin/organisations/{orgId}/name/approve", afterReject.GetProperty("version").GetInt64()), HttpStatusCode.Conflict);

        // Asked again, approved: now the listing, the list and the organisation show the new name.
        renamed = await Support.Api.SendAsync(member, HttpMethod.Put, $"/api/organisations/{orgId}", afterReject.GetProperty("version").GetInt64(), new { name = "宁波甬江实验室（新材料）" });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        version = (await renamed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64();
        var approved = await Support.Api.SendAsync(admin, HttpMethod.Post, $"/api/admin/organisations/{orgId}/name/approve", version);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal("宁波甬江实验室（新材料）", (await approved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
        Assert.Equal("宁波甬江实验室（新材料）", (await anonymous.GetFromJsonAsync<Client.Listing>($"/api/achievements/{achievement.Id}", Client.TechMarketClient.Json))!.OrganisationName);
        Assert.Equal("宁波甬江实验室（新材料）", (await anonymous.GetFromJsonAsync<JsonElement>($"/api/organisations/{orgId}")).GetProperty("name").GetString());
        Assert.Empty((await organiser.GetFromJsonAsync<JsonElement>("/api/admin/organisations?pending=true")).GetProperty("items").EnumerateArray());

        // Both members were told of the rejection (with its reason) and of the approval; nobody else was.
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var notes = await db.Notifications.AsNoTracking().Where(n => n.Kind == "organisation").OrderBy(n => n.Id).ToListAsync();
        Assert.Equal(4, notes.Count);
        Assert.Equal([account.Id, colleagueId], notes.Select(n => n.UserId).Distinct().Order());
        Assert.All(notes.Where(n => n.Title.Contains("未通过", StringComparison.Ordinal)), n => Assert.Contains("与营业执照登记的名称不符", n.Body, StringComparison.Ordinal));
        Assert.Equal(2, notes.Count(n => n.Title == "机构名称变更已通过：宁波甬江实验室（新材料）"));

        // The audit log has both decisions, found by the action filter.
        var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/audit?entityType=Organisation&entityId={orgId}&action=name-");
        Assert.Equal(["name-approved", "name-rejected"], audit.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task OrganisersVerifyAnOrganisationAndMayWithdrawIt()
    {
        var (organiser, organiserAccount) = await Support.Api.NewOrganiserAsync(_factory);
        var (member, account) = await Support.Api.NewMemberAsync(_factory);
        var orgId = account.OrganisationId!.Value;

        await Support.Api.AssertProblemAsync(await member.PostAsync($"/api/admin/organisations/{orgId}/verify", null), HttpStatusCode.Forbidden);
        var verified = await organiser.PostAsync($"/api/admin/organisations/{orgId}/verify", null);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        var view = await verified.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(view.GetProperty("isVerified").GetBoolean());
        Assert.Equal(JsonValueKind.String, view.GetProperty("verifiedAt").ValueKind);
        Assert.True((await _factory.CreateClient().GetFromJsonAsync<JsonElement>($"/api/organisations/{orgId}")).GetProperty("isVerified").GetBoolean());
        Assert.Contains((await organiser.GetFromJsonAsync<JsonElement>("/api/admin/organisations?verified=true&pageSize=100")).GetProperty("items").EnumerateArray(), o => o.GetProperty("id").GetInt64() == orgId);
        Assert.DoesNotContain((await organiser.GetFromJsonAsync<JsonElement>("/api/admin/organisations?verified=false&pageSize=100")).GetProperty("items").EnumerateArray(), o => o.GetProperty("id").GetInt64() == orgId);

        var withdrawn = await organiser.PostAsJsonAsync($"/api/admin/organisations/{orgId}/verify", new { verified = false });
        Assert.False((await withdrawn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("isVerified").GetBoolean());

        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var actions = await db.AuditLog.AsNoTracking().Where(a => a.EntityType == "Organisation" && a.EntityId == orgId && a.UserId == organiserAccount.Id).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
        Assert.Equal(["verified", "unverified"], actions);
    }

    [Fact]
    public async Task TheUsersListFindsByNameOrEmailWithOrganisationAndRoles()
    {
        var (admin, adminAccount) = await Support.Api.AdminAsync(_factory);
        var (_, member) = await Support.Api.NewMemberAsync(_factory);
        var (_, registrar) = await DealTests.WithRoleAsync(_factory, "agency", Roles.Registrar);

        var byEmail = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/users?q={Uri.EscapeDataString(member.Email.ToUpperInvariant()[..12])}");
        var found = Assert.Single(byEmail.GetProperty("items").EnumerateArray());
        Assert.Equal(member.Id, found.GetProperty("id").GetInt64());
        Assert.Equal(member.OrganisationName, found.GetProperty("organisationName").GetString());
        Assert.Equal(["EnterpriseMember"], found.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        var withRole = (await admin.GetFromJsonAsync<JsonElement>($"/api/admin/users?q={Uri.EscapeDataString(registrar.Email)}")).GetProperty("items")[0];
        Assert.Equal(["AgencyMember", "Registrar"], withRole.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        var all = await admin.GetFromJsonAsync<JsonElement>("/api/admin/users?pageSize=2&page=1");
        Assert.Equal(3, all.GetProperty("total").GetInt32());
        Assert.Equal(2, all.GetProperty("items").GetArrayLength());
        var byName = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/users?q={Uri.EscapeDataString(adminAccount.DisplayName)}");
        Assert.Contains(byName.GetProperty("items").EnumerateArray(), u => u.GetProperty("id").GetInt64() == adminAccount.Id);
        Assert.Equal(0, (await admin.GetFromJsonAsync<JsonElement>("/api/admin/users?q=nobody-like-this")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task TheAuditLogFiltersByRecordUserActionAndDays()
    {
        var (admin, adminAccount) = await Support.Api.AdminAsync(_factory);
        var (member, account) = await Support.Api.NewMemberAsync(_factory);
        var need = await Support.Api.CreateAsync(member, "needs", Support.Api.CompleteNeed());
        await Support.Api.ReadListingAsync(await Support.Api.SendAsync(member, HttpMethod.Post, $"/api/needs/{need.Id}/submit", need.Version));
        Assert.True((await admin.PutAsJsonAsync($"/api/admin/users/{account.Id}/roles", new { roles = new[] { "Broker" } })).IsSuccessStatusCode);
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        async Task<List<JsonElement>> Audit(string query) =>
            [.. (await admin.GetFromJsonAsync<JsonElement>("/api/admin/audit?pageSize=100&" + query)).GetProperty("items").EnumerateArray()];

        var forNeed = await Audit($"entityType=Need&entityId={need.Id}");
        Assert.Equal(["status:Draft->Submitted", "create"], forNeed.Select(a => a.GetProperty("action").GetString()));
        Assert.All(forNeed, a => Assert.Equal(account.Id, a.GetProperty("userId").GetInt64()));
        Assert.Equal(["status:Draft->Submitted"], (await Audit($"entityId={need.Id}&action=status")).Select(a => a.GetProperty("action").GetString()));
        var byAdmin = await Audit($"userId={adminAccount.Id}");
        var roles = Assert.Single(byAdmin);
        Assert.Equal("roles", roles.GetProperty("action").GetString());
        Assert.Equal(account.Id, roles.GetProperty("entityId").GetInt64());
        Assert.Equal("{\"Roles\":[[\"EnterpriseMember\"],[\"Broker\",\"EnterpriseMember\"]]}", roles.GetProperty("changes").GetString());
        Assert.Equal(forNeed.Count, (await Audit($"entityType=Need&entityId={need.Id}&from={today}&to={today}")).Count);
        Assert.Empty(await Audit($"entityType=Need&entityId={need.Id}&to={yesterday}"));
        Assert.Empty(await Audit($"entityType=Need&from={DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(1):yyyy-MM-dd}"));
        await Support.Api.AssertProblemAsync(await admin.GetAsync($"/api/admin/audit?from={today}&to={yesterday}"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PriceGuidanceIsTheRangeOfComparableRegisteredDealsAndHiddenUnderThree()
    {
        var (admin, _) = await Support.Api.AdminAsync(_factory);
        var (seller, sellerAccount) = await Support.Api.NewMemberAsync(_factory, "institute");
        var (_, buyerAccount) = await Support.Api.NewMemberAsync(_factory);
        var anonymous = _factory.CreateClient();

        // The achievement asking: 磁性材料, 技术许可, 中试.
        var target = await Support.Api.PublishAsync(seller, admin, "achievements", Support.Api.CompleteAchievement());
        var lonely = await Support.Api.PublishAsync(seller, admin, "achievements", Support.Api.CompleteAchievement("基因测序样本前处理方法") with { Field = "生物医药" });

        // Comparable: same field, a shared mode, the same or a neighbouring stage, registered: 40.5, 70, 100, 250.
        await DealAsync(sellerAccount, buyerAccount, "磁性材料", TransferModes.Licence, Maturity.PilotScale, DealStatus.Registered, 100m);
        await DealAsync(sellerAccount, buyerAccount, "磁性材料", TransferModes.Licence | TransferModes.Transfer, Maturity.SmallTrial, DealStatus.Registered, 40.5m);
        await DealAsync(sellerAccount, buyerAccount, "磁性材料", TransferModes.Licence, Maturity.Industrialised, DealStatus.Registered, 250m);
        await DealAsync(sellerAccount, buyerAccount, "磁性材料", TransferModes.Licence, Maturity.PilotScale, DealStatus.Registered, 70m);

        // Not comparable or not registered: none of these may move the range.
        await DealAsync(sellerAccount, buyerAccount, "磁性材料", TransferModes.Licence, Maturity.PilotScale, DealStatus.Refused, 9000m);
        await DealAsync(sellerAccount, buyerAccount, "磁性材料", TransferModes.Licence, Maturity.PilotScale, DealStatus.Applied, null);
        await DealAsync(sellerAccount, buyerAccount, "磁性材料", TransferModes.Licence, Maturity.PilotScale, DealStatus.Cancelled, null);
        await DealAsync(sellerAccount, buyerAccount, "新材料", TransferModes.Licence, Maturity.PilotScale, DealStatus.Registered, 5000m);
        await DealAsync(sellerAccount, buyerAccount, "磁性材料", TransferModes.Development, Maturity.PilotScale, DealStatus.Registered, 6000m);
        await DealAsync(sellerAccount, buyerAccount, "磁性材料", TransferModes.Licence, Maturity.Laboratory, DealStatus.Registered, 7000m);

        // Two comparable deals for the other achievement: not enough.
        await DealAsync(sellerAccount, buyerAccount, "生物医药", TransferModes.Licence, Maturity.PilotScale, DealStatus.Registered, 30m);
        await DealAsync(sellerAccount, buyerAccount, "生物医药", TransferModes.Licence, Maturity.PilotScale, DealStatus.Registered, 60m);

        var guidance = await anonymous.GetFromJsonAsync<JsonElement>($"/api/achievements/{target.Id}/price-guidance");
        Assert.True(guidance.GetProperty("available").GetBoolean());
        Assert.Equal(4, guidance.GetProperty("dealCount").GetInt32());
        Assert.Equal(40.5m, guidance.GetProperty("minWan").GetDecimal());
        Assert.Equal(85m, guidance.GetProperty("medianWan").GetDecimal());
        Assert.Equal(250m, guidance.GetProperty("maxWan").GetDecimal());
        Assert.Equal(["小试", "中试", "产业化"], guidance.GetProperty("maturities").EnumerateArray().Select(m => m.GetString()));

        var page = WebUtility.HtmlDecode(await anonymous.GetStringAsync($"/achievements/{target.Id}"));
        Assert.Contains("参考价", page, StringComparison.Ordinal);
        Assert.Contains("85 万元", page, StringComparison.Ordinal);
        Assert.Contains("依据 4 笔可比的已登记技术合同", page, StringComparison.Ordinal);

        var none = await anonymous.GetFromJsonAsync<JsonElement>($"/api/achievements/{lonely.Id}/price-guidance");
        Assert.False(none.GetProperty("available").GetBoolean());
        Assert.Equal(2, none.GetProperty("dealCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, none.GetProperty("minWan").ValueKind);
        Assert.Equal(JsonValueKind.Null, none.GetProperty("medianWan").ValueKind);
        Assert.Equal("可比成交不足，暂不提供参考价", none.GetProperty("note").GetString());
        var lonelyPage = WebUtility.HtmlDecode(await anonymous.GetStringAsync($"/achievements/{lonely.Id}"));
        Assert.Contains("可比成交不足，暂不提供参考价", lonelyPage, StringComparison.Ordinal);
        Assert.DoesNotContain("30 万元", lonelyPage, StringComparison.Ordinal);

        // A third comparable registered deal brings it over the line: odd count, the middle amount.
        await DealAsync(sellerAccount, buyerAccount, "生物医药", TransferModes.Licence | TransferModes.Service, Maturity.Industrialised, DealStatus.Registered, 45m);
        var three = await anonymous.GetFromJsonAsync<JsonElement>($"/api/achievements/{lonely.Id}/price-guidance");
        Assert.Equal((3, 30m, 45m, 60m), (three.GetProperty("dealCount").GetInt32(), three.GetProperty("minWan").GetDecimal(), three.GetProperty("medianWan").GetDecimal(), three.GetProperty("maxWan").GetDecimal()));

        // Drafts are as hidden here as on their own page.
        var draft = await Support.Api.CreateAsync(seller, "achievements", Support.Api.CompleteAchievement("未发布的成果"));
        await Support.Api.AssertProblemAsync(await anonymous.GetAsync($"/api/achievements/{draft.Id}/price-guidance"), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await seller.GetAsync($"/api/achievements/{draft.Id}/price-guidance")).StatusCode);
    }

    /// <summary>
    /// A deal arranged straight in the tables (the rules of recording and registering are DealTests' subject): the
    /// seller's achievement with the given field, modes and stage, a need of the buyer's, their match, the deal.
    /// </summary>
    private Task DealAsync(Client.Account seller, Client.Account buyer, string field, TransferModes modes, Maturity maturity, DealStatus status, decimal? registered) =>
        ArrangeDealAsync(_factory.Services, seller.Id, seller.OrganisationId!.Value, buyer.Id, buyer.OrganisationId!.Value, field, modes, maturity, status, registered);

    internal static async Task ArrangeDealAsync(IServiceProvider services, long sellerUserId, long sellerOrganisationId, long buyerUserId, long buyerOrganisationId, string field, TransferModes modes, Maturity maturity, DealStatus status, decimal? registered)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var now = DateTime.UtcNow;
        var achievement = new Achievement { OrganisationId = sellerOrganisationId, CreatedById = sellerUserId, Title = "已成交的成果", Summary = "已成交。", Field = field, TransferModes = modes, Maturity = maturity, Status = ListingStatus.Closed, CreatedAt = now, UpdatedAt = now, Version = 1 };
        var need = new Need { OrganisationId = buyerOrganisationId, CreatedById = buyerUserId, Title = "已成交的需求", Summary = "已成交。", Field = field, TransferModes = modes, Status = ListingStatus.Closed, CreatedAt = now, UpdatedAt = now, Version = 1 };
        db.Listings.AddRange(achievement, need);
        await db.SaveChangesAsync();
        var match = new Match { NeedId = need.Id, AchievementId = achievement.Id, State = MatchState.Deal, ProposedBy = "broker", CreatedAt = now, UpdatedAt = now, Version = 1 };
        db.Matches.Add(match);
        await db.SaveChangesAsync();
        db.Deals.Add(new Deal
        {
            Title = "技术许可合同",
            ContractType = ContractType.Licence,
            BuyerOrganisationId = buyerOrganisationId,
            SellerOrganisationId = sellerOrganisationId,
            AmountWan = Math.Max(registered ?? 100m, 100m),
            SignedOn = DateOnly.FromDateTime(now),
            MatchId = match.Id,
            District = "镇海区",
            Status = status,
            RegisteredAmountWan = registered,
            CreatedById = sellerUserId,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        });
        await db.SaveChangesAsync();
    }
}

public sealed class AdminTestsOnSqlite() : AdminTests(Backend.Sqlite);

[Trait("Category", "Postgres")]
public sealed class AdminTestsOnPostgres() : AdminTests(Backend.Postgres);
