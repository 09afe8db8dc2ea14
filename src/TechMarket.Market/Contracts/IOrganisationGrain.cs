using TechMarket.Data.Model;
using TechMarket.Data.Rules;

namespace TechMarket.Market.Contracts;

/// <summary>An enterprise, institute or service agency as the API shows it.</summary>
[GenerateSerializer, Immutable]
public sealed record OrganisationView
{
    [Id(0)]
    public long Id { get; init; }

    /// <summary>Enterprise, Institute or ServiceAgency.</summary>
    [Id(1)]
    public string Kind { get; init; } = "";

    [Id(2)]
    public string KindLabel { get; init; } = "";

    [Id(3)]
    public string Name { get; init; } = "";

    [Id(4)]
    public string CreditCode { get; init; } = "";

    [Id(5)]
    public string District { get; init; } = "";

    [Id(6)]
    public string Fields { get; init; } = "";

    [Id(7)]
    public string Qualifications { get; init; } = "";

    [Id(8)]
    public string Introduction { get; init; } = "";

    [Id(9)]
    public bool IsDemo { get; init; }

    [Id(10)]
    public long Version { get; init; }

    /// <summary>A new name waiting for review (shown to the organisation's members and reviewers only).</summary>
    [Id(11)]
    public string? PendingName { get; init; }

    [Id(12)]
    public DateTime? PendingNameAt { get; init; }

    /// <summary>Why the last requested name was rejected (members and reviewers only).</summary>
    [Id(13)]
    public string NameReviewNote { get; init; } = "";

    /// <summary>When the 统一社会信用代码 was checked by an organiser or admin; null when not verified.</summary>
    [Id(14)]
    public DateTime? VerifiedAt { get; init; }

    [Id(15)]
    public bool IsVerified { get; init; }

    /// <summary>What everyone may see: the published name, without the name under review or its rejection.</summary>
    public OrganisationView Public() => this with { PendingName = null, PendingNameAt = null, NameReviewNote = "" };

    public static OrganisationView From(Organisation o)
    {
        ArgumentNullException.ThrowIfNull(o);
        return new()
        {
            Id = o.Id,
            Kind = o.Kind.ToString(),
            KindLabel = Labels.Of(o.Kind),
            Name = o.Name,
            CreditCode = o.CreditCode,
            District = o.District,
            Fields = o.Fields,
            Qualifications = o.Qualifications,
            Introduction = o.Introduction,
            IsDemo = o.IsDemo,
            Version = o.Version,
            PendingName = o.PendingName,
            PendingNameAt = o.PendingNameAt,
            NameReviewNote = o.NameReviewNote,
            VerifiedAt = o.VerifiedAt,
            IsVerified = o.VerifiedAt is not null,
        };
    }
}

/// <summary>
/// An edit of an organisation's profile; null fields stay as they are. A new name does not take effect: it waits
/// for an organiser's or admin's review (<see cref="IOrganisationGrain.ReviewNameAsync"/>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OrganisationChange
{
    [Id(0)]
    public string? Name { get; init; }

    [Id(1)]
    public string? District { get; init; }

    [Id(2)]
    public string[]? Fields { get; init; }

    [Id(3)]
    public string[]? Qualifications { get; init; }

    [Id(4)]
    public string? Introduction { get; init; }
}

/// <summary>
/// A colleague's account to add to an organisation. The password arrives hashed by the host (with Identity's
/// hasher, after its password rules), so no password crosses the cluster.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record NewMember
{
    [Id(0)]
    public string Email { get; init; } = "";

    [Id(1)]
    public string DisplayName { get; init; } = "";

    [Id(2)]
    public string PasswordHash { get; init; } = "";
}

/// <summary>A member of an organisation, as added.</summary>
[GenerateSerializer, Immutable]
public sealed record OrganisationMember
{
    [Id(0)]
    public long UserId { get; init; }

    [Id(1)]
    public string Email { get; init; } = "";

    [Id(2)]
    public string DisplayName { get; init; } = "";

    [Id(3)]
    public long OrganisationId { get; init; }

    [Id(4)]
    public string OrganisationName { get; init; } = "";

    /// <summary>The platform role that goes with the organisation's kind.</summary>
    [Id(5)]
    public string Role { get; init; } = "";
}

/// <summary>
/// One organisation (keyed by its row id): its profile and qualifications, and the listings it creates — a new
/// need or achievement is born here, then lives in its own <see cref="IListingGrain"/>.
/// </summary>
public interface IOrganisationGrain : IGrainWithIntegerKey
{
    Task<OpResult<OrganisationView>> UpdateProfileAsync(Actor actor, long expectedVersion, OrganisationChange change);

    Task<OpResult<ListingView>> CreateListingAsync(Actor actor, ListingType kind, ListingInput input);

    /// <summary>A member adds a colleague's account, with the role of the organisation's kind.</summary>
    Task<OpResult<OrganisationMember>> AddMemberAsync(Actor actor, NewMember member);

    /// <summary>
    /// An organiser or admin approves the pending name (it becomes the published one) or rejects it with a reason (the
    /// old name stays); the organisation's members get an inbox message either way. Against the version reviewed.
    /// </summary>
    Task<OpResult<OrganisationView>> ReviewNameAsync(Actor actor, long expectedVersion, bool approve, string? reason);

    /// <summary>An organiser or admin records that the 统一社会信用代码 was checked (or withdraws that).</summary>
    Task<OpResult<OrganisationView>> VerifyAsync(Actor actor, bool verified);
}
