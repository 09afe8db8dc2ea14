using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Data.Rules;
using TechMarket.Market.Contracts;

namespace TechMarket.Market.Grains;

/// <summary>
/// The broker's tasks ("BrokerTasks"): 回访 of their matches and the alarm's mining tasks. One durable reminder
/// ("tasks-due") fires at the earliest open task not yet reminded; each tick sends the due reminders to the
/// broker's inbox and moves the reminder on, or drops it when nothing is left to remind.
/// </summary>
internal sealed partial class BrokerGrain
{
    public const string TasksReminder = "tasks-due";
    public const int MaxNote = 500;

    public async Task<OpResult<BrokerTaskView>> AddFollowUpAsync(Actor actor, BrokerTaskDraft draft)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(draft);
        if (actor.UserId != UserId || !actor.IsBroker)
        {
            return OpResult<BrokerTaskView>.Forbidden("只能为自己安排回访");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var note = draft.Note?.Trim() ?? "";
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (draft.DueAt is not { } due || due < now.AddMinutes(-5) || due > now.AddYears(1))
        {
            errors["dueAt"] = ["请填写回访时间：不早于现在，不晚于一年后"];
        }

        if (note.Length is 0 or > MaxNote)
        {
            errors["note"] = [$"请写明回访要做什么（不超过 {MaxNote} 字）"];
        }

        if (draft.MatchId is null)
        {
            errors["matchId"] = ["请选择要回访的撮合"];
        }

        if (errors.Count > 0)
        {
            return OpResult<BrokerTaskView>.Invalid(errors);
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        if (!await db.Matches.AnyAsync(m => m.Id == draft.MatchId && m.BrokerUserId == UserId))
        {
            return OpResult<BrokerTaskView>.Invalid(new Dictionary<string, string[]> { ["matchId"] = ["只能回访自己跟进的撮合"] });
        }

        var task = new BrokerTask
        {
            BrokerUserId = UserId,
            Kind = BrokerTaskKind.FollowUp,
            MatchId = draft.MatchId,
            Note = note,
            DueAt = draft.DueAt!.Value,
            Status = BrokerTaskStatus.Open,
            CreatedAt = now,
            Version = 1,
        };
        db.BrokerTasks.Add(task);
        db.ActorId = actor.UserId;
        await db.SaveChangesAsync();
        await SyncTaskReminderAsync(db);
        return OpResult<BrokerTaskView>.Ok(BrokerTaskView.From(task));
    }

    public Task<OpResult<BrokerTaskView>> CompleteTaskAsync(Actor actor, long taskId, string? outcome)
    {
        outcome = outcome?.Trim() ?? "";
        return outcome.Length > MaxNote
            ? Task.FromResult(OpResult<BrokerTaskView>.Invalid(new Dictionary<string, string[]> { ["outcome"] = [$"回访结果不超过 {MaxNote} 字"] }))
            : ChangeTaskAsync(actor, taskId, BrokerTaskStatus.Open, "只有待办的任务可以完成", (t, now) =>
            {
                t.Status = BrokerTaskStatus.Done;
                t.Outcome = outcome;
                t.DoneAt = now;
            });
    }

    public Task<OpResult<BrokerTaskView>> ReopenTaskAsync(Actor actor, long taskId) =>
        ChangeTaskAsync(actor, taskId, BrokerTaskStatus.Done, "只有已完成的任务可以撤销完成", (t, _) =>
        {
            t.Status = BrokerTaskStatus.Open;
            t.Outcome = "";
            t.DoneAt = null;
        });

    public Task<OpResult<BrokerTaskView>> CancelTaskAsync(Actor actor, long taskId) =>
        ChangeTaskAsync(actor, taskId, BrokerTaskStatus.Open, "只有待办的任务可以撤销", (t, _) => t.Status = BrokerTaskStatus.Cancelled);

    public async Task<bool> RaiseMiningTaskAsync(string field, string note, DateTime dueAt)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(note);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        if (await db.BrokerTasks.AnyAsync(t => t.BrokerUserId == UserId && t.Kind == BrokerTaskKind.Mining && t.Field == field && t.Status == BrokerTaskStatus.Open))
        {
            return false;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        db.BrokerTasks.Add(new BrokerTask
        {
            BrokerUserId = UserId,
            Kind = BrokerTaskKind.Mining,
            Field = field,
            Note = note.Length <= MaxNote ? note : note[..MaxNote],
            DueAt = dueAt,
            Status = BrokerTaskStatus.Open,
            CreatedAt = now,
            Version = 1,
        });
        db.Notifications.Add(new Notification { UserId = UserId, Kind = "mining", Title = $"新的挖掘任务：{field}", Body = note.Length <= 2000 ? note : note[..2000], Link = "/broker", CreatedAt = now });
        await using var tx = await db.Database.BeginTransactionAsync();
        await db.SaveChangesAsync();
        await tx.CommitAsync();
        await SyncTaskReminderAsync(db);
        return true;
    }

    public async Task<OpResult<ListingView>> MineNeedAsync(Actor actor, long organisationId, ListingInput input)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        if (actor.UserId != UserId || !actor.IsBroker || !await db.Brokers.AnyAsync(b => b.UserId == UserId))
        {
            return OpResult<ListingView>.Forbidden("只有已备案的技术经纪人可以代企业整理需求");
        }

        var organisation = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == organisationId);
        if (organisation is not { Kind: OrganisationKind.Enterprise })
        {
            return OpResult<ListingView>.Invalid(new Dictionary<string, string[]> { ["organisationId"] = ["请选择需求所属的企业"] });
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var errors = ListingRules.Validate(input, true, forSubmission: false, DateOnly.FromDateTime(clock.GetLocalNow().DateTime));
        if (errors.Count > 0)
        {
            return OpResult<ListingView>.Invalid(errors);
        }

        var need = new Need();
        ListingRules.Apply(input, need);
        need.OrganisationId = organisationId;
        need.CreatedById = UserId;
        need.MinedByUserId = UserId;
        need.Status = ListingStatus.Draft;
        need.CreatedAt = need.UpdatedAt = now;
        need.Version = 1;
        var broker = await db.Users.Where(u => u.Id == UserId).Select(u => u.DisplayName).SingleAsync();
        db.ActorId = actor.UserId;
        await using var tx = await db.Database.BeginTransactionAsync();
        db.Listings.Add(need);
        await db.SaveChangesAsync();
        foreach (var member in await db.Users.Where(u => u.OrganisationId == organisationId).Select(u => u.Id).ToListAsync())
        {
            db.Notifications.Add(new Notification
            {
                UserId = member,
                Kind = "mined",
                Title = $"技术经纪人为贵单位整理了需求：{(need.Title.Length <= 150 ? need.Title : need.Title[..150])}",
                Body = $"技术经纪人{broker}根据与贵单位的沟通整理了这条技术需求。请核对修改；由贵单位提交审核即视为同意发布。",
                Link = $"/needs/{need.Id}/edit",
                CreatedAt = now,
            });
        }

        await db.SaveChangesAsync();
        await tx.CommitAsync();
        return OpResult<ListingView>.Ok(ListingView.From(need, organisation));
    }

