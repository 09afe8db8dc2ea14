namespace TechMarket.Market.Contracts;

/// <summary>What an organiser writes to create or change an event. Times are UTC.</summary>
[GenerateSerializer, Immutable]
public sealed record EventDraft
{
    [Id(0)]
    public long? CampaignId { get; init; }

    /// <summary>The format's name (Bilateral …) or its label (专场对接会 …).</summary>
    [Id(1)]
    public string? Format { get; init; }

    [Id(2)]
    public string? Title { get; init; }

    [Id(3)]
    public string? Theme { get; init; }

    [Id(4)]
    public string[]? Fields { get; init; }

    [Id(5)]
    public DateTime? StartsAt { get; init; }

    [Id(6)]
    public string? Venue { get; init; }

    [Id(7)]
    public string? District { get; init; }

    [Id(8)]
    public int? Capacity { get; init; }

    [Id(9)]
    public int? Tables { get; init; }

    [Id(10)]
    public int? SlotMinutes { get; init; }

    [Id(11)]
    public int? SlotCount { get; init; }

    [Id(12)]
    public DateTime? RegistrationDeadline { get; init; }

    [Id(13)]
    public DateTime? BookingOpensAt { get; init; }

    [Id(14)]
    public DateTime? BookingClosesAt { get; init; }
}

/// <summary>An event as everyone sees it, with how many have registered.</summary>
[GenerateSerializer, Immutable]
public sealed record EventView
{
    [Id(0)]
    public long Id { get; init; }

    [Id(1)]
    public long? CampaignId { get; init; }

    [Id(2)]
    public string? CampaignName { get; init; }

    [Id(3)]
    public string Format { get; init; } = "";

    [Id(4)]
    public string FormatLabel { get; init; } = "";

    [Id(5)]
    public string Status { get; init; } = "";

    [Id(6)]
    public string StatusLabel { get; init; } = "";

    [Id(7)]
    public string Title { get; init; } = "";

    [Id(8)]
    public string Theme { get; init; } = "";

    [Id(9)]
    public string[] Fields { get; init; } = [];

    [Id(10)]
    public DateTime StartsAt { get; init; }

    /// <summary>The end of the last time slot (or the start, for formats without slots).</summary>
    [Id(11)]
    public DateTime EndsAt { get; init; }

    [Id(12)]
    public string Venue { get; init; } = "";

    [Id(13)]
    public string District { get; init; } = "";

    [Id(14)]
    public int Capacity { get; init; }

    [Id(15)]
    public int Tables { get; init; }

    [Id(16)]
    public int SlotMinutes { get; init; }

    [Id(17)]
    public int SlotCount { get; init; }

    [Id(18)]
    public DateTime RegistrationDeadline { get; init; }

    [Id(19)]
    public DateTime? BookingOpensAt { get; init; }

    [Id(20)]
    public DateTime? BookingClosesAt { get; init; }

    /// <summary>Approved registrations.</summary>
    [Id(21)]
    public int Approved { get; init; }

    /// <summary>Registrations waiting for the organiser.</summary>
    [Id(22)]
    public int Pending { get; init; }

    [Id(23)]
    public long Version { get; init; }

    [Id(24)]
    public bool IsDemo { get; init; }
}

/// <summary>What a participant says when registering: what it offers and seeks, and its listings it brings.</summary>
[GenerateSerializer, Immutable]
public sealed record RegistrationDraft
{
    [Id(0)]
    public string? Offers { get; init; }

    [Id(1)]
    public string? Seeks { get; init; }

    [Id(2)]
    public long[]? ListingIds { get; init; }

    /// <summary>Slots (from 0) in which the organisation cannot meet.</summary>
    [Id(3)]
    public int[]? UnavailableSlots { get; init; }
}

/// <summary>A registration as its organisation and the organisers see it.</summary>
[GenerateSerializer, Immutable]
public sealed record RegistrationView
{
    [Id(0)]
    public long Id { get; init; }

    [Id(1)]
    public long EventId { get; init; }

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
    public string Offers { get; init; } = "";

    [Id(8)]
    public string Seeks { get; init; } = "";

    [Id(9)]
    public long[] ListingIds { get; init; } = [];

    [Id(10)]
    public string DecisionNote { get; init; } = "";

    [Id(11)]
    public DateTime CreatedAt { get; init; }

    [Id(12)]
    public DateTime? DecidedAt { get; init; }

    [Id(13)]
    public long Version { get; init; }

    [Id(14)]
    public int[] UnavailableSlots { get; init; } = [];

    [Id(15)]
    public DateTime? CheckedInAt { get; init; }

    [Id(16)]
    public bool NoShow { get; init; }

    /// <summary>签到码: shown to the organisation and the organisers only.</summary>
    [Id(17)]
    public string CheckInCode { get; init; } = "";
}

