namespace TechMarket.Scheduling;

/// <summary>A change to an already scheduled event, applied by <see cref="MeetingScheduler.Reschedule"/>.</summary>
public abstract record ScheduleChange;

/// <summary>A new meeting request (possibly pinned).</summary>
public sealed record AddMeeting(MeetingRequest Request) : ScheduleChange;

/// <summary>Cancels the request between two participants (the request is removed from the input).</summary>
public sealed record CancelMeeting(string A, string B) : ScheduleChange;

/// <summary>A participant will not come: all of its meetings are dropped.</summary>
public sealed record ParticipantAbsent(string ParticipantId) : ScheduleChange;

/// <summary>Tuning of <see cref="MeetingScheduler"/>.</summary>
/// <param name="CompactGaps">Reorder slots and interchange Kempe chains to shorten participants' idle time.</param>
/// <param name="MaxCompactionPasses">Upper limit on improvement passes of the gap compaction.</param>
/// <param name="RefillAfterRelease">After a cancellation or absence, place waiting requests in the freed places (never moving anyone).</param>
public sealed record SchedulerOptions(bool CompactGaps = true, int MaxCompactionPasses = 20, bool RefillAfterRelease = true);
