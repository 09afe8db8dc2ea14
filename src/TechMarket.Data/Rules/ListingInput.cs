using System.Globalization;
using TechMarket.Data.Model;

namespace TechMarket.Data.Rules;

/// <summary>
/// The editable fields of a need or an achievement, as they arrive from the API, a form or an import row.
/// One validator serves all three so a rule is never written twice. It is also part of the grains' wire contract
/// (Orleans generates its serializer in this assembly), so ids are never reused.
/// </summary>
[GenerateSerializer]
public sealed record ListingInput
{
    [Id(0)]
    public string? Title { get; init; }

    [Id(1)]
    public string? Summary { get; init; }

    [Id(2)]
    public string? Keywords { get; init; }

    [Id(3)]
    public string? Field { get; init; }

    /// <summary>Chinese labels (技术转让 …) or English names (Transfer …).</summary>
    [Id(4)]
    public string[]? TransferModes { get; init; }

    [Id(5)]
    public string? ContactName { get; init; }

    [Id(6)]
    public string? ContactPhone { get; init; }

    [Id(7)]
    public string? Problem { get; init; }

    [Id(8)]
    public string? KeyPoints { get; init; }

    [Id(9)]
    public string? Targets { get; init; }

    [Id(10)]
    public decimal? BudgetWan { get; init; }

    [Id(11)]
    public DateOnly? ValidUntil { get; init; }

    [Id(12)]
    public bool IsChallenge { get; init; }

    [Id(13)]
    public decimal? BountyWan { get; init; }

    [Id(14)]
    public DateOnly? ChallengeDeadline { get; init; }

    /// <summary>实验室 / 小试 / 中试 / 产业化 (or Laboratory …): an achievement's stage, or the least a need can take up.</summary>
    [Id(15)]
    public string? Maturity { get; init; }

    [Id(16)]
    public int? Trl { get; init; }

    [Id(17)]
    public string? IntellectualProperty { get; init; }

    [Id(18)]
    public decimal? PriceWan { get; init; }

    [Id(19)]
    public bool UseFirstPayLater { get; init; }
}

/// <summary>Checks a <see cref="ListingInput"/> and copies it onto an entity.</summary>
public static class ListingRules
{
    public const int MaxAmountWan = 10_000_000;

    /// <summary>
    /// Field errors keyed by the input's property name (camelCase, as in JSON), with Chinese messages.
    /// A draft needs only a title; submission needs every required field.
    /// </summary>
    public static Dictionary<string, string[]> Validate(ListingInput input, bool isNeed, bool forSubmission, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string key, string message)
        {
            if (!errors.TryGetValue(key, out var list))
            {
                errors[key] = list = [];
            }

            list.Add(message);
        }

