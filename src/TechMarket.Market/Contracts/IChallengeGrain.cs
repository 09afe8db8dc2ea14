using TechMarket.Data.Model;

namespace TechMarket.Market.Contracts;

/// <summary>What the need's owner or an organiser sets up (发榜): the rule, the places, the requirements, the reviewers.</summary>
[GenerateSerializer, Immutable]
public sealed record ChallengeSetup(
    [property: Id(0)] ChallengeRule Rule,
    [property: Id(1)] int Places,
    [property: Id(2)] string? Requirements,
    [property: Id(3)] DateTime? OpensAt,
    [property: Id(4)] long[] ReviewerUserIds);

/// <summary>揭榜 / 抢榜: an institute's plan, team and price (万元; null: 面议).</summary>
[GenerateSerializer, Immutable]
public sealed record ApplicationInput(
    [property: Id(0)] string? Plan,
    [property: Id(1)] string? Team,
    [property: Id(2)] decimal? PriceWan);

/// <summary>A challenge as the API and the UI show it; applications only to those who may see them.</summary>
[GenerateSerializer, Immutable]
public sealed record ChallengeView
{
    [Id(0)]
    public long NeedId { get; init; }

    [Id(1)]
    public string NeedTitle { get; init; } = "";

    [Id(2)]
    public long OrganisationId { get; init; }

    [Id(3)]
    public string OrganisationName { get; init; } = "";

    [Id(4)]
    public decimal? BountyWan { get; init; }

    [Id(5)]
    public DateOnly? Deadline { get; init; }

    /// <summary>The rule's name (<see cref="ChallengeRule"/>).</summary>
    [Id(6)]
    public string Rule { get; init; } = "";

    [Id(7)]
    public string RuleLabel { get; init; } = "";

    [Id(8)]
    public int Places { get; init; }

    /// <summary>Places taken so far under 抢榜 (0 under the open rule).</summary>
    [Id(9)]
    public int PlacesTaken { get; init; }

    [Id(10)]
    public string Requirements { get; init; } = "";

    [Id(11)]
    public DateTime? OpensAt { get; init; }

    [Id(12)]
    public string Status { get; init; } = "";

    [Id(13)]
    public string StatusLabel { get; init; } = "";

    [Id(14)]
    public int ApplicationCount { get; init; }

    /// <summary>The assigned reviewers' user ids; empty for those who may not see the applications.</summary>
    [Id(15)]
    public long[] ReviewerUserIds { get; init; } = [];

    /// <summary>All applications for the owner, organisers and reviewers; an applicant's own only; otherwise none.</summary>
    [Id(16)]
    public ApplicationView[] Applications { get; init; } = [];

    [Id(17)]
    public long? AwardedApplicationId { get; init; }

    [Id(18)]
    public string AwardedOrganisationName { get; init; } = "";

    [Id(19)]
    public MilestoneView[] Milestones { get; init; } = [];

    [Id(20)]
    public long Version { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record ApplicationView
{
    [Id(0)]
    public long Id { get; init; }

    [Id(1)]
    public long NeedId { get; init; }

    [Id(2)]
    public long OrganisationId { get; init; }

    [Id(3)]
    public string OrganisationName { get; init; } = "";

    [Id(4)]
    public string Plan { get; init; } = "";

    [Id(5)]
    public string Team { get; init; } = "";

    [Id(6)]
    public decimal? PriceWan { get; init; }

    [Id(7)]
    public DateTime ArrivedAt { get; init; }

    /// <summary>1, 2, 3 … in the order the challenge received the applications.</summary>
    [Id(8)]
    public int ArrivalSeq { get; init; }

    /// <summary>The status's name (<see cref="ApplicationStatus"/>).</summary>
    [Id(9)]
    public string Status { get; init; } = "";

    [Id(10)]
    public string StatusLabel { get; init; } = "";

    [Id(11)]
    public ReviewView[] Reviews { get; init; } = [];

    [Id(12)]
    public double? AverageScore { get; init; }

    [Id(13)]
    public long Version { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record ReviewView(
    [property: Id(0)] long Id,
    [property: Id(1)] long ApplicationId,
    [property: Id(2)] long ReviewerUserId,
    [property: Id(3)] int Score,
    [property: Id(4)] string Comment,
    [property: Id(5)] DateTime CreatedAt);

[GenerateSerializer, Immutable]
public sealed record MilestoneView(
    [property: Id(0)] long Id,
    [property: Id(1)] long NeedId,
    [property: Id(2)] string Title,
    [property: Id(3)] DateOnly DueDate,
    [property: Id(4)] DateTime? DoneAt);

/// <summary>
/// 揭榜挂帅 on one published need (key: the need's id): 发榜 (set up by the need's organisation or an organiser),
/// 揭榜 / 抢榜 (institute members apply while open and before the need's deadline; under 抢榜 the first
/// <c>Places</c> claims in the order this grain receives them win, later ones are recorded as 未抢到), 截止揭榜,
/// 评榜 (the assigned reviewers score), 定榜 (an organiser awards one application) and the award's milestones.
/// The grain is single-threaded, so its arrival order is the order of its turns; each application's sequence
/// number is saved with it, so the order is provable afterwards. The rows in "Challenges" and around it are its state.
/// </summary>
public interface IChallengeGrain : IGrainWithIntegerKey
{
    /// <summary>发榜 or a change of it. <paramref name="expectedVersion"/> null when none exists yet.</summary>
    Task<OpResult<ChallengeView>> SetUpAsync(Actor actor, long? expectedVersion, ChallengeSetup setup);

    /// <summary>揭榜 (open rule) or 抢榜 (first-come): one application per institute.</summary>
    Task<OpResult<ApplicationView>> ApplyAsync(Actor actor, ApplicationInput input);

    /// <summary>截止揭榜: no more applications; review begins.</summary>
    Task<OpResult<ChallengeView>> CloseApplicationsAsync(Actor actor, long expectedVersion);

    /// <summary>评榜: an assigned reviewer scores (0–100) an application; a second score by the same reviewer replaces the first.</summary>
    Task<OpResult<ReviewView>> ReviewAsync(Actor actor, long applicationId, int score, string? comment);

    /// <summary>定榜: an organiser awards one application; the other candidates become 未中榜.</summary>
    Task<OpResult<ChallengeView>> AwardAsync(Actor actor, long expectedVersion, long applicationId);

    Task<OpResult<MilestoneView>> AddMilestoneAsync(Actor actor, string? title, DateOnly dueDate);

    Task<OpResult<MilestoneView>> CompleteMilestoneAsync(Actor actor, long milestoneId);

    /// <summary>The challenge as <paramref name="actor"/> (null: a visitor) may see it.</summary>
    Task<OpResult<ChallengeView>> GetAsync(Actor? actor);
}
