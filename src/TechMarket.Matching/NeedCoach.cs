using System.Text.RegularExpressions;
using TechMarket.Search;
using TechMarket.Text;

namespace TechMarket.Matching;

/// <summary>A need as it stands in the editor: plain values, any of them possibly empty.</summary>
public sealed record NeedDraft
{
    public string Title { get; init; } = "";

    /// <summary>需求描述.</summary>
    public string Summary { get; init; } = "";

    /// <summary>主要问题.</summary>
    public string Problem { get; init; } = "";

    /// <summary>技术关键.</summary>
    public string KeyPoints { get; init; } = "";

    /// <summary>预期目标 / 技术指标.</summary>
    public string Targets { get; init; } = "";

    public IReadOnlyList<string> Keywords { get; init; } = [];

    /// <summary>领域; null or empty when not chosen.</summary>
    public string? Field { get; init; }

    /// <summary>预算 in 万元; null for 面议 / not given.</summary>
    public decimal? BudgetWan { get; init; }

    /// <summary>合作方式 chosen (labels).</summary>
    public IReadOnlyList<string> TransferModes { get; init; } = [];

    /// <summary>需求时限.</summary>
    public DateOnly? Deadline { get; init; }

    /// <summary>Every descriptive text, as the matcher searches it (title, description, problem, key points, targets).</summary>
    public string Text => string.Join('\n', new[] { Title, Summary, Problem, KeyPoints, Targets }.Where(t => !string.IsNullOrWhiteSpace(t)));
}

/// <summary>One concrete hint, naming the form field it is about (the JSON/form key: problem, keyPoints, targets …).</summary>
public sealed record CoachHint(string Field, string Text);

/// <summary>The field (领域) that published achievements like the need belong to, and the share of the vote it won.</summary>
public sealed record FieldSuggestion(string Field, double Confidence);

/// <summary>What the coach says about a draft.</summary>
/// <param name="Score">Completeness 0–100 (weights in <see cref="NeedCoach"/>).</param>
/// <param name="Hints">What to add or sharpen, in form order.</param>
/// <param name="Keywords">Suggested keywords from the need's own text, best first, none already given.</param>
/// <param name="Field">Suggested field, or null when the evidence is weak.</param>
/// <param name="FieldConfidence">Share of the neighbours' score mass for <paramref name="Field"/> (0 when none).</param>
public sealed record NeedCoaching(int Score, IReadOnlyList<CoachHint> Hints, IReadOnlyList<string> Keywords, string? Field, double FieldConfidence);

/// <summary>
/// Need coaching (需求辅导): a completeness score over the structured fields with concrete Chinese hints, keywords
/// suggested from the need's text (TF-IDF over the application's segmenter) and a field suggested by the fields of
/// the nearest published achievements in the search index.
/// <para>
/// Score weights (sum 100): 主要问题 25 (at least <see cref="ProblemMinChars"/> characters; shorter 10);
/// 技术关键 15 (at least <see cref="KeyPointsMinChars"/>; shorter 7); 预期目标 / 技术指标 20 (10 for any text, 10 more when
/// it holds a number with a unit); 关键词 10 (3–5; 1–2 give 5, more than 5 give 7); 领域 10; 预算 8; 合作方式 7;
/// 需求时限 5 (today or later). Title and description are required by the form itself and not scored here.
/// </para>
/// Thread-safe.
/// </summary>
public sealed partial class NeedCoach(TextAnalyzer analyzer)
{
    public const int ProblemWeight = 25;
    public const int KeyPointsWeight = 15;
    public const int TargetsWeight = 20;
    public const int KeywordsWeight = 10;
    public const int FieldWeight = 10;
    public const int BudgetWeight = 8;
    public const int ModesWeight = 7;
    public const int DeadlineWeight = 5;

    public const int ProblemMinChars = 30;
    public const int KeyPointsMinChars = 20;
    public const int MinKeywords = 3;
    public const int MaxKeywords = 5;

    /// <summary>Nearest published achievements that vote on the field (as many as the matcher's field vote uses).</summary>
    public const int VotingHits = PairFeatures.VotingHits;

    /// <summary>Fewer voting neighbours than this: no field suggested.</summary>
    public const int MinVotingHits = 3;

    /// <summary>The winning field's share of the vote below which no field is suggested.</summary>
    public const double MinFieldConfidence = 0.4;

    /// <summary>Above this share, a chosen field that differs from the vote earns a hint to check it.</summary>
    public const double ContradictConfidence = 0.6;

