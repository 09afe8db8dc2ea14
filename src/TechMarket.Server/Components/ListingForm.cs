using System.Globalization;
using TechMarket.Data.Rules;

namespace TechMarket.Server.Components;

/// <summary>
/// What the listing form holds: the raw text the user typed, so a rejected post shows exactly what was entered.
/// The rules themselves stay in <see cref="ListingRules"/>; this only turns text into a <see cref="ListingInput"/>.
/// </summary>
internal sealed class ListingForm
{
    public string Title { get; set; } = "";

    public string Summary { get; set; } = "";

    public string Keywords { get; set; } = "";

    public string Field { get; set; } = "";

    public IReadOnlyList<string> TransferModes { get; set; } = [];

    public string ContactName { get; set; } = "";

    public string ContactPhone { get; set; } = "";

    public string Problem { get; set; } = "";

    public string KeyPoints { get; set; } = "";

    public string Targets { get; set; } = "";

    public string BudgetWan { get; set; } = "";

    public string ValidUntil { get; set; } = "";

    public bool IsChallenge { get; set; }

    public string BountyWan { get; set; } = "";

    public string ChallengeDeadline { get; set; } = "";

    public string Maturity { get; set; } = "";

    public string Trl { get; set; } = "";

    public string IntellectualProperty { get; set; } = "";

    public string PriceWan { get; set; } = "";

    public bool UseFirstPayLater { get; set; }

    public long Version { get; set; }

    public static ListingForm From(ListingView v) => new()
    {
        Title = v.Title,
        Summary = v.Summary,
        Keywords = v.Keywords,
        Field = v.Field,
        TransferModes = v.TransferModes,
        ContactName = v.ContactName,
        ContactPhone = v.ContactPhone,
        Problem = v.Problem ?? "",
        KeyPoints = v.KeyPoints ?? "",
        Targets = v.Targets ?? "",
        BudgetWan = Number(v.BudgetWan),
        ValidUntil = Day(v.ValidUntil),
        IsChallenge = v.IsChallenge,
        BountyWan = Number(v.BountyWan),
        ChallengeDeadline = Day(v.ChallengeDeadline),
        Maturity = v.Maturity ?? "",
        Trl = v.Trl?.ToString(CultureInfo.InvariantCulture) ?? "",
        IntellectualProperty = v.IntellectualProperty ?? "",
        PriceWan = Number(v.PriceWan),
        UseFirstPayLater = v.UseFirstPayLater,
        Version = v.Version,
    };

    public static ListingForm From(IFormCollection f) => new()
    {
        Title = f["Title"].ToString(),
        Summary = f["Summary"].ToString(),
        Keywords = f["Keywords"].ToString(),
        Field = f["Field"].ToString(),
        TransferModes = [.. f["TransferModes"].OfType<string>()],
        ContactName = f["ContactName"].ToString(),
        ContactPhone = f["ContactPhone"].ToString(),
        Problem = f["Problem"].ToString(),
        KeyPoints = f["KeyPoints"].ToString(),
        Targets = f["Targets"].ToString(),
        BudgetWan = f["BudgetWan"].ToString(),
        ValidUntil = f["ValidUntil"].ToString(),
        IsChallenge = f["IsChallenge"] == "true",
        BountyWan = f["BountyWan"].ToString(),
        ChallengeDeadline = f["ChallengeDeadline"].ToString(),
        Maturity = f["Maturity"].ToString(),
        Trl = f["Trl"].ToString(),
        IntellectualProperty = f["IntellectualProperty"].ToString(),
        PriceWan = f["PriceWan"].ToString(),
        UseFirstPayLater = f["UseFirstPayLater"] == "true",
        Version = long.TryParse(f["Version"], NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : 0,
    };

    /// <summary>The input for the service, or the fields whose text is not a number or a date.</summary>
    public (ListingInput Input, Dictionary<string, string[]> Errors) ToInput(bool isNeed)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        decimal? Amount(string key, string text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (decimal.TryParse(text.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var v))
            {
                return v;
            }

            errors[key] = ["请填写数字（单位：万元），面议请留空"];
            return null;
        }

        DateOnly? Date(string key, string text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                return d;
            }

            errors[key] = ["请填写有效日期（年-月-日）"];
            return null;
        }

        int? trl = null;
        if (!string.IsNullOrWhiteSpace(Trl))
        {
            if (int.TryParse(Trl, NumberStyles.Integer, CultureInfo.InvariantCulture, out var t))
            {
                trl = t;
            }
            else
            {
                errors["trl"] = ["技术就绪度（TRL）应为 1 到 9"];
            }
        }

        var input = new ListingInput
        {
            Title = Title,
            Summary = Summary,
            Keywords = Keywords,
            Field = Field,
            TransferModes = [.. TransferModes],
            ContactName = ContactName,
            ContactPhone = ContactPhone,
        };
        input = isNeed
            ? input with
            {
                Problem = Problem,
                KeyPoints = KeyPoints,
                Targets = Targets,
                BudgetWan = Amount("budgetWan", BudgetWan),
                ValidUntil = Date("validUntil", ValidUntil),
                IsChallenge = IsChallenge,
                BountyWan = Amount("bountyWan", BountyWan),
                ChallengeDeadline = Date("challengeDeadline", ChallengeDeadline),
                Maturity = Maturity,
            }
            : input with
            {
                Maturity = Maturity,
                Trl = trl,
                IntellectualProperty = IntellectualProperty,
                PriceWan = Amount("priceWan", PriceWan),
                UseFirstPayLater = UseFirstPayLater,
            };
        return (input, errors);
    }

    private static string Number(decimal? v) => v?.ToString("0.####", CultureInfo.InvariantCulture) ?? "";

    private static string Day(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
}
