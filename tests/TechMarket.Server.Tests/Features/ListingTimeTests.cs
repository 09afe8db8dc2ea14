using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Server.Features.Listings;
using TechMarket.Server.Infrastructure;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Features;

/// <summary>Rules that depend on the date: 需求时限 at submission, and expiry of published needs.</summary>
public sealed class ListingTimeTests : IDisposable
{
    private readonly MarketFactory _factory = new(Backend.Sqlite);

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task NeedWhoseValidityHasPassedCannotBeSubmitted()
    {
        var (_, account) = await Support.Api.NewMemberAsync(_factory);
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var clock = Substitute.For<TimeProvider>();
        clock.GetUtcNow().Returns(new DateTimeOffset(2027, 3, 1, 2, 0, 0, TimeSpan.Zero));
        clock.LocalTimeZone.Returns(TimeZoneInfo.Utc);
        var service = new ListingService(db, clock);
        var actor = new Actor(account.Id, account.OrganisationId, IsReviewer: false, IsAdmin: false, IsBroker: false);
        var draft = await service.CreateAsync(actor, needs: true, ToInput(Support.Api.CompleteNeed()) with { ValidUntil = new DateOnly(2027, 2, 28) }, CancellationToken.None);

        var submitted = await service.SubmitAsync(actor, needs: true, draft.Value!.Id, draft.Value.Version, CancellationToken.None);

        Assert.Equal(OpStatus.Invalid, submitted.Status);
        Assert.Contains("validUntil", submitted.Errors!.Keys);
        Assert.Equal(new DateTime(2027, 3, 1, 2, 0, 0, DateTimeKind.Utc), draft.Value.CreatedAt);
    }

    [Fact]
    public async Task PublishedNeedsPastTheirValidityExpireOnceAndAreAudited()
    {
        var (member, _) = await Support.Api.NewMemberAsync(_factory);
        var (admin, _) = await Support.Api.AdminAsync(_factory);
        var draft = await Support.Api.CreateAsync(member, "needs", Support.Api.CompleteNeed() with { ValidUntil = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(3) });
        var submitted = await Support.Api.ReadListingAsync(await Support.Api.SendAsync(member, HttpMethod.Post, $"/api/needs/{draft.Id}/submit", draft.Version));
        await Support.Api.SendAsync(admin, HttpMethod.Post, $"/api/review/{draft.Id}/publish", submitted.Version);
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var later = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(10);

        var first = await ListingExpiry.ExpireAsync(db, later, CancellationToken.None);
        var second = await ListingExpiry.ExpireAsync(db, later, CancellationToken.None);

        Assert.Equal(1, first);
        Assert.Equal(0, second);
        Assert.Equal(ListingStatus.Expired, (await db.Needs.AsNoTracking().SingleAsync(n => n.Id == draft.Id)).Status);
        Assert.Single(await db.AuditLog.Where(a => a.EntityId == draft.Id && a.Action == "status:Published->Expired").ToListAsync());
    }

    private static ListingInput ToInput(TechMarket.Client.ListingInput c) => new()
    {
        Title = c.Title,
        Summary = c.Summary,
        Keywords = c.Keywords,
        Field = c.Field,
        TransferModes = c.TransferModes,
        Problem = c.Problem,
        BudgetWan = c.BudgetWan,
        ValidUntil = c.ValidUntil,
    };
}
