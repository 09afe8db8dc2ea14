namespace TechMarket.Scheduling;

/// <summary>
/// The meeting-choice problem: a maximum-weight b-matching (each participant p in at most
/// Capacity[p] chosen meetings, at most Room meetings overall).
/// </summary>
internal sealed class SelectionProblem
{
    public required int Nodes { get; init; }

    public required int[] Capacity { get; init; }

    public required int Room { get; init; }

    public required int[] U { get; init; }

    public required int[] V { get; init; }

    /// <summary>Integer weights: the scaled score, then one more meeting as a tie-break.</summary>
    public required long[] Weight { get; init; }

    /// <summary>Integer weights of the scaled score alone (for bounds).</summary>
    public required long[] ScoreWeight { get; init; }

    public int Edges => U.Length;
}

/// <summary>Chooses which requests become meetings.</summary>
internal static class MeetingSelector
{
    /// <summary>
    /// Turns scores into exact integer weights: score first, number of meetings second. Scores are
    /// validated to at most 10⁶, which with the scale below keeps every sum of weights far from overflow.
    /// </summary>
    public static (long[] Weight, long[] ScoreWeight, double Scale) Weights(IReadOnlyList<double> scores)
    {
        var n = scores.Count;
        var maxScore = 1e-9;
        foreach (var s in scores)
        {
            maxScore = Math.Max(maxScore, s);
        }

        long unit = n + 1;
        var scale = Math.Min(1e6, Math.Floor(1e17 / ((n + 1.0) * unit * maxScore)));
        scale = Math.Max(scale, 1);
        var weight = new long[n];
        var scoreWeight = new long[n];
        for (var i = 0; i < n; i++)
        {
            scoreWeight[i] = (long)Math.Round(scores[i] * scale);
            weight[i] = (scoreWeight[i] * unit) + 1;
        }

        return (weight, scoreWeight, scale);
    }

    /// <summary>Two-colours the request graph; null if it has an odd cycle.</summary>
    public static int[]? TwoColour(int nodes, int[] u, int[] v)
    {
        var adjacency = Adjacency(nodes, u, v);
        var colour = new int[nodes];
        Array.Fill(colour, -1);
        var queue = new Queue<int>();
        for (var root = 0; root < nodes; root++)
        {
            if (colour[root] >= 0)
            {
                continue;
            }

            colour[root] = 0;
            queue.Enqueue(root);
            while (queue.TryDequeue(out var x))
            {
                foreach (var e in adjacency[x])
                {
                    var y = u[e] == x ? v[e] : u[e];
                    if (colour[y] < 0)
                    {
                        colour[y] = 1 - colour[x];
                        queue.Enqueue(y);
                    }
                    else if (colour[y] == colour[x])
                    {
                        return null;
                    }
                }
            }
        }

        return colour;
    }

    /// <summary>Exact maximum-weight b-matching of a bipartite request graph by min-cost flow.</summary>
    public static bool[] SelectBipartite(SelectionProblem problem, int[] side)
    {
        var n = problem.Nodes;
        var source = n;
        var hub = n + 1;
        var sink = n + 2;
        var flow = new MinCostFlow(n + 3);
        flow.AddEdge(source, hub, problem.Room, 0);
        for (var p = 0; p < n; p++)
        {
            if (side[p] == 0)
            {
                flow.AddEdge(hub, p, problem.Capacity[p], 0);
            }
            else
            {
                flow.AddEdge(p, sink, problem.Capacity[p], 0);
            }
        }

        var arcs = new int[problem.Edges];
        for (var e = 0; e < problem.Edges; e++)
        {
            var (left, right) = side[problem.U[e]] == 0 ? (problem.U[e], problem.V[e]) : (problem.V[e], problem.U[e]);
            arcs[e] = flow.AddEdge(left, right, 1, -problem.Weight[e]);
        }

        flow.MinimiseCost(source, sink);
        var chosen = new bool[problem.Edges];
        for (var e = 0; e < problem.Edges; e++)
        {
            chosen[e] = flow.FlowOn(arcs[e]) > 0;
        }

        return chosen;
    }

    /// <summary>
    /// The doubled-graph bound: every participant gets a left and a right copy and every request
    /// both arcs; half the optimum of that bipartite flow bounds any b-matching from above (it is
    /// the fractional b-matching optimum with half-integral values).
    /// </summary>
    /// <returns>The bound in scaled score units and, per request, how many of its two arcs carry flow.</returns>
    public static (long Bound2, int[] Usage) DoubledBound(SelectionProblem problem)
    {
        var n = problem.Nodes;
        var source = 2 * n;
        var hub = source + 1;
        var sink = source + 2;
        var flow = new MinCostFlow((2 * n) + 3);
        flow.AddEdge(source, hub, 2 * problem.Room, 0);
        for (var p = 0; p < n; p++)
        {
            flow.AddEdge(hub, p, problem.Capacity[p], 0);
            flow.AddEdge(n + p, sink, problem.Capacity[p], 0);
        }

        var arcs = new int[problem.Edges * 2];
        for (var e = 0; e < problem.Edges; e++)
        {
            arcs[2 * e] = flow.AddEdge(problem.U[e], n + problem.V[e], 1, -problem.ScoreWeight[e]);
            arcs[(2 * e) + 1] = flow.AddEdge(problem.V[e], n + problem.U[e], 1, -problem.ScoreWeight[e]);
        }

        var cost = flow.MinimiseCost(source, sink);
        var usage = new int[problem.Edges];
        for (var e = 0; e < problem.Edges; e++)
        {
            usage[e] = flow.FlowOn(arcs[2 * e]) + flow.FlowOn(arcs[(2 * e) + 1]);
        }

        return (-cost, usage);
    }

