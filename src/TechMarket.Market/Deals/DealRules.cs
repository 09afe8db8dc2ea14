using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Market.Contracts;

namespace TechMarket.Market.Deals;

/// <summary>The rules of deals shared by the grains and the read side: types, the 登记号, the reward, the view.</summary>
public static class DealRules
{
    /// <summary>The broker reward rule's rate (up to 1.5 % of the registered amount, as in 镇海), configurable.</summary>
    public static decimal RewardRate(IConfiguration config) => config.GetValue<decimal?>("Deals:BrokerRewardRate") ?? 0.015m;

    public static bool TryParseType(string? text, out ContractType type)
    {
        var t = text?.Trim();
        type = Labels.ContractTypes.FirstOrDefault(c => string.Equals(c.ToString(), t, StringComparison.OrdinalIgnoreCase) || Labels.Of(c) == t);
        return type != 0;
    }

    /// <summary>
    /// 登记号 in the format of the 技术合同登记 forms: 14 digits, the year's last two, the province (浙江 33), the city
    /// (宁波 02), the registration point (登记点: the district market's place in the market's list, 01–14), then a
    /// six-digit sequence within that point and year.
    /// </summary>
    public static string NumberPrefix(DateTime utc, string district)
    {
        var point = Labels.Districts.ToList().IndexOf(district) + 1;
        return string.Create(CultureInfo.InvariantCulture, $"{utc.AddHours(8).Year % 100:D2}3302{Math.Max(point, 0):D2}");
    }

    public static DealView View(Deal d, IReadOnlyList<long> brokers, decimal rate) => new()
    {
        Id = d.Id,
        Title = d.Title,
        ContractType = d.ContractType.ToString(),
        ContractTypeLabel = Labels.Of(d.ContractType),
        BuyerOrganisationId = d.BuyerOrganisationId,
        BuyerName = d.Buyer?.Name ?? "",
        SellerOrganisationId = d.SellerOrganisationId,
        SellerName = d.Seller?.Name ?? "",
        AmountWan = d.AmountWan,
        SignedOn = d.SignedOn,
        MatchId = d.MatchId,
        MeetingId = d.MeetingId,
        EventId = d.EventId,
        District = d.District,
        Status = d.Status.ToString(),
        StatusLabel = Labels.Of(d.Status),
        RegistrationNumber = d.RegistrationNumber,
        RegisteredTypeLabel = d.RegisteredType is { } t ? Labels.Of(t) : null,
        RegisteredAmountWan = d.RegisteredAmountWan,
        RegisteredAt = d.RegisteredAt,
        DecisionNote = d.DecisionNote,
        BrokerUserIds = [.. brokers],
        RewardPerBrokerWan = d.Status == DealStatus.Registered && d.RegisteredAmountWan is { } amount && brokers.Count > 0
            ? Math.Round(amount * rate / brokers.Count, 2, MidpointRounding.AwayFromZero)
            : null,
        Version = d.Version,
        IsDemo = d.IsDemo,
    };

    public static async Task<DealView> ViewAsync(MarketDb db, Deal d, decimal rate)
    {
        await db.Entry(d).Reference(x => x.Buyer).LoadAsync();
        await db.Entry(d).Reference(x => x.Seller).LoadAsync();
        var brokers = await db.DealBrokers.AsNoTracking().Where(b => b.DealId == d.Id).OrderBy(b => b.UserId).Select(b => b.UserId).ToListAsync();
        return View(d, brokers, rate);
    }

    internal static OpResult<T> Invalid<T>(string field, string message) => OpResult<T>.Invalid(new Dictionary<string, string[]> { [field] = [message] });
}
