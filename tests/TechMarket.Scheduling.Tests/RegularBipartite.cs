namespace TechMarket.Scheduling.Tests;

/// <summary>
/// Saturated fixtures: the union of d disjoint random perfect matchings. Shared by the tests and the benchmark
/// (bench/TechMarket.Scheduling.Bench links this file), so both measure the same instances.
/// </summary>
internal static class RegularBipartite
{
    /// <summary>A d-regular bipartite graph on n + n participants: the union of d disjoint random perfect matchings.</summary>
    public static EventInput Build(int n, int d, int seed)
    {
        var rng = new Random(seed);
        var edges = new HashSet<(int, int)>();
        for (var k = 0; k < d; k++)
        {
            while (true)
            {
                var perm = Enumerable.Range(0, n).OrderBy(_ => rng.Next()).ToArray();
                if (Enumerable.Range(0, n).All(i => !edges.Contains((i, perm[i]))))
                {
                    for (var i = 0; i < n; i++)
                    {
                        edges.Add((i, perm[i]));
                    }

                    break;
                }

                // A random permutation avoiding k matchings is rare for large k; repair by local swaps.
                if (Repair(perm, edges, rng))
                {
                    for (var i = 0; i < n; i++)
                    {
                        edges.Add((i, perm[i]));
                    }

                    break;
                }
            }
        }

        var participants = Enumerable.Range(0, n).Select(i => new Participant($"E{i}", ParticipantSide.Enterprise))
            .Concat(Enumerable.Range(0, n).Select(i => new Participant($"I{i}", ParticipantSide.Institute))).ToList();
        var requests = edges.OrderBy(e => e).Select(e => new MeetingRequest($"E{e.Item1}", $"I{e.Item2}", 0.5 + (rng.NextDouble() / 2))).ToList();
        return new EventInput(d, n, participants, requests);
    }

    private static bool Repair(int[] perm, HashSet<(int, int)> edges, Random rng)
    {
        for (var round = 0; round < perm.Length * 50; round++)
        {
            var bad = Enumerable.Range(0, perm.Length).Where(i => edges.Contains((i, perm[i]))).ToList();
            if (bad.Count == 0)
            {
                return true;
            }

            var i = bad[rng.Next(bad.Count)];
            var j = rng.Next(perm.Length);
            (perm[i], perm[j]) = (perm[j], perm[i]);
            if (edges.Contains((i, perm[i])) && edges.Contains((j, perm[j])))
            {
                (perm[i], perm[j]) = (perm[j], perm[i]);
            }
        }

        return false;
    }
}
