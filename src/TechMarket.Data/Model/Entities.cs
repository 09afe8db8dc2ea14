using Microsoft.AspNetCore.Identity;

namespace TechMarket.Data.Model;

/// <summary>A person with an account. Members belong to one organisation.</summary>
public sealed class AppUser : IdentityUser<long>
{
    public string DisplayName { get; set; } = "";

    public long? OrganisationId { get; set; }

    public Organisation? Organisation { get; set; }

    public DateTime CreatedAt { get; set; }

    public bool IsDemo { get; set; }
}

/// <summary>An enterprise, institute or service agency (技术转移机构).</summary>
public sealed class Organisation
{
    public long Id { get; set; }

    public OrganisationKind Kind { get; set; }

    public string Name { get; set; } = "";

    /// <summary>统一社会信用代码, 18 characters with a GB 32100-2015 check character; unique.</summary>
    public string CreditCode { get; set; } = "";

    public string District { get; set; } = "";

    /// <summary>Fields (领域) the organisation works in, separated by '、'.</summary>
    public string Fields { get; set; } = "";

    /// <summary>Qualifications such as 高新技术企业, separated by '、'.</summary>
    public string Qualifications { get; set; } = "";

    public string Introduction { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public bool IsDemo { get; set; }

    public long Version { get; set; }

    /// <summary>
    /// A new name a member asked for, waiting for an organiser's or admin's review; until approved every page,
    /// listing and search keeps showing <see cref="Name"/>. Null when nothing is pending.
    /// </summary>
    public string? PendingName { get; set; }

    public DateTime? PendingNameAt { get; set; }

    /// <summary>Why the last requested name was rejected (empty when none was, or once a new one is asked for).</summary>
    public string NameReviewNote { get; set; } = "";

    /// <summary>When an organiser or admin checked the 统一社会信用代码 against the name (null: not verified).</summary>
    public DateTime? VerifiedAt { get; set; }

    public long? VerifiedById { get; set; }
}

/// <summary>A registered technology broker (技术经纪人备案).</summary>
public sealed class BrokerProfile
{
    public long Id { get; set; }

    public long UserId { get; set; }

    public AppUser? User { get; set; }

    public string CertificateNumber { get; set; } = "";

    public BrokerLevel Level { get; set; }

    public string Agency { get; set; } = "";

    public string District { get; set; } = "";

    public string Specialties { get; set; } = "";

    public DateTime RegisteredAt { get; set; }

    public bool IsDemo { get; set; }
}

/// <summary>Common part of a technical need and a scientific achievement.</summary>
public abstract class Listing
{
    public long Id { get; set; }

    public long OrganisationId { get; set; }

    public Organisation? Organisation { get; set; }

    public long CreatedById { get; set; }

    public string Title { get; set; } = "";

    /// <summary>需求描述 / 成果简介.</summary>
    public string Summary { get; set; } = "";

    /// <summary>Keywords separated by '、' or spaces.</summary>
    public string Keywords { get; set; } = "";

    /// <summary>领域.</summary>
    public string Field { get; set; } = "";

    public TransferModes TransferModes { get; set; }

    public ListingStatus Status { get; set; }

    /// <summary>Reasons given by the reviewer when the listing was returned (整改意见).</summary>
    public string? ReviewNote { get; set; }

    public string ContactName { get; set; } = "";

    public string ContactPhone { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public DateTime? PublishedAt { get; set; }

    public bool IsDemo { get; set; }

    /// <summary>Optimistic concurrency token, incremented on every write.</summary>
    public long Version { get; set; }

    /// <summary>A copy of the row's values without its navigation, for a grain that keeps its row between calls.</summary>
    public Listing CopyRow()
    {
        var copy = (Listing)MemberwiseClone();
        copy.Organisation = null;
        return copy;
    }
}

/// <summary>技术需求: a technical need posted by an enterprise.</summary>
public sealed class Need : Listing
{
    /// <summary>主要问题.</summary>
    public string Problem { get; set; } = "";

    /// <summary>技术关键.</summary>
    public string KeyPoints { get; set; } = "";

    /// <summary>预期目标 / 技术指标.</summary>
    public string Targets { get; set; } = "";

