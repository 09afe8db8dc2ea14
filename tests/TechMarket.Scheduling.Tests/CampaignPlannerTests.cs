namespace TechMarket.Scheduling.Tests;

public sealed class CampaignPlannerTests
{
    internal static CampaignInput RandomCampaign(Random rng, int events, int participants)
    {
        var start = new DateOnly(2026, 4, 1);
        var evs = Enumerable.Range(0, events).Select(i => new CampaignEvent($"EV{i}", start.AddDays(rng.Next(0, Math.Max(1, events - 1))), rng.Next(0, 5))).ToList();
        var people = new List<CampaignParticipant>();
        var affinity = new List<Affinity>();
        for (var p = 0; p < participants; p++)
        {
            var dates = rng.Next(3) == 0 ? evs.Select(e => e.Date).Distinct().Where(_ => rng.Next(2) == 0).ToList() : null;
            people.Add(new CampaignParticipant($"P{p}", ParticipantSide.Enterprise, rng.Next(0, 4), dates));
            foreach (var e in evs.Where(_ => rng.NextDouble() < 0.6))
            {
                affinity.Add(new Affinity($"P{p}", e.Id, rng.Next(1, 50)));
            }
        }

        return new CampaignInput(evs, people, affinity);
    }

    [Fact]
    public void KeepsCapacityMaxEventsOneEventPerDateAndAvailability()
    {
        for (var seed = 0; seed < 500; seed++)
        {
            var rng = new Random(seed);
            var input = RandomCampaign(rng, rng.Next(1, 8), rng.Next(1, 20));

            var plan = new CampaignPlanner().Plan(input);

            var events = input.Events.ToDictionary(e => e.Id);
            var people = input.Participants.ToDictionary(p => p.Id);
            var affinity = input.Affinities.ToDictionary(a => (a.Participant, a.Event), a => a.Score);
            Assert.All(plan.Assignments.GroupBy(a => a.Event), g => Assert.True(g.Count() <= events[g.Key].Capacity));
            Assert.All(plan.Assignments.GroupBy(a => a.Participant), g =>
            {
                Assert.True(g.Count() <= people[g.Key].MaxEvents);
                Assert.Equal(g.Count(), g.Select(a => events[a.Event].Date).Distinct().Count());
                Assert.All(g, a => Assert.True(people[g.Key].AvailableDates?.Contains(events[a.Event].Date) ?? true));
            });
            Assert.All(plan.Assignments, a => Assert.Equal(affinity[(a.Participant, a.Event)], a.Score));
            Assert.Equal(plan.Assignments.Sum(a => a.Score), plan.TotalScore, 6);
        }
    }

    [Fact]
    public void PrefersTheBestTotalOverTheBestSinglePair()
    {
        var day = new DateOnly(2026, 5, 1);
        var input = new CampaignInput(
            [new CampaignEvent("A", day, 1), new CampaignEvent("B", day.AddDays(1), 1)],
            [new CampaignParticipant("P1"), new CampaignParticipant("P2")],
            [new Affinity("P1", "A", 0.9), new Affinity("P1", "B", 0.8), new Affinity("P2", "A", 0.7)]);

        var plan = new CampaignPlanner().Plan(input);

        Assert.Equal(1.5, plan.TotalScore, 9);
        Assert.Contains(plan.Assignments, a => a is { Participant: "P1", Event: "B" });
        Assert.Contains(plan.Assignments, a => a is { Participant: "P2", Event: "A" });
    }

    [Fact]
    public void RefusesAffinityToAnUnknownEvent()
    {
        var input = new CampaignInput([new CampaignEvent("A", new DateOnly(2026, 5, 1), 1)], [new CampaignParticipant("P1")], [new Affinity("P1", "Z", 1)]);

        var error = Assert.Throws<ScheduleInputException>(() => new CampaignPlanner().Plan(input));

        Assert.Equal("第1条匹配度引用了不存在的场次：Z", error.Message);
    }

    [Fact]
    public void SkipsPastEventsByTheGivenClock()
    {
        var clock = new FixedTimeProvider(new DateTimeOffset(2026, 5, 2, 8, 0, 0, TimeSpan.Zero));
        var input = new CampaignInput(
            [new CampaignEvent("OLD", new DateOnly(2026, 5, 1), 5), new CampaignEvent("NEW", new DateOnly(2026, 5, 3), 5)],
            [new CampaignParticipant("P1", MaxEvents: 2)],
            [new Affinity("P1", "OLD", 1), new Affinity("P1", "NEW", 1)]);

        var plan = new CampaignPlanner(clock).Plan(input, skipPastEvents: true);

        Assert.Equal("NEW", Assert.Single(plan.Assignments).Event);
    }
}
