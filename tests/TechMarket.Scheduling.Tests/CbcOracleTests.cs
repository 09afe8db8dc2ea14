using Xunit.Abstractions;

namespace TechMarket.Scheduling.Tests;

[Trait("Category", "Oracle")]
public sealed class CbcOracleTests(ITestOutputHelper output)
{
    private static readonly MeetingScheduler Scheduler = new();

    [Fact]
    public void CbcIsInstalled()
    {
        var present = File.Exists(CbcOracle.Path);

        Assert.True(present, "Debian package coinor-cbc is required for the oracle tests (apt-get install coinor-cbc)");
    }

    [Fact]
    public void BipartiteScheduleEqualsTheCbcOptimum()
    {
        for (var seed = 0; seed < 60; seed++)
        {
            var rng = new Random(1000 + seed);
            var slots = rng.Next(1, 6);
            var input = Fixtures.Bipartite(rng, rng.Next(2, 8), rng.Next(2, 8), rng.Next(5, 30), slots, rng.Next(1, 6), integerScores: true, maxCap: slots);

            var result = Scheduler.Schedule(input);
            var optimum = CbcOracle.Maximise([.. input.Requests.Select(r => r.Score)], SelectionRows(input));

            Fixtures.AssertValid(input, result);
            Assert.True(result.Stats.ExactSelection);
            Assert.Equal(optimum, result.TotalScore, 6);
        }
    }

    [Fact]
    public void GeneralScheduleIsWithinOnePercentOfTheCbcOptimumWhichTheBoundCovers()
    {
        double total = 0;
        double optimumSum = 0;

        for (var seed = 0; seed < 60; seed++)
        {
            var rng = new Random(2000 + seed);
            var slots = rng.Next(2, 6);
            var input = Fixtures.General(rng, rng.Next(4, 12), rng.Next(8, 35), slots, rng.Next(2, 6), integerScores: true, maxCap: slots);
            var result = Scheduler.Schedule(input);
            var optimum = CbcOracle.Maximise([.. input.Requests.Select(r => r.Score)], SelectionRows(input));
            Fixtures.AssertValid(input, result);
            Assert.True(result.Stats.UpperBound + 1e-6 >= optimum, $"seed {seed}: bound {result.Stats.UpperBound} below optimum {optimum}");
            Assert.True(result.TotalScore <= optimum + 1e-6);
            total += result.TotalScore;
            optimumSum += optimum;
        }

        output.WriteLine($"general: schedule / CBC optimum = {total / optimumSum:F4}");
        Assert.True(total / optimumSum >= 0.99, $"ratio {total / optimumSum:F4}");
    }

    [Fact]
    public void ConstrainedScheduleComesCloseToTheTimeIndexedCbcOptimum()
    {
        double total = 0;
        double optimumSum = 0;

        for (var seed = 0; seed < 40; seed++)
        {
            var rng = new Random(3000 + seed);
            var slots = rng.Next(2, 5);
            var input = seed % 2 == 0
                ? Fixtures.Bipartite(rng, rng.Next(2, 6), rng.Next(2, 6), rng.Next(4, 16), slots, rng.Next(1, 4), unavailableRate: 0.3, lockRate: 0.15, integerScores: true, maxCap: slots)
                : Fixtures.Bipartite(rng, 8, 8, 40, 4, 5, unavailableRate: 0.35, lockRate: 0.05, integerScores: true);
            var result = Scheduler.Schedule(input);
            var optimum = TimeIndexedOptimum(input);
            Fixtures.AssertValid(input, result);
            Assert.True(result.TotalScore <= optimum + 1e-6);
            total += result.TotalScore;
            optimumSum += optimum;
        }

        output.WriteLine($"time-indexed: schedule / CBC optimum = {total / optimumSum:F4}");
        Assert.True(total / optimumSum >= 0.98, $"ratio {total / optimumSum:F4}");
    }

    [Fact]
    public void CampaignPlanEqualsTheCbcOptimum()
    {
        for (var seed = 0; seed < 60; seed++)
        {
            var rng = new Random(4000 + seed);
            var input = CampaignPlannerTests.RandomCampaign(rng, rng.Next(2, 7), rng.Next(3, 15));

            var plan = new CampaignPlanner().Plan(input);
            var optimum = CampaignOptimum(input);

            Assert.Equal(optimum, plan.TotalScore, 6);
        }
    }

