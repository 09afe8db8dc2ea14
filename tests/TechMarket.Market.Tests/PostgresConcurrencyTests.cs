using TechMarket.Market.Contracts;

namespace TechMarket.Market.Tests;

/// <summary>
/// Edits of different listings at once on PostgreSQL, each saved with its audit entry and search-index update in
/// one transaction. They once deadlocked on the index's schema check (CREATE INDEX IF NOT EXISTS takes a SHARE
/// lock) inside every caller's transaction.
/// </summary>
public sealed class PostgresConcurrencyTests : IAsyncLifetime
{
    private MarketCluster _m = null!;

    public async Task InitializeAsync() => _m = await MarketCluster.StartAsync(Backend.Postgres);

    public async Task DisposeAsync() => await _m.DisposeAsync();

    [Fact]
    public async Task ConcurrentEditsOfDifferentListingsAllSucceed()
    {
        var owner = new Actor(301, _m.EnterpriseId, isReviewer: false, isAdmin: false, isBroker: false);
        var organisation = _m.Grains.GetGrain<IOrganisationGrain>(_m.EnterpriseId);
        var drafts = new List<ListingView>();
        for (var i = 0; i < 8; i++)
        {
            drafts.Add((await organisation.CreateListingAsync(owner, ListingType.Need, ListingGrainTests.CompleteNeed($"并发草稿 {i}"))).Value!);
        }

        var outcomes = await Task.WhenAll(drafts.Select(d => Task.Run(async () =>
        {
            var grain = _m.Grains.GetGrain<IListingGrain>(d.Id);
            var version = d.Version;
            var statuses = new List<OpStatus>();
            for (var n = 0; n < 10; n++)
            {
                var result = await grain.UpdateAsync(owner, ListingType.Need, version, ListingGrainTests.CompleteNeed($"并发草稿 {d.Id} 第 {n} 次"));
                statuses.Add(result.Status);
                version = result.Value?.Version ?? version;
            }

            return statuses;
        })));

        Assert.All(outcomes.SelectMany(s => s), s => Assert.Equal(OpStatus.Ok, s));
    }
}