        void Text(string key, string label, string? value, int max, bool required, int min = 0)
        {
            var v = value?.Trim();
            if (string.IsNullOrEmpty(v))
            {
                if (required)
                {
                    Add(key, $"请填写{label}");
                }

                return;
            }

            if (v.Length > max)
            {
                Add(key, $"{label}不能超过 {max} 个字符（当前 {v.Length} 个）");
            }
            else if (v.Length < min)
            {
                Add(key, $"{label}至少 {min} 个字符");
            }

            if (v.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
            {
                Add(key, $"{label}含有不可见的控制字符");
            }
        }

        void Amount(string key, string label, decimal? value)
        {
            if (value is { } v && (v < 0 || v > MaxAmountWan))
            {
                Add(key, $"{label}应在 0 到 {MaxAmountWan} 万元之间");
            }
        }

        Text("title", "名称", input.Title, 100, required: true, min: 4);
        Text("summary", isNeed ? "需求描述" : "成果简介", input.Summary, 8000, forSubmission, min: forSubmission ? 10 : 0);
        Text("keywords", "关键词", input.Keywords, 200, required: false);
        Text("contactName", "联系人", input.ContactName, 50, required: false);
        Text("contactPhone", "联系电话", input.ContactPhone, 30, required: false);
        if (!string.IsNullOrWhiteSpace(input.ContactPhone) && !input.ContactPhone.Trim().All(c => char.IsAsciiDigit(c) || c is '-' or '+' or ' ' or '(' or ')'))
        {
            Add("contactPhone", "联系电话只能包含数字、空格和 + - ( )");
        }

        if (string.IsNullOrWhiteSpace(input.Field))
        {
            if (forSubmission)
            {
                Add("field", "请选择领域");
            }
        }
        else if (!Labels.Fields.Contains(input.Field.Trim()))
        {
            Add("field", $"未知的领域：{Clip(input.Field)}（可选：{string.Join("、", Labels.Fields)}）");
        }

        var modes = TransferModes.None;
        foreach (var m in input.TransferModes ?? [])
        {
            if (!Labels.TryParseModes(m, out var parsed))
            {
                Add("transferModes", $"未知的合作方式：{Clip(m)}（可选：{string.Join("、", Labels.TransferModeLabels.Select(t => t.Label))}）");
            }

            modes |= parsed;
        }

        if (forSubmission && modes == TransferModes.None && !errors.ContainsKey("transferModes"))
        {
            Add("transferModes", "请至少选择一种合作方式");
        }

        if (isNeed)
        {
            Text("problem", "主要问题", input.Problem, 4000, forSubmission);
            Text("keyPoints", "技术关键", input.KeyPoints, 4000, required: false);
            Text("targets", "预期目标", input.Targets, 4000, required: false);
            Amount("budgetWan", "预算", input.BudgetWan);
            if (forSubmission && input.ValidUntil is { } until && until < today)
            {
                Add("validUntil", "需求时限已过，请修改");
            }

            if (!string.IsNullOrWhiteSpace(input.Maturity) && !Labels.TryParseMaturity(input.Maturity, out _))
            {
                Add("maturity", $"未知的成果阶段：{Clip(input.Maturity)}（可选：实验室、小试、中试、产业化）");
            }

            if (input.IsChallenge)
            {
                Amount("bountyWan", "榜单金额", input.BountyWan);
                if (forSubmission && input.BountyWan is null or <= 0)
                {
                    Add("bountyWan", "揭榜挂帅项目须填写榜单金额");
                }

                if (forSubmission && input.ChallengeDeadline is null)
                {
                    Add("challengeDeadline", "揭榜挂帅项目须填写揭榜截止日期");
                }
            }
        }
        else
        {
            if (string.IsNullOrWhiteSpace(input.Maturity))
            {
                if (forSubmission)
                {
                    Add("maturity", "请选择成果所处阶段");
                }
            }
            else if (!Labels.TryParseMaturity(input.Maturity, out _))
            {
                Add("maturity", $"未知的成果阶段：{Clip(input.Maturity)}（可选：实验室、小试、中试、产业化）");
            }

            if (input.Trl is < 1 or > 9)
            {
                Add("trl", "技术就绪度（TRL）应为 1 到 9");
            }

            Text("intellectualProperty", "知识产权", input.IntellectualProperty, 1000, required: false);
            Amount("priceWan", "价格", input.PriceWan);
            var keywordCount = SplitKeywords(input.Keywords).Count;
            if (keywordCount > 3)
            {
                Add("keywords", $"成果关键词最多 3 个（当前 {keywordCount} 个）");
            }
        }

        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>Copies a validated input onto the entity. Call <see cref="Validate"/> first.</summary>
    public static void Apply(ListingInput input, Listing listing)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(listing);
        listing.Title = input.Title?.Trim() ?? "";
        listing.Summary = input.Summary?.Trim() ?? "";
        listing.Keywords = string.Join("、", SplitKeywords(input.Keywords));
        listing.Field = input.Field?.Trim() ?? "";
        listing.ContactName = input.ContactName?.Trim() ?? "";
        listing.ContactPhone = input.ContactPhone?.Trim() ?? "";
        var modes = TransferModes.None;
        foreach (var m in input.TransferModes ?? [])
        {
            if (Labels.TryParseModes(m, out var parsed))
            {
                modes |= parsed;
            }
        }

        listing.TransferModes = modes;
        switch (listing)
        {
            case Need n:
                n.Problem = input.Problem?.Trim() ?? "";
                n.KeyPoints = input.KeyPoints?.Trim() ?? "";
                n.Targets = input.Targets?.Trim() ?? "";
                n.BudgetWan = input.BudgetWan;
                n.ValidUntil = input.ValidUntil;
                n.IsChallenge = input.IsChallenge;
                n.BountyWan = input.IsChallenge ? input.BountyWan : null;
                n.ChallengeDeadline = input.IsChallenge ? input.ChallengeDeadline : null;
                n.MaturityWanted = Labels.TryParseMaturity(input.Maturity, out var wanted) ? wanted : Model.Maturity.Unspecified;
                break;
            case Achievement a:
                a.Maturity = Labels.TryParseMaturity(input.Maturity, out var maturity) ? maturity : Model.Maturity.Unspecified;
                a.Trl = input.Trl;
                a.IntellectualProperty = input.IntellectualProperty?.Trim() ?? "";
                a.PriceWan = input.PriceWan;
                a.UseFirstPayLater = input.UseFirstPayLater;
                break;
        }
    }

    /// <summary>The input that reproduces an entity (for editing forms and export).</summary>
    public static ListingInput ToInput(Listing listing)
    {
        ArgumentNullException.ThrowIfNull(listing);
        var common = new ListingInput
        {
            Title = listing.Title,
            Summary = listing.Summary,
            Keywords = listing.Keywords,
            Field = listing.Field,
            TransferModes = [.. Labels.TransferModeLabels.Where(t => listing.TransferModes.HasFlag(t.Mode)).Select(t => t.Label)],
            ContactName = listing.ContactName,
            ContactPhone = listing.ContactPhone,
        };
        return listing switch
        {
            Need n => common with
            {
                Problem = n.Problem,
                KeyPoints = n.KeyPoints,
                Targets = n.Targets,
                BudgetWan = n.BudgetWan,
                ValidUntil = n.ValidUntil,
                IsChallenge = n.IsChallenge,
                BountyWan = n.BountyWan,
                ChallengeDeadline = n.ChallengeDeadline,
                Maturity = n.MaturityWanted == Model.Maturity.Unspecified ? null : Labels.Of(n.MaturityWanted),
            },
            Achievement a => common with
            {
                Maturity = a.Maturity == Model.Maturity.Unspecified ? null : Labels.Of(a.Maturity),
                Trl = a.Trl,
                IntellectualProperty = a.IntellectualProperty,
                PriceWan = a.PriceWan,
                UseFirstPayLater = a.UseFirstPayLater,
            },
            _ => common,
        };
    }

    public static IReadOnlyList<string> SplitKeywords(string? keywords) =>
        string.IsNullOrWhiteSpace(keywords)
            ? []
            : keywords.Split(['、', ',', '，', ';', '；', ' ', '\u3000'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Distinct(StringComparer.Ordinal).ToList();

    private static string Clip(string s) => s.Length <= 20 ? s : string.Create(CultureInfo.InvariantCulture, $"{s[..20]}…");
}
