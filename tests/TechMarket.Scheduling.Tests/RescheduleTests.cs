using Xunit.Abstractions;

namespace TechMarket.Scheduling.Tests;

public sealed class RescheduleTests(ITestOutputHelper output)
{
    private static readonly MeetingScheduler Scheduler = new();

    private static Dictionary<int, (int, int)> Places(ScheduleResult result) =>
        result.Meetings.ToDictionary(m => m.RequestIndex, m => (m.Slot, m.Table));

    [Fact]
    public void AddsAMeetingIntoACommonFreeSlotWithoutMovingAnyone()
    {
        var input = new EventInput(3, 2, [new("E1"), new("E2"), new("I1"), new("I2")], [new("E1", "I1", 1), new("E2", "I2", 1)]);
        var before = Scheduler.Schedule(input);

        var after = Scheduler.Reschedule(before, new AddMeeting(new MeetingRequest("E1", "I2", 0.5)));

        Fixtures.AssertValid(after.Input, after);
        Assert.Equal(3, after.Meetings.Count);
        Assert.Equal(0, after.Stats.Moved);
        Assert.All(Places(before), kv => Assert.Equal(kv.Value, Places(after)[kv.Key]));
    }

    [Fact]
    public void MovesAShortKempeChainWhenNoCommonSlotIsFree()
    {
        var input = new EventInput(2, 2, [new("E1"), new("E2"), new("I1"), new("I2")], [new("E2", "I2", 1), new("E1", "I1", 1)]);
        var before = new ScheduleResult(
            input,
            [new Meeting(0, "E2", "I2", 0, 0, 1, false), new Meeting(1, "E1", "I1", 1, 0, 1, false)],
            [],
            2,
            2,
            new ScheduleStats(true, 2, 0, 1, 0, 0));

        var after = Scheduler.Reschedule(before, new AddMeeting(new MeetingRequest("E2", "I1", 1)));

        Fixtures.AssertValid(after.Input, after);
        Assert.Equal(3, after.Meetings.Count);
        Assert.Equal(1, after.Stats.Moved);
    }

    [Fact]
    public void CancellingMovesNobodyAndRefillsTheFreedPlace()
    {
        var input = new EventInput(
            1,
            5,
            [new("E1", MaxMeetings: 1), new("I1"), new("I2")],
            [new("E1", "I1", 0.9), new("E1", "I2", 0.5)]);
        var before = Scheduler.Schedule(input);

        var after = Scheduler.Reschedule(before, new CancelMeeting("I1", "E1"));

        Fixtures.AssertValid(after.Input, after);
        var meeting = Assert.Single(after.Meetings);
        Assert.Equal(("E1", "I2"), (meeting.A, meeting.B));
        Assert.Equal(0, after.Stats.Moved);
        Assert.Single(after.Input.Requests);
    }

    [Fact]
    public void AnAbsentParticipantsMeetingsBecomeUnplacedWithTheReason()
    {
        var rng = new Random(11);
        var input = Fixtures.Bipartite(rng, 8, 8, 40, 6, 6, maxCap: 6);
        var before = Scheduler.Schedule(input);

        var after = Scheduler.Reschedule(before, new ParticipantAbsent("E3"));

        Fixtures.AssertValid(after.Input, after);
        Assert.DoesNotContain(after.Meetings, m => m.A == "E3" || m.B == "E3");
        Assert.All(after.Unplaced.Where(u => u.A == "E3"), u => Assert.Equal("参与方E3缺席", u.Reason));
        Assert.Equal(0, after.Stats.Moved);
    }

    [Fact]
    public void RandomChangesKeepTheScheduleValidAndMoveFewMeetings()
    {
        var movedTotal = 0;
        var changes = 0;
        double gapTotal = 0;

        for (var seed = 0; seed < 300; seed++)
        {
            var rng = new Random(seed);
            var input = Fixtures.Bipartite(rng, 6, 6, 18, 5, 4, unavailableRate: 0.1, lockRate: 0.1, maxCap: 5);
            var current = Scheduler.Schedule(input);
            for (var step = 0; step < 4; step++)
            {
                ScheduleChange change = rng.Next(4) switch
                {
                    0 => new AddMeeting(new MeetingRequest($"E{rng.Next(6)}", $"I{rng.Next(6)}", rng.NextDouble())),
                    3 => new AddMeeting(new MeetingRequest($"E{rng.Next(6)}", $"I{rng.Next(6)}", rng.NextDouble(), new MeetingLock(rng.Next(5), rng.Next(4)))),
                    1 when current.Input.Requests.Count > 0 => Cancel(current, rng),
                    _ => new ParticipantAbsent(current.Input.Participants[rng.Next(12)].Id),
                };
                try
                {
                    current = Scheduler.Reschedule(current, change);
                }
                catch (ScheduleInputException)
                {
                    // A random pin may clash with another pin or an unavailable slot: refused, schedule unchanged.
                    continue;
                }

                Fixtures.AssertValid(current.Input, current);
                movedTotal += current.Stats.Moved;
                gapTotal += current.Stats.Gap;
                changes++;
            }
        }

        output.WriteLine($"{changes} changes: {movedTotal} meetings moved, mean gap to the from-scratch bound {gapTotal / changes:F4}");
        Assert.True(movedTotal <= changes * 2, $"{movedTotal} moves over {changes} changes");
        Assert.True(gapTotal / changes < 0.05, $"mean gap {gapTotal / changes:F4}");
    }

    [Fact]
    public void APinIntoAFullSlotMovesTheMeetingItDisplaces()
    {
        var input = new EventInput(2, 1, [new("E1"), new("E2"), new("I1"), new("I2")], [new("E1", "I1", 1)]);
        var before = Scheduler.Schedule(input);
        var slot = Assert.Single(before.Meetings).Slot;

        var after = Scheduler.Reschedule(before, new AddMeeting(new MeetingRequest("E2", "I2", 1, new MeetingLock(slot, 0))));

        Fixtures.AssertValid(after.Input, after);
        Assert.Equal(2, after.Meetings.Count);
        Assert.Equal(1, after.Stats.Moved);
    }

    [Fact]
    public void RefusesToCancelAnUnknownRequest()
    {
        var before = Scheduler.Schedule(new EventInput(1, 1, [new("E1"), new("I1")], []));

        var error = Assert.Throws<ScheduleInputException>(() => Scheduler.Reschedule(before, new CancelMeeting("E1", "I1")));

        Assert.Equal("没有找到E1与I1之间的会谈请求", error.Message);
    }

    private static CancelMeeting Cancel(ScheduleResult current, Random rng)
    {
        var r = current.Input.Requests[rng.Next(current.Input.Requests.Count)];
        return new CancelMeeting(r.A, r.B);
    }
}
