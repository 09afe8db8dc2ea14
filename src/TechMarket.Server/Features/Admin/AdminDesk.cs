using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Server.Components;
using TechMarket.Server.Features.Listings;

namespace TechMarket.Server.Features.Admin;

/// <summary>A user as the admins' list shows it: account, organisation, platform roles.</summary>
internal sealed record AdminUserView(long Id, string Email, string DisplayName, long? OrganisationId, string? OrganisationName, IReadOnlyList<string> Roles, DateTime CreatedAt, bool IsDemo);

/// <summary>The roles a user holds after an admin set them.</summary>
internal sealed record UserRolesView(long Id, IReadOnlyList<string> Roles);

/// <summary>One audit row: who, when, which record, what changed (JSON {"Property":[old,new]}).</summary>
internal sealed record AuditView(long Id, DateTime At, long? UserId, string? UserName, string EntityType, long EntityId, string Action, string Changes);

/// <summary>One changed property of an audit row, as text.</summary>
internal sealed record AuditChange(string Property, string Old, string New);

/// <summary>A registry entry with the account behind it, for the admins' registry page.</summary>
internal sealed record AdminBrokerRow(BrokerView Broker, string Email, DateTime RegisteredAt);

/// <summary>
/// The filters of the audit log, the same for the API and the page. Dates are days in China time, both ends
/// included; <see cref="Action"/> matches the start of the action ("status" finds every status change).
/// </summary>
internal sealed record AuditFilter(string? EntityType, long? EntityId, long? UserId, DateOnly? From, DateOnly? To, string? Action, int Page, int PageSize)
{
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!Infrastructure.Paging.IsValid(Page, PageSize))
        {
            errors["page"] = ["页码从 1 开始，每页 1 到 100 条"];
        }

        if (EntityType is { Length: > 50 })
        {
            errors["entityType"] = ["记录类型不能超过 50 个字符"];
        }

        if (Action is { Length: > 50 })
        {
            errors["action"] = ["操作不能超过 50 个字符"];
        }

        if (From is { } f && To is { } t && f > t)
        {
            errors["from"] = ["起始日期不能晚于结束日期"];
        }

        return errors;
    }
}

/// <summary>
/// What the admin API and the admin pages share: the users list and role assignment (its rules written once), the
/// audit log query, the broker registry list and the organisations under review. Registry entries and
/// organisation decisions themselves go through their grains.
/// </summary>
internal sealed class AdminDesk(MarketDb db, UserManager<AppUser> users)
{
    /// <summary>The platform roles an admin gives or takes; the member roles follow the organisation's kind.</summary>
    public static readonly IReadOnlyList<string> AssignableRoles = [Roles.Organiser, Roles.Admin, Roles.Broker, Roles.Registrar];

    public static string RoleLabel(string role) => role switch
    {
        Roles.Organiser => "组织方",
        Roles.Admin => "管理员",
        Roles.Broker => "技术经纪人",
        Roles.Registrar => "登记员",
        Roles.EnterpriseMember => "企业成员",
        Roles.InstituteMember => "高校院所成员",
        Roles.AgencyMember => "服务机构成员",
        _ => role,
    };

