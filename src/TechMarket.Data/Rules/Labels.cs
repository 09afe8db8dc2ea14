using TechMarket.Data.Model;

namespace TechMarket.Data.Rules;

/// <summary>The Chinese words users see for the model's enums, and the fixed vocabularies (districts, fields).</summary>
public static class Labels
{
    /// <summary>Ningbo's district markets (区县市) plus the city market.</summary>
    /// <summary>Qualifications (资质) an organisation may claim.</summary>
    public static readonly IReadOnlyList<string> Qualifications = ["高新技术企业", "科技型中小企业", "专精特新", "专精特新小巨人", "省级研发中心", "上市企业"];

    public static readonly IReadOnlyList<string> Districts =
    [
        "海曙区", "江北区", "镇海区", "北仑区", "鄞州区", "奉化区", "余姚市", "慈溪市", "宁海县", "象山县", "高新区", "前湾新区", "东钱湖", "市本级",
    ];

    /// <summary>Ningbo's priority fields (领域).</summary>
    public static readonly IReadOnlyList<string> Fields =
    [
        "新材料", "工业互联网", "关键核心基础件", "绿色石化", "磁性材料", "光学电子", "集成电路", "生物医药",
        "高端装备", "智能机器人", "数字经济", "海洋科技", "节能环保", "现代农业", "生命健康", "汽车及零部件",
    ];

    public static string Of(ListingStatus s) => s switch
    {
        ListingStatus.Draft => "草稿",
        ListingStatus.Submitted => "待审核",
        ListingStatus.Published => "已发布",
        ListingStatus.Returned => "已退回",
        ListingStatus.Withdrawn => "已撤回",
        ListingStatus.Expired => "已过期",
        ListingStatus.Closed => "已成交关闭",
        _ => s.ToString(),
    };

    /// <summary>The real stages, in order (without <see cref="Maturity.Unspecified"/>).</summary>
    public static readonly IReadOnlyList<Maturity> Maturities = [Maturity.Laboratory, Maturity.SmallTrial, Maturity.PilotScale, Maturity.Industrialised];

    public static string Of(Maturity m) => m switch
    {
        Maturity.Unspecified => "",
        Maturity.Laboratory => "实验室",
        Maturity.SmallTrial => "小试",
        Maturity.PilotScale => "中试",
        Maturity.Industrialised => "产业化",
        _ => m.ToString(),
    };

    public static string Of(OrganisationKind k) => k switch
    {
        OrganisationKind.Enterprise => "企业",
        OrganisationKind.Institute => "高校院所",
        OrganisationKind.ServiceAgency => "技术转移机构",
        _ => k.ToString(),
    };

    public static readonly IReadOnlyList<EventFormat> EventFormats = [EventFormat.Bilateral, EventFormat.OpenDay, EventFormat.Roadshow, EventFormat.ChallengeLaunch, EventFormat.ExpertVisit];

    public static string Of(EventFormat f) => f switch
    {
        EventFormat.Bilateral => "专场对接会",
        EventFormat.OpenDay => "院所开放日",
        EventFormat.Roadshow => "成果路演",
        EventFormat.ChallengeLaunch => "揭榜挂帅发布会",
        EventFormat.ExpertVisit => "专家企业行",
        _ => f.ToString(),
    };

    public static string Of(EventStatus s) => s switch
    {
        EventStatus.Draft => "筹备中",
        EventStatus.Open => "报名中",
        EventStatus.Closed => "报名截止",
        EventStatus.Held => "已举办",
        EventStatus.Cancelled => "已取消",
        _ => s.ToString(),
    };

    public static string Of(ContractType t) => t switch
    {
        ContractType.Development => "技术开发",
        ContractType.Transfer => "技术转让",
        ContractType.Licence => "技术许可",
        ContractType.Consulting => "技术咨询",
        ContractType.Service => "技术服务",
        _ => t.ToString(),
    };

    public static readonly IReadOnlyList<ContractType> ContractTypes = [ContractType.Development, ContractType.Transfer, ContractType.Licence, ContractType.Consulting, ContractType.Service];

    public static string Of(DealStatus s) => s switch
    {
        DealStatus.Contracted => "已签约",
        DealStatus.Applied => "待登记",
        DealStatus.Registered => "已登记",
        DealStatus.Refused => "未予登记",
        DealStatus.Cancelled => "已撤销",
        _ => s.ToString(),
    };

    public static string Of(InterestStatus s) => s switch
    {
        InterestStatus.Active => "有效",
        InterestStatus.Withdrawn => "已撤回",
        _ => s.ToString(),
    };

    public static string Of(AssignmentStatus s) => s switch
    {
        AssignmentStatus.Planned => "拟安排",
        AssignmentStatus.Registered => "已报名",
        AssignmentStatus.Dropped => "未安排",
        _ => s.ToString(),
    };

    public static string Of(RegistrationStatus s) => s switch
    {
        RegistrationStatus.Pending => "待审核",
        RegistrationStatus.Approved => "已通过",
        RegistrationStatus.Rejected => "未通过",
        RegistrationStatus.Withdrawn => "已取消报名",
        _ => s.ToString(),
    };

    public static string Of(MatchState s) => s switch
    {
        MatchState.Proposed => "系统推荐",
        MatchState.NeedInterested => "企业有意向",
        MatchState.AchievementInterested => "成果方有意向",
        MatchState.BothInterested => "双方有意向",
        MatchState.BrokerAssigned => "经纪人跟进中",
        MatchState.MeetingRequested => "已约洽谈",
        MatchState.Met => "已洽谈",
        MatchState.Negotiating => "商谈中",
        MatchState.Deal => "已成交",
        MatchState.Declined => "已婉拒",
        _ => s.ToString(),
    };

