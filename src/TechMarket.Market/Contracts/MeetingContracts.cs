namespace TechMarket.Market.Contracts;

/// <summary>A participant's request for a meeting with another approved participant of the same event.</summary>
[GenerateSerializer, Immutable]
public sealed record MeetingRequestDraft
{
    /// <summary>The registration asked.</summary>
    [Id(0)]
    public long? TargetRegistrationId { get; init; }

    [Id(1)]
    public string? Message { get; init; }

    /// <summary>A preferred slot (from 0), or none.</summary>
    [Id(2)]
    public int? Slot { get; init; }
}

/// <summary>An organiser's proposal drawn from the matching scores: an enterprise's need and an institute's achievement.</summary>
[GenerateSerializer, Immutable]
public sealed record MeetingProposal
{
    [Id(0)]
    public long RequesterRegistrationId { get; init; }

    [Id(1)]
    public long TargetRegistrationId { get; init; }

    /// <summary>The matching pipeline's score of the pair's best need × achievement.</summary>
    [Id(2)]
    public double MatchScore { get; init; }

    [Id(3)]
    public long? NeedId { get; init; }

    [Id(4)]
    public long? AchievementId { get; init; }

    /// <summary>Why (Chinese), shown to both sides as the proposal's message.</summary>
    [Id(5)]
    public string Reason { get; init; } = "";
}

/// <summary>A meeting as its two sides and the organisers see it.</summary>
[GenerateSerializer, Immutable]
public sealed record MeetingView
{
    [Id(0)]
    public long Id { get; init; }

    [Id(1)]
    public long EventId { get; init; }

    [Id(2)]
    public long RequesterId { get; init; }

    [Id(3)]
    public string RequesterName { get; init; } = "";

    [Id(4)]
    public long TargetId { get; init; }

    [Id(5)]
    public string TargetName { get; init; } = "";

    [Id(6)]
    public string Origin { get; init; } = "";

    [Id(7)]
    public string OriginLabel { get; init; } = "";

    [Id(8)]
    public string Status { get; init; } = "";

    [Id(9)]
    public string StatusLabel { get; init; } = "";

    [Id(10)]
    public string Message { get; init; } = "";

    [Id(11)]
    public string ReplyNote { get; init; } = "";

    [Id(12)]
    public double Score { get; init; }

    [Id(13)]
    public long? NeedId { get; init; }

    [Id(14)]
    public long? AchievementId { get; init; }

    [Id(15)]
    public int? ProposedSlot { get; init; }

    /// <summary>The registration whose answer is awaited, or null when none is.</summary>
    [Id(16)]
    public long? AwaitingRegistrationId { get; init; }

    [Id(17)]
    public int? PinSlot { get; init; }

    [Id(18)]
    public int? PinTable { get; init; }

    [Id(19)]
    public int? Slot { get; init; }

    [Id(20)]
    public int? Table { get; init; }

    /// <summary>Start of the placed slot (UTC), or null.</summary>
    [Id(21)]
    public DateTime? StartsAt { get; init; }

    [Id(22)]
    public string UnplacedReason { get; init; } = "";

    [Id(23)]
    public string RequesterOutcome { get; init; } = "";

    [Id(24)]
    public string TargetOutcome { get; init; } = "";

    [Id(25)]
    public long Version { get; init; }
}

/// <summary>Where the event's schedule stands.</summary>
[GenerateSerializer, Immutable]
public sealed record ScheduleStatus
{
    /// <summary>None, Preliminary or Final.</summary>
    [Id(0)]
    public string Kind { get; init; } = "";

    [Id(1)]
    public string KindLabel { get; init; } = "";

    /// <summary>A computation is under way (outside the grain's turn); poll until it is false.</summary>
    [Id(2)]
    public bool Running { get; init; }

    [Id(3)]
    public DateTime? ScheduledAt { get; init; }

    [Id(4)]
    public string Summary { get; init; } = "";

    /// <summary>Runs completed since the grain was activated (the poller's cue that a new result has landed).</summary>
    [Id(5)]
    public int Completed { get; init; }

    /// <summary>The last run's failure (Chinese), if it failed.</summary>
    [Id(6)]
    public string Error { get; init; } = "";
}

/// <summary>A finished computation reported back to the event's grain: where each meeting went.</summary>
[GenerateSerializer, Immutable]
public sealed record ScheduleComputation
{
    [Id(0)]
    public Guid RunId { get; init; }

    [Id(1)]
    public bool Final { get; init; }

    [Id(2)]
    public long[] MeetingIds { get; init; } = [];

    /// <summary>Slot per meeting, −1 when not placed.</summary>
    [Id(3)]
    public int[] Slots { get; init; } = [];

    [Id(4)]
    public int[] Tables { get; init; } = [];

    /// <summary>Why not placed (Chinese), empty when placed.</summary>
    [Id(5)]
    public string[] Reasons { get; init; } = [];

    [Id(6)]
    public string Summary { get; init; } = "";

    /// <summary>The input could not be scheduled (Chinese), or empty.</summary>
    [Id(7)]
    public string Error { get; init; } = "";

    /// <summary>The grain's change counter when the input was read; a result for an older input is computed again.</summary>
    [Id(8)]
    public long Stamp { get; init; }
}
