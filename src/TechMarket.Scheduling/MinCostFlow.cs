namespace TechMarket.Scheduling;

/// <summary>
/// Successive shortest paths with Johnson potentials (Dijkstra, stopped as soon as the sink is
/// settled). Costs are integers so that optima are exact and comparable with an external solver.
/// </summary>
internal sealed class MinCostFlow
{
    private const long Unreached = long.MaxValue / 4;
    private readonly int _nodes;
    private readonly int[] _head;
    private int[] _to = new int[64];
    private int[] _next = new int[64];
    private int[] _cap = new int[64];
    private long[] _cost = new long[64];
    private int _edges;
    private long[] _potential = [];
    private long[] _dist = [];
    private int[] _prevEdge = [];
    private bool[] _done = [];
    private readonly List<int> _touched = [];
    private readonly List<int> _settled = [];
    private readonly PriorityQueue<int, long> _queue = new();

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
        Prepare(source);
        long total = 0;
        while (ShortestPath(source, sink, out var pathCost) && pathCost < 0)
        {
            total += pathCost * Augment(source, sink, int.MaxValue);
        }

        return total;
    }

    /// <summary>
    /// Routes every unit of supply to <paramref name="sink"/> at least total cost (successive
    /// shortest paths from nodes with excess). Each supply node needs a path to the sink (a
    /// zero-cost bypass arc makes "send nothing" an option). Starting each search at the supply
    /// node, not at a super source joined to all of them, keeps every search small.
    /// </summary>
    /// <returns>The total cost of the flow.</returns>
    public long RouteSupplies(IReadOnlyList<(int Node, int Amount)> supplies, int sink)
    {
        Prepare(null);
        long total = 0;
        foreach (var (node, amount) in supplies)
        {
            var left = amount;
            while (left > 0)
            {
                if (!ShortestPath(node, sink, out var pathCost))
                {
                    throw new InvalidOperationException("A supply node has no path to the sink.");
                }

                var pushed = Augment(node, sink, left);
                total += pathCost * pushed;
                left -= pushed;
            }
        }

        return total;
    }

    private void Prepare(int? source)
    {
        _potential = InitialPotentials(source);
        _dist = new long[_nodes];
        Array.Fill(_dist, long.MaxValue);
        _prevEdge = new int[_nodes];
        _done = new bool[_nodes];
        _touched.Clear();
    }

    /// <summary>Dijkstra on reduced costs from <paramref name="start"/>; updates the potentials so that reduced costs stay non-negative.</summary>
    private bool ShortestPath(int start, int sink, out long pathCost)
    {
        foreach (var v in _touched)
        {
            _dist[v] = long.MaxValue;
            _done[v] = false;
        }

        _touched.Clear();
        _settled.Clear();
        _dist[start] = 0;
        _touched.Add(start);
        _queue.Clear();
        _queue.Enqueue(start, 0);
        while (_queue.TryDequeue(out var u, out var d))
        {
            if (_done[u] || d > _dist[u])
            {
                continue;
            }

            _done[u] = true;
            _settled.Add(u);
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
                var nd = d + _cost[e] + _potential[u] - _potential[v];
                if (nd < _dist[v])
                {
                    if (_dist[v] == long.MaxValue)
                    {
                        _touched.Add(v);
                    }

                    _dist[v] = nd;
                    _prevEdge[v] = e;
                    _queue.Enqueue(v, nd);
                }
            }
        }

        if (!_done[sink])
        {
            pathCost = 0;
            return false;
        }

        var reach = _dist[sink];
        pathCost = reach + _potential[sink] - _potential[start];

        // Johnson update p(v) += min(dist(v), reach); adding reach to every node changes no
        // reduced cost, so only the settled nodes (dist ≤ reach) need touching.
        foreach (var v in _settled)
        {
            _potential[v] -= reach - _dist[v];
        }

        return true;
    }

    private int Augment(int start, int sink, int limit)
    {
        var push = limit;
        for (var v = sink; v != start; v = _to[_prevEdge[v] ^ 1])
        {
            push = Math.Min(push, _cap[_prevEdge[v]]);
        }

        for (var v = sink; v != start; v = _to[_prevEdge[v] ^ 1])
        {
            _cap[_prevEdge[v]] -= push;
            _cap[_prevEdge[v] ^ 1] += push;
        }

        return push;
    }

    /// <summary>
    /// Shortest distances over arcs with capacity, from <paramref name="source"/> or, if null, from a
    /// virtual node joined to every node at cost 0. The graphs we build start as DAGs, so one pass in
    /// topological order suffices; Bellman–Ford otherwise.
    /// </summary>
    private long[] InitialPotentials(int? source)
    {
        var dist = new long[_nodes];
        Array.Fill(dist, source is null ? 0 : Unreached);
        if (source is { } s)
        {
            dist[s] = 0;
        }

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
