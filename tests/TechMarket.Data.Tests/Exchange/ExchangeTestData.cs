using System.Text;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;

namespace TechMarket.Data.Tests.Exchange;

/// <summary>An organisation with one member to import into, and small files to import.</summary>
internal static class ExchangeTestData
{
    public static readonly DateOnly Today = new(2026, 3, 1);

    public const string NeedHeader = "名称,领域,需求描述,关键词,合作方式,联系人,联系电话,主要问题,技术关键,预期目标,预算（万元）,需求时限,揭榜挂帅,榜单金额（万元）,揭榜截止日期,所需成果阶段";

    public static string NeedRow(string title, string field = "新材料", string budget = "50", string validUntil = "2026-12-31", string challenge = "否", string bounty = "", string deadline = "") =>
        $"{title},{field},公司需要提升复合材料的拉伸强度与批次稳定性,复合材料、强度,技术开发、技术咨询,王工,0574-87654321,现有材料强度不足,配方与工艺优化,拉伸强度不低于 60 MPa,{budget},{validUntil},{challenge},{bounty},{deadline}";

    public static async Task<(long OrgId, long UserId)> AddOrganisationAsync(MarketDb db, string code17 = "91330212MA2AAAAA0")
    {
        var org = new Organisation
        {
            Kind = OrganisationKind.Enterprise,
            Name = "测试企业" + code17[^4..],
            CreditCode = CreditCode.Complete(code17),
            District = "鄞州区",
            CreatedAt = DateTime.UtcNow,
        };
        db.Organisations.Add(org);
        await db.SaveChangesAsync();
        var user = new AppUser { UserName = $"u{org.Id}@test", Email = $"u{org.Id}@test", DisplayName = "测试用户", OrganisationId = org.Id, CreatedAt = DateTime.UtcNow };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return (org.Id, user.Id);
    }

    public static MemoryStream Csv(string text, bool bom = true) =>
        new([.. (bom ? Encoding.UTF8.GetPreamble() : []), .. Encoding.UTF8.GetBytes(text)]);
}
