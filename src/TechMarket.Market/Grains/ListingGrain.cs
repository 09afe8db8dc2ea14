using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Market.Alerts;
using TechMarket.Market.Contracts;
using TechMarket.Market.Hosting;

namespace TechMarket.Market.Grains;

/// <summary>
/// A need or an achievement. The row in "Listings" is the state: it is loaded on activation and kept between
/// calls, so a refused step (wrong owner, wrong state, stale version) costs no query. A change is applied to a copy
/// and saved through EF Core, which writes the audit entry and the search index in the same transaction and checks
/// the row's version again in the UPDATE, so even a write that bypassed the grain can never be overwritten.
/// </summary>
internal sealed class ListingGrain(IServiceScopeFactory scopes, [FromKeyedServices(MarketClock.Key)] TimeProvider clock, IPublicMarketObserver publicMarket, IMailSender mail, ILogger<ListingGrain> log)
    : Grain, IListingGrain, IRemindable
{
    /// <summary>The reminder that expires a published need the day after its 需求时限.</summary>
    public const string ExpiryReminder = "expiry";

    /// <summary>The reminder that sends saved-search alerts once a listing is published (durable: retried until done).</summary>
    public const string AlertsReminder = "alerts";

    /// <summary>How often a due reminder ticks until it is removed (Orleans' minimum period).</summary>
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromMinutes(1);

    private Listing? _row;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private DateOnly Today => DateOnly.FromDateTime(clock.GetLocalNow().DateTime);

    private long Id => this.GetPrimaryKeyLong();

    public override Task OnActivateAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    private async Task LoadAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        _row = await db.Listings.AsNoTracking().SingleOrDefaultAsync(l => l.Id == Id, ct);
    }

    public Task<OpResult<ListingView>> UpdateAsync(Actor actor, ListingType kind, long expectedVersion, ListingInput input) =>
        ChangeOwnAsync(actor, kind, expectedVersion, listing =>
        {
            if (listing.Status is ListingStatus.Closed or ListingStatus.Expired)
            {
                return OpResult<ListingView>.Conflict($"{Labels.Of(listing.Status)}的信息不能再修改");
            }

            var errors = ListingRules.Validate(input, listing is Need, forSubmission: listing.Status is ListingStatus.Submitted or ListingStatus.Published, Today);
            if (errors.Count > 0)
            {
                return OpResult<ListingView>.Invalid(errors);
            }

            ListingRules.Apply(input, listing);

            // Nothing a visitor sees may be unreviewed: an edit of a published listing goes back to review.
            if (listing.Status == ListingStatus.Published)
            {
                listing.Status = ListingStatus.Submitted;
            }

            return null;
        });

    public Task<OpResult<ListingView>> SubmitAsync(Actor actor, ListingType kind, long expectedVersion) =>
        ChangeOwnAsync(actor, kind, expectedVersion, listing =>
        {
            if (listing.Status is not (ListingStatus.Draft or ListingStatus.Returned or ListingStatus.Withdrawn))
            {
                return OpResult<ListingView>.Conflict($"当前状态（{Labels.Of(listing.Status)}）不能提交审核");
            }

            var errors = ListingRules.Validate(ListingRules.ToInput(listing), listing is Need, forSubmission: true, Today);
            if (errors.Count > 0)
            {
                return OpResult<ListingView>.Invalid(errors, "还有必填项未完成，不能提交审核");
            }

            listing.Status = ListingStatus.Submitted;
            listing.ReviewNote = null;

            // A need a broker mined is submitted by the enterprise itself: that is its consent.
            if (listing is Need { MinedByUserId: not null, MiningConsentAt: null } mined)
            {
                mined.MiningConsentAt = Now;
            }

            return null;
        });

    public Task<OpResult<ListingView>> WithdrawAsync(Actor actor, ListingType kind, long expectedVersion) =>
        ChangeOwnAsync(actor, kind, expectedVersion, listing =>
            listing.Status is not (ListingStatus.Submitted or ListingStatus.Published)
                ? OpResult<ListingView>.Conflict($"当前状态（{Labels.Of(listing.Status)}）不能撤回")
                : Set(listing, ListingStatus.Withdrawn));

    public Task<OpResult<ListingView>> CloseAsync(Actor actor, ListingType kind, long expectedVersion) =>
        ChangeOwnAsync(actor, kind, expectedVersion, listing =>
            listing.Status != ListingStatus.Published
                ? OpResult<ListingView>.Conflict("只有已发布的信息才能标记为成交关闭")
                : Set(listing, ListingStatus.Closed));

    public async Task<OpResult<bool>> DeleteDraftAsync(Actor actor, ListingType kind, long expectedVersion)
    {
        var result = await ChangeOwnAsync(actor, kind, expectedVersion, listing =>
            listing.Status != ListingStatus.Draft ? OpResult<ListingView>.Conflict("只能删除草稿；已提交的信息请撤回") : null, delete: true);
        return result.IsOk ? OpResult<bool>.Ok(true) : result.As<bool>();
    }

    public async Task<OpResult<ListingView>> ReviewAsync(Actor actor, long expectedVersion, bool publish, string? note)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsReviewer)
        {
            return OpResult<ListingView>.Forbidden("只有组织方或管理员可以审核");
        }

        if (!publish && string.IsNullOrWhiteSpace(note))
        {
            return OpResult<ListingView>.Invalid(new Dictionary<string, string[]> { ["note"] = ["退回时请写明原因"] });
        }

        if (note is { Length: > 2000 })
        {
            return OpResult<ListingView>.Invalid(new Dictionary<string, string[]> { ["note"] = ["审核意见不能超过 2000 个字符"] });
        }

        return await ChangeAsync(actor.UserId, ListingType.Any, expectedVersion, listing =>
        {
            if (listing.Status != ListingStatus.Submitted)
            {
                return OpResult<ListingView>.Conflict($"当前状态（{Labels.Of(listing.Status)}）不在待审核队列中");
            }

            listing.Status = publish ? ListingStatus.Published : ListingStatus.Returned;
            listing.ReviewNote = publish ? null : note!.Trim();
            if (publish)
            {
                listing.PublishedAt = Now;
            }

            return null;
        });
    }

    public async Task EnsureScheduledAsync()
    {
        if (_row is Need { Status: ListingStatus.Published, ValidUntil: not null })
        {
            await SyncExpiryAsync(force: true);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == AlertsReminder)
        {
            await SendAlertsAsync();
            return;
        }

        if (reminderName != ExpiryReminder)
        {
            return;
        }

        // The row is the truth; reload it in case it was written without the grain since activation.
        await LoadAsync();
        await SyncExpiryAsync(force: true);
    }

    private static OpResult<ListingView>? Set(Listing listing, ListingStatus status)
    {
        listing.Status = status;
        return null;
    }

    private bool Matches(ListingType kind) => kind switch
    {
        ListingType.Need => _row is Need,
        ListingType.Achievement => _row is Achievement,
        _ => _row is not null,
    };

    private Task<OpResult<ListingView>> ChangeOwnAsync(
        Actor actor, ListingType kind, long expectedVersion, Func<Listing, OpResult<ListingView>?> change, bool delete = false)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!Matches(kind))
        {
            return Task.FromResult(OpResult<ListingView>.NotFound());
        }

        // The broker who mined a need may withdraw (delete) it until the enterprise consents.
        var minersDraft = delete && _row is Need { MinedByUserId: { } miner, MiningConsentAt: null } && miner == actor.UserId;
        return _row!.OrganisationId != actor.OrganisationId && !minersDraft
            ? Task.FromResult(OpResult<ListingView>.Forbidden("只能修改本机构的信息"))
            : ChangeAsync(actor.UserId, kind, expectedVersion, change, delete);
    }

    /// <summary>
    /// Applies <paramref name="change"/> (null to go ahead, or the refusal) to a copy of the row and saves it when the
    /// caller's version is current. <paramref name="userId"/> null is the platform itself (expiry).
    /// </summary>
    private async Task<OpResult<ListingView>> ChangeAsync(
        long? userId, ListingType kind, long? expectedVersion, Func<Listing, OpResult<ListingView>?> change, bool delete = false)
    {
        if (!Matches(kind))
        {
            return OpResult<ListingView>.NotFound();
        }

        var before = _row!;
        var listing = before.CopyRow();
        var refused = change(listing);
        if (refused is not null)
        {
            return refused;
        }

        if (expectedVersion is { } expected && listing.Version != expected)
        {
            return OpResult<ListingView>.Conflict($"该信息已被他人修改（当前版本 {listing.Version}，您提交的版本 {expected}），请刷新后重试");
        }

        // Saved-search alerts for a listing entering 已发布 are due from a reminder registered before the commit and
        // removed once they are sent right after it: a node that stops in between leaves the reminder to a survivor
        // (and a failed commit leaves one that finds nothing published and removes itself).
        var publishing = !delete && before.Status != ListingStatus.Published && listing.Status == ListingStatus.Published;
        if (publishing)
        {
            await this.RegisterOrUpdateReminder(AlertsReminder, RetryPeriod, RetryPeriod);
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        db.ActorId = userId;

        // Attach the unchanged values, then copy the changed ones over, so EF writes only what changed and checks
        // the original version in its WHERE clause.
        var tracked = before.CopyRow();
        db.Attach(tracked);
        if (delete)
        {
            db.Remove(tracked);
        }
        else
        {
            db.Entry(tracked).CurrentValues.SetValues(listing);
            tracked.UpdatedAt = Now;
        }

        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateConcurrencyException)
        {
            await LoadAsync();
            return OpResult<ListingView>.Conflict("该信息刚刚被他人修改，请刷新后重试");
        }
        catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException)
        {
            log.LogError(ex, "Saving listing {Id} failed", Id);
            await LoadAsync();
            throw new MarketStorageException("数据库暂时无法保存，请稍后重试");
        }

        if (delete)
        {
            _row = null;
            DeactivateOnIdle();
            return OpResult<ListingView>.Ok(ListingView.From(listing));
        }

        var organisation = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == tracked.OrganisationId);
        _row = tracked.CopyRow();
        if (before.Status == ListingStatus.Published || _row.Status == ListingStatus.Published)
        {
            await publicMarket.NotifySafelyAsync(log);
            await SyncExpiryAsync(force: false);
        }

        if (publishing)
        {
            await SendAlertsAsync();
        }

        return OpResult<ListingView>.Ok(ListingView.From(_row, organisation));
    }

    /// <summary>Sends the saved-search alerts for this listing, then drops the reminder; a failure leaves it to retry.</summary>
    private async Task SendAlertsAsync()
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
            var sent = await SavedSearchAlerts.RunAsync(db, mail, Id, Now);
            log.LogInformation("Listing {Id}: {Count} saved-search alerts sent", Id, sent);
        }
