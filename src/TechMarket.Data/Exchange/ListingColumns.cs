using System.Text;

namespace TechMarket.Data.Exchange;

/// <summary>
/// The Chinese column headers of import and export files. Export writes exactly these, so an exported file
/// re-imports; the trailing export-only columns (编号, 状态, 发布机构, 发布日期) are ignored on import.
/// </summary>
public static class ListingColumns
{
    public const string Title = "名称";
    public const string Field = "领域";
    public const string NeedSummary = "需求描述";
    public const string AchievementSummary = "成果简介";
    public const string Keywords = "关键词";
    public const string TransferModes = "合作方式";
    public const string ContactName = "联系人";
    public const string ContactPhone = "联系电话";
    public const string Problem = "主要问题";
    public const string KeyPoints = "技术关键";
    public const string Targets = "预期目标";
    public const string Budget = "预算（万元）";
    public const string ValidUntil = "需求时限";
    public const string Challenge = "揭榜挂帅";
    public const string Bounty = "榜单金额（万元）";
    public const string ChallengeDeadline = "揭榜截止日期";
    public const string Maturity = "成果阶段";
    public const string MaturityWanted = "所需成果阶段";
    public const string Trl = "TRL";
    public const string IntellectualProperty = "知识产权";
    public const string Price = "价格（万元）";
    public const string UseFirstPayLater = "先用后转";
    public const string Id = "编号";
    public const string Status = "状态";
    public const string Organisation = "发布机构";
    public const string PublishedAt = "发布日期";

    /// <summary>The columns an import reads, in file order.</summary>
    public static IReadOnlyList<string> Importable(bool needs) => needs
        ? [Title, Field, NeedSummary, Keywords, TransferModes, ContactName, ContactPhone, Problem, KeyPoints, Targets, Budget, ValidUntil, Challenge, Bounty, ChallengeDeadline, MaturityWanted]
        : [Title, Field, AchievementSummary, Keywords, TransferModes, ContactName, ContactPhone, Maturity, Trl, IntellectualProperty, Price, UseFirstPayLater];

    /// <summary>Columns an export writes after the importable ones.</summary>
    public static IReadOnlyList<string> ExportOnly { get; } = [Id, Status, Organisation, PublishedAt];

    /// <summary>Columns an import file must have: the ones submission requires.</summary>
    public static IReadOnlyList<string> Required(bool needs) => needs
        ? [Title, Field, NeedSummary, TransferModes, Problem]
        : [Title, Field, AchievementSummary, TransferModes, Maturity];

    /// <summary>The column a <see cref="Rules.ListingRules.Validate"/> error key belongs to.</summary>
    public static string ForRuleKey(string key, bool needs) => key switch
    {
        "title" => Title,
        "summary" => needs ? NeedSummary : AchievementSummary,
        "keywords" => Keywords,
        "field" => Field,
        "transferModes" => TransferModes,
        "contactName" => ContactName,
        "contactPhone" => ContactPhone,
        "problem" => Problem,
        "keyPoints" => KeyPoints,
        "targets" => Targets,
        "budgetWan" => Budget,
        "validUntil" => ValidUntil,
        "bountyWan" => Bounty,
        "challengeDeadline" => ChallengeDeadline,
        "maturity" => needs ? MaturityWanted : Maturity,
        "trl" => Trl,
        "intellectualProperty" => IntellectualProperty,
        "priceWan" => Price,
        _ => key,
    };

    /// <summary>Header text compared loosely: spaces dropped, ASCII parentheses as full-width, letters upper-case.</summary>
    public static string Normalise(string? header)
    {
        var sb = new StringBuilder();
        foreach (var c in header ?? "")
        {
            switch (c)
            {
                case '(':
                    sb.Append('（');
                    break;
                case ')':
                    sb.Append('）');
                    break;
                case '\uFEFF' or '\u3000':
                    break;
                default:
                    if (!char.IsWhiteSpace(c))
                    {
                        sb.Append(char.ToUpperInvariant(c));
                    }

                    break;
            }
        }

        return sb.ToString();
    }
}
