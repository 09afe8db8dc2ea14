using TechMarket.Data.Model;
using TechMarket.Data.Rules;


namespace TechMarket.Market.Contracts;

/// <summary>A registered technology broker (技术经纪人) as the registry shows it.</summary>
[GenerateSerializer, Immutable]
public sealed record BrokerView
{
    [Id(0)]
    public long Id { get; init; }

    [Id(1)]
    public long UserId { get; init; }

    [Id(2)]
    public string Name { get; init; } = "";

    [Id(3)]
    public string CertificateNumber { get; init; } = "";

    /// <summary>初级, 中级 or 高级.</summary>
    [Id(4)]
    public string Level { get; init; } = "";

    [Id(5)]
    public string Agency { get; init; } = "";

    [Id(6)]
    public string District { get; init; } = "";

    [Id(7)]
    public string Specialties { get; init; } = "";

    [Id(8)]
    public bool IsDemo { get; init; }

    public static BrokerView From(BrokerProfile b, string name)
    {
        ArgumentNullException.ThrowIfNull(b);
        return new()
        {
            Id = b.Id,
            UserId = b.UserId,
            Name = name,
            CertificateNumber = b.CertificateNumber,
            Level = Labels.Of(b.Level),
            Agency = b.Agency,
            District = b.District,
            Specialties = b.Specialties,
            IsDemo = b.IsDemo,
        };
    }
}

/// <summary>A registry entry (技术经纪人备案) as an admin enters or corrects it.</summary>
[GenerateSerializer, Immutable]
public sealed record BrokerRegistration
{
    [Id(0)]
    public string? CertificateNumber { get; init; }

    /// <summary>初级/中级/高级 or Junior/Intermediate/Senior.</summary>
    [Id(1)]
    public string? Level { get; init; }

    [Id(2)]
    public string? Agency { get; init; }

    [Id(3)]
    public string? District { get; init; }

    [Id(4)]
    public string? Specialties { get; init; }
}

/// <summary>
/// One broker (keyed by the broker's user id): the registry entry — certificate, level, agency, district and
/// specialties. Registration also gives the account the broker role.
/// </summary>
public interface IBrokerGrain : IGrainWithIntegerKey
{
    Task<OpResult<BrokerView>> RegisterAsync(Actor actor, BrokerRegistration registration);

    /// <summary>Corrects the entry (an admin's mistaken level or district, say).</summary>
    Task<OpResult<BrokerView>> UpdateAsync(Actor actor, BrokerRegistration registration);
}
