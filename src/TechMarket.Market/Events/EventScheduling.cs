using System.Globalization;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Market.Contracts;
using TechMarket.Scheduling;

namespace TechMarket.Market.Events;

/// <summary>
/// How the market's rows become the scheduler's input and its result goes back to the rows. Participants are the
/// approved registrations (id = the registration's id), requests the accepted meetings in id order; a pin with a
/// table is a lock, a pin with a slot only (an accepted 另约时间) locks the first table free of other pins there.
/// </summary>
public static class EventScheduling
{
    /// <summary>A participant's own request weighs more than the organiser's proposal; a walk-in most.</summary>
    public const double RequestScore = 3;

    public const double WalkInScore = 5;

    /// <summary>The input, and which meeting each request is.</summary>
    public sealed record Prepared(EventInput Input, IReadOnlyList<long> MeetingIds);

    /// <summary>An organiser's proposal: 1 plus the match score squashed into (0, 1), so a better match weighs more.</summary>
    public static double ProposalScore(double matchScore) => 1 + (1 / (1 + Math.Exp(-matchScore)));

    public static string ParticipantId(long registrationId) => registrationId.ToString(CultureInfo.InvariantCulture);

    public static int[] ParseSlots(string text) =>
        string.IsNullOrEmpty(text) ? [] : [.. text.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];

    public static string FormatSlots(IEnumerable<int> slots) => string.Join(',', slots.Distinct().Order().Select(s => s.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Start of slot <paramref name="slot"/> (UTC).</summary>
    public static DateTime SlotStart(MarketEvent e, int slot)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.StartsAt.AddMinutes((double)e.SlotMinutes * slot);
    }

    /// <summary>The input over <paramref name="meetings"/> (those between two approved registrations are kept).</summary>
    public static Prepared BuildInput(MarketEvent e, IEnumerable<EventRegistration> approved, IEnumerable<EventMeeting> meetings)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(approved);
        ArgumentNullException.ThrowIfNull(meetings);
        var regs = approved.OrderBy(r => r.Id).ToList();
        var known = regs.Select(r => r.Id).ToHashSet();
        var participants = regs.Select(r => new Participant(
            ParticipantId(r.Id),
            r.Organisation?.Kind switch { OrganisationKind.Enterprise => ParticipantSide.Enterprise, OrganisationKind.Institute => ParticipantSide.Institute, _ => ParticipantSide.Other },
            null,
            [.. ParseSlots(r.UnavailableSlots).Where(s => s < e.SlotCount)],
            r.NoShow)).ToList();
        var chosen = meetings.Where(m => known.Contains(m.RequesterId) && known.Contains(m.TargetId)).OrderBy(m => m.Id).ToList();
        bool InRange(int? slot, int? table) => slot is { } s && s >= 0 && s < e.SlotCount && (table is null || (table >= 0 && table < e.Tables));
        var taken = chosen.Where(m => m.PinTable is not null && InRange(m.PinSlot, m.PinTable)).Select(m => (m.PinSlot!.Value, m.PinTable!.Value)).ToHashSet();
        var requests = new List<MeetingRequest>(chosen.Count);
        foreach (var m in chosen)
        {
            MeetingLock? pin = null;
            if (InRange(m.PinSlot, m.PinTable))
            {
                var slot = m.PinSlot!.Value;
                if (m.PinTable is { } table)
                {
                    pin = new MeetingLock(slot, table);
                }
                else if (Enumerable.Range(0, e.Tables).Where(t => !taken.Contains((slot, t))).Select(t => (int?)t).FirstOrDefault() is { } free)
                {
                    taken.Add((slot, free));
                    pin = new MeetingLock(slot, free);
                }
            }

            requests.Add(new MeetingRequest(ParticipantId(m.RequesterId), ParticipantId(m.TargetId), m.Score, pin));
        }

        return new Prepared(new EventInput(e.SlotCount, e.Tables, participants, requests), [.. chosen.Select(m => m.Id)]);
    }

    /// <summary>The schedule the rows hold now, over the meetings of the last run (placed, or with a reason).</summary>
    public static (Prepared Prepared, ScheduleResult Result) Stored(MarketEvent e, IEnumerable<EventRegistration> approved, IEnumerable<EventMeeting> meetings)
    {
        ArgumentNullException.ThrowIfNull(meetings);
        var inRun = meetings.Where(m => m.Slot is not null || m.UnplacedReason.Length > 0).ToList();
        var prepared = BuildInput(e, approved, inRun);
        var byId = inRun.ToDictionary(m => m.Id);
        var placed = new List<Meeting>();
        var unplaced = new List<UnplacedRequest>();
        for (var i = 0; i < prepared.MeetingIds.Count; i++)
        {
            var m = byId[prepared.MeetingIds[i]];
            var r = prepared.Input.Requests[i];
            if (m.Slot is { } slot && m.Table is { } table)
            {
                placed.Add(new Meeting(i, r.A, r.B, slot, table, r.Score, r.Lock is not null));
            }
            else
            {
                unplaced.Add(new UnplacedRequest(i, r.A, r.B, m.UnplacedReason));
            }
        }

        var result = new ScheduleResult(prepared.Input, placed, unplaced, placed.Select(m => m.Slot).Distinct().Count(), placed.Sum(m => m.Score),
            new ScheduleStats(false, 0, 0, 0, 0, 0));
        return (prepared, result);
    }

