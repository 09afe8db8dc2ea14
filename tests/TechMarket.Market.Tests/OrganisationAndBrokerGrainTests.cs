using Microsoft.EntityFrameworkCore;
using TechMarket.Data.Model;
using Orleans.Core.Internal;
using TechMarket.Market.Contracts;

namespace TechMarket.Market.Tests;

/// <summary>The organisation and broker grains' rules on Orleans' test cluster over a real SQLite database.</summary>
public sealed class OrganisationAndBrokerGrainTests : IAsyncLifetime
{
    private MarketCluster _m = null!;

    public async Task InitializeAsync() => _m = await MarketCluster.StartAsync();

    public async Task DisposeAsync() => await _m.DisposeAsync();

    private static Actor Admin => new(1, null, isReviewer: true, isAdmin: true, isBroker: false);

    [Fact]
    public async Task MembersEditTheirProfileWithTheVersionAndKnownLabelsOnly()
    {
        var member = new Actor(11, _m.EnterpriseId, isReviewer: false, isAdmin: false, isBroker: false);
        var stranger = new Actor(12, _m.InstituteId, isReviewer: false, isAdmin: false, isBroker: false);
        var grain = _m.Grains.GetGrain<IOrganisationGrain>(_m.EnterpriseId);

        Assert.Equal(OpStatus.Forbidden, (await grain.UpdateProfileAsync(stranger, 1, new OrganisationChange { Introduction = "不是我的机构" })).Status);
        var invalid = await grain.UpdateProfileAsync(member, 1, new OrganisationChange { District = "火星区", Qualifications = ["世界五百强"] });
        Assert.Equal(OpStatus.Invalid, invalid.Status);
        Assert.Contains("district", invalid.Errors!.Keys);
        Assert.Contains("qualifications", invalid.Errors.Keys);

        var ok = await grain.UpdateProfileAsync(member, 1, new OrganisationChange { Introduction = "专注精密注塑模具二十年。", Qualifications = ["高新技术企业", "专精特新"] });
        Assert.True(ok.IsOk);
        Assert.Equal(2, ok.Value!.Version);
        Assert.Equal(OpStatus.Conflict, (await grain.UpdateProfileAsync(member, 1, new OrganisationChange { Introduction = "旧版本" })).Status);

        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await Task.Delay(200);
        var again = await grain.UpdateProfileAsync(member, 2, new OrganisationChange { District = "鄞州区" });
        Assert.True(again.IsOk);
        Assert.Equal("专注精密注塑模具二十年。", again.Value!.Introduction);
        Assert.Equal("高新技术企业、专精特新", again.Value.Qualifications);

        await using var db = _m.NewDb();
        Assert.Equal(2, await db.AuditLog.CountAsync(a => a.EntityType == "Organisation" && a.EntityId == _m.EnterpriseId && a.Action == "edit"));
    }

    [Fact]
    public async Task MembersAddColleaguesWithTheOrganisationsRoleAndAnAuditEntry()
    {
        var member = new Actor(11, _m.InstituteId, isReviewer: false, isAdmin: false, isBroker: false);
        var stranger = new Actor(12, _m.EnterpriseId, isReviewer: false, isAdmin: false, isBroker: false);
        var grain = _m.Grains.GetGrain<IOrganisationGrain>(_m.InstituteId);
        var colleague = new NewMember { Email = "wang@nbu.test.cn", DisplayName = "王研究员", PasswordHash = "AQAAAAIAAYagAAAAEH7hashed" };

        Assert.Equal(OpStatus.Forbidden, (await grain.AddMemberAsync(stranger, colleague)).Status);
        var invalid = await grain.AddMemberAsync(member, colleague with { Email = "不是邮箱", DisplayName = "王" });
        Assert.Equal(OpStatus.Invalid, invalid.Status);
        Assert.Contains("email", invalid.Errors!.Keys);
        Assert.Contains("displayName", invalid.Errors.Keys);

        var added = await grain.AddMemberAsync(member, colleague);
        Assert.True(added.IsOk, added.Message);
        Assert.Equal(Roles.InstituteMember, added.Value!.Role);
        Assert.Equal(OpStatus.Conflict, (await grain.AddMemberAsync(member, colleague with { DisplayName = "另一位王老师" })).Status);

        await using var db = _m.NewDb();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == added.Value.UserId);
        Assert.Equal(_m.InstituteId, user.OrganisationId);
        Assert.Equal(colleague.PasswordHash, user.PasswordHash);
        var roleId = await db.Roles.Where(r => r.Name == Roles.InstituteMember).Select(r => r.Id).SingleAsync();
        Assert.True(await db.UserRoles.AnyAsync(ur => ur.UserId == user.Id && ur.RoleId == roleId));
        Assert.Equal(1, await db.AuditLog.CountAsync(a => a.EntityType == "User" && a.EntityId == user.Id && a.Action == "member-added" && a.UserId == 11));
    }

    [Fact]
    public async Task AdminsRegisterABrokerOnceWithTheRoleAndCorrectTheEntry()
    {
        long userId;
        await using (var db = _m.NewDb())
        {
            var user = new AppUser { UserName = "broker@test.cn", NormalizedUserName = "BROKER@TEST.CN", Email = "broker@test.cn", NormalizedEmail = "BROKER@TEST.CN", DisplayName = "李经纪", CreatedAt = DateTime.UtcNow, SecurityStamp = Guid.NewGuid().ToString() };
            db.Users.Add(user);
            await db.SaveChangesAsync();
            userId = user.Id;
        }

        var grain = _m.Grains.GetGrain<IBrokerGrain>(userId);
        var entry = new BrokerRegistration { CertificateNumber = "NB-JJR-2026-0042", Level = "中级", Agency = "宁波技术转移中心", District = "鄞州区", Specialties = "新材料、模具" };
        var notAdmin = new Actor(5, null, isReviewer: true, isAdmin: false, isBroker: false);

        Assert.Equal(OpStatus.Forbidden, (await grain.RegisterAsync(notAdmin, entry)).Status);
        Assert.Equal(OpStatus.Invalid, (await grain.RegisterAsync(Admin, entry with { Level = "特级" })).Status);
        var registered = await grain.RegisterAsync(Admin, entry);
        Assert.True(registered.IsOk, registered.Message);
        Assert.Equal("李经纪", registered.Value!.Name);
        Assert.Equal(OpStatus.Conflict, (await grain.RegisterAsync(Admin, entry)).Status);
        Assert.Equal(OpStatus.NotFound, (await _m.Grains.GetGrain<IBrokerGrain>(userId + 1000).RegisterAsync(Admin, entry with { CertificateNumber = "NB-JJR-2026-0099" })).Status);

        var corrected = await grain.UpdateAsync(Admin, entry with { Level = "高级", District = "海曙区" });
        Assert.Equal("高级", corrected.Value!.Level);

        await using var check = _m.NewDb();
        var broker = await check.Brokers.AsNoTracking().SingleAsync(b => b.UserId == userId);
        Assert.Equal(BrokerLevel.Senior, broker.Level);
        Assert.Equal("海曙区", broker.District);
        var roleId = await check.Roles.Where(r => r.Name == Roles.Broker).Select(r => r.Id).SingleAsync();
        Assert.True(await check.UserRoles.AnyAsync(ur => ur.UserId == userId && ur.RoleId == roleId));
        Assert.Equal(["create", "edit"], await check.AuditLog.Where(a => a.EntityType == "Broker").OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
    }
}
