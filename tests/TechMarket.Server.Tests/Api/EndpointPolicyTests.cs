using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TechMarket.Server.Infrastructure;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Api;

/// <summary>
/// Every endpoint states its authorisation rule, every protected write endpoint is in the matrix test, and every
/// 揭榜挂帅 form post of the web UI is in <see cref="ChallengeForms"/> with its policy.
/// </summary>
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

    /// <summary>
    /// The 揭榜挂帅, event, campaign, admin, broker, deal and figures form posts (/ui/challenges/…, /ui/events/…,
    /// /ui/campaigns/…, /ui/admin/…, /ui/broker/…, /ui/deals/…, /ui/figures/…) and the policy each requires; the grain or service then decides
    /// who of those may take the step. The API matrix covers /api only, so these rows keep the form posts complete:
    /// a new one without a row fails <see cref="EveryChallengeFormPostIsInTheTableWithItsPolicy"/>.
    /// </summary>
    public static TheoryData<string, string> ChallengeForms => new()
    {
        { "POST /ui/challenges/apply", Policies.Institute },
        { "POST /ui/challenges/{id}/setup", Policies.SignedIn },
        { "POST /ui/challenges/{id}/close", Policies.SignedIn },
        { "POST /ui/challenges/{id}/applications/{applicationId}/review", Policies.SignedIn },
        { "POST /ui/challenges/{id}/award", Policies.Reviewer },
        { "POST /ui/challenges/{id}/milestones", Policies.SignedIn },
        { "POST /ui/challenges/{id}/milestones/{milestoneId}/done", Policies.SignedIn },
        { "POST /ui/events/new", Policies.Reviewer },
        { "POST /ui/events/{id}/register", Policies.Member },
        { "POST /ui/events/{id}/withdraw", Policies.Member },
        { "POST /ui/events/{id}/status", Policies.Reviewer },
        { "POST /ui/events/{id}/registrations/{registrationId}/approve", Policies.Reviewer },
        { "POST /ui/events/{id}/registrations/{registrationId}/reject", Policies.Reviewer },
        { "POST /ui/events/{id}/meetings", Policies.Member },
        { "POST /ui/events/{id}/meetings/{meetingId}/answer", Policies.Member },
        { "POST /ui/events/{id}/meetings/{meetingId}/cancel", Policies.SignedIn },
        { "POST /ui/events/{id}/meetings/{meetingId}/pin", Policies.Reviewer },
        { "POST /ui/events/{id}/meetings/{meetingId}/outcome", Policies.Member },
        { "POST /ui/events/{id}/proposals", Policies.Reviewer },
        { "POST /ui/events/{id}/schedule", Policies.Reviewer },
        { "POST /ui/events/{id}/checkin", Policies.Reviewer },
        { "POST /ui/events/{id}/registrations/{registrationId}/no-show", Policies.Reviewer },
        { "POST /ui/events/{id}/walk-ins", Policies.Reviewer },
        { "POST /ui/campaigns/{id}/interest", Policies.Member },
        { "POST /ui/campaigns/{id}/interest/withdraw", Policies.Member },
        { "POST /ui/campaigns/{id}/plan", Policies.Reviewer },
        { "POST /ui/campaigns/{id}/plan/confirm", Policies.Reviewer },
        { "POST /ui/campaigns/{id}/plan/{assignmentId}/drop", Policies.Reviewer },
        { "POST /ui/campaigns/{id}/listings", Policies.Reviewer },
        { "POST /ui/campaigns/{id}/listings/{listingId}/remove", Policies.Reviewer },
        { "POST /ui/admin/users/{id}/roles", Policies.Admin },
        { "POST /ui/admin/brokers", Policies.Admin },
        { "POST /ui/admin/brokers/{id}", Policies.Admin },
        { "POST /ui/admin/organisations/{id}/name/approve", Policies.Reviewer },
        { "POST /ui/admin/organisations/{id}/name/reject", Policies.Reviewer },
        { "POST /ui/admin/organisations/{id}/verify", Policies.Reviewer },
        { "POST /ui/broker/claim", Policies.Broker },
        { "POST /ui/broker/matches/{id}/move", Policies.Broker },
        { "POST /ui/broker/matches/{id}/undo", Policies.Broker },
        { "POST /ui/broker/matches/{id}/release", Policies.Broker },
        { "POST /ui/broker/tasks", Policies.Broker },
        { "POST /ui/broker/tasks/{taskId}/done", Policies.Broker },
        { "POST /ui/broker/tasks/{taskId}/reopen", Policies.Broker },
        { "POST /ui/broker/tasks/{taskId}/cancel", Policies.Broker },
        { "POST /ui/broker/mined", Policies.Broker },
        { "POST /ui/broker/mined/{needId}/withdraw", Policies.Broker },
        { "POST /ui/deals/{id}/apply", Policies.Member },
        { "POST /ui/deals/{id}/cancel", Policies.SignedIn },
        { "POST /ui/deals/{id}/register", Policies.Registrar },
        { "POST /ui/deals/{id}/refuse", Policies.Registrar },
        { "POST /ui/figures/balance/check", Policies.Reviewer },
    };

    [Fact]
    public void EveryChallengeFormPostIsInTheTableWithItsPolicy()
    {
        var expected = ChallengeForms.ToDictionary(row => (string)row[0], row => (string)row[1], StringComparer.Ordinal);

        var actual = Endpoints()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/ui/challenges", StringComparison.Ordinal) == true || e.RoutePattern.RawText?.StartsWith("/ui/events", StringComparison.Ordinal) == true
                || e.RoutePattern.RawText?.StartsWith("/ui/campaigns", StringComparison.Ordinal) == true || e.RoutePattern.RawText?.StartsWith("/ui/admin", StringComparison.Ordinal) == true
                || e.RoutePattern.RawText?.StartsWith("/ui/broker", StringComparison.Ordinal) == true || e.RoutePattern.RawText?.StartsWith("/ui/deals", StringComparison.Ordinal) == true
                || e.RoutePattern.RawText?.StartsWith("/ui/figures", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => (Endpoint: $"{m} {Normalise(e.RoutePattern.RawText!)}", Policy: string.Join(",", e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy)))))
            .ToDictionary(x => x.Endpoint, x => x.Policy, StringComparer.Ordinal);

        Assert.Equal(expected.OrderBy(x => x.Key, StringComparer.Ordinal), actual.OrderBy(x => x.Key, StringComparer.Ordinal));
    }

    /// <summary>
    /// A visitor is sent to the login page; an enterprise member the policy admits, posting without the page's
    /// antiforgery token, gets 400, and one it does not admit (institutes only, organisers only) 403. Never a 5xx.
    /// </summary>
    [Theory]
    [MemberData(nameof(ChallengeForms))]
    public async Task AChallengeFormPostSendsVisitorsToSignInAndRefusesAPostWithoutItsToken(string endpoint, string policy)
    {
        var url = endpoint.Split(' ')[1].Replace("{id}", "1", StringComparison.Ordinal)
            .Replace("{applicationId}", "1", StringComparison.Ordinal).Replace("{milestoneId}", "1", StringComparison.Ordinal)
            .Replace("{meetingId}", "1", StringComparison.Ordinal).Replace("{registrationId}", "1", StringComparison.Ordinal)
            .Replace("{assignmentId}", "1", StringComparison.Ordinal).Replace("{listingId}", "1", StringComparison.Ordinal)
            .Replace("{taskId}", "1", StringComparison.Ordinal).Replace("{needId}", "1", StringComparison.Ordinal);
        var fields = new Dictionary<string, string>
        {
            ["needId"] = "1",
            ["version"] = "1",
            ["rule"] = "Open",
            ["places"] = "1",
            ["score"] = "80",
            ["applicationId"] = "1",
            ["title"] = "中试验证",
            ["dueDate"] = "2027-06-30",
            ["plan"] = "技术方案",
        };
        using var anonymous = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var (member, _) = await Support.Api.NewMemberAsync(_factory);
        using var visitorForm = new FormUrlEncodedContent(fields);
        using var memberForm = new FormUrlEncodedContent(fields);

        var visitor = await anonymous.PostAsync(new Uri(url, UriKind.Relative), visitorForm);
        var byMember = await member.PostAsync(new Uri(url, UriKind.Relative), memberForm);

        Assert.Equal(HttpStatusCode.Redirect, visitor.StatusCode);
        Assert.Contains("/login?ReturnUrl=", visitor.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal(policy is Policies.SignedIn or Policies.Member ? HttpStatusCode.BadRequest : HttpStatusCode.Forbidden, byMember.StatusCode);
        member.Dispose();
    }

    /// <summary>Route constraints dropped: "/api/x/{id:long}/y/{itemId:long}/" → "/api/x/{id}/y/{itemId}".</summary>
    private static string Normalise(string route) =>
        route.Replace(":long}", "}", StringComparison.Ordinal).TrimEnd('/');
}
