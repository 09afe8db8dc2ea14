using System.Globalization;
using System.Text;

namespace TechMarket.Scheduling;

/// <summary>What an exported calendar says about the event.</summary>
/// <param name="EventId">Stable id of the event; part of every meeting's UID.</param>
/// <param name="Title">Event name, e.g. 百日百场·新材料专场对接会.</param>
/// <param name="Location">Venue, or <c>null</c>.</param>
public sealed record IcsEventInfo(string EventId, string Title, string? Location = null);

/// <summary>
/// Writes agendas as iCalendar (RFC 5545): CRLF line ends, content lines folded at 75 octets
/// without splitting a UTF-8 character, TEXT values escaped, times in UTC, one VEVENT per
/// meeting with a UID shared by both participants' calendars and DTSTAMP from the clock.
/// </summary>
public sealed class IcsWriter
{
    private const int MaxOctets = 75;
    private readonly TimeProvider _time;

    /// <summary>Creates a writer whose DTSTAMP comes from <paramref name="time"/>.</summary>
    public IcsWriter(TimeProvider time)
    {
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>The calendar of one participant's agenda.</summary>
    public string Write(Agenda agenda, IcsEventInfo info)
    {
        ArgumentNullException.ThrowIfNull(agenda);
        ArgumentNullException.ThrowIfNull(info);
        var stamp = Utc(_time.GetUtcNow());
        var sb = new StringBuilder();
        Line(sb, "BEGIN:VCALENDAR");
        Line(sb, "VERSION:2.0");
        Line(sb, "PRODID:-//TechMarket//Scheduling//ZH");
        Line(sb, "CALSCALE:GREGORIAN");
        Line(sb, "METHOD:PUBLISH");
        Line(sb, "X-WR-CALNAME:" + Escape($"{info.Title}·{agenda.ParticipantId}"));
        foreach (var item in agenda.Items)
        {
            var (first, second) = string.CompareOrdinal(agenda.ParticipantId, item.PartnerId) <= 0
                ? (agenda.ParticipantId, item.PartnerId)
                : (item.PartnerId, agenda.ParticipantId);
            var table = (item.Table + 1).ToString(CultureInfo.InvariantCulture);
            Line(sb, "BEGIN:VEVENT");
            Line(sb, "UID:" + Escape($"{info.EventId}-{item.Slot}-{first}-{second}@techmarket"));
            Line(sb, "DTSTAMP:" + stamp);
            Line(sb, "DTSTART:" + Utc(item.Start));
            Line(sb, "DTEND:" + Utc(item.End));
            Line(sb, "SUMMARY:" + Escape($"会谈：{item.PartnerId}（{table}号桌）"));
            Line(sb, "LOCATION:" + Escape(info.Location is null ? $"{table}号桌" : $"{info.Location}，{table}号桌"));
            Line(sb, "DESCRIPTION:" + Escape($"{info.Title}\n第{item.Slot + 1}轮会谈，对方：{item.PartnerId}，{table}号桌"));
            Line(sb, "END:VEVENT");
        }

        Line(sb, "END:VCALENDAR");
        return sb.ToString();
    }

    /// <summary>Escapes a TEXT value (RFC 5545 §3.3.11).</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text.Replace("\r\n", "\n", StringComparison.Ordinal))
        {
            switch (ch)
            {
                case '\\':
                    sb.Append("\\\\");
                    break;
                case ';':
                    sb.Append("\\;");
                    break;
                case ',':
                    sb.Append("\\,");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    break;
                default:
                    sb.Append(ch);
                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>Folds one content line into lines of at most 75 octets, continuation lines starting with a space (RFC 5545 §3.1).</summary>
    public static string Fold(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var sb = new StringBuilder();
        var octets = 0;
        var limit = MaxOctets;
        var i = 0;
        while (i < line.Length)
        {
            var width = char.IsHighSurrogate(line[i]) && i + 1 < line.Length ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(line.AsSpan(i, width));
            if (octets + size > limit)
            {
                sb.Append("\r\n ");
                octets = 1;
            }

            sb.Append(line, i, width);
            octets += size;
            i += width;
        }

        return sb.ToString();
    }

    private static void Line(StringBuilder sb, string line) => sb.Append(Fold(line)).Append("\r\n");

    private static string Utc(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
