using System.Globalization;

namespace TechMarket.Scheduling;

/// <summary>
/// Schedules the bilateral meetings of one event: chooses the meetings (maximum total score under
/// caps and room), places them in slots and tables without double-booking, keeps pins and
/// availability, shortens idle gaps, and reports every request not held with a Chinese reason.
/// </summary>
public sealed class MeetingScheduler
{
    private readonly SchedulerOptions _options;

    /// <summary>Creates a scheduler.</summary>
    public MeetingScheduler(SchedulerOptions? options = null)
    {
        _options = options ?? new SchedulerOptions();
    }

    /// <summary>Schedules an event from scratch.</summary>
    /// <exception cref="ScheduleInputException">The input is invalid; the message names the offending item.</exception>
    public ScheduleResult Schedule(EventInput input)
    {
        // When availability limits make some chosen meetings unplaceable, choosing again without
        // them often places more; the best of a few rounds is kept. The first round's choice
        // gives the bound.
        var (best, exact, bound, failed) = Attempt(input, []);
        var excluded = new HashSet<int>();
        for (var round = 1; round < 3 && failed.Count > 0; round++)
        {
            excluded.UnionWith(failed);
            var (work, _, _, again) = Attempt(input, excluded);
            if (Total(work) > Total(best) + 1e-9)
            {
                best = work;
            }

            failed = again;
        }

        if (_options.CompactGaps)
        {
            Compaction.Run(best.Grid, _options.MaxCompactionPasses);
        }

        AssignTables(best.Grid);
        return best.Result(exact, bound, moved: 0);
    }

    private static double Total(Work work)
    {
        double total = 0;
        for (var e = 0; e < work.Grid.U.Length; e++)
        {
            total += work.Grid.Slot[e] >= 0 ? work.Input.Requests[e].Score : 0;
        }

        return total;
    }

    /// <summary>One round of choice and placement; returns the chosen requests that could not be placed.</summary>
    private static (Work Work, bool Exact, double Bound, List<int> Failed) Attempt(EventInput input, HashSet<int> excluded)
    {
        var work = Work.Prepare(input);
        var grid = work.Grid;
        var candidates = work.Candidates();
        var eligible = candidates.Where(e => !excluded.Contains(e)).ToList();
        var (exact, bound, chosen) = Select(work, eligible);
        var selected = new List<int>();
        for (var i = 0; i < chosen.Length; i++)
        {
            if (chosen[i])
            {
                selected.Add(eligible[i]);
            }
        }

        // Most constrained first (fewest slots both may use), then best score: without
        // availability limits this is plain score order.
        var freedom = new Dictionary<int, int>();
        foreach (var e in selected)
        {
            var count = 0;
            for (var s = 0; s < grid.Slots; s++)
            {
                count += grid.Free(grid.U[e], s) && grid.Free(grid.V[e], s) ? 1 : 0;
            }

            freedom[e] = count;
        }

        selected = [.. selected.OrderBy(e => freedom[e]).ThenByDescending(e => input.Requests[e].Score).ThenBy(e => e)];
        Place(work, selected);
        var failed = selected.Where(e => grid.Slot[e] < 0).ToList();

        var rest = candidates.Where(e => grid.Slot[e] < 0).OrderByDescending(e => input.Requests[e].Score).ThenBy(e => e).ToList();
        Fill(work, rest, allowKempe: true);
        EjectionImprove(work, rest);
        return (work, exact, bound, failed);
    }

