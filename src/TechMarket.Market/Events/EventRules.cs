using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Market.Contracts;

namespace TechMarket.Market.Events;

/// <summary>What makes an event or a campaign valid, and how rows become views. Errors are keyed by camelCase field.</summary>
public static class EventRules
{
    public const int MaxCapacity = 5000;

    public const int MaxTables = 500;

    public const int MaxSlots = 48;

    public static bool TryParseFormat(string? text, out EventFormat format)
    {
        var t = text?.Trim();
        format = Labels.EventFormats.FirstOrDefault(f => string.Equals(f.ToString(), t, StringComparison.OrdinalIgnoreCase) || Labels.Of(f) == t);
        return format != 0;
    }

    /// <summary>Errors of a draft; <paramref name="now"/> bounds the dates of a new event (a held one keeps its past).</summary>
    public static Dictionary<string, string[]> Validate(EventDraft d, DateTime now, bool creating)
    {
        ArgumentNullException.ThrowIfNull(d);
        var errors = new Dictionary<string, string[]>();
        void Add(string key, string message) => errors[key] = errors.TryGetValue(key, out var e) ? [.. e, message] : [message];

        if (!TryParseFormat(d.Format, out var format))
        {
            Add("format", $"请选择活动形式（{string.Join("、", Labels.EventFormats.Select(Labels.Of))}）");
        }

        var title = d.Title?.Trim() ?? "";
        if (title.Length < 2 || title.Length > 200)
        {
            Add("title", "活动名称应为 2 到 200 个字");
        }

        if (d.Theme is { Length: > 1000 })
        {
            Add("theme", "活动主题不能超过 1000 个字");
        }

        foreach (var f in d.Fields ?? [])
        {
            if (!Labels.Fields.Contains(f?.Trim() ?? ""))
            {
                Add("fields", $"未知的领域：{Clip(f)}");
            }
        }

        if (d.Venue is { Length: > 200 })
        {
            Add("venue", "地点不能超过 200 个字");
        }

        if (!string.IsNullOrWhiteSpace(d.District) && !Labels.Districts.Contains(d.District.Trim()))
        {
            Add("district", $"未知的区县市：{Clip(d.District)}");
        }

        if (d.StartsAt is not { } starts)
        {
            Add("startsAt", "请填写活动开始时间");
        }
        else if (creating && starts <= now)
        {
            Add("startsAt", "活动开始时间应在现在之后");
        }

        if (d.RegistrationDeadline is not { } deadline)
        {
            Add("registrationDeadline", "请填写报名截止时间");
        }
        else if (d.StartsAt is { } s && deadline > s)
        {
            Add("registrationDeadline", "报名截止时间不能晚于活动开始时间");
        }

        if (d.Capacity is not (>= 1 and <= MaxCapacity))
        {
            Add("capacity", $"参加单位数上限应在 1 到 {MaxCapacity} 之间");
        }

        var bilateral = format == EventFormat.Bilateral;
        if (d.Tables is < 0 or > MaxTables || (bilateral && d.Tables is null or 0))
        {
            Add("tables", bilateral ? $"专场对接会需要洽谈桌，桌数应在 1 到 {MaxTables} 之间" : $"桌数应在 0 到 {MaxTables} 之间");
        }

        if (d.SlotCount is < 0 or > MaxSlots || (bilateral && d.SlotCount is null or 0))
        {
            Add("slotCount", bilateral ? $"专场对接会需要洽谈时段，时段数应在 1 到 {MaxSlots} 之间" : $"时段数应在 0 到 {MaxSlots} 之间");
        }

        if (d.SlotMinutes is < 0 or > 240 || (bilateral && d.SlotMinutes is null or < 5))
        {
            Add("slotMinutes", "每个洽谈时段应为 5 到 240 分钟");
        }

        if (d.BookingOpensAt is { } opens && d.BookingClosesAt is { } closes && opens > closes)
        {
            Add("bookingClosesAt", "预约洽谈的截止时间不能早于开始时间");
        }

        if (d.BookingClosesAt is { } bc && d.StartsAt is { } st && bc > st)
        {
            Add("bookingClosesAt", "预约洽谈应在活动开始前截止");
        }

        return errors;
    }

