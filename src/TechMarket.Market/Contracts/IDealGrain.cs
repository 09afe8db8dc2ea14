namespace TechMarket.Market.Contracts;

/// <summary>What a party, broker or organiser records of a signed technology contract.</summary>
[GenerateSerializer, Immutable]
public sealed record DealDraft
{
    [Id(0)]
    public string? Title { get; init; }

    /// <summary>Development / Transfer / Licence / Consulting / Service, or 技术开发 / 技术转让 / 技术许可 / 技术咨询 / 技术服务.</summary>
    [Id(1)]
    public string? ContractType { get; init; }

    [Id(2)]
    public long? BuyerOrganisationId { get; init; }

    [Id(3)]
    public long? SellerOrganisationId { get; init; }

    /// <summary>Contract amount, 万元.</summary>
    [Id(4)]
    public decimal? AmountWan { get; init; }

    [Id(5)]
    public DateOnly? SignedOn { get; init; }

    /// <summary>The match it concludes: the buyer's need and the seller's achievement.</summary>
    [Id(6)]
    public long? NeedId { get; init; }

    [Id(7)]
    public long? AchievementId { get; init; }

    /// <summary>The event meeting where the two sides met (sets the event it is credited to).</summary>
    [Id(8)]
    public long? MeetingId { get; init; }

    /// <summary>The brokers credited (a broker recording it is credited anyway).</summary>
    [Id(9)]
    public long[]? BrokerUserIds { get; init; }
}

/// <summary>A registrar's decision on an application.</summary>
[GenerateSerializer, Immutable]
public sealed record DealRegistration
{
    /// <summary>The classification (技术合同类别); defaults to the declared type.</summary>
    [Id(0)]
    public string? ContractType { get; init; }

    /// <summary>核定技术交易额, 万元: more than 0, at most the contract amount.</summary>
    [Id(1)]
    public decimal? RegisteredAmountWan { get; init; }
}

/// <summary>A deal as its parties, brokers, registrars and organisers see it.</summary>
[GenerateSerializer, Immutable]
public sealed record DealView
{
    [Id(0)]
    public long Id { get; init; }

    [Id(1)]
    public string Title { get; init; } = "";

    [Id(2)]
    public string ContractType { get; init; } = "";

    [Id(3)]
    public string ContractTypeLabel { get; init; } = "";

    [Id(4)]
    public long BuyerOrganisationId { get; init; }

    [Id(5)]
    public string BuyerName { get; init; } = "";

    [Id(6)]
    public long SellerOrganisationId { get; init; }

    [Id(7)]
    public string SellerName { get; init; } = "";

    [Id(8)]
    public decimal AmountWan { get; init; }

    [Id(9)]
    public DateOnly SignedOn { get; init; }

    [Id(10)]
    public long? MatchId { get; init; }

    [Id(11)]
    public long? MeetingId { get; init; }

    [Id(12)]
    public long? EventId { get; init; }

    [Id(13)]
    public string District { get; init; } = "";

    [Id(14)]
    public string Status { get; init; } = "";

    [Id(15)]
    public string StatusLabel { get; init; } = "";

    [Id(16)]
    public string? RegistrationNumber { get; init; }

    [Id(17)]
    public string? RegisteredTypeLabel { get; init; }

    [Id(18)]
    public decimal? RegisteredAmountWan { get; init; }

    [Id(19)]
    public DateTime? RegisteredAt { get; init; }

    [Id(20)]
    public string DecisionNote { get; init; } = "";

    [Id(21)]
    public long[] BrokerUserIds { get; init; } = [];

    /// <summary>Each broker's reward by the configured rule, 万元 (null until registered).</summary>
    [Id(22)]
    public decimal? RewardPerBrokerWan { get; init; }

    [Id(23)]
    public long Version { get; init; }

    [Id(24)]
    public bool IsDemo { get; init; }
}

/// <summary>Records new deals: the row gets its id here, then the deal is its own grain.</summary>
public interface IDealDeskGrain : IGrainWithIntegerKey
{
    Task<OpResult<DealView>> CreateAsync(Actor actor, DealDraft draft);
}

/// <summary>
/// One deal (key: its id) and its registration (技术合同认定登记): the seller applies; a registrar registers it with a
/// 登记号 and a 核定技术交易额, or refuses it with a reason; a mistaken entry is cancelled before it is applied for.
/// </summary>
public interface IDealGrain : IGrainWithIntegerKey
{
    Task<OpResult<DealView>> GetAsync(Actor actor);

    /// <summary>The seller's members: apply for registration (again after a refusal).</summary>
    Task<OpResult<DealView>> ApplyAsync(Actor actor);

    /// <summary>Registrars: register, giving the 登记号 and the 核定技术交易额.</summary>
    Task<OpResult<DealView>> RegisterAsync(Actor actor, DealRegistration registration);

    /// <summary>Registrars: refuse (未予登记), with the reason.</summary>
    Task<OpResult<DealView>> RefuseAsync(Actor actor, string? reason);

    /// <summary>Undo a mistaken entry: whoever recorded it or either party, before it is applied for.</summary>
    Task<OpResult<DealView>> CancelAsync(Actor actor, string? note);
}