    /// <summary>
    /// Heuristic b-matching for graphs with odd cycles: two greedy starts (by weight, and guided by
    /// the doubled-graph flow), each improved by exchanges along short alternating paths; the better wins.
    /// </summary>
    public static bool[] SelectGeneral(SelectionProblem problem, int[] usage)
    {
        var byWeight = Enumerable.Range(0, problem.Edges).OrderByDescending(e => problem.Weight[e]).ThenBy(e => e).ToArray();
        var guided = Enumerable.Range(0, problem.Edges).OrderByDescending(e => usage[e]).ThenByDescending(e => problem.Weight[e]).ThenBy(e => e).ToArray();
        var adjacency = Adjacency(problem.Nodes, problem.U, problem.V);
        var first = Improve(problem, adjacency, Greedy(problem, byWeight), byWeight);
        var second = Improve(problem, adjacency, Greedy(problem, guided), byWeight);
        return Total(problem, first) >= Total(problem, second) ? first : second;
    }

    public static long Total(SelectionProblem problem, bool[] chosen)
    {
        long total = 0;
        for (var e = 0; e < chosen.Length; e++)
        {
            if (chosen[e])
            {
                total += problem.Weight[e];
            }
        }

        return total;
    }

    private static bool[] Greedy(SelectionProblem problem, int[] order)
    {
        var chosen = new bool[problem.Edges];
        var degree = new int[problem.Nodes];
        var used = 0;
        foreach (var e in order)
        {
            if (used < problem.Room && degree[problem.U[e]] < problem.Capacity[problem.U[e]] && degree[problem.V[e]] < problem.Capacity[problem.V[e]])
            {
                chosen[e] = true;
                degree[problem.U[e]]++;
                degree[problem.V[e]]++;
                used++;
            }
        }

        return chosen;
    }

    private static bool[] Improve(SelectionProblem problem, List<int>[] adjacency, bool[] chosen, int[] order)
    {
        var degree = new int[problem.Nodes];
        var used = 0;
        for (var e = 0; e < problem.Edges; e++)
        {
            if (chosen[e])
            {
                degree[problem.U[e]]++;
                degree[problem.V[e]]++;
                used++;
            }
        }

        for (var pass = 0; pass < 50; pass++)
        {
            var improved = false;
            foreach (var e in order)
            {
                if (chosen[e])
                {
                    continue;
                }

                var u = problem.U[e];
                var v = problem.V[e];
                var dropU = degree[u] >= problem.Capacity[u] ? Lightest(problem, adjacency[u], chosen, -1) : -1;
                var dropV = degree[v] >= problem.Capacity[v] ? Lightest(problem, adjacency[v], chosen, dropU) : -1;
                if ((degree[u] >= problem.Capacity[u] && dropU < 0) || (degree[v] >= problem.Capacity[v] && dropV < 0))
                {
                    continue;
                }

                var dropRoom = -1;
                if (dropU < 0 && dropV < 0 && used >= problem.Room)
                {
                    dropRoom = LightestOverall(problem, chosen);
                    if (dropRoom < 0)
                    {
                        continue;
                    }
                }

                long loss = 0;
                foreach (var d in new[] { dropU, dropV, dropRoom })
                {
                    if (d >= 0)
                    {
                        loss += problem.Weight[d];
                    }
                }

                if (problem.Weight[e] <= loss)
                {
                    continue;
                }

                foreach (var d in new[] { dropU, dropV, dropRoom })
                {
                    if (d >= 0)
                    {
                        chosen[d] = false;
                        degree[problem.U[d]]--;
                        degree[problem.V[d]]--;
                        used--;
                    }
                }

                chosen[e] = true;
                degree[u]++;
                degree[v]++;
                used++;
                improved = true;
            }

            if (!improved)
            {
                break;
            }
        }

        return chosen;
    }

    private static int Lightest(SelectionProblem problem, List<int> edges, bool[] chosen, int exclude)
    {
        var best = -1;
        foreach (var f in edges)
        {
            if (chosen[f] && f != exclude && (best < 0 || problem.Weight[f] < problem.Weight[best]))
            {
                best = f;
            }
        }

        return best;
    }

    private static int LightestOverall(SelectionProblem problem, bool[] chosen)
    {
        var best = -1;
        for (var f = 0; f < chosen.Length; f++)
        {
            if (chosen[f] && (best < 0 || problem.Weight[f] < problem.Weight[best]))
            {
                best = f;
            }
        }

        return best;
    }

    public static List<int>[] Adjacency(int nodes, int[] u, int[] v)
    {
        var adjacency = new List<int>[nodes];
        for (var p = 0; p < nodes; p++)
        {
            adjacency[p] = [];
        }

        for (var e = 0; e < u.Length; e++)
        {
            adjacency[u[e]].Add(e);
            adjacency[v[e]].Add(e);
        }

        return adjacency;
    }
}
