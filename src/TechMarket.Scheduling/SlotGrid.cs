namespace TechMarket.Scheduling;

/// <summary>
/// The working state of a placement: which meeting each participant holds in each slot, the
/// slot (colour) of every meeting and how many tables each slot uses. A proper edge colouring
/// of the meeting graph is exactly a double-booking-free timetable; the routines here are
/// colouring moves (direct colouring, Kempe-chain interchange, alternating-path balancing).
/// </summary>
internal sealed class SlotGrid
{
    private readonly bool[] _unavailable;
    private readonly int[] _at;

    public SlotGrid(int participants, int slots, int tables, int edgeCapacity)
    {
        Participants = participants;
        Slots = slots;
        Tables = tables;
        _unavailable = new bool[participants * slots];
        _at = new int[participants * slots];
        Array.Fill(_at, -1);
        Count = new int[slots];
        U = new int[edgeCapacity];
        V = new int[edgeCapacity];
        Slot = new int[edgeCapacity];
        Table = new int[edgeCapacity];
        Locked = new bool[edgeCapacity];
        Array.Fill(Slot, -1);
        Array.Fill(Table, -1);
    }

    public int Participants { get; }

    public int Slots { get; }

    public int Tables { get; }

    /// <summary>Meetings per slot.</summary>
    public int[] Count { get; }

    public int[] U { get; }

    public int[] V { get; }

    public int[] Slot { get; }

    public int[] Table { get; }

    public bool[] Locked { get; }

    /// <summary>Some participant cannot meet in some slot.</summary>
    public bool HasUnavailability { get; private set; }

    public void MarkUnavailable(int p, int s)
    {
        _unavailable[(p * Slots) + s] = true;
        HasUnavailability = true;
    }

    public bool IsUnavailable(int p, int s) => _unavailable[(p * Slots) + s];

    public int At(int p, int s) => _at[(p * Slots) + s];

    public bool Free(int p, int s) => !_unavailable[(p * Slots) + s] && _at[(p * Slots) + s] < 0;

    public int Other(int e, int p) => U[e] == p ? V[e] : U[e];

    public void Set(int e, int s)
    {
        Slot[e] = s;
        _at[(U[e] * Slots) + s] = e;
        _at[(V[e] * Slots) + s] = e;
        Count[s]++;
    }

    public void Unset(int e)
    {
        var s = Slot[e];
        if (s < 0)
        {
            return;
        }

        _at[(U[e] * Slots) + s] = -1;
        _at[(V[e] * Slots) + s] = -1;
        Count[s]--;
        Slot[e] = -1;
    }

    /// <summary>Meetings a participant holds.</summary>
    public int Degree(int p)
    {
        var d = 0;
        for (var s = 0; s < Slots; s++)
        {
            if (_at[(p * Slots) + s] >= 0)
            {
                d++;
            }
        }

        return d;
    }