/// <summary>What an organiser writes to create a campaign (for example 2026年百日百场) with its targets.</summary>
[GenerateSerializer, Immutable]
public sealed record CampaignDraft
{
    [Id(0)]
    public string? Name { get; init; }

    [Id(1)]
    public int? Year { get; init; }

    [Id(2)]
    public string? Description { get; init; }

    [Id(3)]
    public int? TargetEvents { get; init; }

    [Id(4)]
    public int? TargetParticipants { get; init; }

    [Id(5)]
    public int? TargetMeetings { get; init; }

    [Id(6)]
    public int? TargetAgreements { get; init; }

    [Id(7)]
    public int? TargetDeals { get; init; }

    [Id(8)]
    public decimal? TargetAmountWan { get; init; }
}

/// <summary>Creates events and campaigns: the rows get their ids here, then each event is its own grain.</summary>
public interface IEventDeskGrain : IGrainWithIntegerKey
{
    Task<OpResult<EventView>> CreateEventAsync(Actor actor, EventDraft draft);

    Task<OpResult<long>> CreateCampaignAsync(Actor actor, CampaignDraft draft);
}

/// <summary>
/// One event (key: its id). Keeps its rules: only organisers change it; registration only while it is open and
/// before the deadline, one per organisation, with the organisation's own published listings; approval up to the
/// capacity. Writes go through EF Core with the audit log in one transaction.
/// </summary>
public interface IEventGrain : IGrainWithIntegerKey
{
    Task<OpResult<EventView>> GetAsync();

    Task<OpResult<EventView>> UpdateAsync(Actor actor, long expectedVersion, EventDraft draft);

    /// <summary>Opens registration, closes it, marks the event held, or cancels it (by the status's name).</summary>
    Task<OpResult<EventView>> SetStatusAsync(Actor actor, long expectedVersion, string status);

    Task<OpResult<RegistrationView>> RegisterAsync(Actor actor, RegistrationDraft draft);

    Task<OpResult<RegistrationView>> WithdrawRegistrationAsync(Actor actor);

    Task<OpResult<RegistrationView>> DecideAsync(Actor actor, long registrationId, bool approve, string? note);

    /// <summary>约请: an approved participant asks another for a meeting, within the booking window.</summary>
    Task<OpResult<MeetingView>> RequestMeetingAsync(Actor actor, MeetingRequestDraft draft);

    /// <summary>The side awaited answers: Accept, Decline (with a note) or Propose another slot.</summary>
    Task<OpResult<MeetingView>> AnswerMeetingAsync(Actor actor, long meetingId, string answer, int? slot, string? note);

    /// <summary>Either side or an organiser cancels; a placed meeting in a final schedule frees its place.</summary>
    Task<OpResult<MeetingView>> CancelMeetingAsync(Actor actor, long meetingId);

    /// <summary>Organisers propose meetings drawn from the matching scores; each waits for both sides to accept. Returns how many were new.</summary>
    Task<OpResult<int>> ProposeMeetingsAsync(Actor actor, MeetingProposal[] proposals);

    /// <summary>Organisers pin (锁定) an accepted meeting to a slot and table, or clear the pin with nulls.</summary>
    Task<OpResult<MeetingView>> PinMeetingAsync(Actor actor, long meetingId, int? slot, int? table);

    /// <summary>Organisers start a schedule (preliminary or final); it is computed outside the grain's turn.</summary>
    Task<OpResult<ScheduleStatus>> RunScheduleAsync(Actor actor, bool final);

    [Orleans.Concurrency.AlwaysInterleave]
    Task<ScheduleStatus> GetScheduleStatusAsync();

    /// <summary>签到 by the organiser, from the list (registration id) or the participant's code.</summary>
    Task<OpResult<RegistrationView>> CheckInAsync(Actor actor, long? registrationId, string? code);

    /// <summary>Records (or clears) a no-show; in a final schedule its meetings are dropped and their places refilled.</summary>
    Task<OpResult<RegistrationView>> SetNoShowAsync(Actor actor, long registrationId, bool noShow);

    /// <summary>现场加约: an organiser adds a meeting on the day at a free slot and table.</summary>
    Task<OpResult<MeetingView>> AddWalkInAsync(Actor actor, long requesterRegistrationId, long targetRegistrationId, int slot, int table);

    /// <summary>After the start, each side records the outcome; it moves the match behind the meeting.</summary>
    Task<OpResult<MeetingView>> RecordOutcomeAsync(Actor actor, long meetingId, string outcome);

    /// <summary>Sends the day-before and hour-before reminders whose time has come (what the durable reminders call); returns the notices sent.</summary>
    Task<int> SendDueRemindersAsync();

    /// <summary>
    /// Organisers (through the campaign's grain): registers the organisations a confirmed campaign plan sends here,
    /// approved at once within the capacity; an organisation already registered keeps its registration.
    /// </summary>
    Task<OpResult<CampaignAdmissionResult[]>> AdmitFromCampaignAsync(Actor actor, CampaignAdmission[] admissions);
}
