namespace TechMarket.Scheduling;

/// <summary>
/// Shortens participants' idle time (the empty slots between their first and last meeting),
/// as event platforms' "minimise stand-by time" option does: first whole slots are permuted,
/// then single alternating paths of two slots are interchanged. Neither move can double-book
/// anyone; pinned meetings and availability are respected, and no new slot is opened.
/// </summary>
internal static class Compaction
{
    public static void Run(SlotGrid grid, int maxPasses)
    {
        PermuteSlots(grid, maxPasses);
        KempeSwaps(grid, maxPasses);
    }

    private static void PermuteSlots(SlotGrid grid, int maxPasses)
    {
        var weight = (long)grid.Slots * grid.Slots + 1;
        for (var pass = 0; pass < maxPasses; pass++)
        {
            var improved = false;
            for (var a = 0; a < grid.Slots; a++)
            {
                for (var b = a + 1; b < grid.Slots; b++)
                {
                    var inA = MeetingScheduler.EdgesIn(grid, a);
                    var inB = MeetingScheduler.EdgesIn(grid, b);
                    if ((inA.Count == 0 && inB.Count == 0) || !CanMove(grid, inA, b) || !CanMove(grid, inB, a))
                    {
                        continue;
                    }

                    var people = People(grid, inA, inB);
                    var before = (Idle(grid, people) * weight) + Position(a, inA.Count, b, inB.Count);
                    grid.SwapSlots(a, b, inA, inB);
                    var after = (Idle(grid, people) * weight) + Position(a, inB.Count, b, inA.Count);
                    if (after < before)
                    {
                        improved = true;
                    }
                    else
                    {
                        grid.SwapSlots(a, b, inB, inA);
                    }
                }
            }

            if (!improved)
            {
                return;
            }
        }
    }

    /// <summary>Pushes used slots towards the start of the day when idle time is equal.</summary>
    private static long Position(int a, int countA, int b, int countB) => (countA > 0 ? a : 0) + (countB > 0 ? b : 0);

    private static bool CanMove(SlotGrid grid, List<int> edges, int target)
    {
        foreach (var e in edges)
        {
            if (grid.Locked[e] || grid.IsUnavailable(grid.U[e], target) || grid.IsUnavailable(grid.V[e], target))
            {
                return false;
            }
        }

        return true;
    }

    private static HashSet<int> People(SlotGrid grid, List<int> first, List<int> second)
    {
        var people = new HashSet<int>();
        foreach (var e in first.Concat(second))
        {
            people.Add(grid.U[e]);
            people.Add(grid.V[e]);
        }

        return people;
    }

    private static long Idle(SlotGrid grid, IEnumerable<int> people)
    {
        long idle = 0;
        foreach (var p in people)
        {
            idle += grid.Idle(p);
        }

        return idle;
    }

    private static void KempeSwaps(SlotGrid grid, int maxPasses)
    {
        for (var pass = 0; pass < maxPasses; pass++)
        {
            var improved = false;
            for (var c = 0; c < grid.Slots; c++)
            {
                for (var d = 0; d < grid.Slots; d++)
                {
                    if (c == d || grid.Count[c] == 0 || grid.Count[d] == 0)
                    {
                        continue;
                    }

                    for (var guard = 0; guard < 100 && TrySwapOne(grid, c, d); guard++)
                    {
                        improved = true;
                    }
                }
            }

            if (!improved)
            {
                return;
            }
        }
    }

    /// <summary>Interchanges one c/d path that lowers idle time; only its two ends change their set of slots.</summary>
    private static bool TrySwapOne(SlotGrid grid, int c, int d)
    {
        var inC = MeetingScheduler.EdgesIn(grid, c);
        foreach (var (path, x, y) in grid.Paths(c, d, inC).ToList())
        {
            if (!path.TrueForAll(f => !grid.Locked[f]))
            {
                continue;
            }

            var countC = path.Count(f => grid.Slot[f] == c);
            var countD = path.Count - countC;
            var gainY = path.Count % 2 == 1 ? d : c;
            if (grid.IsUnavailable(x, d) || grid.IsUnavailable(y, gainY)
                || grid.Count[c] + countD - countC > grid.Tables || grid.Count[d] + countC - countD > grid.Tables)
            {
                continue;
            }

            var before = grid.Idle(x) + grid.Idle(y);
            grid.Swap(path, c, d);
            var after = grid.Idle(x) + grid.Idle(y);
            if (after < before)
            {
                return true;
            }

            grid.Swap(path, c, d);
        }

        return false;
    }
}
