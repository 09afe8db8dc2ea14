using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Market.Contracts;
using TechMarket.Market.Hosting;

namespace TechMarket.Market.Grains;

/// <summary>
/// A technology broker, keyed by the broker's user id: the registry entry (技术经纪人备案) in "Brokers". Admins
/// register and correct it; registering also gives the account the broker role, in the same transaction.
/// </summary>
internal sealed partial class BrokerGrain(IServiceScopeFactory scopes, [FromKeyedServices(MarketClock.Key)] TimeProvider clock) : Grain, IBrokerGrain, IRemindable
{
    private long UserId => this.GetPrimaryKeyLong();

    public async Task<OpResult<BrokerView>> RegisterAsync(Actor actor, BrokerRegistration registration)
    {
        if (Validate(actor, registration, out var level) is { } refused)
        {
            return refused;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(UserId.ToString(CultureInfo.InvariantCulture));
        if (user is null)
        {
            return OpResult<BrokerView>.NotFound("用户不存在");
        }

        var certificate = registration.CertificateNumber!.Trim();
        if (await db.Brokers.AnyAsync(b => b.UserId == UserId || b.CertificateNumber == certificate))
        {
            return OpResult<BrokerView>.Conflict("该用户已备案，或证书编号已被使用");
        }

        await using var tx = await db.Database.BeginTransactionAsync();
        var broker = new BrokerProfile
        {
            UserId = user.Id,
            CertificateNumber = certificate,
            Level = level,
            Agency = registration.Agency?.Trim() ?? "",
            District = registration.District!,
            Specialties = registration.Specialties?.Trim() ?? "",
            RegisteredAt = clock.GetUtcNow().UtcDateTime,
        };
        db.ActorId = actor.UserId;
        db.Brokers.Add(broker);
        await db.SaveChangesAsync();
        if (!await users.IsInRoleAsync(user, Roles.Broker))
        {
            await users.AddToRoleAsync(user, Roles.Broker);
        }

        await tx.CommitAsync();
        return OpResult<BrokerView>.Ok(BrokerView.From(broker, user.DisplayName));
    }

    public async Task<OpResult<BrokerView>> UpdateAsync(Actor actor, BrokerRegistration registration)
    {
        if (Validate(actor, registration, out var level) is { } refused)
        {
            return refused;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var broker = await db.Brokers.Include(b => b.User).SingleOrDefaultAsync(b => b.UserId == UserId);
        if (broker is null)
        {
            return OpResult<BrokerView>.NotFound("该用户尚未备案为技术经纪人");
        }

        var certificate = registration.CertificateNumber!.Trim();
        if (await db.Brokers.AnyAsync(b => b.UserId != UserId && b.CertificateNumber == certificate))
        {
            return OpResult<BrokerView>.Conflict("证书编号已被其他经纪人使用");
        }

        broker.CertificateNumber = certificate;
        broker.Level = level;
        broker.Agency = registration.Agency?.Trim() ?? "";
        broker.District = registration.District!;
        broker.Specialties = registration.Specialties?.Trim() ?? "";
        db.ActorId = actor.UserId;
        await db.SaveChangesAsync();
        return OpResult<BrokerView>.Ok(BrokerView.From(broker, broker.User?.DisplayName ?? ""));
    }

    private static OpResult<BrokerView>? Validate(Actor actor, BrokerRegistration r, out BrokerLevel level)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(r);
        level = default;
        if (!actor.IsAdmin)
        {
            return OpResult<BrokerView>.Forbidden("只有管理员可以办理技术经纪人备案");
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        BrokerLevel? parsed = r.Level?.Trim() switch
        {
            "初级" or "Junior" => BrokerLevel.Junior,
            "中级" or "Intermediate" => BrokerLevel.Intermediate,
            "高级" or "Senior" => BrokerLevel.Senior,
            _ => null,
        };
        if (parsed is null)
        {
            errors["level"] = ["等级只能是 初级、中级 或 高级"];
        }

        if ((r.CertificateNumber?.Trim() ?? "").Length is < 4 or > 50)
        {
            errors["certificateNumber"] = ["请填写 4 到 50 个字符的证书编号"];
        }

        if (string.IsNullOrEmpty(r.District) || !Labels.Districts.Contains(r.District))
        {
            errors["district"] = ["请选择备案的区县市"];
        }

        if ((r.Agency?.Length ?? 0) > 200 || (r.Specialties?.Length ?? 0) > 500)
        {
            errors["agency"] = ["所属机构不超过 200 个字符，专长不超过 500 个字符"];
        }

        if (errors.Count > 0)
        {
            return OpResult<BrokerView>.Invalid(errors);
        }

        level = parsed!.Value;
        return null;
    }
}