    private static List<(IReadOnlyList<int>, int)> SelectionRows(EventInput input)
    {
        var rows = new List<(IReadOnlyList<int>, int)>();
        foreach (var p in input.Participants)
        {
            var vars = Enumerable.Range(0, input.Requests.Count).Where(i => input.Requests[i].A == p.Id || input.Requests[i].B == p.Id).ToList();
            rows.Add((vars, Math.Min(p.MaxMeetings ?? input.Slots, input.Slots)));
        }

        rows.Add(([.. Enumerable.Range(0, input.Requests.Count)], input.Slots * input.Tables));
        return rows;
    }

    /// <summary>The full problem as an integer program: x[request, slot], one meeting per person and slot, tables per slot, caps, availability, pins.</summary>
    private static double TimeIndexedOptimum(EventInput input)
    {
        var vars = new List<(int Request, int Slot)>();
        var weights = new List<double>();
        var participants = input.Participants.ToDictionary(p => p.Id);
        for (var i = 0; i < input.Requests.Count; i++)
        {
            var r = input.Requests[i];
            for (var s = 0; s < input.Slots; s++)
            {
                var allowed = r.Lock is { } pin ? pin.Slot == s
                    : !(participants[r.A].UnavailableSlots ?? []).Contains(s) && !(participants[r.B].UnavailableSlots ?? []).Contains(s);
                if (allowed)
                {
                    vars.Add((i, s));
                    weights.Add(r.Score);
                }
            }
        }

        var rows = new List<(IReadOnlyList<int>, int)>();
        for (var i = 0; i < input.Requests.Count; i++)
        {
            rows.Add((Where(vars, v => v.Request == i), 1));
        }

        for (var s = 0; s < input.Slots; s++)
        {
            rows.Add((Where(vars, v => v.Slot == s), input.Tables));
            foreach (var p in input.Participants)
            {
                rows.Add((Where(vars, v => v.Slot == s && (input.Requests[v.Request].A == p.Id || input.Requests[v.Request].B == p.Id)), 1));
            }
        }

        foreach (var p in input.Participants)
        {
            rows.Add((Where(vars, v => input.Requests[v.Request].A == p.Id || input.Requests[v.Request].B == p.Id), Math.Min(p.MaxMeetings ?? input.Slots, input.Slots)));
        }

        // Pins must be held: a large bonus on the pinned variables forces them in; it is taken off the optimum afterwards.
        var forced = Enumerable.Range(0, input.Requests.Count).Where(i => input.Requests[i].Lock is not null).ToList();
        var bonus = 1000.0 * (input.Requests.Sum(r => r.Score) + 1);
        var w = weights.Select((x, k) => forced.Contains(vars[k].Request) ? x + bonus : x).ToList();
        return CbcOracle.Maximise(w, rows) - (bonus * forced.Count);
    }

    private static List<int> Where(List<(int Request, int Slot)> vars, Func<(int Request, int Slot), bool> predicate) =>
        [.. Enumerable.Range(0, vars.Count).Where(k => predicate(vars[k]))];

    private static double CampaignOptimum(CampaignInput input)
    {
        var usable = input.Affinities.Where(a =>
        {
            var dates = input.Participants.Single(p => p.Id == a.Participant).AvailableDates;
            return dates is null || dates.Contains(input.Events.Single(e => e.Id == a.Event).Date);
        }).ToList();
        var rows = new List<(IReadOnlyList<int>, int)>();
        foreach (var e in input.Events)
        {
            rows.Add(([.. Enumerable.Range(0, usable.Count).Where(i => usable[i].Event == e.Id)], e.Capacity));
        }

        foreach (var p in input.Participants)
        {
            rows.Add(([.. Enumerable.Range(0, usable.Count).Where(i => usable[i].Participant == p.Id)], p.MaxEvents));
            foreach (var day in input.Events.Select(e => e.Date).Distinct())
            {
                rows.Add(([.. Enumerable.Range(0, usable.Count).Where(i => usable[i].Participant == p.Id && input.Events.Single(e => e.Id == usable[i].Event).Date == day)], 1));
            }
        }

        return CbcOracle.Maximise([.. usable.Select(a => a.Score)], rows);
    }
}
