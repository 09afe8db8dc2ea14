using TechMarket.Data.Model;

namespace TechMarket.Market.Contracts;

/// <summary>A match as one of its parties (or a broker, organiser or admin) sees it.</summary>
[GenerateSerializer, Immutable]
public sealed record MatchView
{
    [Id(0)]
    public long Id { get; init; }

    [Id(1)]
    public long NeedId { get; init; }

    [Id(2)]
    public string NeedTitle { get; init; } = "";

    [Id(3)]
    public long NeedOrganisationId { get; init; }

    [Id(4)]
    public string NeedOrganisationName { get; init; } = "";

    [Id(5)]
    public long AchievementId { get; init; }

    [Id(6)]
    public string AchievementTitle { get; init; } = "";

    [Id(7)]
    public long AchievementOrganisationId { get; init; }

    [Id(8)]
    public string AchievementOrganisationName { get; init; } = "";

    /// <summary>The state's name (<see cref="MatchState"/>).</summary>
    [Id(9)]
    public string State { get; init; } = "";

    [Id(10)]
    public string StateLabel { get; init; } = "";

    [Id(11)]
    public string ProposedBy { get; init; } = "";

    [Id(12)]
    public double Score { get; init; }

    [Id(13)]
    public string[] Reasons { get; init; } = [];

    [Id(14)]
    public DateTime? NeedInterestAt { get; init; }

    [Id(15)]
    public string NeedMessage { get; init; } = "";

    [Id(16)]
    public DateTime? AchievementInterestAt { get; init; }

    [Id(17)]
    public string AchievementMessage { get; init; } = "";

    /// <summary>The reason's name (<see cref="Data.Model.DeclineReason"/>), empty unless declined.</summary>
    [Id(18)]
    public string DeclineReason { get; init; } = "";

    [Id(19)]
    public string DeclineReasonLabel { get; init; } = "";

    [Id(20)]
    public string DeclineNote { get; init; } = "";

    /// <summary>Both sides' contacts: shown to the parties once both are interested, otherwise empty.</summary>
    [Id(21)]
    public MatchContacts? Contacts { get; init; }

    [Id(22)]
    public long Version { get; init; }

    [Id(23)]
    public DateTime UpdatedAt { get; init; }

    /// <summary>The broker following it up, if any.</summary>
    [Id(24)]
    public long? BrokerUserId { get; init; }

    [Id(25)]
    public string BrokerName { get; init; } = "";

    /// <summary>The pipeline board's column (<see cref="Brokers.BrokerStages"/>): proposed, contacted, met, negotiating, deal, declined.</summary>
    [Id(26)]
    public string Stage { get; init; } = "";

    /// <summary>Whether the broker's last move can be undone.</summary>
    [Id(27)]
    public bool CanUndo { get; init; }
}

/// <summary>The two sides' contact people, revealed by double opt-in.</summary>
[GenerateSerializer, Immutable]
public sealed record MatchContacts(
    [property: Id(0)] string NeedContactName,
    [property: Id(1)] string NeedContactPhone,
    [property: Id(2)] string AchievementContactName,
    [property: Id(3)] string AchievementContactPhone);

/// <summary>What the suggesting side knew when a pair was first recorded: the model's score and reasons.</summary>
[GenerateSerializer, Immutable]
public sealed record MatchProposal(
    [property: Id(0)] double Score,
    [property: Id(1)] string[] Reasons);

/// <summary>
/// One need × achievement pair (key <c>"{needId}:{achievementId}"</c>): its state machine, proposed → interest on one
/// side → on both (double opt-in: then each side sees the other's contacts) → handed to a broker or a meeting → …,
/// or declined with a reason, which is kept as a label for the next model. The row in "Matches" is its state.
/// </summary>
public interface IMatchGrain : IGrainWithStringKey
{
    /// <summary>我感兴趣: a member of the need's or the achievement's organisation, with an optional message.</summary>
    Task<OpResult<MatchView>> ExpressInterestAsync(Actor actor, string? message, MatchProposal? proposal);

    /// <summary>A party declines, with a reason (不相关 / 阶段不符 / 价格不符 / 已有合作方 / 其他) and an optional note.</summary>
    Task<OpResult<MatchView>> DeclineAsync(Actor actor, DeclineReason reason, string? note);

    /// <summary>The match as <paramref name="actor"/> may see it; not found for anyone else, or when no row exists.</summary>
    Task<OpResult<MatchView>> GetAsync(Actor actor);

    /// <summary>
    /// What happened at an event moves the match (a party's member, or an organiser, acts): a meeting accepted →
    /// 已约见面, an outcome 有合作可能 → 已见面, 达成意向 → 洽谈中, 签约 → 已成交, 无合作意向 → 已婉拒 (a label for the
    /// next model). The state only moves forward; a declined or closed match stays as it is.
    /// </summary>
    Task<OpResult<MatchView>> AdvanceFromEventAsync(Actor actor, MatchState target, string eventTitle);

    /// <summary>A registered broker takes the match up (认领); the row is created if nobody acted on the pair yet.</summary>
    Task<OpResult<MatchView>> ClaimAsync(Actor actor);

    /// <summary>
    /// An organiser hands the match to a broker, or, with no broker given, to the registered broker whose district
    /// and specialties fit it best (fewest open matches first among equals).
    /// </summary>
    Task<OpResult<MatchView>> AssignAsync(Actor actor, long? brokerUserId);

    /// <summary>The broker (or an organiser) gives the match back: undo of a mistaken claim or assignment.</summary>
    Task<OpResult<MatchView>> ReleaseAsync(Actor actor);

    /// <summary>
    /// The match's broker moves it on the pipeline board: contacted, met, negotiating, or declined with a reason.
    /// A deal is reached only by recording its contract.
    /// </summary>
    Task<OpResult<MatchView>> MoveAsync(Actor actor, string stage, DeclineReason reason, string? note);

    /// <summary>Undoes the broker's last move on the board.</summary>
    Task<OpResult<MatchView>> UndoMoveAsync(Actor actor);
}

/// <summary>Grain keys of matches.</summary>
public static class MatchKey
{
    public static string Of(long needId, long achievementId) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{needId}:{achievementId}");

    public static (long NeedId, long AchievementId) Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        return (long.Parse(key.AsSpan(0, colon), System.Globalization.CultureInfo.InvariantCulture),
            long.Parse(key.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture));
    }
}
