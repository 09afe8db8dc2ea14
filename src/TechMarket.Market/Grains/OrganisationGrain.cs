using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Market.Contracts;
using TechMarket.Market.Hosting;

namespace TechMarket.Market.Grains;

/// <summary>
/// An enterprise, institute or service agency. Its row in "Organisations" is the state, loaded on activation; a
/// profile edit is checked here (members only, known districts, fields and qualifications, the version) and saved
/// with its audit entry. New listings are created here because they belong to the organisation until they exist.
/// </summary>
internal sealed class OrganisationGrain(IServiceScopeFactory scopes, [FromKeyedServices(MarketClock.Key)] TimeProvider clock, IPublicMarketObserver publicMarket, ILogger<OrganisationGrain> log) : Grain, IOrganisationGrain
{
    private Organisation? _row;

    private long Id => this.GetPrimaryKeyLong();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        _row = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == Id, cancellationToken);
    }

    public async Task<OpResult<OrganisationView>> UpdateProfileAsync(Actor actor, long expectedVersion, OrganisationChange change)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(change);
        if (_row is null)
        {
            return OpResult<OrganisationView>.NotFound();
        }

        if (actor.OrganisationId != Id)
        {
            return OpResult<OrganisationView>.Forbidden("只能修改本机构的资料");
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (change.Name is { } name && name.Trim().Length is < 2 or > 100)
        {
            errors["name"] = ["机构名称应为 2 到 100 个字符"];
        }

        if (change.District is { } d && !Labels.Districts.Contains(d))
        {
            errors["district"] = [$"未知的区县市：{d}"];
        }

        if (change.Fields?.FirstOrDefault(f => !Labels.Fields.Contains(f)) is { } badField)
        {
            errors["fields"] = [$"未知的领域：{badField}"];
        }

        if (change.Qualifications?.FirstOrDefault(q => !Labels.Qualifications.Contains(q)) is { } badQ)
        {
            errors["qualifications"] = [$"未知的资质：{badQ}"];
        }

        if (change.Introduction is { Length: > 4000 })
        {
            errors["introduction"] = ["机构简介不能超过 4000 个字符"];
        }

        if (errors.Count > 0)
        {
            return OpResult<OrganisationView>.Invalid(errors);
        }

        if (_row.Version != expectedVersion)
        {
            return OpResult<OrganisationView>.Conflict($"机构资料已被他人修改（当前版本 {_row.Version}），请刷新后重试");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var org = await db.Organisations.SingleAsync(o => o.Id == Id);
        if (org.Version != expectedVersion)
        {
            _row = org;
            return OpResult<OrganisationView>.Conflict($"机构资料已被他人修改（当前版本 {org.Version}），请刷新后重试");
        }

        // A new name waits for review; asking for the published name again withdraws the request.
        if (change.Name?.Trim() is { } newName)
        {
            if (newName == org.Name)
            {
                org.PendingName = null;
                org.PendingNameAt = null;
            }
            else if (newName != org.PendingName)
            {
                org.PendingName = newName;
                org.PendingNameAt = clock.GetUtcNow().UtcDateTime;
                org.NameReviewNote = "";
            }
        }

        org.District = change.District ?? org.District;
        org.Fields = change.Fields is null ? org.Fields : string.Join("、", change.Fields);
        org.Qualifications = change.Qualifications is null ? org.Qualifications : string.Join("、", change.Qualifications);
        org.Introduction = change.Introduction?.Trim() ?? org.Introduction;
        db.ActorId = actor.UserId;
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateConcurrencyException)
        {
            _row = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == Id);
            return OpResult<OrganisationView>.Conflict("机构资料刚刚被他人修改，请刷新后重试");
        }

        _row = org;
        await publicMarket.NotifySafelyAsync(log);
        return OpResult<OrganisationView>.Ok(OrganisationView.From(org));
    }

    public async Task<OpResult<OrganisationView>> ReviewNameAsync(Actor actor, long expectedVersion, bool approve, string? reason)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (_row is null)
        {
            return OpResult<OrganisationView>.NotFound();
        }

        if (!actor.IsReviewer)
        {
            return OpResult<OrganisationView>.Forbidden("只有组织方或管理员才能审核机构名称");
        }

        var note = reason?.Trim() ?? "";
        if (!approve && note.Length is < 2 or > 500)
        {
            return OpResult<OrganisationView>.Invalid(new Dictionary<string, string[]> { ["reason"] = ["请填写不予通过的理由（2 到 500 个字符）"] });
        }

        if (_row.Version != expectedVersion)
        {
            return OpResult<OrganisationView>.Conflict($"机构资料已被修改（当前版本 {_row.Version}），请刷新后再审核");
        }

        if (_row.PendingName is null)
        {
            return OpResult<OrganisationView>.Conflict("该机构没有待审核的名称变更");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var org = await db.Organisations.SingleAsync(o => o.Id == Id);
        if (org.Version != expectedVersion || org.PendingName is null)
        {
            _row = org;
            return OpResult<OrganisationView>.Conflict("机构资料刚刚被修改，请刷新后再审核");
        }

        var requested = org.PendingName;
        var old = org.Name;
        if (approve)
        {
            org.Name = requested;
            org.NameReviewNote = "";
        }
        else
        {
            org.NameReviewNote = note;
        }

        org.PendingName = null;
        org.PendingNameAt = null;

        // The decision, the members' inbox messages and the audit entry commit together (MarketDb's transaction).
        var now = clock.GetUtcNow().UtcDateTime;
        var members = await db.Users.Where(u => u.OrganisationId == Id).Select(u => u.Id).ToListAsync();
        foreach (var member in members)
        {
            db.Notifications.Add(new Notification
            {
                UserId = member,
                Kind = "organisation",
                Title = Cut(approve ? $"机构名称变更已通过：{requested}" : $"机构名称变更未通过：{requested}", 200),
                Body = Cut(approve
                    ? $"本机构名称已由「{old}」改为「{requested}」，已发布的信息和机构页面即日起显示新名称。"
                    : $"不予通过的理由：{note}。已发布的信息和机构页面继续显示「{old}」。", 2000),
                Link = "/my",
                CreatedAt = now,
            });
        }

        db.ActorId = actor.UserId;
        db.AuditAction = approve ? "name-approved" : "name-rejected";
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateConcurrencyException)
        {
            _row = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == Id);
            return OpResult<OrganisationView>.Conflict("机构资料刚刚被修改，请刷新后再审核");
        }

        _row = org;
        if (approve)
        {
            await publicMarket.NotifySafelyAsync(log);
        }

        return OpResult<OrganisationView>.Ok(OrganisationView.From(org));
    }

    public async Task<OpResult<OrganisationView>> VerifyAsync(Actor actor, bool verified)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (_row is null)
        {
            return OpResult<OrganisationView>.NotFound();
        }

        if (!actor.IsReviewer)
        {
            return OpResult<OrganisationView>.Forbidden("只有组织方或管理员才能核验机构");
        }

        if (verified == (_row.VerifiedAt is not null))
        {
            return OpResult<OrganisationView>.Ok(OrganisationView.From(_row));
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var org = await db.Organisations.SingleAsync(o => o.Id == Id);
        org.VerifiedAt = verified ? clock.GetUtcNow().UtcDateTime : null;
        org.VerifiedById = verified ? actor.UserId : null;
        db.ActorId = actor.UserId;
        db.AuditAction = verified ? "verified" : "unverified";
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateConcurrencyException)
        {
            _row = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == Id);
            return OpResult<OrganisationView>.Conflict("机构资料刚刚被修改，请刷新后重试");
        }

        _row = org;
        await publicMarket.NotifySafelyAsync(log);
        return OpResult<OrganisationView>.Ok(OrganisationView.From(org));
    }

    private static string Cut(string s, int max) => s.Length <= max ? s : s[..max];

    public async Task<OpResult<ListingView>> CreateListingAsync(Actor actor, ListingType kind, ListingInput input)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        if (_row is null || actor.OrganisationId != Id)
        {
            return OpResult<ListingView>.Forbidden("只有企业或高校院所的成员才能发布");
        }

        var needs = kind == ListingType.Need;
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        var errors = ListingRules.Validate(input, needs, forSubmission: false, today);
        if (errors.Count > 0)
        {
            return OpResult<ListingView>.Invalid(errors);
        }

        Listing listing = needs ? new Need() : new Achievement();
        ListingRules.Apply(input, listing);
        listing.OrganisationId = Id;
        listing.CreatedById = actor.UserId;
        listing.Status = ListingStatus.Draft;
        listing.CreatedAt = listing.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        listing.Version = 1;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        db.ActorId = actor.UserId;
        db.Listings.Add(listing);
        await db.SaveChangesAsync();
        return OpResult<ListingView>.Ok(ListingView.From(listing, _row));
    }

    public async Task<OpResult<OrganisationMember>> AddMemberAsync(Actor actor, NewMember member)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(member);
        if (_row is null)
        {
            return OpResult<OrganisationMember>.NotFound();
        }

        if (actor.OrganisationId != Id)
        {
            return OpResult<OrganisationMember>.Forbidden("只能为本机构添加成员");
        }

        var email = member.Email.Trim();
        var name = member.DisplayName.Trim();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (email.Length is 0 or > 254 || !System.Net.Mail.MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
        {
            errors["email"] = ["请填写有效的电子邮箱"];
        }

        if (name.Length is < 2 or > 50)
        {
            errors["displayName"] = ["姓名应为 2 到 50 个字符"];
        }

        if (member.PasswordHash.Length == 0)
        {
            errors["password"] = ["请设置密码"];
        }

        if (errors.Count > 0)
        {
            return OpResult<OrganisationMember>.Invalid(errors);
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByEmailAsync(email) is not null)
        {
            return OpResult<OrganisationMember>.Conflict("该邮箱已注册");
        }

        // The account, its role and the audit entry commit together, or not at all.
        await using var tx = await db.Database.BeginTransactionAsync();
        var now = clock.GetUtcNow().UtcDateTime;
        var user = new AppUser { UserName = email, Email = email, DisplayName = name, OrganisationId = Id, CreatedAt = now, PasswordHash = member.PasswordHash };
        var created = await users.CreateAsync(user);
        if (!created.Succeeded)
        {
            return created.Errors.Any(e => e.Code is "DuplicateUserName" or "DuplicateEmail")
                ? OpResult<OrganisationMember>.Conflict("该邮箱已注册")
                : OpResult<OrganisationMember>.Invalid(new Dictionary<string, string[]> { ["email"] = ["该邮箱不能用作账号"] });
        }

        var role = Roles.ForOrganisation(_row.Kind);
        await users.AddToRoleAsync(user, role);
        db.AuditLog.Add(new AuditEntry
        {
            At = now,
            UserId = actor.UserId,
            EntityType = "User",
            EntityId = user.Id,
            Action = "member-added",
            Changes = System.Text.Json.JsonSerializer.Serialize(new { OrganisationId = Id, Email = email }),
        });
        await db.SaveChangesAsync();
        await tx.CommitAsync();
        return OpResult<OrganisationMember>.Ok(new OrganisationMember
        {
            UserId = user.Id,
            Email = email,
            DisplayName = name,
            OrganisationId = Id,
            OrganisationName = _row.Name,
            Role = role,
        });
    }
}
