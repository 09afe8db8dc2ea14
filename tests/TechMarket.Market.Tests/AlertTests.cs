using System.Text;
using Microsoft.EntityFrameworkCore;
using TechMarket.Data.Model;
using TechMarket.Market.Contracts;

namespace TechMarket.Market.Tests;

/// <summary>Saved searches alert their owners, in the inbox and by e-mail, when a listing they would find is published.</summary>
public sealed class AlertTests : IAsyncLifetime
{
    private MarketCluster _m = null!;

    public async Task InitializeAsync() => _m = await MarketCluster.StartAsync();

    public async Task DisposeAsync() => await _m.DisposeAsync();

    private async Task<long> UserAsync(long id, long? organisationId, string email)
    {
        await using var db = _m.NewDb();
        db.Users.Add(new AppUser
        {
            Id = id,
            UserName = $"user{id}",
            NormalizedUserName = $"USER{id}",
            Email = email,
            NormalizedEmail = email.ToUpperInvariant(),
            DisplayName = $"用户{id}",
            OrganisationId = organisationId,
            CreatedAt = DateTime.UtcNow,
            SecurityStamp = Guid.NewGuid().ToString(),
        });
        await db.SaveChangesAsync();
        return id;
    }

    private async Task SaveSearchAsync(long userId, string query, string kind = "", string field = "", string district = "")
    {
        await using var db = _m.NewDb();
        db.SavedSearches.Add(new SavedSearch { UserId = userId, Query = query, Kind = kind, Field = field, District = district, CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task APublishedNeedAlertsOnlyTheSearchesThatWouldFindItAndOnlyOnce()
    {
        var fits = await UserAsync(301, _m.InstituteId, "fits@lab.test");
        var otherWords = await UserAsync(302, _m.InstituteId, "other@lab.test");
        var oneCommonWord = await UserAsync(303, null, "common@broker.test");
        var otherField = await UserAsync(304, null, "field@broker.test");
        var ownOrganisation = await UserAsync(305, _m.EnterpriseId, "self@factory.test");
        await SaveSearchAsync(fits, "注塑 工艺参数", kind: "need");
        await SaveSearchAsync(otherWords, "锂电池隔膜");
        await SaveSearchAsync(oneCommonWord, "钕铁硼 晶界扩散 优化");
        await SaveSearchAsync(otherField, "注塑", field: "新材料");
        await SaveSearchAsync(ownOrganisation, "注塑");

        var owner = new Actor(ownOrganisation, _m.EnterpriseId, isReviewer: false, isAdmin: false, isBroker: false);
        var reviewer = new Actor(306, null, isReviewer: true, isAdmin: false, isBroker: false);
        var draft = (await _m.Grains.GetGrain<IOrganisationGrain>(_m.EnterpriseId).CreateListingAsync(owner, ListingType.Need, ListingGrainTests.CompleteNeed())).Value!;
        var grain = _m.Grains.GetGrain<IListingGrain>(draft.Id);
        var submitted = (await grain.SubmitAsync(owner, ListingType.Need, draft.Version)).Value!;

        // Nothing is alerted before publication.
        await using (var db = _m.NewDb())
        {
            Assert.Empty(await db.Notifications.ToListAsync());
        }

        var published = (await grain.ReviewAsync(reviewer, submitted.Version, publish: true, null)).Value!;

        await using (var db = _m.NewDb())
        {
            var alert = Assert.Single(await db.Notifications.AsNoTracking().ToListAsync());
            Assert.Equal(fits, alert.UserId);
            Assert.Equal("alert", alert.Kind);
            Assert.Equal("新技术需求符合您保存的搜索「注塑 工艺参数」", alert.Title);
            Assert.Equal($"/needs/{draft.Id}", alert.Link);
            Assert.Contains("注塑机工艺参数优化", alert.Body);
            Assert.Single(await db.SavedSearchAlerts.AsNoTracking().ToListAsync());

            // Sent right away: no reminder is left waiting.
            Assert.DoesNotContain(await db.Reminders.AsNoTracking().ToListAsync(), r => r.Name == "alerts");
        }

        var mail = Assert.Single(Directory.GetFiles(_m.MailFolder, "*.eml"));
        var text = await File.ReadAllTextAsync(mail);
        Assert.Contains("To: fits@lab.test\r\n", text);
        Assert.Contains("Subject: =?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes("新技术需求符合您保存的搜索「注塑 工艺参数」")) + "?=", text);
        var body = Encoding.UTF8.GetString(Convert.FromBase64String(text[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..].Replace("\r\n", "", StringComparison.Ordinal)));
        Assert.Contains("注塑机工艺参数优化", body);
        Assert.Contains($"查看详情：http://localhost:5000/needs/{draft.Id}", body);

        // Withdrawn and published again: the same searches are not alerted twice.
        var withdrawn = (await grain.WithdrawAsync(owner, ListingType.Need, published.Version)).Value!;
        var again = (await grain.SubmitAsync(owner, ListingType.Need, withdrawn.Version)).Value!;
        Assert.True((await grain.ReviewAsync(reviewer, again.Version, publish: true, null)).IsOk);
        await using (var db = _m.NewDb())
        {
            Assert.Single(await db.Notifications.AsNoTracking().ToListAsync());
        }

        Assert.Single(Directory.GetFiles(_m.MailFolder, "*.eml"));
    }

    [Fact]
    public async Task ASearchWithOnlyFiltersAlertsOnEveryListingThatPassesThem()
    {
        var watcher = await UserAsync(311, null, "broker@market.test");
        await SaveSearchAsync(watcher, "", kind: "need", field: "高端装备", district: "北仑区");
        await SaveSearchAsync(watcher, "", kind: "need", field: "高端装备", district: "镇海区");

        var owner = new Actor(312, _m.EnterpriseId, isReviewer: false, isAdmin: false, isBroker: false);
        var reviewer = new Actor(313, null, isReviewer: true, isAdmin: false, isBroker: false);
        var draft = (await _m.Grains.GetGrain<IOrganisationGrain>(_m.EnterpriseId).CreateListingAsync(owner, ListingType.Need, ListingGrainTests.CompleteNeed("伺服电机节能改造"))).Value!;
        var grain = _m.Grains.GetGrain<IListingGrain>(draft.Id);
        var submitted = (await grain.SubmitAsync(owner, ListingType.Need, draft.Version)).Value!;
        Assert.True((await grain.ReviewAsync(reviewer, submitted.Version, publish: true, null)).IsOk);

        await using var db = _m.NewDb();
        var alert = Assert.Single(await db.Notifications.AsNoTracking().ToListAsync());
        Assert.Equal("新技术需求符合您保存的搜索「高端装备 · 北仑区」", alert.Title);
    }
}
