namespace TechMarket.Client;

/// <summary>One page of a list.</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

/// <summary>The editable fields of a need or achievement (see the server's ListingInput).</summary>
public sealed record ListingInput
{
    public string? Title { get; init; }

    public string? Summary { get; init; }

    public string? Keywords { get; init; }

    public string? Field { get; init; }

    public IReadOnlyList<string>? TransferModes { get; init; }

    public string? ContactName { get; init; }

    public string? ContactPhone { get; init; }

    public string? Problem { get; init; }

    public string? KeyPoints { get; init; }

    public string? Targets { get; init; }

    public decimal? BudgetWan { get; init; }

    public DateOnly? ValidUntil { get; init; }

    public bool IsChallenge { get; init; }

    public decimal? BountyWan { get; init; }

    public DateOnly? ChallengeDeadline { get; init; }

    public string? Maturity { get; init; }

    public int? Trl { get; init; }

    public string? IntellectualProperty { get; init; }

    public decimal? PriceWan { get; init; }

    public bool UseFirstPayLater { get; init; }
}

/// <summary>A need or achievement as the server shows it.</summary>
public sealed record Listing
{
    public long Id { get; init; }

    public string Kind { get; init; } = "";

    public string Title { get; init; } = "";

    public string Summary { get; init; } = "";

    public string Keywords { get; init; } = "";

    public string Field { get; init; } = "";

    public IReadOnlyList<string> TransferModes { get; init; } = [];

    public string Status { get; init; } = "";

    public string StatusLabel { get; init; } = "";

    public string? ReviewNote { get; init; }

    public long OrganisationId { get; init; }

    public string OrganisationName { get; init; } = "";

    public string District { get; init; } = "";

    public DateTime? PublishedAt { get; init; }

    public bool IsDemo { get; init; }

    public long Version { get; init; }

    public string? Problem { get; init; }

    public decimal? BudgetWan { get; init; }

    public bool IsChallenge { get; init; }

    public string? Maturity { get; init; }

    public decimal? PriceWan { get; init; }
}

/// <summary>Registration of an organisation with its first member.</summary>
public sealed record Registration
{
    public string? Email { get; init; }

    public string? Password { get; init; }

    public string? DisplayName { get; init; }

    /// <summary>enterprise, institute or agency.</summary>
    public string? OrganisationKind { get; init; }

    public string? OrganisationName { get; init; }

    public string? CreditCode { get; init; }

    public string? District { get; init; }

    public IReadOnlyList<string>? Fields { get; init; }

    public IReadOnlyList<string>? Qualifications { get; init; }
}

public sealed record Account(long Id, string Email, string DisplayName, long? OrganisationId, string? OrganisationName, IReadOnlyList<string> Roles);

public sealed record Credentials(string Email, string Password);

/// <summary>The bearer token answer of /api/auth/login.</summary>
public sealed record TokenResponse
{
    public string TokenType { get; init; } = "";

    public string AccessToken { get; init; } = "";

    public long ExpiresIn { get; init; }

    public string RefreshToken { get; init; } = "";
}

public sealed record ReturnRequest(string Note);
