using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using static TechMarket.Data.Seeding.DemoVocabulary;

namespace TechMarket.Data.Seeding;

/// <summary>
/// Generates a realistic, clearly marked (IsDemo, shown as 示例数据) Ningbo technology market: organisations,
/// members, brokers, needs and achievements in every lifecycle state, and fixed accounts to try the platform with.
/// </summary>
public static class DemoMarket
{
    /// <summary>The password of every demo account.</summary>
    public const string Password = "Demo#2026";

    /// <summary>The fixed accounts, one per role.</summary>
    public static readonly IReadOnlyList<DemoAccount> Accounts =
    [
        new("admin@demo.techmarket", "示例管理员", Roles.Admin),
        new("organiser@demo.techmarket", "示例组织方", Roles.Organiser),
        new("enterprise@demo.techmarket", "示例企业用户", Roles.EnterpriseMember),
        new("institute@demo.techmarket", "示例院所用户", Roles.InstituteMember),
        new("broker@demo.techmarket", "示例技术经纪人", Roles.Broker),
        new("registrar@demo.techmarket", "示例登记员", Roles.Registrar),
    ];

    private const int BatchSize = 2000;

    /// <summary>
    /// Seeds an empty database in one transaction. A database that already holds organisations, users or
    /// listings is left untouched (<see cref="DemoMarketResult.Seeded"/> is false and the message says why).
    /// </summary>
    public static async Task<DemoMarketResult> SeedAsync(
        MarketDb db,
        DemoMarketOptions options,
        IProgress<DemoMarketProgress>? progress = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.Scale > 0 && options.Scale <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "示例数据规模应在 0 到 100 之间");
        }

        if (await db.Organisations.AnyAsync(ct) || await db.Users.AnyAsync(ct) || await db.Listings.AnyAsync(ct))
        {
            return new DemoMarketResult(false, "数据库中已有数据，未生成示例数据（示例数据只能写入空数据库）", 0, 0, 0, 0, 0);
        }

        var texts = await CslTexts.LoadAsync(options.AchievementTextPath, ct);
        var market = new Generator(options, texts).Build();

        var autoDetect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            progress?.Report(new DemoMarketProgress("角色与机构", 0, 1));
            var existingRoles = await db.Roles.ToListAsync(ct);
            foreach (var name in Roles.All.Where(r => !existingRoles.Any(e => e.Name == r)))
            {
                var role = new IdentityRole<long>(name) { NormalizedName = name.ToUpperInvariant(), ConcurrencyStamp = Guid.NewGuid().ToString() };
                db.Roles.Add(role);
                existingRoles.Add(role);
            }

            db.Organisations.AddRange(market.Organisations);
            await db.SaveChangesAsync(ct);
            progress?.Report(new DemoMarketProgress("角色与机构", 1, 1));

            foreach (var (user, org, _) in market.Users)
            {
                user.OrganisationId = org?.Id;
            }

            db.Users.AddRange(market.Users.Select(u => u.User));
            await db.SaveChangesAsync(ct);
            var roleIds = existingRoles.ToDictionary(r => r.Name!, r => r.Id, StringComparer.Ordinal);
            db.UserRoles.AddRange(market.Users.Select(u => new IdentityUserRole<long> { UserId = u.User.Id, RoleId = roleIds[u.Role] }));
            foreach (var (broker, user) in market.Brokers)
            {
                broker.UserId = user.Id;
            }

            db.Brokers.AddRange(market.Brokers.Select(b => b.Profile));
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();

            var listings = market.Listings;
            for (var i = 0; i < listings.Count; i += BatchSize)
            {
                progress?.Report(new DemoMarketProgress("需求与成果", i, listings.Count));
                foreach (var (listing, org, creator) in listings.Skip(i).Take(BatchSize))
                {
                    listing.OrganisationId = org.Id;
                    listing.CreatedById = creator.Id;
                    db.Listings.Add(listing);
                }

                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
            }

            await tx.CommitAsync(ct);
            progress?.Report(new DemoMarketProgress("需求与成果", listings.Count, listings.Count));
        }
        finally
        {
            db.ChangeTracker.Clear();
            db.ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }

        var needs = market.Listings.Count(l => l.Listing is Need);
        return new DemoMarketResult(
            true,
            $"已生成示例数据：{market.Organisations.Count} 个机构、{market.Users.Count} 个账号、{market.Brokers.Count} 名技术经纪人、{needs} 条需求、{market.Listings.Count - needs} 项成果",
            market.Organisations.Count,
            market.Users.Count,
            market.Brokers.Count,
            needs,
            market.Listings.Count - needs);
    }

    private sealed record Market(
        List<Organisation> Organisations,
        List<(AppUser User, Organisation? Org, string Role)> Users,
        List<(BrokerProfile Profile, AppUser User)> Brokers,
        List<(Listing Listing, Organisation Org, AppUser Creator)> Listings);

    /// <summary>Builds the whole market in memory from a seeded random generator; nothing here touches the database.</summary>
    private sealed class Generator(DemoMarketOptions options, IReadOnlyList<CslText> texts)
    {
        private static readonly ListingStatus[] AllStates = Enum.GetValues<ListingStatus>();
        private static readonly int[] MobilePrefixes = [3, 5, 8];
        private static readonly int[] NeedMonths = [6, 12, 18, 24];
        private static readonly decimal[] Budgets = [10m, 20m, 30m, 50m, 80m, 100m, 150m, 200m, 300m, 500m];
        private static readonly decimal[] Bounties = [100m, 200m, 300m, 500m, 800m, 1000m];
        private static readonly decimal[] Prices = [5m, 10m, 20m, 30m, 50m, 80m, 100m, 200m, 500m];
        private static readonly TransferModes[] NeedExtraModes = [TransferModes.None, TransferModes.Consulting, TransferModes.Service, TransferModes.Transfer];
        private static readonly TransferModes[] AchievementModes = [TransferModes.Transfer, TransferModes.Licence, TransferModes.EquityInvestment, TransferModes.Development, TransferModes.Service];
        private readonly Random _rng = new(options.Seed);
        private readonly DateTime _now = options.Clock.GetUtcNow().UtcDateTime;
        private readonly HashSet<string> _names = new(StringComparer.Ordinal);
        private readonly HashSet<string> _codes = new(StringComparer.Ordinal);
        private readonly Dictionary<Organisation, string> _mainField = [];
        private string _passwordHash = "";

        private int Count(int baseCount, int minimum) => Math.Max(minimum, (int)Math.Round(baseCount * options.Scale));

        public Market Build()
        {
            // Hashing is deliberately slow (PBKDF2); one hash serves every demo account.
            _passwordHash = new PasswordHasher<AppUser>().HashPassword(new AppUser(), Password);
            var institutes = Enumerable.Range(0, Count(32, 2)).Select(_ => Institute()).ToList();
            var enterprises = Enumerable.Range(0, Count(220, 3)).Select(_ => Enterprise()).ToList();
            var agencies = Enumerable.Range(0, Math.Min(AgencyNames.Length, Count(8, 1))).Select(Agency).ToList();
            var users = new List<(AppUser User, Organisation? Org, string Role)>
            {
                (User(Accounts[0].Email, Accounts[0].DisplayName), null, Roles.Admin),
                (User(Accounts[1].Email, Accounts[1].DisplayName), null, Roles.Organiser),
                (User(Accounts[5].Email, Accounts[5].DisplayName), null, Roles.Registrar),
            };
            var members = new Dictionary<Organisation, AppUser>();
            for (var i = 0; i < enterprises.Count; i++)
            {
                var user = i == 0 ? User(Accounts[2].Email, Accounts[2].DisplayName) : User($"e{i:D4}@demo.techmarket", PersonName());
                members[enterprises[i]] = user;
                users.Add((user, enterprises[i], Roles.EnterpriseMember));
            }

            for (var i = 0; i < institutes.Count; i++)
            {
                var user = i == 0 ? User(Accounts[3].Email, Accounts[3].DisplayName) : User($"i{i:D4}@demo.techmarket", PersonName());
                members[institutes[i]] = user;
                users.Add((user, institutes[i], Roles.InstituteMember));
            }

            var brokers = new List<(BrokerProfile, AppUser)>();
            var brokerCount = Count(36, 1);
            for (var i = 0; i < brokerCount; i++)
            {
                var user = i == 0 ? User(Accounts[4].Email, Accounts[4].DisplayName) : User($"b{i:D4}@demo.techmarket", PersonName());
                users.Add((user, null, Roles.Broker));
                brokers.Add((Broker(i, agencies[i % agencies.Count]), user));
            }

            var listings = new List<(Listing, Organisation, AppUser)>();
            var needCount = Count(560, AllStates.Length * 2);
            for (var i = 0; i < needCount; i++)
            {
                // The demo enterprise owns one need in every state, so a visitor sees the whole lifecycle in "my listings".
                var org = i < AllStates.Length ? enterprises[0] : enterprises[_rng.Next(enterprises.Count)];
                var status = i < AllStates.Length * 2 ? AllStates[i % AllStates.Length] : PickStatus();
                listings.Add((Need(org, status, challenge: i == (int)ListingStatus.Published), org, members[org]));
            }

            var shuffled = texts.Where(t => DisciplineFields.ContainsKey(t.Discipline)).OrderBy(_ => _rng.Next()).ToList();
            if (shuffled.Count == 0)
            {
                throw new InvalidOperationException("示例成果文本为空");
            }

            var achievementCount = Count(2200, AllStates.Length * 2);
            for (var i = 0; i < achievementCount; i++)
            {
                var org = i < AllStates.Length ? institutes[0]
                    : _rng.NextDouble() < 0.85 ? institutes[_rng.Next(institutes.Count)] : enterprises[_rng.Next(enterprises.Count)];
                var status = i < AllStates.Length * 2 ? AllStates[i % AllStates.Length] : PickStatus();
                listings.Add((Achievement(shuffled[i % shuffled.Count], status), org, members[org]));
            }

            return new Market([.. institutes, .. enterprises, .. agencies], users, brokers, listings);
        }

        private T Pick<T>(IReadOnlyList<T> items) => items[_rng.Next(items.Count)];

        private ListingStatus PickStatus()
        {
            var x = _rng.NextDouble();
            return x switch
            {
                < 0.62 => ListingStatus.Published,
                < 0.70 => ListingStatus.Submitted,
                < 0.77 => ListingStatus.Draft,
                < 0.83 => ListingStatus.Returned,
                < 0.88 => ListingStatus.Withdrawn,
                < 0.94 => ListingStatus.Expired,
                _ => ListingStatus.Closed,
            };
        }

        private string PersonName() => Pick(Surnames) + Pick(GivenNames);

        private string Phone() => _rng.NextDouble() < 0.5
            ? string.Create(CultureInfo.InvariantCulture, $"0574-8{_rng.Next(1000000, 9999999)}")
            : string.Create(CultureInfo.InvariantCulture, $"1{Pick(MobilePrefixes)}{_rng.Next(100000000, 999999999)}");

        private DateTime DaysAgo(int min, int max) =>
            _now.AddDays(-_rng.Next(min, max)).AddMinutes(-_rng.Next(0, 24 * 60));

        private string UniqueName(Func<string> make)
        {
            for (var attempt = 0; ; attempt++)
            {
                var name = make();
                if (attempt > 20)
                {
                    name += string.Create(CultureInfo.InvariantCulture, $"（{attempt}）");
                }

                if (_names.Add(name))
                {
                    return name;
                }
            }
        }

        private string CreditCodeFor(string prefix, string district)
        {
            const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
            while (true)
            {
                var body = prefix + DistrictCodes[district] + new string([.. Enumerable.Range(0, 9).Select(i => i < 8 ? (char)('0' + _rng.Next(10)) : Alphabet[_rng.Next(Alphabet.Length)])]);
                var code = CreditCode.Complete(body);
                if (_codes.Add(code))
                {
                    return code;
                }
            }
        }

        private Organisation Institute()
        {
            var district = Pick(Labels.Districts);
            var fields = Labels.Fields.OrderBy(_ => _rng.Next()).Take(_rng.Next(2, 4)).ToList();
            var name = UniqueName(() => Pick(InstitutePlaces) + Pick(InstituteTypes));
            var org = new Organisation
            {
                Kind = OrganisationKind.Institute,
                Name = name,
                CreditCode = CreditCodeFor("12", district),
                District = district,
                Fields = string.Join("、", fields),
                Qualifications = "",
                Introduction = $"{name}（示例数据）面向宁波产业需求，在{string.Join("、", fields)}等领域开展应用研究与成果转化。",
                CreatedAt = DaysAgo(400, 800),
                IsDemo = true,
            };
            _mainField[org] = fields[0];
            return org;
        }

        private Organisation Enterprise()
        {
            var district = Pick(Labels.Districts);
            var field = Pick(Labels.Fields);
            var name = UniqueName(() => "宁波" + Pick(NameSyllables) + Pick(NameSyllables) + Pick(IndustryWords[field]) + Pick(EnterpriseSuffixes));
            var org = new Organisation
            {
                Kind = OrganisationKind.Enterprise,
                Name = name,
                CreditCode = CreditCodeFor("91", district),
                District = district,
                Fields = field,
                Qualifications = string.Join("、", Qualifications.Where(_ => _rng.NextDouble() < 0.3)),
                Introduction = $"{name}（示例数据）位于{district}，主要从事{field}相关产品的研发、生产与销售。",
                CreatedAt = DaysAgo(400, 800),
                IsDemo = true,
            };
            _mainField[org] = field;
            return org;
        }

        private Organisation Agency(int index)
        {
            var district = Pick(Labels.Districts);
            var name = UniqueName(() => AgencyNames[index]);
            return new Organisation
            {
                Kind = OrganisationKind.ServiceAgency,
                Name = name,
                CreditCode = CreditCodeFor("52", district),
                District = district,
                Fields = string.Join("、", Labels.Fields.OrderBy(_ => _rng.Next()).Take(3)),
                Qualifications = "技术转移示范机构",
                Introduction = $"{name}（示例数据）提供技术经纪、成果评价与技术合同登记咨询服务。",
                CreatedAt = DaysAgo(400, 800),
                IsDemo = true,
            };
        }

        private AppUser User(string email, string displayName) => new()
        {
            UserName = email,
            NormalizedUserName = email.ToUpperInvariant(),
            Email = email,
            NormalizedEmail = email.ToUpperInvariant(),
            EmailConfirmed = true,
            PasswordHash = _passwordHash,
            SecurityStamp = Convert.ToHexString(RandomNumberGenerator.GetBytes(20)),
            ConcurrencyStamp = Guid.NewGuid().ToString(),
            LockoutEnabled = true,
            DisplayName = displayName,
            CreatedAt = DaysAgo(100, 400),
            IsDemo = true,
        };

        private BrokerProfile Broker(int index, Organisation agency) => new()
        {
            CertificateNumber = string.Create(CultureInfo.InvariantCulture, $"NBJJR{2021 + (index % 5)}{index + 1:D4}"),
            Level = index == 0 ? BrokerLevel.Senior : (BrokerLevel)_rng.Next(1, 4),
            Agency = agency.Name,
            District = Pick(Labels.Districts),
            Specialties = string.Join("、", Labels.Fields.OrderBy(_ => _rng.Next()).Take(_rng.Next(1, 4))),
            RegisteredAt = DaysAgo(60, 700),
            IsDemo = true,
        };

        private void Lifecycle(Listing listing, ListingStatus status)
        {
            var published = status is ListingStatus.Published or ListingStatus.Expired or ListingStatus.Closed
                || (status == ListingStatus.Withdrawn && _rng.NextDouble() < 0.5);
            listing.Status = status;
            listing.CreatedAt = published ? DaysAgo(30, 540) : DaysAgo(1, 120);
            listing.PublishedAt = published ? listing.CreatedAt.AddDays(_rng.Next(1, 10)) : null;
            listing.UpdatedAt = (listing.PublishedAt ?? listing.CreatedAt).AddDays(status is ListingStatus.Published ? 0 : _rng.Next(0, 10));
            if (listing.UpdatedAt > _now)
            {
                listing.UpdatedAt = _now;
            }

            listing.ReviewNote = status == ListingStatus.Returned ? Pick(ReturnNotes) : null;
            listing.ContactName = PersonName();
            listing.ContactPhone = Phone();
            listing.IsDemo = true;
            listing.Version = 1;
        }

        private Need Need(Organisation org, ListingStatus status, bool challenge)
        {
            var field = _rng.NextDouble() < 0.8 ? _mainField[org] : Pick(Labels.Fields);
            var (subjects, targets) = NeedTopics[field];
            var subject = Pick(subjects);
            var issue = Pick(NeedIssues);
            var modes = TransferModes.Development | Pick(NeedExtraModes);
            var months = Pick(NeedMonths);
            var problem = $"公司现有{subject}在{issue}方面存在不足，{Pick(NeedConsequences)}。";
            var need = new Need
            {
                Title = subject + Pick(NeedActions),
                Field = field,
                Problem = problem,
                KeyPoints = $"{subject}{issue}的影响因素分析与控制；关键工艺参数优化；中试放大及批量稳定性验证。",
                Targets = $"{Pick(targets)}；{issue}达到国内同类产品先进水平；形成可量产方案，申请发明专利 1～2 项。",
                Summary = $"{org.Name}是一家位于{org.District}的{field}企业。{problem}希望与高校院所以{Labels.Of(modes)}方式合作，在 {months} 个月内完成攻关并实现产业化应用。",
                Keywords = $"{subject}、{field}、{issue}",
                TransferModes = modes,
                BudgetWan = _rng.NextDouble() < 0.6 ? Pick(Budgets) : null,
            };
            Lifecycle(need, status);
            var today = DateOnly.FromDateTime(_now);
            need.ValidUntil = status == ListingStatus.Expired
                ? today.AddDays(-_rng.Next(1, 120))
                : today.AddDays(_rng.Next(30, 365));
            if (_rng.NextDouble() < 0.12 || challenge)
            {
                need.IsChallenge = true;
                need.BountyWan = Pick(Bounties);
                need.ChallengeDeadline = status == ListingStatus.Expired ? need.ValidUntil : today.AddDays(_rng.Next(15, 120));
                need.Title = "揭榜挂帅：" + need.Title;
            }

            return need;
        }

        private Achievement Achievement(CslText text, ListingStatus status)
        {
            var field = DisciplineFields[text.Discipline];
            var maturity = _rng.NextDouble() switch
            {
                < 0.30 => Maturity.Laboratory,
                < 0.60 => Maturity.SmallTrial,
                < 0.85 => Maturity.PilotScale,
                _ => Maturity.Industrialised,
            };
            int? trl = _rng.NextDouble() < 0.8
                ? maturity switch
                {
                    Maturity.Laboratory => _rng.Next(2, 5),
                    Maturity.SmallTrial => _rng.Next(4, 6),
                    Maturity.PilotScale => _rng.Next(6, 8),
                    _ => _rng.Next(8, 10),
                }
                : null;
            var ip = _rng.NextDouble() switch
            {
                < 0.55 => string.Create(CultureInfo.InvariantCulture, $"发明专利 ZL{_rng.Next(2015, 2025)}1{_rng.Next(1000000, 9999999)}.{_rng.Next(10)}"),
                < 0.75 => string.Create(CultureInfo.InvariantCulture, $"发明专利 ZL{_rng.Next(2015, 2025)}1{_rng.Next(1000000, 9999999)}.{_rng.Next(10)}；软件著作权 1 项"),
                < 0.90 => "技术秘密",
                _ => "",
            };
            var modes = TransferModes.None;
            foreach (var m in AchievementModes)
            {
                if (_rng.NextDouble() < 0.35)
                {
                    modes |= m;
                }
            }

            var achievement = new Achievement
            {
                Title = text.Title,
                Summary = text.Text,
                Field = field,
                Keywords = $"{field}、{text.Discipline.Split('/')[0]}",
                TransferModes = modes == TransferModes.None ? TransferModes.Transfer : modes,
                Maturity = maturity,
                Trl = trl,
                IntellectualProperty = ip,
                PriceWan = _rng.NextDouble() < 0.55 ? Pick(Prices) : null,
                UseFirstPayLater = _rng.NextDouble() < 0.25,
            };
            Lifecycle(achievement, status);
            return achievement;
        }
    }
}