    /// <summary>Budget in 万元; null means 面议.</summary>
    public decimal? BudgetWan { get; set; }

    /// <summary>需求时限.</summary>
    public DateOnly? ValidUntil { get; set; }

    /// <summary>揭榜挂帅 challenge with a bounty and a deadline.</summary>
    public bool IsChallenge { get; set; }

    public decimal? BountyWan { get; set; }

    public DateOnly? ChallengeDeadline { get; set; }

    /// <summary>The least mature stage the enterprise can take up (Unspecified: any); shares the Maturity column.</summary>
    public Maturity MaturityWanted { get; set; }

    /// <summary>The broker who mined the need (挖掘需求) and wrote it up on the enterprise's behalf, credited with it.</summary>
    public long? MinedByUserId { get; set; }

    /// <summary>When a member of the enterprise consented to the mined need (and so sent it to review).</summary>
    public DateTime? MiningConsentAt { get; set; }
}

/// <summary>科技成果: an achievement listed by an institute (or an enterprise).</summary>
public sealed class Achievement : Listing
{
    public Maturity Maturity { get; set; }

    /// <summary>Technology readiness level 1–9 (GB/T 22900), optional.</summary>
    public int? Trl { get; set; }

    /// <summary>Patent numbers, 软著, 技术秘密.</summary>
    public string IntellectualProperty { get; set; } = "";

    /// <summary>Price in 万元; null means 面议.</summary>
    public decimal? PriceWan { get; set; }

    /// <summary>先用后转 offered.</summary>
    public bool UseFirstPayLater { get; set; }
}

/// <summary>One state change or edit: who, when, what changed.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTime At { get; set; }

    public long? UserId { get; set; }

    public string EntityType { get; set; } = "";

    public long EntityId { get; set; }

    public string Action { get; set; } = "";

    /// <summary>JSON object of changed properties: {"Title":["old","new"]}.</summary>
    public string Changes { get; set; } = "{}";
}

/// <summary>
/// One durable Orleans reminder (see TechMarket.Market's reminder table): which grain, which reminder, when it
/// first fires and how often after that. Kept in the market's own database so a restart keeps it.
/// </summary>
public sealed class ReminderRow
{
    public string ServiceId { get; set; } = "";

    /// <summary>The grain's id in Orleans' text form (type/key).</summary>
    public string GrainId { get; set; } = "";

    public string Name { get; set; } = "";

    public DateTime StartAt { get; set; }

    public long PeriodMs { get; set; }

    /// <summary>The grain's uniform hash (an unsigned 32-bit ring position), for range reads by ring owner.</summary>
    public long GrainHash { get; set; }

    /// <summary>The row's ETag: 0 when inserted, incremented by every update.</summary>
    public long Version { get; set; }
}

/// <summary>
/// A need paired with an achievement (撮合): who proposed it, its score and reasons, each side's interest with its
/// message, and where it stands. One row per pair; its state machine lives in TechMarket.Market's match grain.
/// </summary>
public sealed class Match
{
    public long Id { get; set; }

    public long NeedId { get; set; }

    public Need? Need { get; set; }

    public long AchievementId { get; set; }

    public Achievement? Achievement { get; set; }

    public MatchState State { get; set; }

    /// <summary>model, broker, organiser, need or achievement (the side that spoke first).</summary>
    public string ProposedBy { get; set; } = "";

    /// <summary>The model's score when the pair was first recorded.</summary>
    public double Score { get; set; }

    /// <summary>The reasons shown then, one per line.</summary>
    public string Reasons { get; set; } = "";

    public DateTime? NeedInterestAt { get; set; }

    public long? NeedInterestUserId { get; set; }

    public string NeedMessage { get; set; } = "";

    public DateTime? AchievementInterestAt { get; set; }

    public long? AchievementInterestUserId { get; set; }

    public string AchievementMessage { get; set; } = "";

    public DeclineReason DeclineReason { get; set; }

    public string DeclineNote { get; set; } = "";

    /// <summary>The organisation whose member declined.</summary>
    public long? DeclinedByOrganisationId { get; set; }

    public DateTime? DeclinedAt { get; set; }

