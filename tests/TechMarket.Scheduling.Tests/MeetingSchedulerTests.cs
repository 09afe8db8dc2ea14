namespace TechMarket.Scheduling.Tests;

public sealed class MeetingSchedulerTests
{
    private static readonly MeetingScheduler Scheduler = new();

    private static EventInput Small(params MeetingRequest[] requests) => new(
        3,
        2,
        [
            new Participant("E1", ParticipantSide.Enterprise, 2),
            new Participant("E2", ParticipantSide.Enterprise),
            new Participant("I1", ParticipantSide.Institute),
            new Participant("I2", ParticipantSide.Institute, UnavailableSlots: [0]),
        ],
        requests);

    [Fact]
    public void PlacesEveryRequestWhenThereIsRoom()
    {
        var input = Small(new("E1", "I1", 0.9), new("E1", "I2", 0.5), new("E2", "I1", 0.4), new("E2", "I2", 0.7));

        var result = Scheduler.Schedule(input);

        Fixtures.AssertValid(input, result);
        Assert.Equal(4, result.Meetings.Count);
        Assert.Empty(result.Unplaced);
        Assert.Equal(2.5, result.TotalScore, 9);
        Assert.True(result.Stats.ExactSelection);
    }

    [Fact]
    public void ReportsTheCapWhenAParticipantIsFull()
    {
        var input = Small(new("E1", "I1", 0.9), new("E1", "I2", 0.5), new("E1", "E2", 0.1));

        var result = Scheduler.Schedule(input);

        Fixtures.AssertValid(input, result);
        var unplaced = Assert.Single(result.Unplaced);
        Assert.Equal(2, unplaced.RequestIndex);
        Assert.Equal("参与方E1的会谈已满", unplaced.Reason);
    }

    [Fact]
    public void ReportsNoCommonFreeSlot()
    {
        var input = new EventInput(
            2,
            5,
            [new Participant("E1", UnavailableSlots: [0]), new Participant("I1", UnavailableSlots: [1])],
            [new MeetingRequest("E1", "I1", 1)]);

        var result = Scheduler.Schedule(input);

        var unplaced = Assert.Single(result.Unplaced);
        Assert.Equal("E1与I1没有共同的空闲时段", unplaced.Reason);
    }