    /// <summary>Users whose name or e-mail contains <paramref name="q"/>, newest first.</summary>
    public async Task<Paged<AdminUserView>> UsersAsync(string? q, int page, int pageSize, CancellationToken ct)
    {
        var query = db.Users.AsNoTracking();
        if (q?.Trim() is { Length: > 0 } text)
        {
            var upper = text.ToUpperInvariant();
            query = query.Where(u => u.DisplayName.Contains(text) || (u.NormalizedEmail != null && u.NormalizedEmail.Contains(upper)));
        }

        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(u => u.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.OrganisationId, OrganisationName = u.Organisation == null ? null : u.Organisation.Name, u.CreatedAt, u.IsDemo })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var roles = await (
            from ur in db.UserRoles.AsNoTracking()
            join r in db.Roles.AsNoTracking() on ur.RoleId equals r.Id
            where ids.Contains(ur.UserId)
            select new { ur.UserId, r.Name })
            .ToListAsync(ct);
        var byUser = roles.GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => g.Select(r => r.Name ?? "").Order(StringComparer.Ordinal).ToList());
        return new Paged<AdminUserView>(
            [.. rows.Select(r => new AdminUserView(r.Id, r.Email ?? "", r.DisplayName, r.OrganisationId, r.OrganisationName, byUser.GetValueOrDefault(r.Id) ?? [], r.CreatedAt, r.IsDemo))],
            total, page, pageSize);
    }

    /// <summary>
    /// Sets a user's platform roles to exactly <paramref name="wanted"/> (of <see cref="AssignableRoles"/>; member
    /// roles stay). An admin cannot take away its own admin role. Audited as the user's "roles" entry, with every
    /// role before and after.
    /// </summary>
    public async Task<OpResult<UserRolesView>> SetRolesAsync(Actor actor, long id, IReadOnlyList<string>? wanted)
    {
        ArgumentNullException.ThrowIfNull(actor);
        wanted ??= [];
        var unknown = wanted.Where(r => !AssignableRoles.Contains(r)).ToList();
        if (unknown.Count > 0)
        {
            return OpResult<UserRolesView>.Invalid(new Dictionary<string, string[]> { ["roles"] = [$"未知或不可分配的角色：{string.Join("、", unknown)}（可分配：{string.Join("、", AssignableRoles)}）"] });
        }

        if (!actor.IsAdmin)
        {
            return OpResult<UserRolesView>.Forbidden("只有管理员才能设置角色");
        }

        var user = await users.FindByIdAsync(id.ToString(CultureInfo.InvariantCulture));
        if (user is null)
        {
            return OpResult<UserRolesView>.NotFound("用户不存在");
        }

        if (actor.UserId == id && !wanted.Contains(Roles.Admin))
        {
            return OpResult<UserRolesView>.Conflict("不能取消自己的管理员角色");
        }

        var distinct = wanted.Distinct(StringComparer.Ordinal).ToArray();
        var current = await users.GetRolesAsync(user);
        string[] before = [.. current.Order(StringComparer.Ordinal)];
        string[] after = [.. current.Where(r => !AssignableRoles.Contains(r)).Concat(distinct).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        await using var tx = await db.Database.BeginTransactionAsync();
        await users.RemoveFromRolesAsync(user, current.Where(r => AssignableRoles.Contains(r) && !distinct.Contains(r)));
        await users.AddToRolesAsync(user, distinct.Where(r => !current.Contains(r)));
        db.AuditLog.Add(new AuditEntry
        {
            At = DateTime.UtcNow,
            UserId = actor.UserId,
            EntityType = "User",
            EntityId = id,
            Action = "roles",
            Changes = JsonSerializer.Serialize(new { Roles = new[] { before, after } }),
        });
        await db.SaveChangesAsync();
        await tx.CommitAsync();
        return OpResult<UserRolesView>.Ok(new UserRolesView(id, distinct));
    }

    /// <summary>The audit log, newest first, filtered; call <see cref="AuditFilter.Validate"/> first.</summary>
    public async Task<Paged<AuditView>> AuditAsync(AuditFilter filter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var q = db.AuditLog.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.EntityType))
        {
            var type = filter.EntityType.Trim();
            q = q.Where(a => a.EntityType == type);
        }

        if (filter.EntityId is { } eid)
        {
            q = q.Where(a => a.EntityId == eid);
        }

        if (filter.UserId is { } uid)
        {
            q = q.Where(a => a.UserId == uid);
        }

        if (filter.From is { } from)
        {
            var start = ChinaDayStartUtc(from);
            q = q.Where(a => a.At >= start);
        }

        if (filter.To is { } to)
        {
            var end = ChinaDayStartUtc(to.AddDays(1));
            q = q.Where(a => a.At < end);
        }

        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            var action = filter.Action.Trim();
            q = q.Where(a => a.Action.StartsWith(action));
        }

        var total = await q.CountAsync(ct);
        var rows = await q.OrderByDescending(a => a.Id).Skip((filter.Page - 1) * filter.PageSize).Take(filter.PageSize)
            .Select(a => new AuditView(a.Id, a.At, a.UserId, db.Users.Where(u => u.Id == a.UserId).Select(u => u.DisplayName).FirstOrDefault(), a.EntityType, a.EntityId, a.Action, a.Changes))
            .ToListAsync(ct);
        return new Paged<AuditView>(rows, total, filter.Page, filter.PageSize);
    }

    /// <summary>The record types the audit log holds, for the page's filter.</summary>
    public async Task<IReadOnlyList<string>> AuditEntityTypesAsync(CancellationToken ct) =>
        await db.AuditLog.AsNoTracking().Select(a => a.EntityType).Distinct().OrderBy(t => t).ToListAsync(ct);

    /// <summary>An audit row's changes as lines "property: old → new"; a row that is not such JSON is one line.</summary>
    public static IReadOnlyList<AuditChange> ReadableChanges(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return [new AuditChange("", "", json)];
            }

            var list = new List<AuditChange>();
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.Array && p.Value.GetArrayLength() == 2)
                {
                    list.Add(new AuditChange(p.Name, Text(p.Value[0]), Text(p.Value[1])));
                }
                else
                {
                    list.Add(new AuditChange(p.Name, "", Text(p.Value)));
                }
            }

            return list;
        }
        catch (JsonException)
        {
            return [new AuditChange("", "", json)];
        }
    }

    private static string Text(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => "（空）",
        JsonValueKind.String => e.GetString() is { Length: > 0 } s ? (s.Length > 200 ? s[..200] + "…" : s) : "（空）",
        JsonValueKind.Array => "[" + string.Join("、", e.EnumerateArray().Select(Text)) + "]",
        _ => e.GetRawText(),
    };

    private static DateTime ChinaDayStartUtc(DateOnly day) =>
        DateTime.SpecifyKind(day.ToDateTime(TimeOnly.MinValue) - Ui.ChinaOffset, DateTimeKind.Utc);

    /// <summary>The broker registry with each broker's account e-mail, in registration order.</summary>
    public async Task<Paged<AdminBrokerRow>> BrokersAsync(int page, int pageSize, CancellationToken ct)
    {
        var q = db.Brokers.AsNoTracking().Include(b => b.User);
        var total = await q.CountAsync(ct);
        var rows = await q.OrderBy(b => b.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return new Paged<AdminBrokerRow>([.. rows.Select(b => new AdminBrokerRow(BrokerView.From(b, b.User?.DisplayName ?? ""), b.User?.Email ?? "", b.RegisteredAt))], total, page, pageSize);
    }

    /// <summary>A user's id from a number or an e-mail address, for the registry form.</summary>
    public async Task<long?> FindUserAsync(string? idOrEmail, CancellationToken ct)
    {
        var text = idOrEmail?.Trim() ?? "";
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return await db.Users.AnyAsync(u => u.Id == id, ct) ? id : null;
        }

        if (text.Length is 0 or > 254)
        {
            return null;
        }

        var normalized = text.ToUpperInvariant();
        return await db.Users.Where(u => u.NormalizedEmail == normalized).Select(u => (long?)u.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// Organisations for review: with <paramref name="pending"/> only those with a name waiting (oldest request
    /// first), with <paramref name="verified"/> only verified or unverified ones; otherwise by name.
    /// </summary>
    public async Task<Paged<OrganisationView>> OrganisationsAsync(bool? pending, bool? verified, string? q, int page, int pageSize, CancellationToken ct)
    {
        var query = db.Organisations.AsNoTracking();
        if (pending is { } p)
        {
            query = p ? query.Where(o => o.PendingName != null) : query.Where(o => o.PendingName == null);
        }

        if (verified is { } v)
        {
            query = v ? query.Where(o => o.VerifiedAt != null) : query.Where(o => o.VerifiedAt == null);
        }

        if (q?.Trim() is { Length: > 0 } text)
        {
            var upper = text.ToUpperInvariant();
            query = query.Where(o => o.Name.Contains(text) || (o.PendingName != null && o.PendingName.Contains(text)) || o.CreditCode.Contains(upper));
        }

        var total = await query.CountAsync(ct);
        var ordered = pending == true ? query.OrderBy(o => o.PendingNameAt).ThenBy(o => o.Id) : query.OrderBy(o => o.Name).ThenBy(o => o.Id);
        var rows = await ordered.Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return new Paged<OrganisationView>([.. rows.Select(OrganisationView.From)], total, page, pageSize);
    }
}
