namespace TechMarket.Scheduling;

/// <summary>Which side of the market a participant is on (企业 / 高校院所 / 其他).</summary>
public enum ParticipantSide
{
    /// <summary>企业, an enterprise.</summary>
    Enterprise,

    /// <summary>高校院所, a university or research institute.</summary>
    Institute,

    /// <summary>Anyone else (broker, investor, government office …).</summary>
    Other,
}

/// <summary>A participant of one matchmaking event.</summary>
/// <param name="Id">Unique id within the event.</param>
/// <param name="Side">Market side; only informative, bipartiteness is detected from the requests.</param>
/// <param name="MaxMeetings">Most meetings this participant holds; <c>null</c> means as many as there are slots.</param>
/// <param name="UnavailableSlots">Slots (from 0) in which the participant cannot meet.</param>
/// <param name="Absent">Marked absent: none of the participant's requests is held.</param>
public sealed record Participant(
    string Id,
    ParticipantSide Side = ParticipantSide.Other,
    int? MaxMeetings = null,
    IReadOnlyList<int>? UnavailableSlots = null,
    bool Absent = false);

/// <summary>A table and slot an organiser pinned a meeting to.</summary>
public sealed record MeetingLock(int Slot, int Table);

/// <summary>A request for a bilateral meeting between participants <paramref name="A"/> and <paramref name="B"/>.</summary>
/// <param name="A">First participant id.</param>
/// <param name="B">Second participant id.</param>
/// <param name="Score">Value of holding the meeting, 0 to 10⁶; the scheduler maximises the sum.</param>
/// <param name="Lock">If set, the meeting must be held exactly there.</param>
/// <param name="AllowRepeat">Within a campaign, allow the pair to meet again although they met at an earlier event.</param>
public sealed record MeetingRequest(string A, string B, double Score, MeetingLock? Lock = null, bool AllowRepeat = false);

/// <summary>A pair of participant ids, order-insensitive.</summary>
public sealed record ParticipantPair
{
    /// <summary>Creates the pair; the ids are stored in ordinal order.</summary>
    public ParticipantPair(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        (First, Second) = string.CompareOrdinal(a, b) <= 0 ? (a, b) : (b, a);
    }

    /// <summary>The smaller id (ordinal).</summary>
    public string First { get; }

    /// <summary>The larger id (ordinal).</summary>
    public string Second { get; }
}

/// <summary>Everything the scheduler needs to know about one event.</summary>
/// <param name="Slots">Number of time slots, numbered from 0.</param>
/// <param name="Tables">Number of tables, numbered from 0.</param>
/// <param name="Participants">The participants; ids must be unique.</param>
/// <param name="Requests">The meeting requests.</param>
/// <param name="PreviouslyMet">Pairs that already met at an earlier event of the same campaign.</param>
public sealed record EventInput(
    int Slots,
    int Tables,
    IReadOnlyList<Participant> Participants,
    IReadOnlyList<MeetingRequest> Requests,
    IReadOnlyCollection<ParticipantPair>? PreviouslyMet = null);

/// <summary>A placed meeting.</summary>
/// <param name="RequestIndex">Index of the request in <see cref="EventInput.Requests"/>.</param>
/// <param name="A">First participant id, as in the request.</param>
/// <param name="B">Second participant id, as in the request.</param>
/// <param name="Slot">Time slot, from 0.</param>
/// <param name="Table">Table, from 0.</param>
/// <param name="Score">The request's score.</param>
/// <param name="Locked">Pinned by the organiser.</param>
public sealed record Meeting(int RequestIndex, string A, string B, int Slot, int Table, double Score, bool Locked);

/// <summary>A request that is not held, with the reason in Chinese.</summary>
public sealed record UnplacedRequest(int RequestIndex, string A, string B, string Reason);

/// <summary>Figures about how good a schedule is and how it was obtained.</summary>
/// <param name="ExactSelection">True when the choice of meetings was solved exactly (bipartite requests, min-cost flow); the schedule is then optimal whenever <paramref name="Gap"/> is 0.</param>
/// <param name="UpperBound">An upper bound on the total score of any feasible schedule (equal to the optimum for bipartite requests; the doubled-graph flow otherwise).</param>
/// <param name="Gap">(UpperBound − TotalScore) / UpperBound, 0 when the bound is 0.</param>
/// <param name="MaxDegree">Δ: the most meetings one participant holds in the result.</param>
/// <param name="IdleGaps">Sum over participants of empty slots between their first and last meeting.</param>
/// <param name="Moved">For an incremental change: meetings kept from the previous schedule whose slot or table changed.</param>
public sealed record ScheduleStats(bool ExactSelection, double UpperBound, double Gap, int MaxDegree, int IdleGaps, int Moved);

/// <summary>The schedule of one event.</summary>
/// <param name="Input">The input this schedule answers (after any incremental change).</param>
/// <param name="Meetings">Placed meetings, ordered by slot then table.</param>
/// <param name="Unplaced">Requests not held, each with a reason; together with <paramref name="Meetings"/> every request appears exactly once.</param>
/// <param name="SlotsUsed">Number of distinct slots holding at least one meeting.</param>
/// <param name="TotalScore">Sum of the placed meetings' scores.</param>
/// <param name="Stats">Quality figures.</param>
public sealed record ScheduleResult(
    EventInput Input,
    IReadOnlyList<Meeting> Meetings,
    IReadOnlyList<UnplacedRequest> Unplaced,
    int SlotsUsed,
    double TotalScore,
    ScheduleStats Stats);

/// <summary>Invalid scheduling input; the message (Chinese) names the offending item.</summary>
public sealed class ScheduleInputException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ScheduleInputException()
    {
    }

    /// <summary>Creates the exception with a Chinese message naming the offending item.</summary>
    public ScheduleInputException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public ScheduleInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
