namespace TechMarket.Market.Contracts;

/// <summary>What an organisation says when it declares interest in a campaign (意向报名).</summary>
[GenerateSerializer, Immutable]
public sealed record CampaignInterestDraft
{
    /// <summary>领域 it cares about (empty: those of its listings).</summary>
    [Id(0)]
    public string[]? Fields { get; init; }

    /// <summary>Days it can come (empty: any day of the campaign's events).</summary>
    [Id(1)]
    public DateOnly[]? AvailableDates { get; init; }

    /// <summary>Most events it attends (1–10; default 1).</summary>
    [Id(2)]
    public int? MaxEvents { get; init; }

    [Id(3)]
    public string? Offers { get; init; }

    [Id(4)]
    public string? Seeks { get; init; }

    /// <summary>Its published listings it brings.</summary>
    [Id(5)]
    public long[]? ListingIds { get; init; }
}

/// <summary>An interest as its organisation and the organisers see it.</summary>
[GenerateSerializer, Immutable]
public sealed record CampaignInterestView
{
    [Id(0)]
    public long Id { get; init; }

    [Id(1)]
    public long CampaignId { get; init; }

    [Id(2)]
    public long OrganisationId { get; init; }

    [Id(3)]
    public string OrganisationName { get; init; } = "";

    /// <summary>企业 / 高校院所 / 服务机构.</summary>
    [Id(4)]
    public string OrganisationKind { get; init; } = "";

    [Id(5)]
    public string Status { get; init; } = "";

    [Id(6)]
    public string StatusLabel { get; init; } = "";

    [Id(7)]
    public string[] Fields { get; init; } = [];

    [Id(8)]
    public DateOnly[] AvailableDates { get; init; } = [];

    [Id(9)]
    public int MaxEvents { get; init; }

    [Id(10)]
    public string Offers { get; init; } = "";

    [Id(11)]
    public string Seeks { get; init; } = "";

    [Id(12)]
    public long[] ListingIds { get; init; } = [];

    [Id(13)]
    public DateTime UpdatedAt { get; init; }

    [Id(14)]
    public long Version { get; init; }
}

/// <summary>How well an interested organisation fits one of the campaign's events (0–100), and why.</summary>
[GenerateSerializer, Immutable]
public sealed record CampaignAffinity
{
    [Id(0)]
    public long InterestId { get; init; }

    [Id(1)]
    public long EventId { get; init; }

    [Id(2)]
    public double Score { get; init; }

    [Id(3)]
    public string Reason { get; init; } = "";
}

/// <summary>What a plan (or its confirmation) reached.</summary>
[GenerateSerializer, Immutable]
public sealed record CampaignPlanResult
{
    /// <summary>Lines planned (or, when confirming, registered).</summary>
    [Id(0)]
    public int Assigned { get; init; }

    /// <summary>Active interests with no event in the plan (or lines the events refused when confirming).</summary>
    [Id(1)]
    public int Unassigned { get; init; }

    /// <summary>Sum of the planned lines' affinity: the maximum the planner can reach on this input.</summary>
    [Id(2)]
    public double TotalScore { get; init; }

    /// <summary>In Chinese, for the page.</summary>
    [Id(3)]
    public string Summary { get; init; } = "";
}

/// <summary>An interested organisation the campaign's plan sends to an event (the event's grain registers it).</summary>
[GenerateSerializer, Immutable]
public sealed record CampaignAdmission
{
    [Id(0)]
    public long AssignmentId { get; init; }

    [Id(1)]
    public long OrganisationId { get; init; }

    /// <summary>The member who declared the interest: the registration's member.</summary>
    [Id(2)]
    public long UserId { get; init; }

    [Id(3)]
    public string Offers { get; init; } = "";

    [Id(4)]
    public string Seeks { get; init; } = "";

    [Id(5)]
    public long[] ListingIds { get; init; } = [];
}

/// <summary>What the event did with one admission: the registration, or why not.</summary>
[GenerateSerializer, Immutable]
public sealed record CampaignAdmissionResult
{
    [Id(0)]
    public long AssignmentId { get; init; }

    [Id(1)]
    public long? RegistrationId { get; init; }

    /// <summary>Why not registered, in Chinese (empty when registered).</summary>
    [Id(2)]
    public string Refusal { get; init; } = "";
}

/// <summary>
/// One campaign (key: its id): organisations' interest, and the plan that assigns interested organisations to the
/// campaign's open events by affinity, capacity and dates through the scheduling library's campaign planner
/// (min-cost flow, exact). Confirming the plan registers each line through its event's grain. It also keeps the
/// campaign's shared lists: the achievements it promotes and the 揭榜挂帅 challenges it carries.
/// </summary>
public interface ICampaignGrain : IGrainWithIntegerKey
{
    /// <summary>Declares (or changes) the actor's organisation's interest.</summary>
    Task<OpResult<CampaignInterestView>> DeclareInterestAsync(Actor actor, CampaignInterestDraft draft);

    /// <summary>Withdraws it; its planned lines not yet registered are dropped.</summary>
    Task<OpResult<CampaignInterestView>> WithdrawInterestAsync(Actor actor);

    /// <summary>Organisers: plans the active interests over the open events, replacing the lines still planned.</summary>
    Task<OpResult<CampaignPlanResult>> PlanAsync(Actor actor, CampaignAffinity[] affinities);

    /// <summary>Organisers: registers every planned line at its event (approved at once: the interest is the consent).</summary>
    Task<OpResult<CampaignPlanResult>> ConfirmPlanAsync(Actor actor);

    /// <summary>Organisers: drops one planned line (undo before confirming).</summary>
    Task<OpResult<CampaignPlanResult>> DropAssignmentAsync(Actor actor, long assignmentId);

    /// <summary>Organisers: puts a published achievement (推介成果) or 揭榜挂帅 challenge need on the campaign's shared lists.</summary>
    Task<OpResult<bool>> AddListingAsync(Actor actor, long listingId, string? note);

    /// <summary>Organisers: takes it off again.</summary>
    Task<OpResult<bool>> RemoveListingAsync(Actor actor, long listingId);
}
