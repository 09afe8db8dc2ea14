using System.Net.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;

namespace TechMarket.Server.Features.Accounts;

/// <summary>Registration of an organisation with its first member; used by the API and the web form.</summary>
internal sealed record RegisterRequest
{
    public string? Email { get; init; }

    public string? Password { get; init; }

    public string? DisplayName { get; init; }

    /// <summary>enterprise, institute or agency.</summary>
    public string? OrganisationKind { get; init; }

    public string? OrganisationName { get; init; }

    /// <summary>统一社会信用代码.</summary>
    public string? CreditCode { get; init; }

    public string? District { get; init; }

    public IReadOnlyList<string>? Fields { get; init; }

    public IReadOnlyList<string>? Qualifications { get; init; }
}

internal sealed record AccountView(long Id, string Email, string DisplayName, long? OrganisationId, string? OrganisationName, IReadOnlyList<string> Roles);

internal sealed class AccountService(MarketDb db, UserManager<AppUser> users, TimeProvider clock, IGrainFactory grains)
{
    public static IReadOnlyList<string> KnownQualifications => Labels.Qualifications;

    public static OrganisationKind? ParseKind(string? kind) => kind?.Trim().ToLowerInvariant() switch
    {
        "enterprise" or "企业" => OrganisationKind.Enterprise,
        "institute" or "高校院所" => OrganisationKind.Institute,
        "agency" or "serviceagency" or "技术转移机构" => OrganisationKind.ServiceAgency,
        _ => null,
    };

