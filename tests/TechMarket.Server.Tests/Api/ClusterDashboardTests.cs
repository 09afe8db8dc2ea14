using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Api;

/// <summary>Orleans' dashboard at /admin/cluster: admins only.</summary>
public sealed class ClusterDashboardTests : IDisposable
{
    private readonly MarketFactory _factory = new(Backend.Sqlite);

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task OnlyAdminsSeeTheClusterDashboard()
    {
        var anonymous = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var (member, _) = await Support.Api.NewMemberAsync(_factory);
        var (organiser, _) = await Support.Api.NewOrganiserAsync(_factory);
        var (admin, _) = await Support.Api.AdminAsync(_factory);

        var toLogin = await anonymous.GetAsync("/admin/cluster/");
        var memberAnswer = await member.GetAsync("/admin/cluster/ClusterStats");
        var organiserAnswer = await organiser.GetAsync("/admin/cluster/ClusterStats");
        var page = await admin.GetAsync("/admin/cluster/");
        var stats = await admin.GetAsync("/admin/cluster/ClusterStats");

        Assert.Equal(HttpStatusCode.Redirect, toLogin.StatusCode);
        Assert.StartsWith("/login", toLogin.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, memberAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, organiserAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(System.Text.Json.JsonValueKind.Object, System.Text.Json.JsonDocument.Parse(await stats.Content.ReadAsStringAsync()).RootElement.ValueKind);
    }
}
