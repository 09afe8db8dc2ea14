using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Seeding;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Features;

/// <summary>The demo market the README's run command starts: matches from the pipeline in every state.</summary>
public sealed class DemoMarketTests : IDisposable
{
    private readonly MarketFactory _factory = new(Backend.Sqlite) { Settings = new() { ["Demo:Seed"] = "true" } };

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task TheDemoMarketHasMatchesInEveryStateAndInTheDemoAccountsInboxes()
    {
        _ = _factory.CreateClient();
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
            var states = await db.Matches.AsNoTracking().Select(m => m.State).Distinct().ToListAsync();
            Assert.Equal(Enum.GetValues<MatchState>().Order(), states.Order());

            // Every demo match joins two published demo listings of different organisations.
            var pairs = await db.Matches.AsNoTracking().Select(m => new { m.Need!.IsDemo, Demo2 = m.Achievement!.IsDemo, N = m.Need.OrganisationId, A = m.Achievement.OrganisationId, m.Reasons }).ToListAsync();
            Assert.All(pairs, p => Assert.True(p.IsDemo && p.Demo2 && p.N != p.A));
            Assert.All(pairs, p => Assert.NotEqual("", p.Reasons));
        }

        foreach (var email in new[] { "enterprise@demo.techmarket", "institute@demo.techmarket" })
        {
            var (http, _) = await Support.Api.SignInAsync(_factory, email, DemoMarket.Password);
            var inbox = await http.GetFromJsonAsync<JsonElement>("/api/matches/inbox");
            Assert.NotEmpty(inbox.EnumerateArray());
        }
    }
}
