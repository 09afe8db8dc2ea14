using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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
internal sealed class OrganisationGrain(IServiceScopeFactory scopes, [FromKeyedServices(MarketClock.Key)] TimeProvider clock) : Grain, IOrganisationGrain
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

        org.Name = change.Name?.Trim() ?? org.Name;
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
        return OpResult<OrganisationView>.Ok(OrganisationView.From(org));
    }

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
}