    /// <summary>Words too generic to help a supplier find the need (beside the analyser's stop words).</summary>
    private static readonly HashSet<string> GenericWords = new(StringComparer.Ordinal)
    {
        "技术", "方法", "系统", "问题", "研究", "需要", "需求", "提高", "提升", "实现", "进行", "应用", "目前", "现有", "我们",
        "公司", "企业", "我司", "产品", "要求", "解决", "希望", "合作", "开发", "设计", "目标", "基于", "分析", "提出", "结果",
        "能力", "方面", "工作", "效果", "情况", "相关", "主要", "存在", "采用", "通过", "达到", "降低", "增加", "改进", "优化",
        "方案", "项目", "过程", "影响", "导致", "造成", "关键", "技术指标", "指标", "预期", "具有", "较高", "较低",
        "能够", "可以", "以及", "其中", "利用", "使用", "国内", "国外", "行业", "市场", "生产", "成本", "质量", "性能",
        "部件", "周边", "替代", "进口", "价格", "长期", "明显", "下降", "每年", "每月", "损失", "客户", "用于", "一种",
    };

    /// <summary>The coach over the application's shared analyser.</summary>
    public static NeedCoach Shared { get; } = new(TextAnalyzer.Shared);

    /// <summary>
    /// The synchronous part: score, hints and keywords; the field part from <paramref name="field"/> (as
    /// <see cref="SuggestFieldAsync"/> found it, or null).
    /// </summary>
    public NeedCoaching Assess(NeedDraft draft, DateOnly today, FieldSuggestion? field = null)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var hints = new List<CoachHint>();
        var score = 0;

        var keywords = draft.Keywords.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (string.IsNullOrWhiteSpace(draft.Field))
        {
            hints.Add(new("field", field is null
                ? "请选择领域，成果方按领域浏览需求"
                : $"请选择领域；相近的已发布成果多属「{field.Field}」，可点击下方建议"));
        }
        else
        {
            score += FieldWeight;
            if (field is not null && field.Field != draft.Field.Trim() && field.Confidence >= ContradictConfidence)
            {
                hints.Add(new("field", $"相近的已发布成果多属「{field.Field}」，请确认领域「{draft.Field.Trim()}」是否选对"));
            }
        }

        switch (keywords.Count)
        {
            case 0:
                hints.Add(new("keywords", $"关键词建议 {MinKeywords}–{MaxKeywords} 个，写行业里通用的技术名词，可点击下方建议添加"));
                break;
            case < MinKeywords:
                score += KeywordsWeight / 2;
                hints.Add(new("keywords", $"关键词建议 {MinKeywords}–{MaxKeywords} 个（目前 {keywords.Count} 个）"));
                break;
            case > MaxKeywords:
                score += KeywordsWeight - 3;
                hints.Add(new("keywords", $"关键词过多会冲淡重点，建议保留 {MinKeywords}–{MaxKeywords} 个（目前 {keywords.Count} 个）"));
                break;
            default:
                score += KeywordsWeight;
                break;
        }

        var problem = Chars(draft.Problem);
        if (problem == 0)
        {
            hints.Add(new("problem", $"写明主要问题：现在卡在哪里、造成什么损失（至少 {ProblemMinChars} 字）"));
        }
        else if (problem < ProblemMinChars)
        {
            score += 10;
            hints.Add(new("problem", $"主要问题再具体一些：现在卡在哪里、造成什么损失（目前 {problem} 字，建议至少 {ProblemMinChars} 字）"));
        }
        else
        {
            score += ProblemWeight;
        }

        var keyPoints = Chars(draft.KeyPoints);
        if (keyPoints == 0)
        {
            hints.Add(new("keyPoints", "写出技术关键：要突破的难点在材料、工艺、设备还是算法，便于成果方判断能否承接"));
        }
        else if (keyPoints < KeyPointsMinChars)
        {
            score += 7;
            hints.Add(new("keyPoints", $"技术关键再展开一些（目前 {keyPoints} 字，建议至少 {KeyPointsMinChars} 字）"));
        }
        else
        {
            score += KeyPointsWeight;
        }

        if (Chars(draft.Targets) == 0)
        {
            hints.Add(new("targets", "填写预期目标 / 技术指标：做成后要达到什么效果，例如 ‘精度 ±0.01 mm’"));
        }
        else
        {
            score += TargetsWeight / 2;
            if (HasMeasure(draft.Targets))
            {
                score += TargetsWeight / 2;
            }
            else
            {
                hints.Add(new("targets", "技术指标最好带数字和单位，例如 ‘精度 ±0.01 mm’、‘不良率降到 1% 以下’"));
            }
        }

        if (draft.TransferModes.Any(m => !string.IsNullOrWhiteSpace(m)))
        {
            score += ModesWeight;
        }
        else
        {
            hints.Add(new("transferModes", "至少选择一种合作方式（技术开发、技术转让、技术服务 …）"));
        }

        if (draft.BudgetWan is not null)
        {
            score += BudgetWeight;
        }
        else
        {
            hints.Add(new("budgetWan", "填写预算（万元），便于匹配价格合适的成果；确实无法确定可留空表示面议"));
        }

        if (draft.Deadline is not { } deadline)
        {
            hints.Add(new("validUntil", "填写需求时限，让成果方知道最晚何时需要答复"));
        }
        else if (deadline < today)
        {
            hints.Add(new("validUntil", "需求时限已过，请改为今天以后的日期"));
        }
        else
        {
            score += DeadlineWeight;
        }

