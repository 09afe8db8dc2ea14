using System.Diagnostics;
using System.Text.Json;
using TechMarket.Cli.Commands;

namespace TechMarket.Cli.Tests;

public sealed class ScheduleCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("tm-schedule-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string File(string name, string content)
    {
        var path = Path.Combine(_dir.FullName, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    private const string ContractEvent = """
        {
          "slots": 12,
          "tables": 40,
          "participants": [
            {"id": "E1", "side": "enterprise", "maxMeetings": 8, "unavailableSlots": [0, 1]},
            {"id": "I3", "side": "institute"},
            {"id": "I7", "side": "institute"}
          ],
          "requests": [
            {"a": "E1", "b": "I3", "score": 0.83},
            {"a": "E1", "b": "I7", "score": 0.40, "lock": {"slot": 2, "table": 5}}
          ]
        }
        """;

    [Fact]
    public void SchedulesTheContractExample()
    {
        var input = File("event.json", ContractEvent);
        var output = Path.Combine(_dir.FullName, "schedule.json");

        var code = ScheduleCommand.Meetings(["--input", input, "--output", output], TimeProvider.System);

        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(System.IO.File.ReadAllText(output));
        var root = doc.RootElement;
        var meetings = root.GetProperty("meetings").EnumerateArray().ToList();
        Assert.Equal(2, meetings.Count);
        Assert.Empty(root.GetProperty("unplaced").EnumerateArray());
        Assert.Equal(1.23, root.GetProperty("totalScore").GetDouble(), 9);
        var locked = meetings.Single(m => m.GetProperty("b").GetString() == "I7");
        Assert.Equal(2, locked.GetProperty("slot").GetInt32());
        Assert.Equal(5, locked.GetProperty("table").GetInt32());
        var free = meetings.Single(m => m.GetProperty("b").GetString() == "I3");
        Assert.True(free.GetProperty("slot").GetInt32() >= 2);
        Assert.Equal(["a", "b", "slot", "table", "score"], free.EnumerateObject().Select(p => p.Name));
        Assert.Equal(meetings.Select(m => m.GetProperty("slot").GetInt32()).Distinct().Count(), root.GetProperty("slotsUsed").GetInt32());
    }

    [Fact]
    public void ReportsUnplacedRequestsWithAReason()
    {
        var input = File("event.json", """
            {"slots": 1, "tables": 5,
             "participants": [{"id": "E9", "side": "enterprise", "maxMeetings": 1}, {"id": "I1", "side": "institute"}, {"id": "I2", "side": "institute"}],
             "requests": [{"a": "E9", "b": "I1", "score": 0.9}, {"a": "E9", "b": "I2", "score": 0.1}]}
            """);
        var output = Path.Combine(_dir.FullName, "schedule.json");

        ScheduleCommand.Meetings(["--input", input, "--output", output], TimeProvider.System);

        using var doc = JsonDocument.Parse(System.IO.File.ReadAllText(output));
        var unplaced = Assert.Single(doc.RootElement.GetProperty("unplaced").EnumerateArray().ToList());
        Assert.Equal("I2", unplaced.GetProperty("b").GetString());
        Assert.Equal("参与方E9的会谈已满", unplaced.GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("""{"slots": 2, "tables": 1, "participants": [{"id": "E1"}], "requests": [{"a": "E1", "b": "X9", "score": 1}]}""", "第1条会谈请求（E1—X9）引用了不存在的参与方：X9")]
    [InlineData("""{"slots": 2, "tables": 1, "participants": [{"id": "E1"}, {"id": "E1"}], "requests": []}""", "参与方ID重复：E1")]
    [InlineData("""{"slots": 2, "tables": 1, "participants": [{"id": "E1"}, {"id": "I1"}], "requests": [{"a": "E1", "b": "I1", "score": 1, "lock": {"slot": 2, "table": 0}}]}""", "第1条会谈请求（E1—I1）的锁定时段2超出范围（0到1）")]
    [InlineData("""{"slots": 2, "tables": 1, "participants": [{"id": "E1"}, {"id": "I1"}, {"id": "E2"}, {"id": "I2"}], "requests": [{"a": "E1", "b": "I1", "score": 1, "lock": {"slot": 0, "table": 0}}, {"a": "E2", "b": "I2", "score": 1, "lock": {"slot": 0, "table": 0}}]}""", "第2条会谈请求（E2—I2）与第1条会谈请求锁定在同一位置（时段0，桌号0）")]
    [InlineData("""{"slots": 2, "tables": 1, "participants": [{"id": "E1", "side": "firm"}], "requests": []}""", "参与方E1的 side 无效：firm（应为 enterprise、institute 或 other）")]
    [InlineData("""{"tables": 1, "participants": [], "requests": []}""", "输入缺少 slots")]
    [InlineData("""{"slots": 2, "tables": 1, "participants": [], "requests": [{"a": "E1", "b": "I1", "score": "high"}]}""", "第1条会谈请求（E1—I1）的 score 无效：\"high\"（应为数字）")]
    public void RefusesInvalidInputNamingTheOffendingItem(string json, string message)
    {
        var input = File("bad.json", json);

        var error = Assert.Throws<CliException>(() => ScheduleCommand.Meetings(["--input", input, "--output", Path.Combine(_dir.FullName, "o.json")], TimeProvider.System));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void RefusesAMissingOutputDirectoryInChinese()
    {
        var input = File("event.json", ContractEvent);
        var output = Path.Combine(_dir.FullName, "missing", "schedule.json");

        var error = Assert.Throws<CliException>(() => ScheduleCommand.Meetings(["--input", input, "--output", output], TimeProvider.System));

        Assert.Equal($"输出目录不存在：{Path.Combine(_dir.FullName, "missing")}", error.Message);
    }

    [Fact]
    public void AddsStatsOnlyWhenAsked()
    {
        var input = File("event.json", ContractEvent);
        var plain = Path.Combine(_dir.FullName, "plain.json");
        var withStats = Path.Combine(_dir.FullName, "stats.json");

        ScheduleCommand.Meetings(["--input", input, "--output", plain], TimeProvider.System);
        ScheduleCommand.Meetings(["--input", input, "--output", withStats, "--stats"], TimeProvider.System);

        using var first = JsonDocument.Parse(System.IO.File.ReadAllText(plain));
        using var second = JsonDocument.Parse(System.IO.File.ReadAllText(withStats));
        Assert.Equal(["meetings", "unplaced", "slotsUsed", "totalScore"], first.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.True(second.RootElement.GetProperty("stats").GetProperty("exactSelection").GetBoolean());
    }

    [Fact]
    public void RefusesMalformedJsonWithTheLine()
    {
        var input = File("bad.json", "{\n\"slots\": 2,\n\"tables\": ,\n}");

        var error = Assert.Throws<CliException>(() => ScheduleCommand.Meetings(["--input", input, "--output", Path.Combine(_dir.FullName, "o.json")], TimeProvider.System));

        Assert.Equal($"{input} 不是有效的JSON（第3行附近）", error.Message);
    }

    [Fact]
    public void WritesOneIcsFilePerParticipantWithTheGivenClock()
    {
        var input = File("event.json", ContractEvent);
        var agendas = Path.Combine(_dir.FullName, "agendas");
        var clock = new StoppedClock(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));

        ScheduleCommand.Meetings(
            ["--input", input, "--output", Path.Combine(_dir.FullName, "s.json"), "--agenda-dir", agendas, "--start", "2026-03-10T09:00:00+08:00", "--slot-minutes", "20", "--event-id", "EV07"],
            clock);

        var ics = System.IO.File.ReadAllText(Path.Combine(agendas, "E1.ics"));
        Assert.Equal(3, Directory.GetFiles(agendas, "*.ics").Length);
        Assert.Contains("DTSTAMP:20260301T000000Z\r\n", ics, StringComparison.Ordinal);
        Assert.Contains("DTSTART:20260310T014000Z\r\n", ics, StringComparison.Ordinal);
    }

    [Fact]
    public void PlansTheCampaignInTheContractFormat()
    {
        var input = File("campaign.json", """
            {"events": [{"id": "EV07", "date": "2026-05-01", "capacity": 1}, {"id": "EV08", "date": "2026-05-01", "capacity": 2}],
             "participants": [{"id": "E1", "side": "enterprise", "maxEvents": 2}, {"id": "I1", "side": "institute", "maxEvents": 1, "availableDates": ["2026-05-01"]}],
             "affinity": [{"participant": "E1", "event": "EV07", "score": 0.9}, {"participant": "E1", "event": "EV08", "score": 0.5}, {"participant": "I1", "event": "EV07", "score": 0.8}]}
            """);
        var output = Path.Combine(_dir.FullName, "plan.json");

        var code = ScheduleCommand.Campaign(["--input", input, "--output", output]);

        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(System.IO.File.ReadAllText(output));
        var assignments = doc.RootElement.GetProperty("assignments").EnumerateArray()
            .Select(a => (a.GetProperty("participant").GetString(), a.GetProperty("event").GetString())).ToList();
        Assert.Equal(2, assignments.Count);
        Assert.Contains(("E1", "EV08"), assignments);
        Assert.Contains(("I1", "EV07"), assignments);
        Assert.Equal(1.3, doc.RootElement.GetProperty("totalScore").GetDouble(), 9);
    }

    [Fact]
    public void RefusesABadCampaignDate()
    {
        var input = File("campaign.json", """{"events": [{"id": "EV1", "date": "2026/05/01", "capacity": 1}], "participants": [], "affinity": []}""");

        var error = Assert.Throws<CliException>(() => ScheduleCommand.Campaign(["--input", input, "--output", Path.Combine(_dir.FullName, "p.json")]));

        Assert.Equal("场次EV1的日期无效：2026/05/01（应为 yyyy-MM-dd）", error.Message);
    }

    [Fact]
    public void ExitsWithOneChineseLineAndNoStackTraceOnBadInput()
    {
        var input = File("bad.json", """{"slots": 2, "tables": 1, "participants": [{"id": "E1"}], "requests": [{"a": "E1", "b": "X9", "score": 1}]}""");
        var cli = Path.Combine(AppContext.BaseDirectory, "techmarket.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { cli, "schedule", "meetings", "--input", input, "--output", Path.Combine(_dir.FullName, "o.json") })
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(2, process.ExitCode);
        Assert.Equal("错误：第1条会谈请求（E1—X9）引用了不存在的参与方：X9", stderr.TrimEnd('\n', '\r'));
    }

    private sealed class StoppedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
