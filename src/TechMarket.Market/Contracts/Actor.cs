
namespace TechMarket.Market.Contracts;

/// <summary>Who is asking: the signed-in user, their organisation and their roles. Null user id never occurs.</summary>
[GenerateSerializer, Immutable]
public sealed record Actor
{
    public Actor(long userId, long? organisationId, bool isReviewer, bool isAdmin, bool isBroker, bool isRegistrar = false)
    {
        IsRegistrar = isRegistrar;
        UserId = userId;
        OrganisationId = organisationId;
        IsReviewer = isReviewer;
        IsAdmin = isAdmin;
        IsBroker = isBroker;
    }

    [Id(0)]
    public long UserId { get; init; }

    [Id(1)]
    public long? OrganisationId { get; init; }

    /// <summary>Organisers and admins review (审核) listings.</summary>
    [Id(2)]
    public bool IsReviewer { get; init; }

    [Id(3)]
    public bool IsAdmin { get; init; }

    [Id(4)]
    public bool IsBroker { get; init; }

    /// <summary>登记员: registers or refuses technology contracts.</summary>
    [Id(5)]
    public bool IsRegistrar { get; init; }
}
