namespace TechMarket.Search.Tests;

internal static class Corpus
{
    public static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static IReadOnlyList<SearchDocument> Listings { get; } =
    [
        Doc(1, ListingKind.Achievement, "锂电池正极材料回收技术", "本成果提出一种废旧锂电池正极材料的湿法回收工艺，回收率高。", ["锂电池", "回收"], "新能源", "鄞州区", "中试", ["技术转让"], 80, 10),
        Doc(2, ListingKind.Need, "寻求电池管理系统算法", "企业需要电池管理系统的荷电状态估计算法，提升锂电池寿命。", ["电池管理"], "新能源", "北仑区", null, ["合作开发"], null, 20),
        Doc(3, ListingKind.Achievement, "工业机器人视觉定位系统", "基于深度学习的视觉定位，用于工业机器人抓取，精度达到0.1毫米。", ["机器视觉", "机器人"], "智能制造", "鄞州区", "产业化", ["技术转让", "许可"], 300, 30),
        Doc(4, ListingKind.Achievement, "高分子材料注塑成型优化", "针对注塑成型缺陷，提出工艺参数优化方法。", ["注塑"], "新材料", "余姚市", "小试", ["技术入股"], 5, 40),
        Doc(5, ListingKind.Need, "港口集装箱智能调度", "宁波舟山港希望引入集装箱智能调度算法，减少等待时间。", ["港口", "调度"], "智能制造", "北仑区", null, ["委托开发"], 600, 50),
        Doc(6, ListingKind.Achievement, "ＰＹＴＨＯＮ数据分析平台", "面向制造企业的Python数据分析平台，支持电池产线质量追溯。", ["数据分析"], "电子信息", "海曙区", "产业化", ["许可"], 30, 60),
    ];

    public static SearchDocument Doc(long id, ListingKind kind, string title, string body, string[] keywords, string? field, string? district,
        string? maturity, string[] modes, double? price, int day) => new()
        {
            Id = id,
            Kind = kind,
            Title = title,
            Body = body,
            Keywords = keywords,
            Field = field,
            District = district,
            Maturity = maturity,
            TransferModes = modes,
            Price = price,
            UpdatedAt = Epoch.AddDays(day),
        };

    /// <summary>A larger deterministic corpus for ordering parity and merges.</summary>
    public static IReadOnlyList<SearchDocument> Generated(int count, int seed)
    {
        string[] words = ["电池", "材料", "回收", "算法", "机器人", "视觉", "港口", "调度", "注塑", "优化", "传感器", "芯片", "新能源", "智能", "检测", "工艺", "平台", "数据"];
        string[] fields = ["新能源", "智能制造", "新材料", "电子信息"];
        var random = new Random(seed);
        var docs = new List<SearchDocument>();
        for (var i = 0; i < count; i++)
        {
            string Pick() => words[random.Next(words.Length)];
            var title = string.Concat(Pick(), Pick(), "技术");
            var body = string.Join("，", Enumerable.Range(0, 3 + random.Next(8)).Select(_ => Pick() + Pick() + "研究")) + "。";
            docs.Add(Doc(1000 + i, (ListingKind)(i % 2), title, body, [Pick()], fields[random.Next(fields.Length)], null, null, [], random.Next(0, 900), i));
        }

        return docs;
    }
}