    /// <summary>Copies a valid draft onto the row.</summary>
    public static void Apply(EventDraft d, MarketEvent e)
    {
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(e);
        if (!TryParseFormat(d.Format, out var format))
        {
            throw new ArgumentException("Apply needs a validated draft", nameof(d));
        }

        e.CampaignId = d.CampaignId;
        e.Format = format;
        e.Title = d.Title!.Trim();
        e.Theme = d.Theme?.Trim() ?? "";
        e.Fields = string.Join("、", (d.Fields ?? []).Select(f => f.Trim()).Distinct());
        e.StartsAt = Utc(d.StartsAt!.Value);
        e.Venue = d.Venue?.Trim() ?? "";
        e.District = d.District?.Trim() ?? "";
        e.Capacity = d.Capacity!.Value;
        e.Tables = d.Tables ?? 0;
        e.SlotMinutes = d.SlotMinutes ?? 0;
        e.SlotCount = d.SlotCount ?? 0;
        e.RegistrationDeadline = Utc(d.RegistrationDeadline!.Value);
        e.BookingOpensAt = d.BookingOpensAt is { } o ? Utc(o) : null;
        e.BookingClosesAt = d.BookingClosesAt is { } c ? Utc(c) : null;
    }

    public static Dictionary<string, string[]> Validate(CampaignDraft d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var errors = new Dictionary<string, string[]>();
        var name = d.Name?.Trim() ?? "";
        if (name.Length < 2 || name.Length > 200)
        {
            errors["name"] = ["活动计划名称应为 2 到 200 个字"];
        }

        if (d.Year is not (>= 2000 and <= 2100))
        {
            errors["year"] = ["年度应为 2000 到 2100 之间的年份"];
        }

        if (d.Description is { Length: > 2000 })
        {
            errors["description"] = ["说明不能超过 2000 个字"];
        }

        foreach (var (key, value) in new[] { ("targetEvents", d.TargetEvents), ("targetParticipants", d.TargetParticipants), ("targetMeetings", d.TargetMeetings), ("targetAgreements", d.TargetAgreements), ("targetDeals", d.TargetDeals) })
        {
            if (value is < 0 or > 1_000_000)
            {
                errors[key] = ["目标应在 0 到 1000000 之间"];
            }
        }

        if (d.TargetAmountWan is < 0 or > 100_000_000)
        {
            errors["targetAmountWan"] = ["技术交易额目标应在 0 到 1 亿万元之间"];
        }

        return errors;
    }

    public static EventView View(MarketEvent e, string? campaignName, int approved, int pending)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new EventView
        {
            Id = e.Id,
            CampaignId = e.CampaignId,
            CampaignName = campaignName,
            Format = e.Format.ToString(),
            FormatLabel = Labels.Of(e.Format),
            Status = e.Status.ToString(),
            StatusLabel = Labels.Of(e.Status),
            Title = e.Title,
            Theme = e.Theme,
            Fields = e.Fields.Length == 0 ? [] : e.Fields.Split('、'),
            StartsAt = e.StartsAt,
            EndsAt = e.StartsAt.AddMinutes(e.SlotMinutes * e.SlotCount),
            Venue = e.Venue,
            District = e.District,
            Capacity = e.Capacity,
            Tables = e.Tables,
            SlotMinutes = e.SlotMinutes,
            SlotCount = e.SlotCount,
            RegistrationDeadline = e.RegistrationDeadline,
            BookingOpensAt = e.BookingOpensAt,
            BookingClosesAt = e.BookingClosesAt,
            Approved = approved,
            Pending = pending,
            Version = e.Version,
            IsDemo = e.IsDemo,
        };
    }

    public static RegistrationView View(EventRegistration r, Organisation? organisation) => new()
    {
        Id = r.Id,
        EventId = r.EventId,
        OrganisationId = r.OrganisationId,
        OrganisationName = organisation?.Name ?? "",
        OrganisationKind = organisation is null ? "" : Labels.Of(organisation.Kind),
        Status = r.Status.ToString(),
        StatusLabel = Labels.Of(r.Status),
        Offers = r.Offers,
        Seeks = r.Seeks,
        ListingIds = r.ListingIds.Length == 0 ? [] : [.. r.ListingIds.Split(',').Select(s => long.Parse(s, System.Globalization.CultureInfo.InvariantCulture))],
        DecisionNote = r.DecisionNote,
        CreatedAt = r.CreatedAt,
        DecidedAt = r.DecidedAt,
        Version = r.Version,
        UnavailableSlots = EventScheduling.ParseSlots(r.UnavailableSlots),
        CheckedInAt = r.CheckedInAt,
        NoShow = r.NoShow,
        CheckInCode = r.CheckInCode,
    };

    private static DateTime Utc(DateTime t) => t.Kind switch
    {
        DateTimeKind.Utc => t,
        DateTimeKind.Local => t.ToUniversalTime(),
        _ => DateTime.SpecifyKind(t, DateTimeKind.Utc),
    };

    private static string Clip(string? s) => s is null ? "" : s.Length > 20 ? s[..20] + "…" : s;
}
