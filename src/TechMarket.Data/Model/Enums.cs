namespace TechMarket.Data.Model;

/// <summary>What kind of organisation a member belongs to.</summary>
public enum OrganisationKind
{
    Enterprise = 1,
    Institute = 2,
    ServiceAgency = 3,
}

/// <summary>
/// A listing's lifecycle: draft → submitted → published (or returned with reasons) → withdrawn / expired / closed.
/// </summary>
public enum ListingStatus
{
    Draft = 0,
    Submitted = 1,
    Published = 2,
    Returned = 3,
    Withdrawn = 4,
    Expired = 5,
    Closed = 6,
}

/// <summary>成果所处阶段 (maturity), from the lab to industrial use.</summary>
public enum Maturity
{
    /// <summary>Not chosen yet (a draft); submission requires a real stage.</summary>
    Unspecified = 0,
    Laboratory = 1,
    SmallTrial = 2,
    PilotScale = 3,
    Industrialised = 4,
}

/// <summary>Transfer and cooperation modes (Shanghai 2025 rules), combinable.</summary>
[Flags]
public enum TransferModes
{
    None = 0,
    Transfer = 1,
    Licence = 2,
    EquityInvestment = 4,
    Development = 8,
    Service = 16,
    Consulting = 32,
}

/// <summary>Broker certification level (技术经纪人 初级/中级/高级).</summary>
public enum BrokerLevel
{
    Junior = 1,
    Intermediate = 2,
    Senior = 3,
}

/// <summary>Where a match stands (domain.md): proposed → interest on one side → on both → handed over → met → …</summary>
public enum MatchState
{
    Proposed = 0,
    NeedInterested = 1,
    AchievementInterested = 2,
    BothInterested = 3,
    BrokerAssigned = 4,
    MeetingRequested = 5,
    Met = 6,
    Negotiating = 7,
    Deal = 8,
    Declined = 9,
}

/// <summary>Why a side declined a match; stored as a label for the next model.</summary>
public enum DeclineReason
{
    None = 0,
    NotRelevant = 1,
    WrongStage = 2,
    WrongPrice = 3,
    HasPartner = 4,
    Other = 5,
}

/// <summary>The event formats of domain.md.</summary>
public enum EventFormat
{
    /// <summary>专场对接会: bilateral meetings at tables and time slots.</summary>
    Bilateral = 1,

    /// <summary>院所开放日: enterprises visit an institute (room capacity).</summary>
    OpenDay = 2,

    /// <summary>成果路演: pitches in order.</summary>
    Roadshow = 3,

    /// <summary>揭榜挂帅发布会.</summary>
    ChallengeLaunch = 4,

    /// <summary>专家企业行: experts visit enterprises.</summary>
    ExpertVisit = 5,
}

/// <summary>An event's lifecycle: draft → open for registration → registration closed → held, or cancelled.</summary>
public enum EventStatus
{
    Draft = 0,
    Open = 1,
    Closed = 2,
    Held = 3,
    Cancelled = 4,
}

/// <summary>A registration: pending the organiser's decision, approved, rejected, or withdrawn by the participant.</summary>
public enum RegistrationStatus
{
    Pending = 0,
    Approved = 1,
    Rejected = 2,
    Withdrawn = 3,
}

/// <summary>A technology contract's type (技术合同类别).</summary>
public enum ContractType
{
    Development = 1,
    Transfer = 2,
    Licence = 3,
    Consulting = 4,
    Service = 5,
}

/// <summary>
/// A deal's registration (技术合同认定登记): contracted and recorded, applied for by the seller, then registered with a
/// 登记号 and a 核定技术交易额, or refused (未予登记); a mistaken entry is cancelled before it is applied for.
/// </summary>
public enum DealStatus
{
    Contracted = 0,
    Applied = 1,
    Registered = 2,
    Refused = 3,
    Cancelled = 4,
}

/// <summary>An organisation's interest in a campaign (意向报名): active until it withdraws.</summary>
public enum InterestStatus
{
    Active = 0,
    Withdrawn = 1,
}

/// <summary>
/// A campaign plan's line: an interested organisation planned for an event, registered there when the organiser
/// confirms the plan, or dropped (removed by the organiser, or refused by the event when confirmed).
/// </summary>
public enum AssignmentStatus
{
    Planned = 0,
    Registered = 1,
    Dropped = 2,
}

/// <summary>How a 揭榜挂帅 challenge takes applications: every institute applies and the reviewers choose, or 抢榜.</summary>
public enum ChallengeRule
{
    /// <summary>公开揭榜: applications until the deadline, then review.</summary>
    Open = 1,

    /// <summary>抢榜: the first <c>Places</c> claims by arrival order take the places; later claims are recorded as 未抢到.</summary>
    FirstCome = 2,
}

/// <summary>Where a challenge stands: 发榜 (taking applications) → 评榜中 → 已定榜.</summary>
public enum ChallengeStatus
{
    Open = 0,
    Reviewing = 1,
    Awarded = 2,
}

/// <summary>Where one application (揭榜) stands.</summary>
public enum ApplicationStatus
{
    /// <summary>已提交 (open rule).</summary>
    Submitted = 0,

    /// <summary>抢榜成功: one of the first places.</summary>
    PlaceWon = 1,

    /// <summary>未抢到: arrived after the places were taken; kept so the order stays provable.</summary>
    PlaceMissed = 2,

    /// <summary>中榜.</summary>
    Awarded = 3,

    /// <summary>未中榜.</summary>
    NotAwarded = 4,
}

/// <summary>Whether an event has a schedule yet, and whether it is the preliminary or the final one.</summary>
public enum ScheduleKind
{
    None = 0,

    /// <summary>初步日程: participants see it, the organiser may still pin and rerun.</summary>
    Preliminary = 1,

    /// <summary>正式日程: published; later changes reschedule incrementally.</summary>
    Final = 2,
}

/// <summary>Who started a meeting: a participant's request, the organiser's proposal from the matching scores, or a walk-in on the day.</summary>
public enum MeetingOrigin
{
    Request = 1,
    Organiser = 2,
    WalkIn = 3,
}

/// <summary>A meeting request: waiting for the other side, accepted, declined, another time proposed, or cancelled.</summary>
public enum MeetingStatus
{
    Requested = 0,
    Accepted = 1,
    Declined = 2,

    /// <summary>Another time was proposed; the side that did not propose it answers.</summary>
    Countered = 3,
    Cancelled = 4,
}

/// <summary>A meeting's outcome as one side records it after the event.</summary>
public enum MeetingOutcome
{
    None = 0,

    /// <summary>未进行.</summary>
    NotHeld = 1,

    /// <summary>无合作意向.</summary>
    NoInterest = 2,

    /// <summary>有合作可能.</summary>
    Possible = 3,

    /// <summary>达成意向.</summary>
    Intention = 4,

    /// <summary>签约.</summary>
    Contracted = 5,
}

/// <summary>What a broker's task is for.</summary>
public enum BrokerTaskKind
{
    /// <summary>回访: follow a match up by a date.</summary>
    FollowUp = 0,

    /// <summary>挖掘需求 (or 寻找成果): raised by the supply/demand alarm for a field.</summary>
    Mining = 1,
}

/// <summary>Where a broker's task stands.</summary>
public enum BrokerTaskStatus
{
    Open = 0,
    Done = 1,

    /// <summary>Withdrawn as a mistaken entry.</summary>
    Cancelled = 2,
}