    /// <summary>
    /// Chooses meetings among <paramref name="candidates"/>: exactly by min-cost flow when the
    /// request graph is bipartite, else heuristically with the doubled-graph bound.
    /// </summary>
    private static (bool Exact, double Bound, bool[] Chosen) Select(Work work, List<int> candidates)
    {
        var input = work.Input;
        var grid = work.Grid;
        var (weight, scoreWeight, scale) = MeetingSelector.Weights([.. candidates.Select(e => input.Requests[e].Score)]);
        var problem = new SelectionProblem
        {
            Nodes = work.N,
            Capacity = work.ResidualCapacity(),
            Room = (input.Slots * input.Tables) - work.LockedCount,
            U = [.. candidates.Select(e => grid.U[e])],
            V = [.. candidates.Select(e => grid.V[e])],
            Weight = weight,
            ScoreWeight = scoreWeight,
        };

        var side = MeetingSelector.TwoColour(problem.Nodes, problem.U, problem.V);
        if (side is not null)
        {
            var chosen = MeetingSelector.SelectBipartite(problem, side);
            long sum = 0;
            for (var i = 0; i < chosen.Length; i++)
            {
                sum += chosen[i] ? scoreWeight[i] : 0;
            }

            return (true, (sum / scale) + work.LockedScore, chosen);
        }

        var (bound2, usage) = MeetingSelector.DoubledBound(problem);
        return (false, (bound2 / 2.0 / scale) + work.LockedScore, MeetingSelector.SelectGeneral(problem, usage));
    }

    /// <summary>
    /// Applies a change to a schedule while moving as few existing meetings as possible: a new
    /// meeting goes into a common free slot if there is one, else along the shortest valid Kempe
    /// chain; a cancellation or absence frees places that are refilled without moving anyone.
    /// </summary>
    /// <returns>The new schedule; <see cref="ScheduleStats.Moved"/> counts meetings whose slot or table changed.</returns>
    public ScheduleResult Reschedule(ScheduleResult previous, ScheduleChange change)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(change);
        var old = previous.Input;
        EventInput input;
        Func<int, int> map;
        var added = -1;
        switch (change)
        {
            case AddMeeting add:
                input = old with { Requests = [.. old.Requests, add.Request] };
                map = i => i;
                added = old.Requests.Count;
                break;
            case CancelMeeting cancel:
                var pair = new ParticipantPair(cancel.A, cancel.B);
                var placed = previous.Meetings.Where(m => new ParticipantPair(m.A, m.B) == pair).Select(m => m.RequestIndex).ToList();
                var k = placed.Count > 0
                    ? placed[0]
                    : Enumerable.Range(0, old.Requests.Count).FirstOrDefault(i => new ParticipantPair(old.Requests[i].A, old.Requests[i].B) == pair, -1);
                if (k < 0)
                {
                    throw new ScheduleInputException($"没有找到{cancel.A}与{cancel.B}之间的会谈请求");
                }

                input = old with { Requests = [.. old.Requests.Where((_, i) => i != k)] };
                map = i => i < k ? i : i > k ? i - 1 : -1;
                break;
            case ParticipantAbsent absent:
                if (!old.Participants.Any(p => p.Id == absent.ParticipantId))
                {
                    throw new ScheduleInputException($"不存在的参与方：{absent.ParticipantId}");
                }

                input = old with { Participants = [.. old.Participants.Select(p => p.Id == absent.ParticipantId ? p with { Absent = true } : p)] };
                map = i => i;
                break;
            default:
                throw new ScheduleInputException("不支持的变更类型");
        }

        var work = Work.Prepare(input);
        var grid = work.Grid;
        var before = new Dictionary<int, (int Slot, int Table)>();
        var displaced = new List<int>();
        foreach (var m in previous.Meetings.OrderByDescending(m => m.Score).ThenBy(m => m.RequestIndex))
        {
            var e = map(m.RequestIndex);
            if (e < 0 || work.Reason[e] is not null)
            {
                continue;
            }

            before[e] = (m.Slot, m.Table);
            if (grid.Locked[e])
            {
                continue;
            }

            if (grid.Degree(grid.U[e]) >= work.Cap[grid.U[e]] || grid.Degree(grid.V[e]) >= work.Cap[grid.V[e]])
            {
                // A new pin took the participant's last place; the cheapest meetings give way.
                continue;
            }

            if (grid.Free(grid.U[e], m.Slot) && grid.Free(grid.V[e], m.Slot))
            {
                grid.Set(e, m.Slot);
                grid.Table[e] = m.Table;
            }
            else
            {
                displaced.Add(e);
            }
        }

        if (added >= 0 && work.Reason[added] is null && !grid.Locked[added])
        {
            displaced.Insert(0, added);
        }

