namespace TechMarket.Scheduling;

/// <summary>
/// Successive shortest paths with Johnson potentials (Dijkstra, stopped as soon as the sink is
/// settled). Costs are integers so that optima are exact and comparable with an external solver.
/// </summary>
internal sealed class MinCostFlow
{
    private readonly int _nodes;
    private int[] _to = new int[64];
    private int[] _next = new int[64];
    private int[] _cap = new int[64];
    private long[] _cost = new long[64];
    private readonly int[] _head;
    private int _edges;

    public MinCostFlow(int nodes)
    {
        _nodes = nodes;
        _head = new int[nodes];
        Array.Fill(_head, -1);
    }

    /// <summary>Adds an arc and its residual twin; returns the arc's index.</summary>
    public int AddEdge(int from, int to, int capacity, long cost)
    {
        if (_edges + 2 > _to.Length)
        {
            var size = _to.Length * 2;
            Array.Resize(ref _to, size);
            Array.Resize(ref _next, size);
            Array.Resize(ref _cap, size);
            Array.Resize(ref _cost, size);
        }

        var e = _edges;
        _to[e] = to;
        _cap[e] = capacity;
        _cost[e] = cost;
        _next[e] = _head[from];
        _head[from] = e;
        _to[e + 1] = from;
        _cap[e + 1] = 0;
        _cost[e + 1] = -cost;
        _next[e + 1] = _head[to];
        _head[to] = e + 1;
        _edges += 2;
        return e;
    }

    /// <summary>Flow currently on arc <paramref name="edge"/>.</summary>
    public int FlowOn(int edge) => _cap[edge + 1];

    /// <summary>
    /// Sends flow from <paramref name="source"/> to <paramref name="sink"/> along shortest paths while a
    /// path of negative cost exists (a min-cost flow of any value: the maximum-weight solution).
    /// </summary>
    /// <returns>The total cost of the flow.</returns>
    public long MinimiseCost(int source, int sink)
    {
        var potential = InitialPotentials(source);
        var dist = new long[_nodes];
        Array.Fill(dist, long.MaxValue);
        var prevEdge = new int[_nodes];
        var done = new bool[_nodes];
        var touched = new List<int>();
        var settled = new List<int>();
        var queue = new PriorityQueue<int, long>();
        long total = 0;
        while (true)
        {
            foreach (var v in touched)
            {
                dist[v] = long.MaxValue;
                done[v] = false;
            }

            touched.Clear();
            settled.Clear();
            dist[source] = 0;
            touched.Add(source);
            queue.Clear();
            queue.Enqueue(source, 0);
            while (queue.TryDequeue(out var u, out var d))
            {
                if (done[u] || d > dist[u])
                {
                    continue;
                }

                done[u] = true;
                settled.Add(u);
                if (u == sink)
                {
                    break;
                }

                for (var e = _head[u]; e >= 0; e = _next[e])
                {
                    if (_cap[e] <= 0)
                    {
                        continue;
                    }

                    var v = _to[e];
                    var nd = d + _cost[e] + potential[u] - potential[v];
                    if (nd < dist[v])
                    {
                        if (dist[v] == long.MaxValue)
                        {
                            touched.Add(v);
                        }

                        dist[v] = nd;
                        prevEdge[v] = e;
                        queue.Enqueue(v, nd);
                    }
                }
            }

            if (!done[sink])
            {
                return total;
            }

            var reach = dist[sink];
            var pathCost = reach + potential[sink] - potential[source];
            if (pathCost >= 0)
            {
                return total;
            }

            // Johnson update p(v) += min(dist(v), reach); adding reach to every node changes no
            // reduced cost, so only the settled nodes (dist ≤ reach) need touching.
            foreach (var v in settled)
            {
                potential[v] -= reach - dist[v];
            }

            var push = int.MaxValue;
            for (var v = sink; v != source; v = _to[prevEdge[v] ^ 1])
            {
                push = Math.Min(push, _cap[prevEdge[v]]);
            }

            for (var v = sink; v != source; v = _to[prevEdge[v] ^ 1])
            {
                _cap[prevEdge[v]] -= push;
                _cap[prevEdge[v] ^ 1] += push;
            }

            total += pathCost * push;
        }
    }

    /// <summary>Shortest distances from the source over arcs with capacity (the graphs we build start as DAGs; Bellman–Ford otherwise).</summary>
    private long[] InitialPotentials(int source)
    {
        const long Unreached = long.MaxValue / 4;
        var dist = new long[_nodes];
        Array.Fill(dist, Unreached);
        dist[source] = 0;
        var indegree = new int[_nodes];
        for (var e = 0; e < _edges; e++)
        {
            if (_cap[e] > 0)
            {
                indegree[_to[e]]++;
            }
        }

        var order = new Queue<int>();
        for (var v = 0; v < _nodes; v++)
        {
            if (indegree[v] == 0)
            {
                order.Enqueue(v);
            }
        }

        var seen = 0;
        while (order.TryDequeue(out var u))
        {
            seen++;
            for (var e = _head[u]; e >= 0; e = _next[e])
            {
                if (_cap[e] <= 0)
                {
                    continue;
                }

                var v = _to[e];
                if (dist[u] < Unreached && dist[u] + _cost[e] < dist[v])
                {
                    dist[v] = dist[u] + _cost[e];
                }

                if (--indegree[v] == 0)
                {
                    order.Enqueue(v);
                }
            }
        }

        if (seen < _nodes)
        {
            for (var round = 0; round < _nodes; round++)
            {
                var changed = false;
                for (var u = 0; u < _nodes; u++)
                {
                    if (dist[u] >= Unreached)
                    {
                        continue;
                    }

                    for (var e = _head[u]; e >= 0; e = _next[e])
                    {
                        if (_cap[e] > 0 && dist[u] + _cost[e] < dist[_to[e]])
                        {
                            dist[_to[e]] = dist[u] + _cost[e];
                            changed = true;
                        }
                    }
                }

                if (!changed)
                {
                    break;
                }
            }
        }

        for (var v = 0; v < _nodes; v++)
        {
            if (dist[v] >= Unreached)
            {
                dist[v] = 0;
            }
        }

        return dist;
    }
}