    public async Task<OpResult<bool>> WithdrawMinedNeedAsync(Actor actor, long needId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var need = await db.Needs.AsNoTracking().Where(n => n.Id == needId && n.MinedByUserId == UserId).Select(n => new { n.Version, n.Status, n.MiningConsentAt }).SingleOrDefaultAsync();
        if (need is null || actor.UserId != UserId)
        {
            return OpResult<bool>.NotFound();
        }

        return need.MiningConsentAt is not null || need.Status != ListingStatus.Draft
            ? OpResult<bool>.Conflict("企业已确认提交的需求不能撤回")
            : await GrainFactory.GetGrain<IListingGrain>(needId).DeleteDraftAsync(actor, ListingType.Need, need.Version);
    }

    public async Task<int> SendDueRemindersAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.BrokerTasks
            .Where(t => t.BrokerUserId == UserId && t.Status == BrokerTaskStatus.Open && t.RemindedAt == null && t.DueAt <= now)
            .ToListAsync();
        foreach (var t in due)
        {
            t.RemindedAt = now;
            var what = t.Kind == BrokerTaskKind.FollowUp ? "回访提醒" : "挖掘任务到期";
            var text = t.Note.Length <= 150 ? t.Note : t.Note[..149] + "…";
            db.Notifications.Add(new Notification { UserId = UserId, Kind = "followup", Title = $"{what}：{text}", Body = t.Note, Link = "/broker", CreatedAt = now });
        }

        if (due.Count > 0)
        {
            await db.SaveChangesAsync();
        }

        await SyncTaskReminderAsync(db);
        return due.Count;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == TasksReminder ? SendDueRemindersAsync() : Task.CompletedTask;

    private async Task<OpResult<BrokerTaskView>> ChangeTaskAsync(Actor actor, long taskId, BrokerTaskStatus from, string wrongState, Action<BrokerTask, DateTime> change)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        var task = await db.BrokerTasks.SingleOrDefaultAsync(t => t.Id == taskId && t.BrokerUserId == UserId);
        if (task is null || actor.UserId != UserId)
        {
            return OpResult<BrokerTaskView>.NotFound();
        }

        if (task.Status != from)
        {
            return OpResult<BrokerTaskView>.Conflict(wrongState);
        }

        change(task, clock.GetUtcNow().UtcDateTime);
        db.ActorId = actor.UserId;
        await db.SaveChangesAsync();
        await SyncTaskReminderAsync(db);
        return OpResult<BrokerTaskView>.Ok(BrokerTaskView.From(task));
    }

    /// <summary>Points the reminder at the earliest open task not yet reminded, or drops it.</summary>
    private async Task SyncTaskReminderAsync(MarketDb db)
    {
        var next = await db.BrokerTasks.AsNoTracking()
            .Where(t => t.BrokerUserId == UserId && t.Status == BrokerTaskStatus.Open && t.RemindedAt == null)
            .OrderBy(t => t.DueAt).Select(t => (DateTime?)t.DueAt).FirstOrDefaultAsync();
        var existing = await this.GetReminder(TasksReminder);
        if (next is { } at)
        {
            var wait = at - clock.GetUtcNow().UtcDateTime;
            await this.RegisterOrUpdateReminder(TasksReminder, wait < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : wait, TimeSpan.FromHours(1));
        }
        else if (existing is not null)
        {
            await this.UnregisterReminder(existing);
        }
    }
}