    /// <summary>The computation to report back: each meeting's place or reason, and a summary in Chinese.</summary>
    public static ScheduleComputation ToComputation(IReadOnlyList<long> meetingIds, ScheduleResult result, Guid run, bool final, long stamp)
    {
        ArgumentNullException.ThrowIfNull(meetingIds);
        ArgumentNullException.ThrowIfNull(result);
        var n = meetingIds.Count;
        var slots = Enumerable.Repeat(-1, n).ToArray();
        var tables = Enumerable.Repeat(-1, n).ToArray();
        var reasons = Enumerable.Repeat("", n).ToArray();
        foreach (var m in result.Meetings)
        {
            slots[m.RequestIndex] = m.Slot;
            tables[m.RequestIndex] = m.Table;
        }

        foreach (var u in result.Unplaced)
        {
            reasons[u.RequestIndex] = u.Reason.Length > 0 ? u.Reason : "未能安排";
        }

        return new ScheduleComputation
        {
            RunId = run,
            Final = final,
            MeetingIds = [.. meetingIds],
            Slots = slots,
            Tables = tables,
            Reasons = reasons,
            Summary = Summary(result),
            Stamp = stamp,
        };
    }

    public static string Summary(ScheduleResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var s = result.Stats;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"已安排 {result.Meetings.Count} 场，未能安排 {result.Unplaced.Count} 场；占用 {result.SlotsUsed} 个时段，每方最多 {s.MaxDegree} 场；总分 {result.TotalScore:F1}，上界 {s.UpperBound:F1}（差距 {s.Gap:P1}）");
        return s.Moved > 0 ? text + string.Create(CultureInfo.InvariantCulture, $"；调整了 {s.Moved} 场已排会谈") : text;
    }

    /// <summary>The match state an outcome moves the match to (null: none), the lower of the two sides' when both spoke.</summary>
    public static MatchState? TargetState(MeetingOutcome a, MeetingOutcome b)
    {
        var recorded = new[] { a, b }.Where(o => o != MeetingOutcome.None).ToList();
        return recorded.Count == 0 ? null : recorded.Min() switch
        {
            MeetingOutcome.NoInterest => MatchState.Declined,
            MeetingOutcome.Possible => MatchState.Met,
            MeetingOutcome.Intention => MatchState.Negotiating,
            MeetingOutcome.Contracted => MatchState.Deal,
            _ => null,
        };
    }

    public static MeetingView View(EventMeeting m, MarketEvent e, string requesterName, string targetName)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentNullException.ThrowIfNull(e);
        return new MeetingView
        {
            Id = m.Id,
            EventId = m.EventId,
            RequesterId = m.RequesterId,
            RequesterName = requesterName,
            TargetId = m.TargetId,
            TargetName = targetName,
            Origin = m.Origin.ToString(),
            OriginLabel = Labels.Of(m.Origin),
            Status = m.Status.ToString(),
            StatusLabel = Labels.Of(m.Status),
            Message = m.Message,
            ReplyNote = m.ReplyNote,
            Score = m.Score,
            NeedId = m.NeedId,
            AchievementId = m.AchievementId,
            ProposedSlot = m.ProposedSlot,
            AwaitingRegistrationId = Awaiting(m),
            PinSlot = m.PinSlot,
            PinTable = m.PinTable,
            Slot = m.Slot,
            Table = m.Table,
            StartsAt = m.Slot is { } slot ? SlotStart(e, slot) : null,
            UnplacedReason = m.UnplacedReason,
            RequesterOutcome = m.RequesterOutcome.ToString(),
            TargetOutcome = m.TargetOutcome.ToString(),
            Version = m.Version,
        };
    }

    /// <summary>Whose answer the meeting waits for (for an organiser's proposal both may be awaited: the target first).</summary>
    public static long? Awaiting(EventMeeting m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return m.Status switch
        {
            MeetingStatus.Countered => m.ProposedByRegistrationId == m.RequesterId ? m.TargetId : m.RequesterId,
            MeetingStatus.Requested when m.TargetAcceptedAt is null => m.TargetId,
            MeetingStatus.Requested when m.RequesterAcceptedAt is null => m.RequesterId,
            _ => null,
        };
    }

    /// <summary>Whether <paramref name="registrationId"/> still has to answer.</summary>
    public static bool Awaits(EventMeeting m, long registrationId)
    {
        ArgumentNullException.ThrowIfNull(m);
        return m.Status switch
        {
            MeetingStatus.Countered => m.ProposedByRegistrationId != registrationId,
            MeetingStatus.Requested => (registrationId == m.TargetId && m.TargetAcceptedAt is null) || (registrationId == m.RequesterId && m.RequesterAcceptedAt is null),
            _ => false,
        };
    }
}
