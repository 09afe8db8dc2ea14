using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Api;

/// <summary>Every endpoint states its authorisation rule, and every protected write endpoint is in the matrix test.</summary>
public sealed class EndpointPolicyTests : IDisposable
{
    private readonly MarketFactory _factory = new(Backend.Sqlite);

    public void Dispose() => _factory.Dispose();

    private List<RouteEndpoint> Endpoints()
    {
        _ = _factory.Server;
        return [.. _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()];
    }

    [Fact]
    public void EveryEndpointDeclaresAnAuthorisationRule()
    {
        var endpoints = Endpoints();

        var undeclared = endpoints
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null && e.Metadata.GetMetadata<IAuthorizeData>() is null)
            .Select(e => e.RoutePattern.RawText)
            .ToList();

        Assert.NotEmpty(endpoints);
        Assert.Empty(undeclared);
    }

    [Fact]
    public void EveryProtectedApiEndpointIsCoveredByTheMatrix()
    {
        var covered = AuthorizationMatrixTests.Endpoints.ToHashSet(StringComparer.Ordinal);

        var protectedApi = Endpoints()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => $"{m} {Normalise(e.RoutePattern.RawText!)}"))
            .ToList();
        var missing = protectedApi.Where(e => !covered.Contains(e)).ToList();

        Assert.NotEmpty(protectedApi);
        Assert.Empty(missing);
    }

    /// <summary>Route constraints dropped: "/api/x/{id:long}/y/{itemId:long}/" → "/api/x/{id}/y/{itemId}".</summary>
    private static string Normalise(string route) =>
        route.Replace(":long}", "}", StringComparison.Ordinal).TrimEnd('/');
}
