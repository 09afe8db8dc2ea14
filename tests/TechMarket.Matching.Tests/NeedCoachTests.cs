using Microsoft.Data.Sqlite;
using TechMarket.Search;

namespace TechMarket.Matching.Tests;

public sealed class NeedCoachTests : IDisposable
{
    private static readonly DateOnly Today = new(2026, 12, 1);

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"tm-coach-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }
    }

    /// <summary>Every scored field filled as the coach wants it.</summary>
    private static NeedDraft Complete() => new()
    {
        Title = "薄壁注塑件翘曲变形控制",
        Summary = "我公司生产汽车内饰薄壁注塑件，冷却后翘曲变形严重，希望与高校合作优化模具冷却水路和注塑工艺参数。",
        Problem = "薄壁件脱模后翘曲量达到 1.2 mm，装配时卡扣对不上，每月返工和报废损失约 20 万元。",
        KeyPoints = "模具随形冷却水路设计，保压压力与冷却时间的协同优化，模流分析预测翘曲。",
        Targets = "翘曲量控制在 0.3 mm 以内，不良率降到 1% 以下。",
        Keywords = ["注塑", "翘曲变形", "随形冷却"],
        Field = "高端装备",
        BudgetWan = 30,
        TransferModes = ["技术开发"],
        Deadline = Today.AddMonths(6),
    };

    private static NeedCoaching Assess(NeedDraft draft, FieldSuggestion? field = null) => NeedCoach.Shared.Assess(draft, Today, field);

    [Fact]
    public void WeightsAddUpToOneHundred()
    {
        Assert.Equal(100, NeedCoach.ProblemWeight + NeedCoach.KeyPointsWeight + NeedCoach.TargetsWeight + NeedCoach.KeywordsWeight
            + NeedCoach.FieldWeight + NeedCoach.BudgetWeight + NeedCoach.ModesWeight + NeedCoach.DeadlineWeight);
    }

    [Fact]
    public void AnEmptyDraftScoresZeroWithAHintForEveryScoredField()
    {
        var coaching = Assess(new NeedDraft());

        Assert.Equal(0, coaching.Score);
        Assert.Equal(["field", "keywords", "problem", "keyPoints", "targets", "transferModes", "budgetWan", "validUntil"], coaching.Hints.Select(h => h.Field));
        Assert.All(coaching.Hints, h => Assert.Contains(h.Text, c => c is >= '\u4e00' and <= '\u9fff'));
        Assert.Contains(coaching.Hints, h => h.Field == "problem" && h.Text.Contains("至少 30 字", StringComparison.Ordinal));
        Assert.Empty(coaching.Keywords);
        Assert.Null(coaching.Field);
    }

    [Fact]
    public void ACompleteDraftScoresOneHundredWithoutHints()
    {
        var coaching = Assess(Complete());

        Assert.Equal(100, coaching.Score);
        Assert.Empty(coaching.Hints);
    }

    [Fact]
    public void AShortProblemGetsPartOfItsWeightAndSaysHowLongItIs()
    {
        var coaching = Assess(Complete() with { Problem = "翘曲变形严重" });

        Assert.Equal(100 - NeedCoach.ProblemWeight + 10, coaching.Score);
        var hint = Assert.Single(coaching.Hints);
        Assert.Equal("problem", hint.Field);
        Assert.Contains("目前 6 字", hint.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void TargetsWithoutANumberAndUnitAskForOne()
    {
        var vague = Assess(Complete() with { Targets = "翘曲明显改善，不良率大幅下降。" });
        var measured = Assess(Complete() with { Targets = "定位精度 ±0.01 mm" });

        Assert.Equal(100 - (NeedCoach.TargetsWeight / 2), vague.Score);
        Assert.Contains(vague.Hints, h => h.Field == "targets" && h.Text.Contains("数字和单位", StringComparison.Ordinal));
        Assert.Equal(100, measured.Score);
    }

    [Theory]
    [InlineData("精度 ±0.01 mm", true)]
    [InlineData("不良率降到 1.5% 以下", true)]
    [InlineData("耐温 150℃", true)]
    [InlineData("寿命不低于 2000 小时", true)]
    [InlineData("抗拉强度 600MPa以上", true)]
    [InlineData("噪声 ≤ 45 分贝", true)]
    [InlineData("明显改善，大幅下降", false)]
    [InlineData("第二代产品", false)]
    public void RecognisesMeasurableTargets(string text, bool measurable)
    {
        Assert.Equal(measurable, NeedCoach.HasMeasure(text));
    }

    [Theory]
    [InlineData(2, 5, "目前 2 个")]
    [InlineData(7, 7, "过多")]
    public void KeywordsOutsideThreeToFiveArePartlyScored(int count, int points, string hint)
    {
        var keywords = new[] { "注塑", "翘曲", "冷却", "模具", "保压", "模流", "脱模" }.Take(count).ToList();

        var coaching = Assess(Complete() with { Keywords = keywords });

        Assert.Equal(100 - NeedCoach.KeywordsWeight + points, coaching.Score);
        Assert.Contains(coaching.Hints, h => h.Field == "keywords" && h.Text.Contains(hint, StringComparison.Ordinal));
    }

    [Fact]
    public void APastDeadlineEarnsNothingAndSaysSo()
    {
        var coaching = Assess(Complete() with { Deadline = Today.AddDays(-1) });

        Assert.Equal(100 - NeedCoach.DeadlineWeight, coaching.Score);
        Assert.Contains(coaching.Hints, h => h.Field == "validUntil" && h.Text.Contains("已过", StringComparison.Ordinal));
    }

    [Fact]
    public void SuggestsKeywordsFromTheTextButNotGenericOrGivenOnes()
    {
        var draft = Complete() with { Keywords = ["注塑"] };

        var keywords = NeedCoach.Shared.Assess(draft, Today).Keywords;

        Assert.NotEmpty(keywords);
        Assert.True(keywords.Count <= NeedCoach.MaxKeywords - 1);
        Assert.Contains(keywords, k => k.Contains("翘曲", StringComparison.Ordinal) || k.Contains("冷却", StringComparison.Ordinal));
        Assert.DoesNotContain(keywords, k => k.Contains("注塑", StringComparison.Ordinal));
        Assert.DoesNotContain(keywords, k => k is "技术" or "方法" or "系统" or "问题" or "公司" or "希望");
        Assert.All(keywords, k => Assert.Contains(k, draft.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void SuggestsNoKeywordsWhenFiveAreGiven()
    {
        var coaching = Assess(Complete() with { Keywords = ["注塑", "翘曲", "冷却", "模具", "保压"] });

        Assert.Empty(coaching.Keywords);
    }

    [Fact]
    public void TheFieldHintNamesTheSuggestionOrQuestionsAContradictedChoice()
    {
        var suggestion = new FieldSuggestion("磁性材料", 0.8);

        var none = Assess(Complete() with { Field = null }, suggestion);
        var other = Assess(Complete() with { Field = "新材料" }, suggestion);
        var same = Assess(Complete() with { Field = "磁性材料" }, suggestion);
        var weak = Assess(Complete() with { Field = "新材料" }, new FieldSuggestion("磁性材料", 0.5));

        Assert.Contains(none.Hints, h => h.Field == "field" && h.Text.Contains("「磁性材料」", StringComparison.Ordinal));
        Assert.Equal(("磁性材料", 0.8), (none.Field, none.FieldConfidence));
        Assert.Contains(other.Hints, h => h.Field == "field" && h.Text.Contains("是否选对", StringComparison.Ordinal));
        Assert.Equal(100, other.Score);
        Assert.Null(same.Field);
        Assert.Empty(same.Hints);
        Assert.DoesNotContain(weak.Hints, h => h.Field == "field");
        Assert.Equal("磁性材料", weak.Field);
    }

    private static SearchHit Hit(long id, double score, string? field) =>
        new(id, ListingKind.Achievement, score, HighlightedText.Empty, HighlightedText.Empty, field, null, null, null, DateTimeOffset.UnixEpoch);

    [Fact]
    public void TheFieldVoteIsWeightedByScoreAndRefusesWeakEvidence()
    {
        var weighted = NeedCoach.Vote([Hit(1, 9, "磁性材料"), Hit(2, 2, "新材料"), Hit(3, 2, "新材料"), Hit(4, 1, "新材料")]);
        var tooFew = NeedCoach.Vote([Hit(1, 9, "磁性材料"), Hit(2, 8, "磁性材料"), Hit(3, 8, null)]);
        var split = NeedCoach.Vote([Hit(1, 3, "磁性材料"), Hit(2, 3, "新材料"), Hit(3, 3, "生物医药")]);
        var filtered = NeedCoach.Vote([Hit(1, 9, "稀土冶金"), Hit(2, 2, "新材料"), Hit(3, 2, "新材料"), Hit(4, 1, "磁性材料")], ["新材料", "磁性材料"]);

        Assert.Equal(new FieldSuggestion("磁性材料", 0.643), weighted);
        Assert.Null(tooFew);
        Assert.Null(split);
        Assert.Equal(new FieldSuggestion("新材料", 0.8), filtered);
    }

    [Fact]
    public async Task TheSuggestedFieldComesFromTheNearestPublishedAchievementsInTheIndex()
    {
        var index = new SqliteSearchIndex($"Data Source={_path}");
        SearchDocument Doc(long id, string title, string body, string field, ListingKind kind = ListingKind.Achievement, string status = "published") =>
            new() { Id = id, Kind = kind, Title = title, Body = body, Field = field, Status = status, UpdatedAt = DateTimeOffset.UnixEpoch };
        await index.UpsertAsync(
        [
            Doc(1, "钕铁硼永磁晶界扩散技术", "晶界扩散重稀土，提高钕铁硼磁体矫顽力。", "磁性材料"),
            Doc(2, "低重稀土钕铁硼磁体", "降低重稀土用量的钕铁硼烧结工艺。", "磁性材料"),
            Doc(3, "钕铁硼磁体表面防腐涂层", "钕铁硼磁体的耐腐蚀涂层。", "磁性材料"),
            Doc(4, "高性能工程塑料改性", "耐高温改性工程塑料配方。", "新材料"),
            Doc(5, "钕铁硼废料回收", "钕铁硼磁体废料中稀土的回收。", "新材料"),

            // Neither a need nor an unpublished achievement may vote.
            Doc(6, "钕铁硼磁体矫顽力提升需求", "需要提高钕铁硼磁体矫顽力。", "智能机器人", ListingKind.Need),
            Doc(7, "钕铁硼磁体矫顽力", "钕铁硼磁体矫顽力晶界扩散。", "生物医药", status: "draft"),
        ]);

        var magnet = await NeedCoach.SuggestFieldAsync(index, "如何提高钕铁硼磁体的矫顽力，同时减少重稀土用量");
        var nothing = await NeedCoach.SuggestFieldAsync(index, "港口起重机远程故障诊断");
        var coached = await NeedCoach.Shared.CoachAsync(new NeedDraft { Title = "钕铁硼磁体矫顽力提升", Summary = "希望降低重稀土用量。" }, Today, index);

        Assert.NotNull(magnet);
        Assert.Equal("磁性材料", magnet.Field);
        Assert.InRange(magnet.Confidence, 0.6, 1.0);
        Assert.Null(nothing);
        Assert.Equal("磁性材料", coached.Field);
        Assert.Contains(coached.Hints, h => h.Field == "field" && h.Text.Contains("「磁性材料」", StringComparison.Ordinal));
    }
}
