using System.Text;

namespace TechMarket.Scheduling.Tests;

public sealed class IcsWriterTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 8, 30, 0, TimeSpan.Zero);

    private static (ScheduleResult Result, IReadOnlyList<Agenda> Agendas) Sample()
    {
        var input = new EventInput(
            3,
            2,
            [new("宁波新材料科技有限公司"), new("中科院宁波材料所"), new("I2")],
            [new("宁波新材料科技有限公司", "中科院宁波材料所", 0.9), new("宁波新材料科技有限公司", "I2", 0.5)]);
        var result = new MeetingScheduler().Schedule(input);
        var timing = new AgendaTiming(new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.FromHours(8)), TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(5));
        return (result, AgendaBuilder.Build(result, timing));
    }

    [Fact]
    public void BuildsOrderedAgendasWithTimes()
    {
        var (result, agendas) = Sample();

        var firm = agendas[0];

        Assert.Equal(3, agendas.Count);
        Assert.Equal(2, firm.Items.Count);
        Assert.True(firm.Items[0].Slot < firm.Items[1].Slot);
        Assert.Equal(TimeSpan.FromMinutes(20), firm.Items[0].End - firm.Items[0].Start);
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.FromHours(8)).AddMinutes(25 * firm.Items[0].Slot), firm.Items[0].Start);
        Assert.Equal(result.Meetings.Count * 2, agendas.Sum(a => a.Items.Count));
    }

    [Fact]
    public void WritesRfc5545LinesWithCrlfFoldingAndAStampFromTheClock()
    {
        var (_, agendas) = Sample();
        var writer = new IcsWriter(new FixedTimeProvider(Now));

        var ics = writer.Write(agendas[0], new IcsEventInfo("EV07", "百日百场·新材料专场对接会;第7场, 宁波", "宁波市科技大市场"));

        Assert.StartsWith("BEGIN:VCALENDAR\r\n", ics, StringComparison.Ordinal);
        Assert.Contains("\r\nVERSION:2.0\r\n", ics, StringComparison.Ordinal);
        Assert.EndsWith("END:VCALENDAR\r\n", ics, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", ics.Replace("\r\n", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        var lines = ics.Split("\r\n");
        Assert.All(lines, l => Assert.True(Encoding.UTF8.GetByteCount(l) <= 75, $"line too long: {l}"));
        Assert.Equal(2, lines.Count(l => l == "BEGIN:VEVENT"));
        Assert.Equal(2, lines.Count(l => l == "DTSTAMP:20260301T083000Z"));
        Assert.Contains(lines, l => l.StartsWith("DTSTART:20260310T0", StringComparison.Ordinal) && l.EndsWith('Z'));
        var unfolded = ics.Replace("\r\n ", string.Empty, StringComparison.Ordinal);
        Assert.Contains("X-WR-CALNAME:百日百场·新材料专场对接会\\;第7场\\, 宁波·宁波新材料科技有限公司", unfolded, StringComparison.Ordinal);
        Assert.Contains("UID:EV07-", unfolded, StringComparison.Ordinal);
    }

    [Fact]
    public void FoldsWithoutSplittingAUtf8CharacterAndEscapesText()
    {
        var writer = new IcsWriter(new FixedTimeProvider(Now));
        var start = new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.FromHours(8));

        var ics = writer.WriteCalendar("对接会", [new IcsEntry("x@techmarket", start, start.AddMinutes(20), new string('技', 60), null, "a\\b;c,d\ne")]);

        var lines = ics.Split("\r\n");
        Assert.All(lines, l => Assert.True(Encoding.UTF8.GetByteCount(l) <= 75, $"line too long: {l}"));
        Assert.Contains(lines, l => l.StartsWith(' '));
        var unfolded = ics.Replace("\r\n ", string.Empty, StringComparison.Ordinal).Split("\r\n");
        Assert.Contains("SUMMARY:" + new string('技', 60), unfolded);
        Assert.Contains("DESCRIPTION:a\\\\b\\;c\\,d\\ne", unfolded);
    }

    [Fact]
    public void GivesBothParticipantsTheSameUidForOneMeeting()
    {
        var (_, agendas) = Sample();
        var writer = new IcsWriter(new FixedTimeProvider(Now));
        var info = new IcsEventInfo("EV07", "对接会");

        var firm = writer.Write(agendas[0], info).Replace("\r\n ", string.Empty, StringComparison.Ordinal);
        var institute = writer.Write(agendas[1], info).Replace("\r\n ", string.Empty, StringComparison.Ordinal);

        var uid = institute.Split("\r\n").Single(l => l.StartsWith("UID:", StringComparison.Ordinal));
        Assert.Contains(uid, firm.Split("\r\n"));
    }
}
