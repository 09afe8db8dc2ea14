using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace TechMarket.Scheduling;

/// <summary>What an exported calendar says about the event.</summary>
/// <param name="EventId">Stable id of the event; part of every meeting's UID.</param>
/// <param name="Title">Event name, e.g. 百日百场·新材料专场对接会.</param>
/// <param name="Location">Venue, or <c>null</c>.</param>
public sealed record IcsEventInfo(string EventId, string Title, string? Location = null);

/// <summary>One VEVENT of a calendar.</summary>
public sealed record IcsEntry(string Uid, DateTimeOffset Start, DateTimeOffset End, string Summary, string? Location, string? Description);

/// <summary>
/// Writes agendas as iCalendar (RFC 5545) with Ical.Net: CRLF line ends, content lines folded at 75 octets, TEXT
/// values escaped, times in UTC, one VEVENT per meeting with a UID shared by both participants' calendars and
/// DTSTAMP from the clock.
/// </summary>
public sealed class IcsWriter
{
    private readonly TimeProvider _time;

    /// <summary>Creates a writer whose DTSTAMP comes from <paramref name="time"/>.</summary>
    public IcsWriter(TimeProvider time)
    {
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>The calendar of one participant's agenda; <paramref name="names"/> turns participant ids into names.</summary>
    public string Write(Agenda agenda, IcsEventInfo info, Func<string, string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(agenda);
        ArgumentNullException.ThrowIfNull(info);
        names ??= id => id;
        var entries = agenda.Items.Select(item =>
        {
            var (first, second) = string.CompareOrdinal(agenda.ParticipantId, item.PartnerId) <= 0
                ? (agenda.ParticipantId, item.PartnerId)
                : (item.PartnerId, agenda.ParticipantId);
            var table = item.Table + 1;
            var partner = names(item.PartnerId);
            return new IcsEntry(
                $"{info.EventId}-{item.Slot}-{first}-{second}@techmarket",
                item.Start,
                item.End,
                $"会谈：{partner}（{table}号桌）",
                info.Location is null ? $"{table}号桌" : $"{info.Location}，{table}号桌",
                $"{info.Title}\n第{item.Slot + 1}轮会谈，对方：{partner}，{table}号桌");
        });
        return WriteCalendar($"{info.Title}·{names(agenda.ParticipantId)}", entries);
    }

    /// <summary>A calendar named <paramref name="name"/> holding <paramref name="entries"/>.</summary>
    public string WriteCalendar(string name, IEnumerable<IcsEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(entries);
        var stamp = new CalDateTime(_time.GetUtcNow().UtcDateTime);
        var calendar = new Calendar { Method = "PUBLISH" };
        calendar.AddProperty("X-WR-CALNAME", name);
        foreach (var e in entries)
        {
            calendar.Events.Add(new CalendarEvent
            {
                Uid = e.Uid,
                DtStamp = stamp,
                DtStart = new CalDateTime(e.Start.UtcDateTime),
                DtEnd = new CalDateTime(e.End.UtcDateTime),
                Summary = e.Summary,
                Location = e.Location,
                Description = e.Description,
            });
        }

        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }
}
