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
/// Deals over HTTP: a broker records the contract of a meeting at a campaign's event; the seller applies; the
/// registrar registers it with a 登记号 and a 核定技术交易额 that the campaign counts once, or refuses one that then
/// counts nothing; a mistaken entry is undone; each side sees only its own.
/// </summary>
public abstract class DealTests(Backend backend) : IDisposable
{
    private readonly MarketFactory _factory = new(backend);

    public void Dispose()
    {
        _factory.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A member given <paramref name="role"/> by the admin, signed in again so that its token carries it.</summary>
    internal static async Task<(HttpClient Http, Client.Account Account)> WithRoleAsync(MarketFactory factory, string kind, string role)
    {
        var (member, account) = await Support.Api.NewMemberAsync(factory, kind);
        member.Dispose();
        var (admin, _) = await Support.Api.AdminAsync(factory);
        var set = role == Roles.Broker
            ? await admin.PostAsJsonAsync("/api/admin/brokers", new { userId = account.Id, certificateNumber = $"NB{Guid.NewGuid():N}"[..20], level = "中级", agency = "宁波技术转移中心", district = "镇海区", specialties = "磁性材料" })
            : await admin.PutAsJsonAsync($"/api/admin/users/{account.Id}/roles", new { roles = new[] { role } });
        Assert.True(set.IsSuccessStatusCode, await set.Content.ReadAsStringAsync());
        return await Support.Api.SignInAsync(factory, account.Email, Support.Api.Password);
    }

    [Fact]
    public async Task ABrokersDealIsRegisteredOnceAndCountedOnceARefusedOneCountsNothing()
    {
        var (organiser, _) = await Support.Api.NewOrganiserAsync(_factory);
        var (admin, _) = await Support.Api.AdminAsync(_factory);
        var (enterprise, enterpriseAccount) = await Support.Api.NewMemberAsync(_factory);
        var (institute, instituteAccount) = await Support.Api.NewMemberAsync(_factory, "institute");
        var (outsider, _) = await Support.Api.NewMemberAsync(_factory);
        var (broker, brokerAccount) = await WithRoleAsync(_factory, "agency", Roles.Broker);
        var (registrar, _) = await WithRoleAsync(_factory, "agency", Roles.Registrar);
        var anonymous = _factory.CreateClient();

        // A campaign's event where the enterprise met the institute, on the enterprise's need and the institute's achievement.
        var campaignId = (await (await organiser.PostAsJsonAsync("/api/campaigns", new { name = "2027年百日百场", year = 2027, targetAmountWan = 50000 })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var eventId = (await Support.Api.OpenEventAsync(organiser, Support.Api.EventDraft() with { CampaignId = campaignId })).GetProperty("id").GetInt64();
        async Task<long> RegisterAsync(HttpClient who)
        {
            var r = await (await who.PostAsJsonAsync($"/api/events/{eventId}/registrations", new { offers = "磁性材料" })).Content.ReadFromJsonAsync<JsonElement>();
            Assert.True((await organiser.PostAsync($"/api/events/{eventId}/registrations/{r.GetProperty("id").GetInt64()}/approve", null)).IsSuccessStatusCode);
            return r.GetProperty("id").GetInt64();
        }

        await RegisterAsync(enterprise);
        var instituteReg = await RegisterAsync(institute);
        var meeting = await (await enterprise.PostAsJsonAsync($"/api/events/{eventId}/meetings", new { targetRegistrationId = instituteReg, message = "钕铁硼晶界扩散" })).Content.ReadFromJsonAsync<JsonElement>();
        var meetingId = meeting.GetProperty("id").GetInt64();
        Assert.True((await institute.PostAsJsonAsync($"/api/events/{eventId}/meetings/{meetingId}/answer", new { answer = "Accept" })).IsSuccessStatusCode);
        var need = await Support.Api.PublishAsync(enterprise, admin, "needs", Support.Api.CompleteNeed("电机磁钢降重稀土"));
        var achievement = await Support.Api.PublishAsync(institute, admin, "achievements", Support.Api.CompleteAchievement());

        // The broker records the contract; it is credited to the broker, linked to the match, the meeting and the event.
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var created = await broker.PostAsJsonAsync("/api/deals", new
        {
            title = "钕铁硼晶界扩散技术许可合同",
            contractType = "技术许可",
            buyerOrganisationId = enterpriseAccount.OrganisationId,
            sellerOrganisationId = instituteAccount.OrganisationId,
            amountWan = 120m,
            signedOn = today,
            needId = need.Id,
            achievementId = achievement.Id,
            meetingId,
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var deal = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = deal.GetProperty("id").GetInt64();
        Assert.Equal("已签约", deal.GetProperty("statusLabel").GetString());
        Assert.Equal(eventId, deal.GetProperty("eventId").GetInt64());
        Assert.Equal(brokerAccount.Id, Assert.Single(deal.GetProperty("brokerUserIds").EnumerateArray()).GetInt64());
        Assert.Equal(JsonValueKind.Number, deal.GetProperty("matchId").ValueKind);
        var match = await enterprise.GetFromJsonAsync<JsonElement>($"/api/matches/{deal.GetProperty("matchId").GetInt64()}");
        Assert.Equal("Deal", match.GetProperty("state").GetString());

        // Only the parties, its brokers, registrars and organisers see it.
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/deals/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/deals/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await enterprise.GetAsync($"/api/deals/{id}")).StatusCode);
        Assert.Empty((await outsider.GetFromJsonAsync<JsonElement>("/api/deals")).EnumerateArray());
        await Support.Api.AssertProblemAsync(await outsider.PostAsJsonAsync("/api/deals", new { title = "别人的合同", contractType = "技术开发", buyerOrganisationId = enterpriseAccount.OrganisationId, sellerOrganisationId = instituteAccount.OrganisationId, amountWan = 10m, signedOn = today }), HttpStatusCode.Forbidden);

        // The seller applies (not the buyer); once applied, it is no longer undone.
        await Support.Api.AssertProblemAsync(await enterprise.PostAsync($"/api/deals/{id}/apply", null), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await institute.PostAsync($"/api/deals/{id}/apply", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await institute.PostAsync($"/api/deals/{id}/cancel", null)).StatusCode);

        // The registrar's rules: only registrars; an amount above the contract's is refused; a refusal needs its reason.
        Assert.Equal(HttpStatusCode.Forbidden, (await institute.PostAsJsonAsync($"/api/deals/{id}/register", new { registeredAmountWan = 100m })).StatusCode);
        await Support.Api.AssertProblemAsync(await registrar.PostAsJsonAsync($"/api/deals/{id}/register", new { registeredAmountWan = 150m }), HttpStatusCode.BadRequest);
        await Support.Api.AssertProblemAsync(await registrar.PostAsJsonAsync($"/api/deals/{id}/refuse", new { reason = " " }), HttpStatusCode.BadRequest);
        var registered = await registrar.PostAsJsonAsync($"/api/deals/{id}/register", new { contractType = "技术转让", registeredAmountWan = 100m });
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
        var view = await registered.Content.ReadFromJsonAsync<JsonElement>();
        var number = view.GetProperty("registrationNumber").GetString()!;
        var point = TechMarket.Data.Rules.Labels.Districts.ToList().IndexOf("镇海区") + 1;
        Assert.Matches($"^{DateTime.UtcNow.AddHours(8).Year % 100:D2}3302{point:D2}[0-9]{{6}}$", number);
        Assert.Equal("技术转让", view.GetProperty("registeredTypeLabel").GetString());
        Assert.Equal(100m, view.GetProperty("registeredAmountWan").GetDecimal());
        Assert.Equal(1.5m, view.GetProperty("rewardPerBrokerWan").GetDecimal());
        Assert.Equal(HttpStatusCode.Conflict, (await registrar.PostAsJsonAsync($"/api/deals/{id}/register", new { registeredAmountWan = 100m })).StatusCode);

        // The campaign counts the registered amount (not the contract's), once.
        var reached = (await anonymous.GetFromJsonAsync<JsonElement>($"/api/campaigns/{campaignId}")).GetProperty("reached");
        Assert.Equal(100m, reached.GetProperty("amountWan").GetDecimal());

        // A second contract at the same event is refused: it counts nothing; applied again and registered, it takes
        // the next number.
        var second = await (await institute.PostAsJsonAsync("/api/deals", new { title = "磁钢检测技术服务合同", contractType = "技术服务", buyerOrganisationId = enterpriseAccount.OrganisationId, sellerOrganisationId = instituteAccount.OrganisationId, amountWan = 30m, signedOn = today, meetingId })).Content.ReadFromJsonAsync<JsonElement>();
        var secondId = second.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await institute.PostAsync($"/api/deals/{secondId}/apply", null)).StatusCode);
        var refused = await registrar.PostAsJsonAsync($"/api/deals/{secondId}/refuse", new { reason = "合同未约定技术成果的交付内容" });
        Assert.Equal("未予登记", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusLabel").GetString());
        Assert.Equal(100m, (await anonymous.GetFromJsonAsync<JsonElement>($"/api/campaigns/{campaignId}")).GetProperty("reached").GetProperty("amountWan").GetDecimal());
        Assert.Equal(HttpStatusCode.OK, (await institute.PostAsync($"/api/deals/{secondId}/apply", null)).StatusCode);
        var again = await (await registrar.PostAsJsonAsync($"/api/deals/{secondId}/register", new { registeredAmountWan = 25.5m })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(long.Parse(number[8..], System.Globalization.CultureInfo.InvariantCulture) + 1, long.Parse(again.GetProperty("registrationNumber").GetString()![8..], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(125.5m, (await anonymous.GetFromJsonAsync<JsonElement>($"/api/campaigns/{campaignId}")).GetProperty("reached").GetProperty("amountWan").GetDecimal());

        // A mistaken entry is undone before it is applied for, and then cannot be applied for.
        var mistaken = await (await enterprise.PostAsJsonAsync("/api/deals", new { title = "录错的合同", contractType = "Consulting", buyerOrganisationId = enterpriseAccount.OrganisationId, sellerOrganisationId = instituteAccount.OrganisationId, amountWan = 8m, signedOn = today })).Content.ReadFromJsonAsync<JsonElement>();
        var mistakenId = mistaken.GetProperty("id").GetInt64();
        Assert.Equal("已撤销", (await (await enterprise.PostAsJsonAsync($"/api/deals/{mistakenId}/cancel", new { note = "金额录错" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusLabel").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await institute.PostAsync($"/api/deals/{mistakenId}/apply", null)).StatusCode);

        // Lists: the broker sees its deal only; the registrar all three; status filters.
        Assert.Equal(id, Assert.Single((await broker.GetFromJsonAsync<JsonElement>("/api/deals")).EnumerateArray()).GetProperty("id").GetInt64());
        Assert.Equal(3, (await registrar.GetFromJsonAsync<JsonElement>("/api/deals")).GetArrayLength());
        Assert.Equal(2, (await registrar.GetFromJsonAsync<JsonElement>("/api/deals?status=Registered")).GetArrayLength());
        await Support.Api.AssertProblemAsync(await registrar.GetAsync("/api/deals?status=2"), HttpStatusCode.BadRequest);

        // Every step is in the audit log with its user; the amounts in the table are the ones the campaign counted.
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var actions = await db.AuditLog.AsNoTracking().Where(a => a.EntityType == "Deal" && a.EntityId == id).Select(a => a.Action).ToListAsync();
        Assert.Contains("create", actions);
        Assert.Contains("status:Contracted->Applied", actions);
        Assert.Contains("status:Applied->Registered", actions);
        var sum = (await db.Deals.AsNoTracking().Where(d => d.Status == DealStatus.Registered && d.EventId == eventId).Select(d => d.RegisteredAmountWan).ToListAsync()).Sum();
        Assert.Equal(125.5m, sum);
    }
}

public sealed class DealTestsOnSqlite() : DealTests(Backend.Sqlite);

[Trait("Category", "Postgres")]
public sealed class DealTestsOnPostgres() : DealTests(Backend.Postgres);
