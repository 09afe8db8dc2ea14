using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using TechMarket.Data.Model;

namespace TechMarket.Server.Infrastructure;

internal static class ActorClaims
{
    public const string Organisation = "tm:org";
    public const string DisplayName = "tm:name";
}

/// <summary>Reads the grains' <see cref="Actor"/> (who is asking) from the signed-in principal.</summary>
internal static class Actors
{
    public static Actor? From(ClaimsPrincipal user)
    {
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (user.Identity?.IsAuthenticated != true || !long.TryParse(id, CultureInfo.InvariantCulture, out var userId))
        {
            return null;
        }

        long? org = long.TryParse(user.FindFirstValue(ActorClaims.Organisation), CultureInfo.InvariantCulture, out var o) ? o : null;
        return new Actor(
            userId,
            org,
            user.IsInRole(Roles.Organiser) || user.IsInRole(Roles.Admin),
            user.IsInRole(Roles.Admin),
            user.IsInRole(Roles.Broker),
            user.IsInRole(Roles.Registrar));
    }
}

/// <summary>Adds the organisation and display name to the principal so requests need no extra query.</summary>
internal sealed class MarketClaimsFactory(
    UserManager<AppUser> users, RoleManager<IdentityRole<long>> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser, IdentityRole<long>>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.OrganisationId is { } org)
        {
            identity.AddClaim(new Claim(ActorClaims.Organisation, org.ToString(CultureInfo.InvariantCulture)));
        }

        identity.AddClaim(new Claim(ActorClaims.DisplayName, user.DisplayName));
        return identity;
    }
}