    public static string Of(DeclineReason r) => r switch
    {
        DeclineReason.NotRelevant => "不相关",
        DeclineReason.WrongStage => "阶段不符",
        DeclineReason.WrongPrice => "价格不符",
        DeclineReason.HasPartner => "已有合作方",
        DeclineReason.Other => "其他",
        _ => "",
    };

    /// <summary>The decline reasons a party may choose, in the order the form shows them.</summary>
    public static readonly IReadOnlyList<DeclineReason> DeclineReasons =
        [DeclineReason.NotRelevant, DeclineReason.WrongStage, DeclineReason.WrongPrice, DeclineReason.HasPartner, DeclineReason.Other];

    public static string Of(ChallengeRule r) => r switch
    {
        ChallengeRule.Open => "公开揭榜",
        ChallengeRule.FirstCome => "抢榜",
        _ => r.ToString(),
    };

    public static string Of(ChallengeStatus s) => s switch
    {
        ChallengeStatus.Open => "揭榜中",
        ChallengeStatus.Reviewing => "评榜中",
        ChallengeStatus.Awarded => "已定榜",
        _ => s.ToString(),
    };

    public static string Of(ApplicationStatus s) => s switch
    {
        ApplicationStatus.Submitted => "已提交",
        ApplicationStatus.PlaceWon => "抢榜成功",
        ApplicationStatus.PlaceMissed => "未抢到",
        ApplicationStatus.Awarded => "中榜",
        ApplicationStatus.NotAwarded => "未中榜",
        _ => s.ToString(),
    };

    /// <summary>A rule by its name (Open, FirstCome) or its label (公开揭榜, 抢榜).</summary>
    public static bool TryParseRule(string? text, out ChallengeRule rule)
    {
        var t = text?.Trim();
        foreach (var r in new[] { ChallengeRule.Open, ChallengeRule.FirstCome })
        {
            if (string.Equals(r.ToString(), t, StringComparison.OrdinalIgnoreCase) || Of(r) == t)
            {
                rule = r;
                return true;
            }
        }

        rule = default;
        return false;
    }

    public static string Of(BrokerLevel l) => l switch
    {
        BrokerLevel.Junior => "初级",
        BrokerLevel.Intermediate => "中级",
        BrokerLevel.Senior => "高级",
        _ => l.ToString(),
    };

    public static readonly IReadOnlyList<(TransferModes Mode, string Label)> TransferModeLabels =
    [
        (TransferModes.Transfer, "技术转让"),
        (TransferModes.Licence, "技术许可"),
        (TransferModes.EquityInvestment, "作价投资"),
        (TransferModes.Development, "技术开发"),
        (TransferModes.Service, "技术服务"),
        (TransferModes.Consulting, "技术咨询"),
    ];

    public static string Of(TransferModes modes) =>
        string.Join("、", TransferModeLabels.Where(t => modes.HasFlag(t.Mode)).Select(t => t.Label));

    /// <summary>Parses "技术转让、技术许可" (Chinese labels or English names, separated by 、,;/ or spaces).</summary>
    public static bool TryParseModes(string? text, out TransferModes modes)
    {
        modes = TransferModes.None;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        foreach (var part in text.Split(['、', ',', '，', ';', '；', '/', ' ', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = TransferModeLabels.FirstOrDefault(t => t.Label == part || string.Equals(t.Mode.ToString(), part, StringComparison.OrdinalIgnoreCase));
            if (match.Mode == TransferModes.None)
            {
                return false;
            }

            modes |= match.Mode;
        }

        return true;
    }

    public static bool TryParseMaturity(string? text, out Maturity maturity)
    {
        foreach (var m in Maturities)
        {
            if (Of(m) == text?.Trim() || string.Equals(m.ToString(), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                maturity = m;
                return true;
            }
        }

        maturity = default;
        return false;
    }

    public static string Of(ScheduleKind k) => k switch
    {
        ScheduleKind.None => "未排程",
        ScheduleKind.Preliminary => "初步日程",
        ScheduleKind.Final => "正式日程",
        _ => k.ToString(),
    };

    public static string Of(MeetingOrigin o) => o switch
    {
        MeetingOrigin.Request => "参会方约请",
        MeetingOrigin.Organiser => "组织方推荐",
        MeetingOrigin.WalkIn => "现场加约",
        _ => o.ToString(),
    };

    public static string Of(MeetingStatus s) => s switch
    {
        MeetingStatus.Requested => "待回复",
        MeetingStatus.Accepted => "已接受",
        MeetingStatus.Declined => "已婉拒",
        MeetingStatus.Countered => "已提议改时间",
        MeetingStatus.Cancelled => "已取消",
        _ => s.ToString(),
    };

    public static readonly IReadOnlyList<MeetingOutcome> MeetingOutcomes = [MeetingOutcome.NotHeld, MeetingOutcome.NoInterest, MeetingOutcome.Possible, MeetingOutcome.Intention, MeetingOutcome.Contracted];

    public static string Of(MeetingOutcome o) => o switch
    {
        MeetingOutcome.None => "未填写",
        MeetingOutcome.NotHeld => "未进行",
        MeetingOutcome.NoInterest => "无合作意向",
        MeetingOutcome.Possible => "有合作可能",
        MeetingOutcome.Intention => "达成意向",
        MeetingOutcome.Contracted => "签约",
        _ => o.ToString(),
    };

    /// <summary>An outcome by its name (NotHeld …) or its label (未进行 …).</summary>
    public static bool TryParseOutcome(string? text, out MeetingOutcome outcome)
    {
        foreach (var o in MeetingOutcomes)
        {
            if (Of(o) == text?.Trim() || string.Equals(o.ToString(), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                outcome = o;
                return true;
            }
        }

        outcome = default;
        return false;
    }
}
