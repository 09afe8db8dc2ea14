using Microsoft.AspNetCore.Authorization;
using TechMarket.Data.Model;

namespace TechMarket.Server.Infrastructure;

/// <summary>The authorisation policies every endpoint chooses from.</summary>
internal static class Policies
{
    /// <summary>Any signed-in user.</summary>
    public const string SignedIn = nameof(SignedIn);

    /// <summary>A member of an enterprise, institute or agency (may post listings for it).</summary>
    public const string Member = nameof(Member);

    /// <summary>Members of a 高校院所 (institute): 揭榜 / 抢榜.</summary>
    public const string Institute = nameof(Institute);

    /// <summary>Organisers and admins: review listings.</summary>
    public const string Reviewer = nameof(Reviewer);

    /// <summary>登记员: technology contract registration.</summary>
    public const string Registrar = nameof(Registrar);

    /// <summary>技术经纪人: the broker's workspace.</summary>
    public const string Broker = nameof(Broker);

    /// <summary>Admins only: users, registries, audit log.</summary>
    public const string Admin = nameof(Admin);

    public static void Configure(AuthorizationOptions options)
    {
        options.AddPolicy(SignedIn, p => p.RequireAuthenticatedUser());
        options.AddPolicy(Member, p => p.RequireAuthenticatedUser().RequireClaim(ActorClaims.Organisation));
        options.AddPolicy(Institute, p => p.RequireAuthenticatedUser().RequireClaim(ActorClaims.Organisation).RequireRole(Roles.InstituteMember));
        options.AddPolicy(Reviewer, p => p.RequireAuthenticatedUser().RequireRole(Roles.Organiser, Roles.Admin));
        options.AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin));
        options.AddPolicy(Registrar, p => p.RequireAuthenticatedUser().RequireRole(Roles.Registrar));
        options.AddPolicy(Broker, p => p.RequireAuthenticatedUser().RequireRole(Roles.Broker));
    }
}
