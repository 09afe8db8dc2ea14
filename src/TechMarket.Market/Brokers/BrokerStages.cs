using TechMarket.Data.Model;

namespace TechMarket.Market.Brokers;

/// <summary>
/// The broker's pipeline board: six columns over the match's states. 已推荐 holds everything before the broker's
/// first contact (proposed, one side or both interested); 已联系 the broker's contact and a requested meeting; then
/// 已见面, 洽谈中, 已成交 and 已婉拒.
/// </summary>
public static class BrokerStages
{
    public const string Proposed = "proposed";
    public const string Contacted = "contacted";
    public const string Met = "met";
    public const string Negotiating = "negotiating";
    public const string Deal = "deal";
    public const string Declined = "declined";

    /// <summary>The columns in board order.</summary>
    public static readonly IReadOnlyList<string> All = [Proposed, Contacted, Met, Negotiating, Deal, Declined];

    public static string Of(MatchState state) => state switch
    {
        MatchState.BrokerAssigned or MatchState.MeetingRequested => Contacted,
        MatchState.Met => Met,
        MatchState.Negotiating => Negotiating,
        MatchState.Deal => Deal,
        MatchState.Declined => Declined,
        _ => Proposed,
    };

    public static string Label(string stage) => stage switch
    {
        Proposed => "已推荐",
        Contacted => "已联系",
        Met => "已见面",
        Negotiating => "洽谈中",
        Deal => "已成交",
        Declined => "已婉拒",
        _ => stage,
    };

    /// <summary>The state a broker's move to <paramref name="stage"/> sets, or null when a broker cannot move there.</summary>
    public static MatchState? MoveTarget(string? stage) => stage switch
    {
        Contacted => MatchState.BrokerAssigned,
        Met => MatchState.Met,
        Negotiating => MatchState.Negotiating,
        Declined => MatchState.Declined,
        _ => null,
    };

    /// <summary>Whether a match is still open for its broker (not concluded and not declined).</summary>
    public static bool IsOpen(MatchState state) => state is not (MatchState.Deal or MatchState.Declined);

    /// <summary>
    /// How well a broker fits a match: 2 when the need's field is among the broker's specialties, plus 1 when the
    /// broker's district is the need's enterprise's district. Zero means no fit.
    /// </summary>
    public static int Fit(BrokerProfile broker, string field, string district)
    {
        ArgumentNullException.ThrowIfNull(broker);
        var specialties = broker.Specialties.Split(['、', ',', '，', ' ', ';', '；'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (field.Length > 0 && specialties.Contains(field, StringComparer.Ordinal) ? 2 : 0)
            + (district.Length > 0 && broker.District == district ? 1 : 0);
    }
}