    public async Task<OpResult<AccountView>> RegisterAsync(RegisterRequest r, CancellationToken ct)
    {
        var errors = ValidatePerson(r.Email, r.DisplayName, r.Password);
        var email = r.Email?.Trim() ?? "";
        var name = r.DisplayName?.Trim() ?? "";

        var kind = ParseKind(r.OrganisationKind);
        if (kind is null)
        {
            errors["organisationKind"] = ["机构类型只能是 enterprise（企业）、institute（高校院所）或 agency（技术转移机构）"];
        }

        var orgName = r.OrganisationName?.Trim() ?? "";
        if (orgName.Length is < 2 or > 100)
        {
            errors["organisationName"] = ["机构名称应为 2 到 100 个字符"];
        }

        var code = r.CreditCode?.Trim().ToUpperInvariant() ?? "";
        if (!CreditCode.IsValid(code))
        {
            errors["creditCode"] = ["统一社会信用代码无效：应为 18 位，且校验位正确"];
        }

        if (string.IsNullOrEmpty(r.District) || !Labels.Districts.Contains(r.District))
        {
            errors["district"] = [$"请选择所在区县市（{string.Join("、", Labels.Districts)}）"];
        }

        var unknownFields = (r.Fields ?? []).Where(f => !Labels.Fields.Contains(f)).ToList();
        if (unknownFields.Count > 0)
        {
            errors["fields"] = [$"未知的领域：{string.Join("、", unknownFields.Take(3))}"];
        }

        var unknownQualifications = (r.Qualifications ?? []).Where(q => !KnownQualifications.Contains(q)).ToList();
        if (unknownQualifications.Count > 0)
        {
            errors["qualifications"] = [$"未知的资质：{string.Join("、", unknownQualifications.Take(3))}（可选：{string.Join("、", KnownQualifications)}）"];
        }

        if (errors.Count > 0)
        {
            return OpResult<AccountView>.Invalid(errors);
        }

        if (await db.Organisations.AnyAsync(o => o.CreditCode == code, ct))
        {
            return OpResult<AccountView>.Conflict("该统一社会信用代码的机构已注册，请联系该机构已有成员");
        }

        if (await users.FindByEmailAsync(email) is not null)
        {
            return OpResult<AccountView>.Conflict("该邮箱已注册，请直接登录");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var org = new Organisation
        {
            Kind = kind!.Value,
            Name = orgName,
            CreditCode = code,
            District = r.District!,
            Fields = string.Join("、", r.Fields ?? []),
            Qualifications = string.Join("、", r.Qualifications ?? []),
            CreatedAt = now,
            Version = 1,
        };
        db.Organisations.Add(org);
        await db.SaveChangesAsync(ct);
        var user = new AppUser { UserName = email, Email = email, DisplayName = name, OrganisationId = org.Id, CreatedAt = now };
        var created = await users.CreateAsync(user, r.Password!);
        if (!created.Succeeded)
        {
            await tx.RollbackAsync(ct);
            return OpResult<AccountView>.Invalid(new Dictionary<string, string[]> { ["password"] = [.. created.Errors.Select(e => Translate(e))] });
        }

        var role = Roles.ForOrganisation(org.Kind);
        await users.AddToRoleAsync(user, role);
        db.ActorId = user.Id;
        await tx.CommitAsync(ct);
        return OpResult<AccountView>.Ok(new AccountView(user.Id, email, name, org.Id, org.Name, [role]));
    }

    /// <summary>
    /// A member adds a colleague's account to their own organisation. The password is checked against Identity's
    /// rules and hashed here; the organisation's grain decides who may and writes the account with its audit entry.
    /// </summary>
    public async Task<OpResult<AccountView>> AddMemberAsync(Actor actor, long organisationId, string? email, string? displayName, string? password, CancellationToken ct)
    {
        var errors = ValidatePerson(email, displayName, password);
        if (errors.Count > 0)
        {
            return OpResult<AccountView>.Invalid(errors);
        }

        var probe = new AppUser { UserName = email!.Trim(), Email = email.Trim() };
        foreach (var validator in users.PasswordValidators)
        {
            var checkedPassword = await validator.ValidateAsync(users, probe, password!);
            if (!checkedPassword.Succeeded)
            {
                return OpResult<AccountView>.Invalid(new Dictionary<string, string[]> { ["password"] = [.. checkedPassword.Errors.Select(Translate)] });
            }
        }

        var hash = users.PasswordHasher.HashPassword(probe, password!);
        var added = await grains.GetGrain<IOrganisationGrain>(organisationId)
            .AddMemberAsync(actor, new NewMember { Email = probe.Email, DisplayName = displayName!.Trim(), PasswordHash = hash });
        return added.Value is { } m
            ? OpResult<AccountView>.Ok(new AccountView(m.UserId, m.Email, m.DisplayName, m.OrganisationId, m.OrganisationName, [m.Role]))
            : added.As<AccountView>();
    }

    private static Dictionary<string, string[]> ValidatePerson(string? email, string? displayName, string? password)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var e = email?.Trim() ?? "";
        if (e.Length is 0 or > 254 || !MailAddress.TryCreate(e, out var parsed) || parsed.Address != e)
        {
            errors["email"] = ["请填写有效的电子邮箱"];
        }

        if (string.IsNullOrEmpty(password) || password.Length < 8 || password.Length > 128 || !password.Any(char.IsLetter) || !password.Any(char.IsDigit))
        {
            errors["password"] = ["密码须为 8 到 128 位，且同时包含字母和数字"];
        }

        var name = displayName?.Trim() ?? "";
        if (name.Length is < 2 or > 50)
        {
            errors["displayName"] = ["姓名应为 2 到 50 个字符"];
        }

        return errors;
    }

    public async Task<AccountView?> GetAsync(long userId, CancellationToken ct)
    {
        var user = await db.Users.Include(u => u.Organisation).AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return null;
        }

        var roles = await users.GetRolesAsync(user);
        return new AccountView(user.Id, user.Email ?? "", user.DisplayName, user.OrganisationId, user.Organisation?.Name, [.. roles]);
    }

    private static string Translate(IdentityError e) => e.Code switch
    {
        "DuplicateUserName" or "DuplicateEmail" => "该邮箱已注册",
        "PasswordTooShort" => "密码太短",
        _ => "密码不符合要求：须为 8 位以上，包含字母和数字",
    };
}