    /// <summary>The broker (user) following the match up, once handed over.</summary>
    public long? BrokerUserId { get; set; }

    /// <summary>When the broker claimed it or was assigned it.</summary>
    public DateTime? BrokerSince { get; set; }

    /// <summary>The state before the broker's last move on the pipeline board, kept so that move can be undone.</summary>
    public MatchState? PreviousState { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public long Version { get; set; }
}

/// <summary>
/// A broker's task: a 回访 (follow-up) of a match, due at a time and reminded then, or a need-mining task (挖掘需求)
/// for a field that the supply/demand alarm raised.
/// </summary>
public sealed class BrokerTask
{
    public long Id { get; set; }

    public long BrokerUserId { get; set; }

    public BrokerTaskKind Kind { get; set; }

    public long? MatchId { get; set; }

    /// <summary>The field of a mining task.</summary>
    public string Field { get; set; } = "";

    public string Note { get; set; } = "";

    public DateTime DueAt { get; set; }

    public BrokerTaskStatus Status { get; set; }

    /// <summary>What the follow-up found, written when done.</summary>
    public string Outcome { get; set; } = "";

    public DateTime? DoneAt { get; set; }

    /// <summary>When the due reminder went to the broker's inbox.</summary>
    public DateTime? RemindedAt { get; set; }

    public DateTime CreatedAt { get; set; }

    public long Version { get; set; }

    public bool IsDemo { get; set; }
}

/// <summary>A message in a person's in-app inbox (interest received, an alert on a new listing).</summary>
public sealed class Notification
{
    public long Id { get; set; }

    public long UserId { get; set; }

    /// <summary>interest, mutual, declined, alert.</summary>
    public string Kind { get; set; } = "";

    public string Title { get; set; } = "";

    public string Body { get; set; } = "";

    /// <summary>A path on the site to open.</summary>
    public string Link { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime? ReadAt { get; set; }
}

/// <summary>A search a person saved, with an alert when a newly published listing matches it.</summary>
public sealed class SavedSearch
{
    public long Id { get; set; }

    public long UserId { get; set; }

    public string Query { get; set; } = "";

    /// <summary>need, achievement, or empty for both.</summary>
    public string Kind { get; set; } = "";

    public string Field { get; set; } = "";

    /// <summary>区县, or empty for anywhere.</summary>
    public string District { get; set; } = "";

    public DateTime CreatedAt { get; set; }
}

/// <summary>That a saved search has alerted its owner about a listing: an alert goes out once per pair.</summary>
public sealed class SavedSearchAlert
{
    public long SavedSearchId { get; set; }