        foreach (var e in displaced)
        {
            if (grid.Degree(grid.U[e]) < work.Cap[grid.U[e]] && grid.Degree(grid.V[e]) < work.Cap[grid.V[e]])
            {
                grid.TryInsert(e, grid.Slots, enforceTables: true, allowKempe: true, shortestChain: true, out _);
            }
        }

        // A new pin can overfill its slot's tables; move or drop the cheapest meetings there.
        Balance(grid, e => input.Requests[e].Score);
        var rest = work.Candidates().Where(e => grid.Slot[e] < 0 && e != added).OrderByDescending(e => input.Requests[e].Score).ThenBy(e => e).ToList();
        if (_options.RefillAfterRelease)
        {
            Fill(work, rest, allowKempe: false);
        }

        AssignTables(grid);

        var moved = 0;
        foreach (var (e, (slot, table)) in before)
        {
            if (grid.Slot[e] >= 0 && (grid.Slot[e] != slot || grid.Table[e] != table))
            {
                moved++;
            }
        }

        // The bound is that of scheduling the changed input from scratch; it covers any schedule.
        var fresh = Work.Prepare(input);
        var (_, bound, _) = Select(fresh, fresh.Candidates());
        return work.Result(exact: false, bound, moved);
    }

    /// <summary>
    /// Schedules the events of one campaign in order so that a pair that met at an earlier event is
    /// not scheduled again unless its request says <see cref="MeetingRequest.AllowRepeat"/>.
    /// </summary>
    public IReadOnlyList<ScheduleResult> ScheduleSeries(IEnumerable<EventInput> eventsInDateOrder)
    {
        ArgumentNullException.ThrowIfNull(eventsInDateOrder);
        var met = new HashSet<ParticipantPair>();
        var results = new List<ScheduleResult>();
        foreach (var ev in eventsInDateOrder)
        {
            var known = new HashSet<ParticipantPair>(met);
            known.UnionWith(ev.PreviouslyMet ?? []);
            var result = Schedule(ev with { PreviouslyMet = known });
            foreach (var m in result.Meetings)
            {
                met.Add(new ParticipantPair(m.A, m.B));
            }

            results.Add(result);
        }

        return results;
    }

    /// <summary>
    /// Colours the chosen meetings into slots: first into K = max(Δ, ⌈m / tables⌉) slots (Kempe
    /// chains make this König's construction for bipartite graphs), then what is left by
    /// Misra–Gries into Δ + 1 slots when nobody has unavailable slots or pins, else into any slot;
    /// then balances slots so none needs more tables than exist.
    /// </summary>
    private static void Place(Work work, List<int> selected)
    {
        var grid = work.Grid;
        var degree = new int[work.N];
        var m = work.LockedCount + selected.Count;
        var chosen = new HashSet<int>(selected);
        for (var e = 0; e < grid.U.Length; e++)
        {
            if (grid.Locked[e] || chosen.Contains(e))
            {
                degree[grid.U[e]]++;
                degree[grid.V[e]]++;
            }
        }

        var delta = degree.Length == 0 ? 0 : degree.Max();
        var k = Math.Clamp(Math.Max(delta, (m + grid.Tables - 1) / grid.Tables), 1, grid.Slots);
        var deferred = new List<int>();
        foreach (var e in selected)
        {
            if (!grid.TryInsert(e, k, enforceTables: false, allowKempe: true, shortestChain: false, out _))
            {
                deferred.Add(e);
            }
        }

        var pure = !grid.HasUnavailability && work.LockedCount == 0 && delta + 1 <= grid.Slots;
        foreach (var e in deferred)
        {
            if (!(pure && grid.TryInsertMisraGries(e, delta + 1)))
            {
                grid.TryInsert(e, grid.Slots, enforceTables: false, allowKempe: true, shortestChain: false, out _);
            }
        }

        Balance(grid, e => work.Input.Requests[e].Score);
    }

    /// <summary>
    /// Moves meetings out of slots holding more meetings than tables along alternating paths of
    /// two slots (de Werra: the classes of a proper colouring can be equalised this way); a
    /// meeting that cannot be moved like that is taken out and later refilled or reported.
    /// </summary>
    private static void Balance(SlotGrid grid, Func<int, double> score)
    {
        for (var c = 0; c < grid.Slots; c++)
        {
            while (grid.Count[c] > grid.Tables)
            {
                var inC = EdgesIn(grid, c);
                var done = false;
                var targets = Enumerable.Range(0, grid.Slots).Where(d => d != c && grid.Count[d] < grid.Tables)
                    .OrderBy(d => grid.Count[d] == 0 ? 1 : 0).ThenBy(d => grid.Count[d]).ThenBy(d => d).ToList();
                foreach (var d in targets)
                {
                    foreach (var (path, x, y) in grid.Paths(c, d, inC))
                    {
                        if (path.Count % 2 == 1 && path.TrueForAll(f => !grid.Locked[f]) && !grid.IsUnavailable(x, d) && !grid.IsUnavailable(y, d))
                        {
                            grid.Swap(path, c, d);
                            done = true;
                            break;
                        }
                    }

                    if (done)
                    {
                        break;
                    }
                }

                if (!done)
                {
                    var victim = inC.Where(f => !grid.Locked[f]).OrderBy(score).ThenByDescending(f => f).FirstOrDefault(-1);
                    if (victim < 0)
                    {
                        break;
                    }

                    grid.Unset(victim);
                }
            }
        }
    }

    private static void Fill(Work work, List<int> order, bool allowKempe)
    {
        var grid = work.Grid;
        var placed = 0;
        for (var e = 0; e < grid.U.Length; e++)
        {
            placed += grid.Slot[e] >= 0 ? 1 : 0;
        }

        foreach (var e in order)
        {
            if (placed >= grid.Slots * grid.Tables)
            {
                return;
            }

            if (grid.Slot[e] < 0 && grid.Degree(grid.U[e]) < work.Cap[grid.U[e]] && grid.Degree(grid.V[e]) < work.Cap[grid.V[e]]
                && grid.TryInsert(e, grid.Slots, enforceTables: true, allowKempe, shortestChain: false, out _))
            {
                placed++;
            }
        }
    }

    /// <summary>
    /// Local search for placements that availability limits spoiled: an unplaced request takes a
    /// slot where both participants may meet if the meetings it pushes out (the participants'
    /// meetings in that slot, one more if a cap or the slot's tables are full) score less; the
    /// pushed-out meetings are then re-inserted elsewhere where possible. Each accepted step
    /// raises the total, so the search ends. After an exact choice without availability limits no
    /// step can gain (it would beat the optimum), so the search changes nothing there.
    /// </summary>
    private static void EjectionImprove(Work work, List<int> candidates)
    {
        var grid = work.Grid;
        var score = work.Input.Requests.Select(r => r.Score).ToArray();
        for (var pass = 0; pass < 10; pass++)
        {
            var improved = false;
            var lowest = LowestPerSlot(grid, score);
            foreach (var e in candidates)
            {
                if (grid.Slot[e] >= 0)
                {
                    continue;
                }

                var plan = BestEjection(work, e, score, lowest);
                if (plan is null)
                {
                    continue;
                }

                foreach (var f in plan.Value.Ejected)
                {
                    grid.Unset(f);
                }

                grid.Set(e, plan.Value.Slot);
                foreach (var f in plan.Value.Ejected)
                {
                    if (grid.Degree(grid.U[f]) < work.Cap[grid.U[f]] && grid.Degree(grid.V[f]) < work.Cap[grid.V[f]])
                    {
                        grid.TryInsert(f, grid.Slots, enforceTables: true, allowKempe: true, shortestChain: true, out _);
                    }
                }

                improved = true;
                lowest = LowestPerSlot(grid, score);
            }

            if (!improved)
            {
                return;
            }
        }
    }

    private static (int Slot, List<int> Ejected)? BestEjection(Work work, int e, double[] score, int[] lowest)
    {
        var grid = work.Grid;
        var (u, v) = (grid.U[e], grid.V[e]);
        (int Slot, List<int> Ejected)? best = null;
        var bestGain = 1e-9;
        for (var s = 0; s < grid.Slots; s++)
        {
            if (grid.IsUnavailable(u, s) || grid.IsUnavailable(v, s))
            {
                continue;
            }

            var ejected = new List<int>();
            var blocked = false;
            foreach (var p in new[] { u, v })
            {
                var f = grid.At(p, s);
                if (f >= 0 && !ejected.Contains(f))
                {
                    blocked |= grid.Locked[f];
                    ejected.Add(f);
                }
            }

            if (blocked)
            {
                continue;
            }

            foreach (var p in new[] { u, v })
            {
                var keeps = grid.Degree(p) - ejected.Count(f => grid.U[f] == p || grid.V[f] == p);
                if (keeps >= work.Cap[p])
                {
                    var cheapest = Cheapest(grid, p, score, ejected);
                    if (cheapest < 0)
                    {
                        blocked = true;
                        break;
                    }

                    ejected.Add(cheapest);
                }
            }

            if (blocked)
            {
                continue;
            }

            if (grid.Count[s] - ejected.Count(f => grid.Slot[f] == s) >= grid.Tables)
            {
                var f = lowest[s];
                if (f < 0 || ejected.Contains(f))
                {
                    continue;
                }

                ejected.Add(f);
            }

            var gain = score[e] - ejected.Sum(f => score[f]);
            if (gain > bestGain)
            {
                bestGain = gain;
                best = (s, ejected);
            }
        }

        return best;
    }

    private static int Cheapest(SlotGrid grid, int p, double[] score, List<int> exclude)
    {
        var best = -1;
        for (var s = 0; s < grid.Slots; s++)
        {
            var f = grid.At(p, s);
            if (f >= 0 && !grid.Locked[f] && !exclude.Contains(f) && (best < 0 || score[f] < score[best]))
            {
                best = f;
            }
        }

        return best;
    }

    /// <summary>The cheapest unpinned meeting of every slot, or −1.</summary>
    private static int[] LowestPerSlot(SlotGrid grid, double[] score)
    {
        var lowest = new int[grid.Slots];
        Array.Fill(lowest, -1);
        for (var f = 0; f < grid.U.Length; f++)
        {
            var s = grid.Slot[f];
            if (s >= 0 && !grid.Locked[f] && (lowest[s] < 0 || score[f] < score[lowest[s]]))
            {
                lowest[s] = f;
            }
        }

        return lowest;
    }

    /// <summary>
    /// Gives every meeting a table: pinned ones keep theirs, meetings that already had a table
    /// keep it when free, others take the table one of their participants used in the slot
    /// before (fewer walks between tables), else the lowest free table.
    /// </summary>
    private static void AssignTables(SlotGrid grid)
    {
        var previousSlotTable = new Dictionary<int, int>();
        for (var s = 0; s < grid.Slots; s++)
        {
            var inS = EdgesIn(grid, s);
            var taken = new bool[grid.Tables];
            var pending = new List<int>();
            foreach (var e in inS.OrderBy(e => grid.Locked[e] ? 0 : 1))
            {
                var t = grid.Table[e];
                if (t >= 0 && t < grid.Tables && !taken[t])
                {
                    taken[t] = true;
                }
                else
                {
                    pending.Add(e);
                }
            }

            foreach (var e in pending)
            {
                var t = -1;
                foreach (var p in new[] { grid.U[e], grid.V[e] })
                {
                    if (t < 0 && previousSlotTable.TryGetValue(p, out var pt) && !taken[pt])
                    {
                        t = pt;
                    }
                }

                if (t < 0)
                {
                    t = Array.IndexOf(taken, false);
                }

                taken[t] = true;
                grid.Table[e] = t;
            }

            previousSlotTable.Clear();
            foreach (var e in inS)
            {
                previousSlotTable[grid.U[e]] = grid.Table[e];
                previousSlotTable[grid.V[e]] = grid.Table[e];
            }
        }

        for (var e = 0; e < grid.U.Length; e++)
        {
            if (grid.Slot[e] < 0)
            {
                grid.Table[e] = -1;
            }
        }
    }

    internal static List<int> EdgesIn(SlotGrid grid, int s)
    {
        var list = new List<int>();
        for (var e = 0; e < grid.U.Length; e++)
        {
            if (grid.Slot[e] == s)
            {
                list.Add(e);
            }
        }

        return list;
    }

    /// <summary>Validated, indexed input and the placement grid.</summary>
    private sealed class Work
    {
        private Work(EventInput input, SlotGrid grid, Dictionary<string, int> index)
        {
            Input = input;
            Grid = grid;
            N = index.Count;
            Cap = new int[N];
            Reason = new string?[input.Requests.Count];
        }

        public EventInput Input { get; }

        public SlotGrid Grid { get; }

        public int N { get; }

        /// <summary>Most meetings per participant, pinned ones included.</summary>
        public int[] Cap { get; }

        /// <summary>A reason fixed before selection (duplicate, absence, no common free slot …).</summary>
        public string?[] Reason { get; }

        public int LockedCount { get; private set; }

        public double LockedScore { get; private set; }

        public static Work Prepare(EventInput input)
        {
            ArgumentNullException.ThrowIfNull(input);
            if (input.Slots < 1 || input.Slots > 1000)
            {
                throw new ScheduleInputException($"时段数（slots）无效：{input.Slots}（应为1到1000之间的整数）");
            }

            if (input.Tables < 1 || input.Tables > 100_000)
            {
                throw new ScheduleInputException($"桌数（tables）无效：{input.Tables}（应为1到100000之间的整数）");
            }

            var participants = input.Participants ?? throw new ScheduleInputException("缺少参与方列表（participants）");
            var requests = input.Requests ?? throw new ScheduleInputException("缺少会谈请求列表（requests）");
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < participants.Count; i++)
            {
                var p = participants[i] ?? throw new ScheduleInputException($"第{i + 1}个参与方为空");
                if (string.IsNullOrWhiteSpace(p.Id))
                {
                    throw new ScheduleInputException($"第{i + 1}个参与方缺少ID");
                }

                if (!index.TryAdd(p.Id, i))
                {
                    throw new ScheduleInputException($"参与方ID重复：{p.Id}");
                }

                if (p.MaxMeetings is < 0)
                {
                    throw new ScheduleInputException($"参与方{p.Id}的会谈上限（maxMeetings）不能为负数：{p.MaxMeetings}");
                }

                foreach (var s in p.UnavailableSlots ?? [])
                {
                    if (s < 0 || s >= input.Slots)
                    {
                        throw new ScheduleInputException($"参与方{p.Id}的不可用时段{s}超出范围（时段编号为0到{input.Slots - 1}）");
                    }
                }
            }

            var grid = new SlotGrid(participants.Count, input.Slots, input.Tables, requests.Count);
            var work = new Work(input, grid, index);
            for (var i = 0; i < participants.Count; i++)
            {
                var p = participants[i];
                work.Cap[i] = Math.Min(p.MaxMeetings ?? input.Slots, input.Slots);
                foreach (var s in p.UnavailableSlots ?? [])
                {
                    grid.MarkUnavailable(i, s);
                }
            }

            var previouslyMet = new HashSet<ParticipantPair>(input.PreviouslyMet ?? []);
            var representative = new Dictionary<ParticipantPair, int>();
            var lockAt = new Dictionary<(int Slot, int Table), int>();
            for (var i = 0; i < requests.Count; i++)
            {
                var r = requests[i] ?? throw new ScheduleInputException($"第{i + 1}条会谈请求为空");
                var label = $"第{i + 1}条会谈请求（{r.A}—{r.B}）";
                if (r.A is null || !index.TryGetValue(r.A, out var u))
                {
                    throw new ScheduleInputException($"{label}引用了不存在的参与方：{r.A}");
                }

                if (r.B is null || !index.TryGetValue(r.B, out var v))
                {
                    throw new ScheduleInputException($"{label}引用了不存在的参与方：{r.B}");
                }

                if (u == v)
                {
                    throw new ScheduleInputException($"{label}的双方是同一参与方");
                }

                if (!double.IsFinite(r.Score) || r.Score < 0 || r.Score > 1e6)
                {
                    throw new ScheduleInputException($"{label}的评分无效：{r.Score.ToString(CultureInfo.InvariantCulture)}（应为0到100万之间的数）");
                }

                grid.U[i] = u;
                grid.V[i] = v;
                if (r.Lock is { } pin)
                {
                    if (pin.Slot < 0 || pin.Slot >= input.Slots)
                    {
                        throw new ScheduleInputException($"{label}的锁定时段{pin.Slot}超出范围（0到{input.Slots - 1}）");
                    }

                    if (pin.Table < 0 || pin.Table >= input.Tables)
                    {
                        throw new ScheduleInputException($"{label}的锁定桌号{pin.Table}超出范围（0到{input.Tables - 1}）");
                    }

                    if (lockAt.TryGetValue((pin.Slot, pin.Table), out var other))
                    {
                        throw new ScheduleInputException($"{label}与第{other + 1}条会谈请求锁定在同一位置（时段{pin.Slot}，桌号{pin.Table}）");
                    }

                    lockAt[(pin.Slot, pin.Table)] = i;
                }

                var pair = new ParticipantPair(r.A, r.B);
                if (representative.TryGetValue(pair, out var first))
                {
                    if (r.Lock is not null && requests[first].Lock is not null)
                    {
                        throw new ScheduleInputException($"{label}与第{first + 1}条会谈请求重复锁定同一对参与方");
                    }

                    var keepNew = r.Lock is not null || (requests[first].Lock is null && r.Score > requests[first].Score);
                    var (keep, drop) = keepNew ? (i, first) : (first, i);
                    work.Reason[drop] = $"与第{keep + 1}条会谈请求重复（同一对参与方）";
                    representative[pair] = keep;
                }
                else
                {
                    representative[pair] = i;
                }
            }

            foreach (var (pair, i) in representative)
            {
                var r = requests[i];
                var absent = participants[grid.U[i]].Absent ? r.A : participants[grid.V[i]].Absent ? r.B : null;
                if (absent is not null)
                {
                    work.Reason[i] = $"参与方{absent}缺席";
                    continue;
                }

                if (r.Lock is null && !r.AllowRepeat && previouslyMet.Contains(pair))
                {
                    work.Reason[i] = $"{r.A}与{r.B}已在本系列活动的其他场次会谈过";
                    continue;
                }

                if (r.Lock is { } pin)
                {
                    foreach (var p in new[] { grid.U[i], grid.V[i] })
                    {
                        if (grid.IsUnavailable(p, pin.Slot))
                        {
                            throw new ScheduleInputException($"第{i + 1}条会谈请求（{r.A}—{r.B}）锁定在时段{pin.Slot}，但参与方{participants[p].Id}该时段不可用");
                        }

                        var clash = grid.At(p, pin.Slot);
                        if (clash >= 0)
                        {
                            throw new ScheduleInputException($"参与方{participants[p].Id}在时段{pin.Slot}有两个锁定会谈（第{clash + 1}条与第{i + 1}条会谈请求）");
                        }
                    }

                    grid.Set(i, pin.Slot);
                    grid.Table[i] = pin.Table;
                    grid.Locked[i] = true;
                    work.LockedCount++;
                    work.LockedScore += r.Score;
                }
            }

            for (var p = 0; p < work.N; p++)
            {
                var pinned = grid.Degree(p);
                if (pinned > work.Cap[p])
                {
                    throw new ScheduleInputException($"参与方{participants[p].Id}的锁定会谈（{pinned}场）超过其会谈上限（{work.Cap[p]}场）");
                }
            }

            foreach (var (_, i) in representative)
            {
                if (work.Reason[i] is not null || grid.Locked[i])
                {
                    continue;
                }

                var (u, v) = (grid.U[i], grid.V[i]);
                if (!grid.HasCommonFreeSlot(u, v, needTable: false))
                {
                    work.Reason[i] = $"{requests[i].A}与{requests[i].B}没有共同的空闲时段";
                }
                else if (!grid.HasCommonFreeSlot(u, v, needTable: true))
                {
                    work.Reason[i] = $"{requests[i].A}与{requests[i].B}共同空闲的时段桌位已被锁定会谈占满";
                }
                else if (work.Cap[u] == 0 || work.Cap[v] == 0)
                {
                    work.Reason[i] = $"参与方{(work.Cap[u] == 0 ? requests[i].A : requests[i].B)}不安排会谈（会谈上限为0）";
                }
            }

            return work;
        }

        /// <summary>Requests still to decide: valid, not pinned, not excluded.</summary>
        public List<int> Candidates()
        {
            var list = new List<int>();
            for (var e = 0; e < Reason.Length; e++)
            {
                if (Reason[e] is null && !Grid.Locked[e])
                {
                    list.Add(e);
                }
            }

            return list;
        }

        /// <summary>Meetings each participant can still take: its cap minus pins, and no more than its free slots.</summary>
        public int[] ResidualCapacity()
        {
            var capacity = new int[N];
            for (var p = 0; p < N; p++)
            {
                var free = 0;
                for (var s = 0; s < Grid.Slots; s++)
                {
                    free += Grid.Free(p, s) ? 1 : 0;
                }

                capacity[p] = Math.Max(0, Math.Min(Cap[p] - Grid.Degree(p), free));
            }

            return capacity;
        }

        public ScheduleResult Result(bool exact, double bound, int moved)
        {
            var meetings = new List<Meeting>();
            var unplaced = new List<UnplacedRequest>();
            var requests = Input.Requests;
            var placedCount = 0;
            for (var e = 0; e < requests.Count; e++)
            {
                placedCount += Grid.Slot[e] >= 0 ? 1 : 0;
            }

            double total = 0;
            for (var e = 0; e < requests.Count; e++)
            {
                var r = requests[e];
                if (Grid.Slot[e] >= 0)
                {
                    meetings.Add(new Meeting(e, r.A, r.B, Grid.Slot[e], Grid.Table[e], r.Score, Grid.Locked[e]));
                    total += r.Score;
                }
                else
                {
                    unplaced.Add(new UnplacedRequest(e, r.A, r.B, Reason[e] ?? Explain(e, placedCount)));
                }
            }

            meetings.Sort((x, y) => x.Slot != y.Slot ? x.Slot.CompareTo(y.Slot) : x.Table.CompareTo(y.Table));
            var maxDegree = 0;
            var idle = 0;
            for (var p = 0; p < N; p++)
            {
                maxDegree = Math.Max(maxDegree, Grid.Degree(p));
                idle += Grid.Idle(p);
            }

            var slotsUsed = Grid.Count.Count(c => c > 0);
            var upper = double.IsNaN(bound) ? total : Math.Max(bound, total);
            var gap = upper <= 0 ? 0 : Math.Max(0, (upper - total) / upper);
            return new ScheduleResult(Input, meetings, unplaced, slotsUsed, total, new ScheduleStats(exact, upper, gap, maxDegree, idle, moved));
        }

        private string Explain(int e, int placedCount)
        {
            var r = Input.Requests[e];
            var (u, v) = (Grid.U[e], Grid.V[e]);
            if (Grid.Degree(u) >= Cap[u])
            {
                return $"参与方{r.A}的会谈已满";
            }

            if (Grid.Degree(v) >= Cap[v])
            {
                return $"参与方{r.B}的会谈已满";
            }

            if (placedCount >= Grid.Slots * Grid.Tables)
            {
                return $"会场已满（{Grid.Slots}个时段×{Grid.Tables}张桌）";
            }

            if (!Grid.HasCommonFreeSlot(u, v, needTable: false))
            {
                return $"{r.A}与{r.B}没有同时空闲的时段（其余时段已排满或不可用）";
            }

            return !Grid.HasCommonFreeSlot(u, v, needTable: true)
                ? $"{r.A}与{r.B}同时空闲的时段桌位已满"
                : "为使总分最高未安排";
        }
    }
}
