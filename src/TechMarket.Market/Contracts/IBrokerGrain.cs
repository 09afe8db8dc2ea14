using TechMarket.Data.Model;
using TechMarket.Data.Rules;


namespace TechMarket.Market.Contracts;

/// <summary>A registered technology broker (技术经纪人) as the registry shows it.</summary>
[GenerateSerializer, Immutable]
public sealed record BrokerView
{
    [Id(0)]
    public long Id { get; init; }

    [Id(1)]
    public long UserId { get; init; }

    [Id(2)]
    public string Name { get; init; } = "";

    [Id(3)]
    public string CertificateNumber { get; init; } = "";

    /// <summary>初级, 中级 or 高级.</summary>
    [Id(4)]
    public string Level { get; init; } = "";

    [Id(5)]
    public string Agency { get; init; } = "";

    [Id(6)]
    public string District { get; init; } = "";

    [Id(7)]
    public string Specialties { get; init; } = "";

    [Id(8)]
    public bool IsDemo { get; init; }

    public static BrokerView From(BrokerProfile b, string name)
    {
        ArgumentNullException.ThrowIfNull(b);
        return new()
        {
            Id = b.Id,
            UserId = b.UserId,
            Name = name,
            CertificateNumber = b.CertificateNumber,
            Level = Labels.Of(b.Level),
            Agency = b.Agency,
            District = b.District,
            Specialties = b.Specialties,
            IsDemo = b.IsDemo,
        };
    }
}

/// <summary>A registry entry (技术经纪人备案) as an admin enters or corrects it.</summary>
[GenerateSerializer, Immutable]
public sealed record BrokerRegistration
{
    [Id(0)]
    public string? CertificateNumber { get; init; }

    /// <summary>初级/中级/高级 or Junior/Intermediate/Senior.</summary>
    [Id(1)]
    public string? Level { get; init; }

    [Id(2)]
    public string? Agency { get; init; }

    [Id(3)]
    public string? District { get; init; }

    [Id(4)]
    public string? Specialties { get; init; }
}

/// <summary>
/// One broker (keyed by the broker's user id): the registry entry — certificate, level, agency, district and
/// specialties. Registration also gives the account the broker role.
/// </summary>
public interface IBrokerGrain : IGrainWithIntegerKey
{
    Task<OpResult<BrokerView>> RegisterAsync(Actor actor, BrokerRegistration registration);

    /// <summary>Corrects the entry (an admin's mistaken level or district, say).</summary>
    Task<OpResult<BrokerView>> UpdateAsync(Actor actor, BrokerRegistration registration);

    /// <summary>The broker plans a 回访 of one of their matches, due at a time; a reminder reaches their inbox then.</summary>
    Task<OpResult<BrokerTaskView>> AddFollowUpAsync(Actor actor, BrokerTaskDraft draft);

    /// <summary>Marks a task done with what came of it.</summary>
    Task<OpResult<BrokerTaskView>> CompleteTaskAsync(Actor actor, long taskId, string? outcome);

    /// <summary>Undo of a mistaken completion: the task is open again.</summary>
    Task<OpResult<BrokerTaskView>> ReopenTaskAsync(Actor actor, long taskId);

    /// <summary>Undo of a mistaken entry: the task is withdrawn (kept, marked 已撤销).</summary>
    Task<OpResult<BrokerTaskView>> CancelTaskAsync(Actor actor, long taskId);

    /// <summary>
    /// The supply/demand alarm asks this broker to mine a field (挖掘需求, or 寻找成果 when needs outnumber
    /// achievements). Idempotent: nothing is added while an open mining task for the field exists. True when added.
    /// </summary>
    Task<bool> RaiseMiningTaskAsync(string field, string note, DateTime dueAt);

    /// <summary>
    /// 挖掘需求: the broker writes a need up on an enterprise's behalf. It is saved as the enterprise's draft, credited
    /// to the broker, and the enterprise's members are asked to check it; it goes to review only when one of them
    /// submits it, which is the enterprise's consent. Until then the broker may withdraw it (undo).
    /// </summary>
    Task<OpResult<ListingView>> MineNeedAsync(Actor actor, long organisationId, ListingInput input);

    /// <summary>Withdraws (deletes) a mined need the enterprise has not consented to yet.</summary>
    Task<OpResult<bool>> WithdrawMinedNeedAsync(Actor actor, long needId);

    /// <summary>Sends the reminders of tasks now due (the reminder's tick calls it); returns how many went out.</summary>
    Task<int> SendDueRemindersAsync();
}

/// <summary>A 回访 the broker plans.</summary>
[GenerateSerializer, Immutable]
public sealed record BrokerTaskDraft
{
    [Id(0)]
    public long? MatchId { get; init; }

    /// <summary>When it is due (UTC).</summary>
    [Id(1)]
    public DateTime? DueAt { get; init; }

    [Id(2)]
    public string? Note { get; init; }
}

/// <summary>A broker's task as the workspace shows it.</summary>
[GenerateSerializer, Immutable]
public sealed record BrokerTaskView
{
    [Id(0)]
    public long Id { get; init; }

    /// <summary>FollowUp or Mining.</summary>
    [Id(1)]
    public string Kind { get; init; } = "";

    [Id(2)]
    public string KindLabel { get; init; } = "";

    [Id(3)]
    public long? MatchId { get; init; }

    [Id(4)]
    public string Field { get; init; } = "";

    [Id(5)]
    public string Note { get; init; } = "";

    [Id(6)]
    public DateTime DueAt { get; init; }

    /// <summary>Open, Done or Cancelled.</summary>
    [Id(7)]
    public string Status { get; init; } = "";

    [Id(8)]
    public string StatusLabel { get; init; } = "";

    [Id(9)]
    public string Outcome { get; init; } = "";

    [Id(10)]
    public DateTime? DoneAt { get; init; }

    [Id(11)]
    public DateTime? RemindedAt { get; init; }

    public static BrokerTaskView From(BrokerTask t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return new()
        {
            Id = t.Id,
            Kind = t.Kind.ToString(),
            KindLabel = t.Kind == BrokerTaskKind.FollowUp ? "回访" : "挖掘任务",
            MatchId = t.MatchId,
            Field = t.Field,
            Note = t.Note,
            DueAt = t.DueAt,
            Status = t.Status.ToString(),
            StatusLabel = t.Status switch { BrokerTaskStatus.Open => "待办", BrokerTaskStatus.Done => "已完成", _ => "已撤销" },
            Outcome = t.Outcome,
            DoneAt = t.DoneAt,
            RemindedAt = t.RemindedAt,
        };
    }
}

/// <summary>
/// The market's supply/demand watch (one grain, key 0): on its daily reminder, or when an organiser asks, it checks
/// each field's balance and gives every broker whose specialties include an alarmed field a mining task for it.
/// </summary>
public interface IMarketBalanceGrain : IGrainWithIntegerKey
{
    /// <summary>Makes sure the daily check is scheduled (called once a node has started).</summary>
    Task EnsureScheduledAsync();

    /// <summary>Checks now; returns how many mining tasks were created.</summary>
    Task<int> CheckAsync();
}