    /// <summary>Has a slot where both are free (and, if asked, a table is left).</summary>
    public bool HasCommonFreeSlot(int u, int v, bool needTable)
    {
        for (var s = 0; s < Slots; s++)
        {
            if (Free(u, s) && Free(v, s) && (!needTable || Count[s] < Tables))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Colours meeting <paramref name="e"/> with a slot below <paramref name="maxSlot"/>: directly if
    /// both participants share a free slot, else by interchanging two slots along an alternating
    /// (Kempe) chain. In a bipartite graph with at least Δ slots and no other constraint this
    /// always succeeds (König's alternating-path argument).
    /// </summary>
    /// <remarks><c>moved</c> returns how many other meetings changed slot.</remarks>
    public bool TryInsert(int e, int maxSlot, bool enforceTables, bool allowKempe, bool shortestChain, out int moved)
    {
        moved = 0;
        var u = U[e];
        var v = V[e];
        var best = -1;
        for (var s = 0; s < maxSlot; s++)
        {
            if (Free(u, s) && Free(v, s) && (!enforceTables || Count[s] < Tables) && (best < 0 || Count[s] < Count[best]))
            {
                best = s;
            }
        }

        if (best >= 0)
        {
            Set(e, best);
            return true;
        }

        if (!allowKempe)
        {
            return false;
        }

        List<int>? bestChain = null;
        var bestA = -1;
        var bestB = -1;
        var chain = new List<int>();
        var done = false;
        for (var side = 0; side < 2 && !done; side++)
        {
            var x = side == 0 ? u : v;
            var y = side == 0 ? v : u;
            for (var a = 0; a < maxSlot && !done; a++)
            {
                if (!Free(x, a) || IsUnavailable(y, a) || At(y, a) < 0)
                {
                    continue;
                }

                for (var b = 0; b < maxSlot && !done; b++)
                {
                    if (b == a || !Free(y, b))
                    {
                        continue;
                    }

                    if (!TryChain(y, x, a, b, enforceTables, chain))
                    {
                        continue;
                    }

                    if (bestChain is null || chain.Count < bestChain.Count)
                    {
                        bestChain = [.. chain];
                        bestA = a;
                        bestB = b;
                    }

                    done = !shortestChain || bestChain.Count == 1;
                }
            }
        }

        if (bestChain is null)
        {
            return false;
        }

        Swap(bestChain, bestA, bestB);
        Set(e, bestA);
        moved = bestChain.Count;
        return true;
    }

    /// <summary>
    /// Walks the a/b alternating chain starting with <paramref name="start"/>'s a-meeting and checks
    /// that interchanging a and b on it is allowed: no pinned meeting on it, the far end is
    /// available in the slot it gains, the chain does not end at <paramref name="partner"/>, and
    /// (if asked) both slots keep a table for the new meeting.
    /// </summary>
    private bool TryChain(int start, int partner, int a, int b, bool enforceTables, List<int> chain)
    {
        chain.Clear();
        var x = start;
        var col = a;
        var other = b;
        var countA = 0;
        var countB = 0;
        while (true)
        {
            var f = At(x, col);
            if (f < 0)
            {
                break;
            }

            if (Locked[f])
            {
                return false;
            }

            chain.Add(f);
            if (col == a)
            {
                countA++;
            }
            else
            {
                countB++;
            }

            x = Other(f, x);
            (col, other) = (other, col);
        }

        // x now lacks a meeting in slot col and gains one there after the interchange.
        if (x == partner || IsUnavailable(x, col))
        {
            return false;
        }

        if (enforceTables)
        {
            var newA = Count[a] + countB - countA + 1;
            var newB = Count[b] + countA - countB;
            if (newA > Tables || newB > Tables)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Misra–Gries: colours meeting <paramref name="e"/> with one of <paramref name="colours"/> ≥ Δ + 1
    /// slots by building a maximal fan at one end, inverting a two-slot path and rotating the fan.
    /// Only valid without unavailability or pins (callers check); never needs more than Δ + 1 slots.
    /// </summary>
    public bool TryInsertMisraGries(int e, int colours)
    {
        var x = U[e];
        var fan = new List<int> { V[e] };
        var fanEdges = new List<int> { e };
        var inFan = new HashSet<int> { V[e] };
        while (true)
        {
            var last = fan[^1];
            var extended = false;
            for (var s = 0; s < colours && !extended; s++)
            {
                var f = At(x, s);
                if (f >= 0 && At(last, s) < 0 && inFan.Add(Other(f, x)))
                {
                    fan.Add(Other(f, x));
                    fanEdges.Add(f);
                    extended = true;
                }
            }

            if (!extended)
            {
                break;
            }
        }

        var c = FirstFree(x, colours);
        var d = FirstFree(fan[^1], colours);
        if (c < 0 || d < 0)
        {
            return false;
        }

        if (c != d)
        {
            var path = new List<int>();
            var y = x;
            var col = d;
            while (At(y, col) is var f && f >= 0)
            {
                path.Add(f);
                y = Other(f, y);
                col = col == d ? c : d;
            }

            Swap(path, c, d);
        }

        var w = -1;
        for (var i = 0; i < fan.Count; i++)
        {
            if (i > 0 && At(fan[i - 1], Slot[fanEdges[i]]) >= 0)
            {
                break;
            }

            if (At(fan[i], d) < 0)
            {
                w = i;
                break;
            }
        }

        if (w < 0)
        {
            return false;
        }

        var target = new int[w + 1];
        for (var j = 0; j < w; j++)
        {
            target[j] = Slot[fanEdges[j + 1]];
        }

        target[w] = d;
        for (var j = 1; j <= w; j++)
        {
            Unset(fanEdges[j]);
        }

        for (var j = 0; j <= w; j++)
        {
            Set(fanEdges[j], target[j]);
        }

        return true;
    }

    private int FirstFree(int p, int colours)
    {
        for (var s = 0; s < colours; s++)
        {
            if (At(p, s) < 0)
            {
                return s;
            }
        }

        return -1;
    }

    /// <summary>Interchanges slots a and b on the given meetings.</summary>
    public void Swap(IReadOnlyList<int> edges, int a, int b)
    {
        var target = new int[edges.Count];
        for (var i = 0; i < edges.Count; i++)
        {
            target[i] = Slot[edges[i]] == a ? b : a;
            Unset(edges[i]);
        }

        for (var i = 0; i < edges.Count; i++)
        {
            Set(edges[i], target[i]);
        }
    }

    /// <summary>
    /// Components of the subgraph of slots c and d that are paths with at least one end holding a
    /// c-meeting and no d-meeting, walked from that end (EndA). Interchanging a path of odd length
    /// moves one meeting from c to d and both ends gain slot d; on an even path the far end gains c.
    /// Only the two ends change their set of slots.
    /// </summary>
    public IEnumerable<(List<int> Path, int EndA, int EndB)> Paths(int c, int d, IReadOnlyList<int> edgesInC)
    {
        var seen = new HashSet<int>();
        foreach (var e in edgesInC)
        {
            if (seen.Contains(e))
            {
                continue;
            }

            foreach (var start in new[] { U[e], V[e] })
            {
                if (At(start, d) >= 0 || At(start, c) != e)
                {
                    continue;
                }

                var path = new List<int>();
                var x = start;
                var col = c;
                while (true)
                {
                    var f = At(x, col);
                    if (f < 0)
                    {
                        break;
                    }

                    path.Add(f);
                    x = Other(f, x);
                    col = col == c ? d : c;
                }

                foreach (var f in path)
                {
                    seen.Add(f);
                }

                yield return (path, start, x);
                break;
            }
        }
    }

    /// <summary>Empty slots between a participant's first and last meeting.</summary>
    public int Idle(int p)
    {
        var first = -1;
        var last = -1;
        var count = 0;
        for (var s = 0; s < Slots; s++)
        {
            if (_at[(p * Slots) + s] >= 0)
            {
                if (first < 0)
                {
                    first = s;
                }

                last = s;
                count++;
            }
        }

        return count == 0 ? 0 : last - first + 1 - count;
    }

    /// <summary>Exchanges the whole contents of two slots.</summary>
    public void SwapSlots(int a, int b, IReadOnlyList<int> edgesInA, IReadOnlyList<int> edgesInB)
    {
        foreach (var e in edgesInA)
        {
            Unset(e);
        }

        foreach (var e in edgesInB)
        {
            Unset(e);
        }

        foreach (var e in edgesInA)
        {
            Set(e, b);
        }

        foreach (var e in edgesInB)
        {
            Set(e, a);
        }
    }
}
