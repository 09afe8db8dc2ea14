using System.Globalization;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Market.Contracts;

namespace TechMarket.Market.Events;

/// <summary>What makes an interest valid, which events a plan may use, and how rows become views.</summary>
public static class CampaignPlanRules
{
    public const int MaxEventsPerInterest = 10;

    public const int MaxDates = 60;

    /// <summary>Ningbo's calendar day of a UTC time (the market keeps UTC; people plan in China Standard Time).</summary>
    public static DateOnly LocalDate(DateTime utc) => DateOnly.FromDateTime(utc.AddHours(8));

    /// <summary>The campaign's events a plan may send organisations to: open, before their registration deadline.</summary>
    public static bool Plannable(MarketEvent e, DateTime now) =>
        e.Status == EventStatus.Open && e.RegistrationDeadline > now && e.StartsAt > now;

    public static Dictionary<string, string[]> Validate(CampaignInterestDraft d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var errors = new Dictionary<string, string[]>();
        foreach (var f in d.Fields ?? [])
        {
            if (!Labels.Fields.Contains(f?.Trim() ?? ""))
            {
                errors["fields"] = [$"未知的领域：{Clip(f)}（可选：{string.Join("、", Labels.Fields)}）"];
            }
        }

        if ((d.AvailableDates?.Length ?? 0) > MaxDates)
        {
            errors["availableDates"] = [$"可参加日期最多 {MaxDates} 天"];
        }

        if (d.MaxEvents is < 1 or > MaxEventsPerInterest)
        {
            errors["maxEvents"] = [$"最多参加场次应在 1 到 {MaxEventsPerInterest} 之间"];
        }

        if (d.Offers is { Length: > 1000 })
        {
            errors["offers"] = ["“可提供”不能超过 1000 个字"];
        }

        if (d.Seeks is { Length: > 1000 })
        {
            errors["seeks"] = ["“希望对接”不能超过 1000 个字"];
        }

        if ((d.ListingIds?.Distinct().Count() ?? 0) > 20)
        {
            errors["listingIds"] = ["最多带 20 项需求或成果"];
        }

        return errors;
    }

    public static void Apply(CampaignInterestDraft d, CampaignInterest row)
    {
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(row);
        row.Fields = string.Join('、', (d.Fields ?? []).Select(f => f.Trim()).Distinct());
        row.AvailableDates = FormatDates(d.AvailableDates ?? []);
        row.MaxEvents = d.MaxEvents ?? 1;
        row.Offers = d.Offers?.Trim() ?? "";
        row.Seeks = d.Seeks?.Trim() ?? "";
        row.ListingIds = string.Join(',', (d.ListingIds ?? []).Distinct().Select(i => i.ToString(CultureInfo.InvariantCulture)));
    }

    public static string FormatDates(IEnumerable<DateOnly> dates) =>
        string.Join(',', dates.Distinct().Order().Select(x => x.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));

    public static DateOnly[] ParseDates(string s) =>
        s.Length == 0 ? [] : [.. s.Split(',').Select(x => DateOnly.ParseExact(x, "yyyy-MM-dd", CultureInfo.InvariantCulture))];

    public static long[] ParseIds(string s) =>
        s.Length == 0 ? [] : [.. s.Split(',').Select(x => long.Parse(x, CultureInfo.InvariantCulture))];

    public static string[] ParseFields(string s) => s.Length == 0 ? [] : s.Split('、');

    public static CampaignInterestView View(CampaignInterest r, Organisation? organisation)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new()
        {
            Id = r.Id,
            CampaignId = r.CampaignId,
            OrganisationId = r.OrganisationId,
            OrganisationName = organisation?.Name ?? "",
            OrganisationKind = organisation is null ? "" : Labels.Of(organisation.Kind),
            Status = r.Status.ToString(),
            StatusLabel = Labels.Of(r.Status),
            Fields = ParseFields(r.Fields),
            AvailableDates = ParseDates(r.AvailableDates),
            MaxEvents = r.MaxEvents,
            Offers = r.Offers,
            Seeks = r.Seeks,
            ListingIds = ParseIds(r.ListingIds),
            UpdatedAt = r.UpdatedAt,
            Version = r.Version,
        };
    }

    private static string Clip(string? s) => s is null ? "" : s.Length <= 20 ? s : s[..20] + "…";
}