    [Fact]
    public void ReportsAFullRoom()
    {
        var input = new EventInput(
            1,
            1,
            [new Participant("E1"), new Participant("I1"), new Participant("E2"), new Participant("I2")],
            [new MeetingRequest("E1", "I1", 1), new MeetingRequest("E2", "I2", 0.5)]);

        var result = Scheduler.Schedule(input);

        Fixtures.AssertValid(input, result);
        var unplaced = Assert.Single(result.Unplaced);
        Assert.Equal(1, unplaced.RequestIndex);
        Assert.Contains("会场已满", unplaced.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void PrefersTheHigherTotalOverTheSingleBestRequest()
    {
        var input = new EventInput(
            1,
            5,
            [new Participant("E1"), new Participant("E2"), new Participant("I1"), new Participant("I2")],
            [new MeetingRequest("E1", "I1", 0.6), new MeetingRequest("E1", "I2", 0.5), new MeetingRequest("E2", "I1", 0.5)]);

        var result = Scheduler.Schedule(input);

        Assert.Equal(1.0, result.TotalScore, 9);
        Assert.Equal(0, Assert.Single(result.Unplaced).RequestIndex);
    }

    [Fact]
    public void KeepsLockedMeetingsWhereTheyArePinned()
    {
        var input = Small(new("E1", "I1", 0.1, new MeetingLock(2, 1)), new("E1", "I2", 0.5), new("E2", "I1", 0.4));

        var result = Scheduler.Schedule(input);

        Fixtures.AssertValid(input, result);
        var pinned = Assert.Single(result.Meetings, m => m.RequestIndex == 0);
        Assert.Equal((2, 1, true), (pinned.Slot, pinned.Table, pinned.Locked));
    }

    [Fact]
    public void MarksDuplicateRequestsAsUnplaced()
    {
        var input = Small(new("E1", "I1", 0.3), new("I1", "E1", 0.8));

        var result = Scheduler.Schedule(input);

        Fixtures.AssertValid(input, result);
        Assert.Equal(1, Assert.Single(result.Meetings).RequestIndex);
        Assert.Equal("与第2条会谈请求重复（同一对参与方）", Assert.Single(result.Unplaced).Reason);
    }

    [Fact]
    public void HandlesSameSideRequestsWithABound()
    {
        var input = new EventInput(
            3,
            3,
            [new Participant("A"), new Participant("B"), new Participant("C")],
            [new MeetingRequest("A", "B", 1), new MeetingRequest("B", "C", 1), new MeetingRequest("A", "C", 1)]);

        var result = Scheduler.Schedule(input);

        Fixtures.AssertValid(input, result);
        Assert.False(result.Stats.ExactSelection);
        Assert.Equal(3, result.Meetings.Count);
        Assert.Equal(3, result.SlotsUsed);
        Assert.True(result.Stats.UpperBound >= result.TotalScore);
    }

    [Theory]
    [InlineData("X", "I1", "第1条会谈请求（X—I1）引用了不存在的参与方：X")]
    [InlineData("E1", "E1", "第1条会谈请求（E1—E1）的双方是同一参与方")]
    public void RefusesBadRequestsNamingThem(string a, string b, string message)
    {
        var input = Small(new MeetingRequest(a, b, 1));

        var error = Assert.Throws<ScheduleInputException>(() => Scheduler.Schedule(input));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void RefusesANegativeScore()
    {
        var input = Small(new MeetingRequest("E1", "I1", -0.5));

        var error = Assert.Throws<ScheduleInputException>(() => Scheduler.Schedule(input));

        Assert.Equal("第1条会谈请求（E1—I1）的评分无效：-0.5（应为0到100万之间的数）", error.Message);
    }

    [Fact]
    public void RefusesDuplicateParticipantIds()
    {
        var input = new EventInput(2, 2, [new Participant("E1"), new Participant("E1")], []);

        var error = Assert.Throws<ScheduleInputException>(() => Scheduler.Schedule(input));

        Assert.Equal("参与方ID重复：E1", error.Message);
    }

    [Fact]
    public void RefusesLocksOutOfRangeOrInOnePlace()
    {
        var outOfRange = Small(new MeetingRequest("E1", "I1", 1, new MeetingLock(3, 0)));
        var samePlace = Small(new MeetingRequest("E1", "I1", 1, new MeetingLock(1, 0)), new MeetingRequest("E2", "I2", 1, new MeetingLock(1, 0)));
        var unavailable = Small(new MeetingRequest("E1", "I2", 1, new MeetingLock(0, 0)));

        var first = Assert.Throws<ScheduleInputException>(() => Scheduler.Schedule(outOfRange));
        var second = Assert.Throws<ScheduleInputException>(() => Scheduler.Schedule(samePlace));
        var third = Assert.Throws<ScheduleInputException>(() => Scheduler.Schedule(unavailable));

        Assert.Equal("第1条会谈请求（E1—I1）的锁定时段3超出范围（0到2）", first.Message);
        Assert.Equal("第2条会谈请求（E2—I2）与第1条会谈请求锁定在同一位置（时段1，桌号0）", second.Message);
        Assert.Equal("第1条会谈请求（E1—I2）锁定在时段0，但参与方I2该时段不可用", third.Message);
    }

    [Fact]
    public void DoesNotRepeatAPairThatMetAtAnEarlierEventUnlessAsked()
    {
        var participants = new List<Participant> { new("E1"), new("I1"), new("I2") };
        var first = new EventInput(2, 2, participants, [new MeetingRequest("E1", "I1", 1)]);
        var second = new EventInput(2, 2, participants, [new MeetingRequest("E1", "I1", 1), new MeetingRequest("E1", "I2", 1)]);
        var third = new EventInput(2, 2, participants, [new MeetingRequest("E1", "I1", 1, AllowRepeat: true)]);

        var results = Scheduler.ScheduleSeries([first, second, third]);

        Assert.Single(results[0].Meetings);
        Assert.Equal("E1与I1已在本系列活动的其他场次会谈过", Assert.Single(results[1].Unplaced).Reason);
        Assert.Single(results[2].Meetings);
    }

    [Fact]
    public void ShortensIdleGapsWithoutBreakingAnything()
    {
        var rng = new Random(5);
        var input = Fixtures.Bipartite(rng, 30, 30, 200, 12, 20, maxCap: 6);
        var plain = new MeetingScheduler(new SchedulerOptions(CompactGaps: false));

        var compact = Scheduler.Schedule(input);
        var loose = plain.Schedule(input);

        Fixtures.AssertValid(input, compact);
        Assert.Equal(loose.Meetings.Count, compact.Meetings.Count);
        Assert.True(compact.Stats.IdleGaps <= loose.Stats.IdleGaps);
    }
}