        var suggested = field is not null && field.Field != draft.Field?.Trim() ? field : null;
        return new NeedCoaching(score, hints, SuggestKeywords(draft, keywords), suggested?.Field, suggested?.Confidence ?? 0);
    }

    /// <summary>Score, hints, keywords and the field voted by the need's nearest published achievements.</summary>
    public async Task<NeedCoaching> CoachAsync(NeedDraft draft, DateOnly today, ISearchIndex index, IReadOnlyCollection<string>? fields = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var field = await SuggestFieldAsync(index, draft.Text, fields, ct);
        return Assess(draft, today, field);
    }

    /// <summary>
    /// Keywords from the need's text: jieba's TF-IDF keywords of title, description, problem, key points and
    /// targets, without the generic words, without pure numbers, without any that overlaps a keyword already given
    /// (either contains the other); at most <see cref="MaxKeywords"/> minus those given.
    /// </summary>
    public IReadOnlyList<string> SuggestKeywords(NeedDraft draft, IReadOnlyList<string>? given = null)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var have = (given ?? draft.Keywords).Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => analyzer.Normalize(k.Trim())).ToList();
        var room = MaxKeywords - have.Count;
        var text = draft.Text;
        if (room <= 0 || text.Length == 0)
        {
            return [];
        }

        var result = new List<string>(room);
        foreach (var k in analyzer.ExtractKeywords(text, 30))
        {
            var w = k.Word.Trim();
            if (w.Length < 2 || w.Length > 12 || GenericWords.Contains(w) || !w.Any(char.IsLetter)
                || have.Any(h => h.Contains(w, StringComparison.Ordinal) || w.Contains(h, StringComparison.Ordinal))
                || result.Any(r => r.Contains(w, StringComparison.Ordinal) || w.Contains(r, StringComparison.Ordinal)))
            {
                continue;
            }

            result.Add(w);
            if (result.Count == room)
            {
                break;
            }
        }

        return result;
    }

    /// <summary>
    /// k nearest neighbours: searches the published achievements with <paramref name="text"/> and votes the fields
    /// of the best <see cref="VotingHits"/> hits, each weighted by its BM25 score. Null when the text is blank,
    /// fewer than <see cref="MinVotingHits"/> hits carry a field (of <paramref name="fields"/>, when given), or the
    /// winner's share is below <see cref="MinFieldConfidence"/>.
    /// </summary>
    public static async Task<FieldSuggestion?> SuggestFieldAsync(ISearchIndex index, string text, IReadOnlyCollection<string>? fields = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var result = await index.SearchAsync(new SearchQuery
        {
            Text = text,
            Kind = ListingKind.Achievement,
            Statuses = ["published"],
            PageSize = VotingHits,
            IncludeFacets = false,
            IncludeHighlights = false,
        }, ct);
        return Vote(result.Hits, fields);
    }

    /// <summary>The score-weighted field vote of <paramref name="hits"/> (see <see cref="SuggestFieldAsync"/>).</summary>
    public static FieldSuggestion? Vote(IEnumerable<SearchHit> hits, IReadOnlyCollection<string>? fields = null)
    {
        ArgumentNullException.ThrowIfNull(hits);
        var votes = new Dictionary<string, double>(StringComparer.Ordinal);
        var total = 0.0;
        var voters = 0;
        foreach (var hit in hits.Take(VotingHits))
        {
            if (hit.Field is not { Length: > 0 } f || hit.Score <= 0 || (fields is not null && !fields.Contains(f)))
            {
                continue;
            }

            votes[f] = votes.GetValueOrDefault(f) + hit.Score;
            total += hit.Score;
            voters++;
        }

        if (voters < MinVotingHits || total <= 0)
        {
            return null;
        }

        // Highest mass wins; a tie goes to the ordinal-first field so the answer never depends on hash order.
        var (field, mass) = votes.OrderByDescending(v => v.Value).ThenBy(v => v.Key, StringComparer.Ordinal).First();
        var confidence = mass / total;
        return confidence < MinFieldConfidence ? null : new FieldSuggestion(field, Math.Round(confidence, 3));
    }

    /// <summary>Characters that are not white space.</summary>
    private static int Chars(string? s) => s is null ? 0 : s.Count(c => !char.IsWhiteSpace(c));

    /// <summary>Whether the text holds a number followed by a unit (%, ℃, mm, MPa, 小时, 万元 …) or a bound (≤ 5, ±0.01).</summary>
    internal static bool HasMeasure(string text) => MeasurePattern().IsMatch(text);

    [GeneratedRegex(@"[±≤≥<>＜＞]\s*\d|\d(?:[.,]\d+)?\s*(?:%|％|‰|℃|°|[A-Za-zμΩ]{1,4}(?![A-Za-z])|小时|分钟|秒|天|年|个月|倍|次|万元|元|吨|千克|公斤|克|米|毫米|微米|纳米|度|伏|瓦|转|级|台|件|套|片|帧)", RegexOptions.CultureInvariant)]
    private static partial Regex MeasurePattern();

}