    public long ListingId { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>A campaign of events (for example 2026年百日百场) with its targets.</summary>
public sealed class Campaign
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public int Year { get; set; }

    public string Description { get; set; } = "";

    public int TargetEvents { get; set; }

    public int TargetParticipants { get; set; }

    public int TargetMeetings { get; set; }

    public int TargetAgreements { get; set; }

    public int TargetDeals { get; set; }

    /// <summary>Registered 技术交易额 aimed at, 万元.</summary>
    public decimal TargetAmountWan { get; set; }

    public long? CreatedById { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public long Version { get; set; }

    public bool IsDemo { get; set; }

    /// <summary>When the organisers last computed the plan of interested organisations across the events.</summary>
    public DateTime? PlannedAt { get; set; }

    /// <summary>What the last plan reached, in Chinese.</summary>
    public string PlanSummary { get; set; } = "";
}

/// <summary>
/// An organisation's interest in a campaign (意向报名): the fields it cares about, the days it can come, how many
/// events it will attend, what it offers and seeks and the listings it brings. The campaign's plan assigns it to
/// events by affinity, capacity and dates; one row per organisation and campaign.
/// </summary>
public sealed class CampaignInterest
{
    public long Id { get; set; }

    public long CampaignId { get; set; }

    public long OrganisationId { get; set; }

    public Organisation? Organisation { get; set; }

    /// <summary>The member who declared it.</summary>
    public long UserId { get; set; }

    public InterestStatus Status { get; set; }

    /// <summary>领域 it cares about, joined with 、 (empty: those of its listings).</summary>
    public string Fields { get; set; } = "";

    /// <summary>Days it can come (yyyy-MM-dd, joined with commas; empty: any day).</summary>
    public string AvailableDates { get; set; } = "";

    /// <summary>Most events of the campaign it attends.</summary>
    public int MaxEvents { get; set; }

    public string Offers { get; set; } = "";

    public string Seeks { get; set; } = "";

    /// <summary>Its published listings it brings (ids joined with commas).</summary>
    public string ListingIds { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public long Version { get; set; }

    public bool IsDemo { get; set; }
}

/// <summary>
/// A campaign's shared list entry: a published achievement it promotes (推介成果) or a 揭榜挂帅 challenge need it
/// carries, for every event of the campaign to show.
/// </summary>
public sealed class CampaignListing
{
    public long Id { get; set; }

    public long CampaignId { get; set; }

    public long ListingId { get; set; }

    public Listing? Listing { get; set; }

    /// <summary>Why it is on the list, in Chinese (optional).</summary>
    public string Note { get; set; } = "";

    public long AddedById { get; set; }

    public DateTime AddedAt { get; set; }
}

/// <summary>One line of a campaign's plan: an interested organisation at an event, with the affinity behind it.</summary>
public sealed class CampaignAssignment
{
    public long Id { get; set; }

    public long CampaignId { get; set; }

    public long InterestId { get; set; }

    public CampaignInterest? Interest { get; set; }

    public long EventId { get; set; }

    public MarketEvent? Event { get; set; }

    /// <summary>Affinity 0–100 (fields, matching potential with the event's other side, district).</summary>
    public double Score { get; set; }

    /// <summary>Why, in Chinese.</summary>
    public string Reason { get; set; } = "";

    public AssignmentStatus Status { get; set; }

    /// <summary>The registration made when the plan was confirmed.</summary>
    public long? RegistrationId { get; set; }

    /// <summary>Why dropped, in Chinese.</summary>
    public string Note { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public long Version { get; set; }
}

/// <summary>
/// A deal: a technology contract between a buyer and a seller, linked back to its match, meeting and event, with its
/// brokers; registered (技术合同认定登记) by a registrar with a 登记号 and the 核定技术交易额 that the figures count.
/// </summary>
public sealed class Deal
{
    public long Id { get; set; }

    public string Title { get; set; } = "";

    public ContractType ContractType { get; set; }

    public long BuyerOrganisationId { get; set; }

    public Organisation? Buyer { get; set; }

    public long SellerOrganisationId { get; set; }

    public Organisation? Seller { get; set; }

    /// <summary>The contract amount, 万元.</summary>
    public decimal AmountWan { get; set; }

    public DateOnly SignedOn { get; set; }

    public long? MatchId { get; set; }

    public long? MeetingId { get; set; }

    public long? EventId { get; set; }

    /// <summary>The district market it is credited to: the seller's district, where it registers.</summary>
    public string District { get; set; } = "";

    public DealStatus Status { get; set; }

    public DateTime? AppliedAt { get; set; }

    /// <summary>登记号, given on registration.</summary>
    public string? RegistrationNumber { get; set; }

    /// <summary>The type the registrar classified it as.</summary>
    public ContractType? RegisteredType { get; set; }

    /// <summary>核定技术交易额, 万元: what the figures count.</summary>
    public decimal? RegisteredAmountWan { get; set; }

    public long? RegistrarUserId { get; set; }

    public DateTime? RegisteredAt { get; set; }

    /// <summary>Why not registered (未予登记), or why cancelled.</summary>
    public string DecisionNote { get; set; } = "";

    public long CreatedById { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public long Version { get; set; }

    public bool IsDemo { get; set; }
}

/// <summary>A broker credited with a deal.</summary>
public sealed class DealBroker
{
    public long DealId { get; set; }

    public long UserId { get; set; }
}

/// <summary>A matchmaking event (对接活动) run by organisers, in one of the formats of <see cref="EventFormat"/>.</summary>
public sealed class MarketEvent
{
    public long Id { get; set; }

    public long? CampaignId { get; set; }

    public Campaign? Campaign { get; set; }

    public EventFormat Format { get; set; }

    public EventStatus Status { get; set; }

    public string Title { get; set; } = "";

    public string Theme { get; set; } = "";

    /// <summary>领域, joined with 、.</summary>
    public string Fields { get; set; } = "";

    public DateTime StartsAt { get; set; }

    public string Venue { get; set; } = "";

    public string District { get; set; } = "";

    /// <summary>How many organisations may take part (院所开放日: the room's capacity).</summary>
    public int Capacity { get; set; }

    public int Tables { get; set; }

    public int SlotMinutes { get; set; }

    public int SlotCount { get; set; }

    public DateTime RegistrationDeadline { get; set; }

    /// <summary>From when participants may request meetings (null: from approval).</summary>
    public DateTime? BookingOpensAt { get; set; }

    /// <summary>Until when meeting requests are taken (null: the registration deadline).</summary>
    public DateTime? BookingClosesAt { get; set; }

    public long? CreatedById { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public long Version { get; set; }

    public bool IsDemo { get; set; }

    /// <summary>None, a preliminary schedule (初步日程) or the final one (正式日程).</summary>
    public ScheduleKind ScheduleKind { get; set; }

    public DateTime? ScheduledAt { get; set; }

    /// <summary>What the last schedule reached, in Chinese (placed, unplaced, total score, the bound).</summary>
    public string ScheduleSummary { get; set; } = "";

    public DateTime? DayReminderSentAt { get; set; }

    public DateTime? HourReminderSentAt { get; set; }
}

/// <summary>
/// A bilateral meeting at an event between two approved registrations: asked by a participant, proposed by the
/// organiser from the matching scores, or added on the day (walk-in); once accepted the scheduler places it at a
/// slot and table; afterwards each side records the outcome.
/// </summary>
public sealed class EventMeeting
{
    public long Id { get; set; }

    public long EventId { get; set; }

    /// <summary>The registration that asked (for an organiser's proposal: the enterprise side).</summary>
    public long RequesterId { get; set; }

    public EventRegistration? Requester { get; set; }

    /// <summary>The registration asked.</summary>
    public long TargetId { get; set; }

    public EventRegistration? Target { get; set; }

    public MeetingOrigin Origin { get; set; }

    public MeetingStatus Status { get; set; }

    /// <summary>The member (or organiser) who made the request.</summary>
    public long RequestedByUserId { get; set; }

    public string Message { get; set; } = "";

    /// <summary>When the requesting side agreed (at once for its own request; for an organiser's proposal, when it accepts).</summary>
    public DateTime? RequesterAcceptedAt { get; set; }

    /// <summary>When the side asked agreed; the meeting is accepted once both sides have.</summary>
    public DateTime? TargetAcceptedAt { get; set; }

    /// <summary>The answer's note: why declined, or why another time.</summary>
    public string ReplyNote { get; set; } = "";

    /// <summary>Value for the scheduler (participant requests above organiser proposals; proposals by match score).</summary>
    public double Score { get; set; }

    /// <summary>The need and achievement behind an organiser's proposal (the match it may advance).</summary>
    public long? NeedId { get; set; }

    public long? AchievementId { get; set; }

    /// <summary>A slot proposed instead (另约时间); on acceptance it becomes the meeting's pinned slot.</summary>
    public int? ProposedSlot { get; set; }

    /// <summary>Which side proposed <see cref="ProposedSlot"/> last: the other side must answer.</summary>
    public long? ProposedByRegistrationId { get; set; }

    /// <summary>Pinned (锁定) slot, by the organiser or an accepted proposed time.</summary>
    public int? PinSlot { get; set; }

    /// <summary>Pinned table; null with a pinned slot means any table in that slot.</summary>
    public int? PinTable { get; set; }

    /// <summary>Where the schedule placed it (from 0), or null.</summary>
    public int? Slot { get; set; }

    public int? Table { get; set; }

    /// <summary>Why the last schedule could not place it (Chinese), or empty.</summary>
    public string UnplacedReason { get; set; } = "";

    public MeetingOutcome RequesterOutcome { get; set; }

    public MeetingOutcome TargetOutcome { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public long Version { get; set; }
}

/// <summary>An organisation's registration for an event, with what it offers and seeks there.</summary>
public sealed class EventRegistration
{
    public long Id { get; set; }

    public long EventId { get; set; }

    public MarketEvent? Event { get; set; }

    public long OrganisationId { get; set; }

    public Organisation? Organisation { get; set; }

    /// <summary>The member who registered.</summary>
    public long UserId { get; set; }

    public RegistrationStatus Status { get; set; }

    public string Offers { get; set; } = "";

    public string Seeks { get; set; } = "";

    /// <summary>The organisation's listings it brings (ids joined with commas).</summary>
    public string ListingIds { get; set; } = "";

    public string DecisionNote { get; set; } = "";

    public DateTime? DecidedAt { get; set; }

    public DateTime? CheckedInAt { get; set; }

    public bool NoShow { get; set; }

    /// <summary>The code the participant shows at the door (签到码), six digits, set on approval.</summary>
    public string CheckInCode { get; set; } = "";

    /// <summary>Slots (from 0) in which the participant cannot meet, joined with commas.</summary>
    public string UnavailableSlots { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public long Version { get; set; }
}

/// <summary>
/// 揭榜挂帅: the challenge set up on a published need (its bounty and deadline stay on the need): the rule, the
/// number of places, the requirements, where it stands. One row per need; its rules live in the challenge grain.
/// </summary>
public sealed class Challenge
{
    /// <summary>The need's id (one challenge per need).</summary>
    public long NeedId { get; set; }

    public Need? Need { get; set; }

    public ChallengeRule Rule { get; set; }

    /// <summary>How many places (抢榜) or how many may be awarded in the end; at least 1.</summary>
    public int Places { get; set; }

    /// <summary>揭榜要求: what an applicant must bring.</summary>
    public string Requirements { get; set; } = "";

    /// <summary>When applications open (UTC); null means at once.</summary>
    public DateTime? OpensAt { get; set; }

    public ChallengeStatus Status { get; set; }

    /// <summary>The application awarded (定榜), once awarded.</summary>
    public long? AwardedApplicationId { get; set; }

    public DateTime? AwardedAt { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public long Version { get; set; }
}

/// <summary>A reviewer (an organiser or a broker) assigned to score a challenge's applications.</summary>
public sealed class ChallengeReviewer
{
    public long NeedId { get; set; }

    public long UserId { get; set; }
}

/// <summary>揭榜 / 抢榜: an institute's application, with its plan, team and price, and its place in arrival order.</summary>
public sealed class ChallengeApplication
{
    public long Id { get; set; }

    public long NeedId { get; set; }

    public long OrganisationId { get; set; }

    public Organisation? Organisation { get; set; }

    /// <summary>The member who applied.</summary>
    public long UserId { get; set; }

    /// <summary>技术方案.</summary>
    public string Plan { get; set; } = "";

    /// <summary>团队.</summary>
    public string Team { get; set; } = "";

    /// <summary>报价 in 万元; null means 面议.</summary>
    public decimal? PriceWan { get; set; }

    /// <summary>When the challenge's grain received it (UTC).</summary>
    public DateTime ArrivedAt { get; set; }

    /// <summary>1, 2, 3 … in the order the challenge's grain received the applications; unique per need.</summary>
    public int ArrivalSeq { get; set; }

    public ApplicationStatus Status { get; set; }

    public DateTime UpdatedAt { get; set; }

    public long Version { get; set; }
}

/// <summary>评榜: one assigned reviewer's score (0–100) of one application.</summary>
public sealed class ChallengeReview
{
    public long Id { get; set; }

    public long ApplicationId { get; set; }

    public long ReviewerUserId { get; set; }

    public int Score { get; set; }

    public string Comment { get; set; } = "";

    public DateTime CreatedAt { get; set; }
}

/// <summary>A milestone of an awarded challenge (节点): what is due when, and when it was done.</summary>
public sealed class ChallengeMilestone
{
    public long Id { get; set; }

    public long NeedId { get; set; }

    public string Title { get; set; } = "";

    public DateOnly DueDate { get; set; }

    public DateTime? DoneAt { get; set; }

    public DateTime CreatedAt { get; set; }
}
