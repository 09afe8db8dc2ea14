using TechMarket.Server.Features.Alerts;
using Microsoft.AspNetCore.HttpOverrides;
using Orleans.Dashboard;
using TechMarket.Server.Components;
using TechMarket.Server.Features.Accounts;
using TechMarket.Server.Features.Admin;
using TechMarket.Server.Features.Events;
using TechMarket.Server.Features.Challenges;
using TechMarket.Server.Features.Brokers;
using TechMarket.Server.Features.Deals;
using TechMarket.Server.Features.Figures;
using TechMarket.Server.Features.Exchange;
using TechMarket.Server.Features.Listings;
using TechMarket.Server.Features.Matching;
using TechMarket.Server.Features.Organisations;
using TechMarket.Server.Features.Review;
using TechMarket.Server.Features.Search;
using TechMarket.Server.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddMarket();

var app = builder.Build();
await MarketSetup.InitialiseAsync(app.Services, app.Configuration);

app.UseForwardedHeaders(new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto });
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseStaticFiles();
app.UseAuthentication();
app.UseAuthorization();
app.UseOutputCache();
app.UseAntiforgery();

app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
app.UseSwaggerUI(o =>
{
    o.SwaggerEndpoint("/openapi/v1.json", "TechMarket API v1");
    o.RoutePrefix = "api/docs";
    o.DocumentTitle = "科技大市场 API";
});
app.MapHealthChecks("/health").AllowAnonymous();

// Orleans' dashboard for operators: silos, activations, grain calls and failures, reminders.
app.MapOrleansDashboard("/admin/cluster").RequireAuthorization(Policies.Admin);
app.MapAuth();
app.MapListings();
app.MapReview();
app.MapOrganisations();
app.MapAdmin();
app.MapExchange();
app.MapCoach();
app.MapSearch();
app.MapMatching();
app.MapChallenges();
app.MapAlerts();
app.MapEvents();
app.MapMeetings();
app.MapCampaignPlans();
app.MapDeals();
app.MapBrokers();
app.MapFigures();
app.MapUi();
app.MapChallengeUi();
app.MapEventUi();
app.MapAdminUi();
app.MapBrokerUi();
app.MapRazorComponents<App>().AllowAnonymous();

app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (var address in app.Urls)
    {
        var shown = address.Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal).Replace("://+", "://127.0.0.1", StringComparison.Ordinal);
        Console.WriteLine($"科技大市场已启动：{shown}（API 文档：{shown}/api/docs）");
    }
});

await app.RunAsync();

/// <summary>Entry point type, visible to the test host.</summary>
public partial class Program;
