using Xunit.Abstractions;

namespace TechMarket.Scheduling.Tests;

public sealed class MeetingSchedulerPropertyTests(ITestOutputHelper output)
{
    private static readonly MeetingScheduler Scheduler = new();

    [Fact]
    public void NeverDoubleBooksAndAccountsForEveryRequestOnThousandsOfInstances()
    {
        var checkedInstances = 0;

        for (var seed = 0; seed < 3000; seed++)
        {
            var rng = new Random(seed);
            var slots = rng.Next(1, 7);
            var tables = rng.Next(1, 5);
            var input = rng.Next(2) == 0
                ? Fixtures.Bipartite(rng, rng.Next(1, 7), rng.Next(1, 7), rng.Next(0, 20), slots, tables, rng.NextDouble() * 0.4, rng.NextDouble() * 0.3, maxCap: rng.Next(2) == 0 ? slots : null)
                : Fixtures.General(rng, rng.Next(2, 10), rng.Next(0, 20), slots, tables, rng.NextDouble() * 0.4, rng.NextDouble() * 0.3, maxCap: rng.Next(2) == 0 ? slots : null);
            var result = Scheduler.Schedule(input);
            Fixtures.AssertValid(input, result);
            Assert.True(result.Stats.UpperBound + 1e-6 >= result.TotalScore, $"seed {seed}: bound below total");
            checkedInstances++;
        }

        Assert.Equal(3000, checkedInstances);
    }

    [Fact]
    public void BipartiteSelectionEqualsBruteForceOptimumWithoutAvailabilityLimits()
    {
        for (var seed = 0; seed < 1500; seed++)
        {
            var rng = new Random(seed);
            var slots = rng.Next(1, 5);
            var tables = rng.Next(1, 4);
            var input = Fixtures.Bipartite(rng, rng.Next(1, 5), rng.Next(1, 5), rng.Next(0, 11), slots, tables, integerScores: true, maxCap: slots);

            var result = Scheduler.Schedule(input);

            Fixtures.AssertValid(input, result);
            Assert.Equal(BruteForce(input), result.TotalScore, 6);
        }
    }

    [Fact]
    public void GeneralSelectionStaysWithinOnePercentOfTheDoubledGraphBound()
    {
        double total = 0;
        double bound = 0;
        var worst = 1.0;

        for (var seed = 0; seed < 120; seed++)
        {
            var rng = new Random(seed);
            var input = Fixtures.General(rng, 40, 200, 8, 30, maxCap: 8);
            var result = Scheduler.Schedule(input);
            Fixtures.AssertValid(input, result);
            total += result.TotalScore;
            bound += result.Stats.UpperBound;
            worst = Math.Min(worst, result.TotalScore / result.Stats.UpperBound);
        }

        output.WriteLine($"general: total / doubled bound = {total / bound:F4}, worst instance {worst:F4}");
        Assert.True(total / bound >= 0.99, $"ratio {total / bound:F4}");
        Assert.True(worst >= 0.97, $"worst {worst:F4}");
    }

    [Fact]
    public void PlacesEverySelectedMeetingOfUnconstrainedBipartiteInstancesInDeltaSlots()
    {
        for (var seed = 0; seed < 1000; seed++)
        {
            var rng = new Random(seed);
            var slots = rng.Next(2, 10);
            var input = Fixtures.Bipartite(rng, rng.Next(2, 12), rng.Next(2, 12), rng.Next(1, 60), slots, 100);
            var degree = input.Requests.SelectMany(r => new[] { r.A, r.B }).GroupBy(x => x).Max(g => g.Count());
            if (degree > slots)
            {
                continue;
            }

            var result = Scheduler.Schedule(input);

            Assert.Empty(result.Unplaced);
            Assert.Equal(degree, result.SlotsUsed);
        }
    }

    [Fact]
    public void FitsTablesWhenMeetingsDoNotExceedSlotsTimesTables()
    {
        for (var seed = 0; seed < 1000; seed++)
        {
            var rng = new Random(seed);
            var slots = rng.Next(2, 8);
            var tables = rng.Next(1, 6);
            var input = Fixtures.Bipartite(rng, rng.Next(2, 10), rng.Next(2, 10), rng.Next(1, slots * tables + 1), slots, tables);
            var degree = input.Requests.SelectMany(r => new[] { r.A, r.B }).GroupBy(x => x).Max(g => g.Count());
            if (degree > slots)
            {
                continue;
            }

            var result = Scheduler.Schedule(input);

            Fixtures.AssertValid(input, result);
            Assert.Empty(result.Unplaced);
            Assert.Equal(Math.Max(degree, (input.Requests.Count + tables - 1) / tables), result.SlotsUsed);
        }
    }

    [Fact]
    public void PlacesEveryMeetingOfUnconstrainedGeneralInstancesInAtMostDeltaPlusOneSlots()
    {
        var checkedInstances = 0;

        for (var seed = 0; seed < 2000; seed++)
        {
            var rng = new Random(seed);
            var input = Fixtures.General(rng, rng.Next(3, 14), rng.Next(3, 50), 30, 1000);
            var degree = input.Requests.SelectMany(r => new[] { r.A, r.B }).GroupBy(x => x).Max(g => g.Count());
            var result = Scheduler.Schedule(input with { Slots = degree + 1 });
            Assert.Empty(result.Unplaced);
            Assert.True(result.SlotsUsed <= degree + 1);
            checkedInstances++;
        }

        Assert.Equal(2000, checkedInstances);
    }

    /// <summary>Optimum of the choice problem (caps and room) by enumerating all subsets.</summary>
    internal static double BruteForce(EventInput input)
    {
        var n = input.Requests.Count;
        var cap = input.Participants.ToDictionary(p => p.Id, p => Math.Min(p.MaxMeetings ?? input.Slots, input.Slots));
        double best = 0;
        for (var mask = 0; mask < 1 << n; mask++)
        {
            var degree = new Dictionary<string, int>();
            double total = 0;
            var ok = System.Numerics.BitOperations.PopCount((uint)mask) <= input.Slots * input.Tables;
            for (var e = 0; e < n && ok; e++)
            {
                if ((mask & (1 << e)) == 0)
                {
                    continue;
                }

                var r = input.Requests[e];
                degree[r.A] = degree.GetValueOrDefault(r.A) + 1;
                degree[r.B] = degree.GetValueOrDefault(r.B) + 1;
                ok = degree[r.A] <= cap[r.A] && degree[r.B] <= cap[r.B];
                total += r.Score;
            }

            if (ok)
            {
                best = Math.Max(best, total);
            }
        }

        return best;
    }
}