#pragma warning disable CA1031 // The listing is published; a failed alert must not fail that, and the reminder retries it.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            log.LogWarning(ex, "Saved-search alerts for listing {Id} failed; the reminder retries in {Period}", Id, RetryPeriod);
            return;
        }

        if (await this.GetReminder(AlertsReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>
    /// Keeps the expiry reminder in step with the row: a published need with a 需求时限 has one due the day after it
    /// (and expires at once if that day has come); anything else has none. Without <paramref name="force"/> only a
    /// registration is made (after publishing) or removed (after leaving the published state).
    /// </summary>
    private async Task SyncExpiryAsync(bool force)
    {
        if (_row is Need { Status: ListingStatus.Published, ValidUntil: { } validUntil })
        {
            if (validUntil < Today)
            {
                var expired = await ChangeAsync(null, ListingType.Need, null, l => Set(l, ListingStatus.Expired));
                log.LogInformation("Need {Id} expired (需求时限 {ValidUntil}): {Status}", Id, validUntil, expired.Status);
                return;
            }

            var dueLocal = validUntil.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
            var dueUtc = TimeZoneInfo.ConvertTimeToUtc(dueLocal, clock.LocalTimeZone);
            var dueIn = dueUtc - Now;
            if (dueIn < TimeSpan.Zero)
            {
                dueIn = TimeSpan.Zero;
            }

            if (force && await this.GetReminder(ExpiryReminder) is not null)
            {
                return;
            }

            // Orleans skips the ticks a reminder missed (its node was down when it fell due) and waits for the next
            // period, so the period is short: the first tick expires the need and removes the reminder, and one that
            // was missed is made up within a minute of another node taking it over.
            await this.RegisterOrUpdateReminder(ExpiryReminder, dueIn, RetryPeriod);
            return;
        }

        if (await this.GetReminder(ExpiryReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }
}
