using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Data.Seeding;

namespace TechMarket.Data.Tests.Seeding;

public sealed class DemoMarketTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static DemoMarketOptions Options(double scale = 1.0) => new()
    {
        Scale = scale,
        Seed = 7,
        Clock = new FixedClock(Now),
    };

    [Fact]
    public async Task SeedsTheWholeMarketWithEveryStateMarkedAsDemo()
    {
        using var test = new TestDatabase();
        await using var db = await test.CreateAsync();

        var result = await DemoMarket.SeedAsync(db, Options());

        Assert.True(result.Seeded);
        Assert.True(await db.Organisations.CountAsync(o => o.Kind == OrganisationKind.Institute) >= 30);
        Assert.True(await db.Organisations.CountAsync(o => o.Kind == OrganisationKind.Enterprise) >= 200);
        Assert.True(await db.Brokers.CountAsync() >= 30);
        Assert.True(await db.Needs.CountAsync() >= 500);
        Assert.True(await db.Achievements.CountAsync() >= 2000);
        foreach (var state in Enum.GetValues<ListingStatus>())
        {
            Assert.True(await db.Needs.AnyAsync(n => n.Status == state), $"需求缺少状态 {state}");
            Assert.True(await db.Achievements.AnyAsync(a => a.Status == state), $"成果缺少状态 {state}");
        }

        Assert.False(await db.Listings.AnyAsync(l => !l.IsDemo));
        Assert.False(await db.Organisations.AnyAsync(o => !o.IsDemo));
        Assert.False(await db.Users.AnyAsync(u => !u.IsDemo));
        Assert.False(await db.Brokers.AnyAsync(b => !b.IsDemo));
        Assert.False(await db.Listings.AnyAsync(l => l.Status == ListingStatus.Returned && (l.ReviewNote == null || l.ReviewNote == "")));
        Assert.True(await db.Needs.AnyAsync(n => n.IsChallenge && n.BountyWan > 0 && n.ChallengeDeadline != null));
        Assert.Equal(Labels.Fields.Count, (await db.Achievements.Select(a => a.Field).Distinct().ToListAsync()).Count);
    }

    [Fact]
    public async Task GivesEveryOrganisationAValidUniqueCreditCodeInANingboDistrict()
    {
        using var test = new TestDatabase();
        await using var db = await test.CreateAsync();

        await DemoMarket.SeedAsync(db, Options(0.3));
        var orgs = await db.Organisations.ToListAsync();

        Assert.All(orgs, o => Assert.True(CreditCode.IsValid(o.CreditCode), o.CreditCode));
        Assert.Equal(orgs.Count, orgs.Select(o => o.CreditCode).Distinct().Count());
        Assert.All(orgs, o => Assert.Contains(o.District, Labels.Districts));
    }

    [Fact]
    public async Task PublishesOnlyListingsThatPassTheSubmissionRules()
    {
        using var test = new TestDatabase();
        await using var db = await test.CreateAsync();
        var today = DateOnly.FromDateTime(Now.UtcDateTime);

        await DemoMarket.SeedAsync(db, Options(0.3));
        var published = await db.Listings.Where(l => l.Status == ListingStatus.Published).ToListAsync();

        Assert.NotEmpty(published);
        Assert.All(published, l => Assert.Empty(ListingRules.Validate(ListingRules.ToInput(l), l is Need, forSubmission: true, today)));
        Assert.All(published, l => Assert.True(l.PublishedAt <= Now.UtcDateTime));
    }

    [Fact]
    public async Task CreatesTheFixedAccountsWithTheDemoPasswordAndTheirRoles()
    {
        using var test = new TestDatabase();
        await using var db = await test.CreateAsync();
        var hasher = new PasswordHasher<AppUser>();

        await DemoMarket.SeedAsync(db, Options(0.1));

        foreach (var account in DemoMarket.Accounts)
        {
            var normalized = account.Email.ToUpperInvariant();
            var user = await db.Users.SingleAsync(u => u.NormalizedEmail == normalized);
            Assert.Equal(account.Email.ToUpperInvariant(), user.NormalizedUserName);
            Assert.NotEqual(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(user, user.PasswordHash!, DemoMarket.Password));
            var roles = await db.UserRoles.Where(r => r.UserId == user.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).ToListAsync();
            Assert.Equal([account.Role], roles);
        }

        var enterprise = await db.Users.Include(u => u.Organisation).SingleAsync(u => u.Email == "enterprise@demo.techmarket");
        Assert.Equal(OrganisationKind.Enterprise, enterprise.Organisation!.Kind);
        Assert.Equal(Enum.GetValues<ListingStatus>().Length, await db.Needs.Where(n => n.OrganisationId == enterprise.OrganisationId).Select(n => n.Status).Distinct().CountAsync());
        Assert.True(await db.Brokers.AnyAsync(b => b.User!.Email == "broker@demo.techmarket"));
        Assert.Equal(Roles.All.Count, await db.Roles.CountAsync());
    }

    [Fact]
    public async Task RefusesToSeedADatabaseThatAlreadyHasData()
    {
        using var test = new TestDatabase();
        await using var db = await test.CreateAsync();
        await DemoMarket.SeedAsync(db, Options(0.05));
        var before = await db.Listings.CountAsync();

        var second = await DemoMarket.SeedAsync(db, Options(0.05));

        Assert.False(second.Seeded);
        Assert.Contains("已有数据", second.Message);
        Assert.Equal(before, await db.Listings.CountAsync());
    }

    [Fact]
    public async Task GeneratesTheSameMarketFromTheSameSeed()
    {
        using var first = new TestDatabase();
        using var second = new TestDatabase();
        await using var db1 = await first.CreateAsync();
        await using var db2 = await second.CreateAsync();

        await DemoMarket.SeedAsync(db1, Options(0.05));
        await DemoMarket.SeedAsync(db2, Options(0.05));

        var titles1 = await db1.Listings.OrderBy(l => l.Id).Select(l => l.Title + l.Status).ToListAsync();
        var titles2 = await db2.Listings.OrderBy(l => l.Id).Select(l => l.Title + l.Status).ToListAsync();
        Assert.Equal(titles1, titles2);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
