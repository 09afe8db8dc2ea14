namespace TechMarket.Scheduling;

/// <summary>When the slots of an event take place: slot s starts at Start + s × (SlotLength + Break).</summary>
/// <param name="Start">Start of slot 0.</param>
/// <param name="SlotLength">Length of one meeting.</param>
/// <param name="Break">Pause between two slots (walking to the next table).</param>
public sealed record AgendaTiming(DateTimeOffset Start, TimeSpan SlotLength, TimeSpan Break = default)
{
    /// <summary>Start of slot <paramref name="slot"/>.</summary>
    public DateTimeOffset SlotStart(int slot) => Start + ((SlotLength + Break) * slot);
}

/// <summary>One meeting on a participant's agenda.</summary>
/// <param name="Slot">Slot, from 0.</param>
/// <param name="Table">Table, from 0 (printed to people as <c>Table + 1</c>号桌).</param>
/// <param name="PartnerId">Who the participant meets.</param>
/// <param name="Start">Start time.</param>
/// <param name="End">End time.</param>
/// <param name="RequestIndex">The request this meeting answers.</param>
public sealed record AgendaItem(int Slot, int Table, string PartnerId, DateTimeOffset Start, DateTimeOffset End, int RequestIndex);

/// <summary>A participant's personal agenda (个人日程), meetings in time order.</summary>
public sealed record Agenda(string ParticipantId, IReadOnlyList<AgendaItem> Items);

/// <summary>Builds personal agendas from a schedule.</summary>
public static class AgendaBuilder
{
    /// <summary>One agenda per participant, in the input's participant order (participants without meetings get an empty agenda).</summary>
    public static IReadOnlyList<Agenda> Build(ScheduleResult result, AgendaTiming timing)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(timing);
        var items = result.Input.Participants.ToDictionary(p => p.Id, _ => new List<AgendaItem>(), StringComparer.Ordinal);
        foreach (var m in result.Meetings)
        {
            var start = timing.SlotStart(m.Slot);
            var end = start + timing.SlotLength;
            items[m.A].Add(new AgendaItem(m.Slot, m.Table, m.B, start, end, m.RequestIndex));
            items[m.B].Add(new AgendaItem(m.Slot, m.Table, m.A, start, end, m.RequestIndex));
        }

        return [.. result.Input.Participants.Select(p => new Agenda(p.Id, [.. items[p.Id].OrderBy(i => i.Slot)]))];
    }
}
