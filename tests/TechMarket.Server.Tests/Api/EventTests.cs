using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TechMarket.Data;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Api;

/// <summary>百日百场 over HTTP: a campaign, an event in it, registrations with the organiser's approval up to capacity.</summary>
public abstract class EventTests(Backend backend) : IDisposable
{
    private readonly MarketFactory _factory = new(backend);

    public void Dispose()
    {
        _factory.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task AnOrganiserRunsRegistrationForAnEventOfACampaign()
    {
        var (organiser, _) = await Support.Api.NewOrganiserAsync(_factory);
        var (enterprise, enterpriseAccount) = await Support.Api.NewMemberAsync(_factory);
        var (lab, _) = await Support.Api.NewMemberAsync(_factory, "institute");
        var (third, _) = await Support.Api.NewMemberAsync(_factory);
        var (admin, _) = await Support.Api.AdminAsync(_factory);
        var anonymous = _factory.CreateClient();

        var campaign = await (await organiser.PostAsJsonAsync("/api/campaigns", new { name = "2027年百日百场", year = 2027, targetEvents = 100, targetParticipants = 2000, targetAmountWan = 50000 })).Content.ReadFromJsonAsync<JsonElement>();
        var campaignId = campaign.GetProperty("id").GetInt64();

        // A draft is the organisers' own; opened, everyone sees it.
        var draft = await (await organiser.PostAsJsonAsync("/api/events", Support.Api.EventDraft(capacity: 2) with { CampaignId = campaignId }, Client.TechMarketClient.Json)).Content.ReadFromJsonAsync<JsonElement>();
        var id = draft.GetProperty("id").GetInt64();
        Assert.Equal("筹备中", draft.GetProperty("statusLabel").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/events/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await enterprise.PostAsJsonAsync($"/api/events/{id}/registrations", new { offers = "注塑需求" })).StatusCode);
        var open = await Support.Api.SendAsync(organiser, HttpMethod.Post, $"/api/events/{id}/status", draft.GetProperty("version").GetInt64(), new { status = "Open" });
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        var listed = await anonymous.GetFromJsonAsync<JsonElement>("/api/events");
        Assert.Contains(listed.EnumerateArray(), e => e.GetProperty("id").GetInt64() == id && e.GetProperty("campaignName").GetString() == "2027年百日百场");

        // Registration: one per organisation, only with one's own published listings.
        var need = await Support.Api.CreateAsync(enterprise, "needs", Support.Api.CompleteNeed());
        need = await Support.Api.ReadListingAsync(await Support.Api.SendAsync(enterprise, HttpMethod.Post, $"/api/needs/{need.Id}/submit", need.Version));
        need = await Support.Api.ReadListingAsync(await Support.Api.SendAsync(admin, HttpMethod.Post, $"/api/review/{need.Id}/publish", need.Version));
        var mine = await enterprise.PostAsJsonAsync($"/api/events/{id}/registrations", new { offers = "40 台注塑机的工艺改进需求", seeks = "模具冷却与工艺优化团队", listingIds = new[] { need.Id } });
        Assert.Equal(HttpStatusCode.Created, mine.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await enterprise.PostAsJsonAsync($"/api/events/{id}/registrations", new { offers = "再报一次" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await lab.PostAsJsonAsync($"/api/events/{id}/registrations", new { listingIds = new[] { need.Id } })).StatusCode);
        var labRegistration = await (await lab.PostAsJsonAsync($"/api/events/{id}/registrations", new { offers = "模流分析与随形冷却技术" })).Content.ReadFromJsonAsync<JsonElement>();
        var thirdRegistration = await (await third.PostAsJsonAsync($"/api/events/{id}/registrations", new { offers = "伺服节能改造" })).Content.ReadFromJsonAsync<JsonElement>();

        // Members see their own registration only; the organiser sees all three.
        Assert.Single((await enterprise.GetFromJsonAsync<JsonElement>($"/api/events/{id}/registrations")).EnumerateArray());
        var all = (await organiser.GetFromJsonAsync<JsonElement>($"/api/events/{id}/registrations")).EnumerateArray().ToList();
        Assert.Equal(3, all.Count);
        Assert.All(all, r => Assert.Equal("待审核", r.GetProperty("statusLabel").GetString()));

        // Approval up to the capacity (2); a refusal needs its reason.
        var mineId = (await mine.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await organiser.PostAsync($"/api/events/{id}/registrations/{mineId}/approve", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await organiser.PostAsync($"/api/events/{id}/registrations/{labRegistration.GetProperty("id").GetInt64()}/approve", null)).StatusCode);
        var full = await organiser.PostAsync($"/api/events/{id}/registrations/{thirdRegistration.GetProperty("id").GetInt64()}/approve", null);
        Assert.Equal(HttpStatusCode.Conflict, full.StatusCode);
        Assert.Contains("名额已满", await full.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await organiser.PostAsJsonAsync($"/api/events/{id}/registrations/{thirdRegistration.GetProperty("id").GetInt64()}/reject", new { note = " " })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await organiser.PostAsJsonAsync($"/api/events/{id}/registrations/{thirdRegistration.GetProperty("id").GetInt64()}/reject", new { note = "本场以模具方向为主" })).StatusCode);

        var ev = await anonymous.GetFromJsonAsync<JsonElement>($"/api/events/{id}");
        Assert.Equal(2, ev.GetProperty("approved").GetInt32());
        Assert.Equal(0, ev.GetProperty("pending").GetInt32());

        // The campaign's progress counts the open event and the approved organisations; no event is held, so no
        // meeting counts yet; no deal is registered, so the amount is 0.
        var progress = await anonymous.GetFromJsonAsync<JsonElement>($"/api/campaigns/{campaignId}");
        Assert.Equal(1, progress.GetProperty("reached").GetProperty("events").GetInt32());
        Assert.Equal(2, progress.GetProperty("reached").GetProperty("participants").GetInt32());
        Assert.Equal(0, progress.GetProperty("reached").GetProperty("meetings").GetInt32());
        Assert.Equal(0m, progress.GetProperty("reached").GetProperty("amountWan").GetDecimal());
        Assert.Equal(100, progress.GetProperty("targets").GetProperty("events").GetInt32());

        // Withdrawing frees the place; the event cannot be marked held before it starts.
        Assert.Equal(HttpStatusCode.OK, (await enterprise.DeleteAsync($"/api/events/{id}/registrations/mine")).StatusCode);
        Assert.Equal(1, (await anonymous.GetFromJsonAsync<JsonElement>($"/api/events/{id}")).GetProperty("approved").GetInt32());
        var held = await Support.Api.SendAsync(organiser, HttpMethod.Post, $"/api/events/{id}/status", ev.GetProperty("version").GetInt64(), new { status = "Held" });
        Assert.Equal(HttpStatusCode.Conflict, held.StatusCode);

        // Every change is in the audit log with its user.
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        Assert.Contains(await db.AuditLog.AsNoTracking().Where(a => a.EntityType == "Event" && a.EntityId == id).Select(a => a.Action).ToListAsync(), a => a == "status:Draft->Open");
        Assert.Contains(await db.AuditLog.AsNoTracking().Where(a => a.EntityType == "EventRegistration").Select(a => a.UserId).ToListAsync(), u => u == enterpriseAccount.Id);
    }
}

public sealed class EventTestsOnSqlite() : EventTests(Backend.Sqlite);

[Trait("Category", "Postgres")]
public sealed class EventTestsOnPostgres() : EventTests(Backend.Postgres);
