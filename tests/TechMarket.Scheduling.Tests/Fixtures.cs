namespace TechMarket.Scheduling.Tests;

/// <summary>Seeded random instances and the checks every schedule must pass.</summary>
internal static class Fixtures
{
    /// <summary>Enterprises E0.. and institutes I0..; requests only across the two sides.</summary>
    public static EventInput Bipartite(Random rng, int enterprises, int institutes, int requests, int slots, int tables,
        double unavailableRate = 0, double lockRate = 0, bool integerScores = false, int? maxCap = null)
    {
        var participants = new List<Participant>();
        for (var i = 0; i < enterprises; i++)
        {
            participants.Add(MakeParticipant(rng, $"E{i}", ParticipantSide.Enterprise, slots, unavailableRate, maxCap));
        }

        for (var i = 0; i < institutes; i++)
        {
            participants.Add(MakeParticipant(rng, $"I{i}", ParticipantSide.Institute, slots, unavailableRate, maxCap));
        }

        var pairs = new HashSet<(int, int)>();
        var list = new List<MeetingRequest>();
        var attempts = 0;
        while (list.Count < requests && attempts++ < requests * 20)
        {
            var a = rng.Next(enterprises);
            var b = rng.Next(institutes);
            if (pairs.Add((a, b)))
            {
                list.Add(new MeetingRequest($"E{a}", $"I{b}", Score(rng, integerScores)));
            }
        }

        return AddLocks(rng, new EventInput(slots, tables, participants, list), lockRate);
    }

    /// <summary>Anyone may meet anyone (odd cycles, same-side requests).</summary>
    public static EventInput General(Random rng, int people, int requests, int slots, int tables,
        double unavailableRate = 0, double lockRate = 0, bool integerScores = false, int? maxCap = null)
    {
        var participants = new List<Participant>();
        for (var i = 0; i < people; i++)
        {
            participants.Add(MakeParticipant(rng, $"P{i}", (ParticipantSide)rng.Next(3), slots, unavailableRate, maxCap));
        }

        var pairs = new HashSet<(int, int)>();
        var list = new List<MeetingRequest>();
        var attempts = 0;
        while (list.Count < requests && attempts++ < requests * 20)
        {
            var a = rng.Next(people);
            var b = rng.Next(people);
            if (a != b && pairs.Add((Math.Min(a, b), Math.Max(a, b))))
            {
                list.Add(new MeetingRequest($"P{a}", $"P{b}", Score(rng, integerScores)));
            }
        }

        return AddLocks(rng, new EventInput(slots, tables, participants, list), lockRate);
    }

    /// <summary>A d-regular bipartite graph on n + n participants (see <see cref="RegularBipartite"/>).</summary>
    public static EventInput RegularBipartite(int n, int d, int seed) => Tests.RegularBipartite.Build(n, d, seed);

    private static Participant MakeParticipant(Random rng, string id, ParticipantSide side, int slots, double unavailableRate, int? maxCap)
    {
        var unavailable = Enumerable.Range(0, slots).Where(_ => rng.NextDouble() < unavailableRate).ToList();
        int? cap = maxCap is { } m ? rng.Next(0, m + 1) : null;
        return new Participant(id, side, cap, unavailable);
    }

    private static double Score(Random rng, bool integer) => integer ? rng.Next(1, 100) : Math.Round(rng.NextDouble(), 3);

    private static EventInput AddLocks(Random rng, EventInput input, double lockRate)
    {
        if (lockRate <= 0)
        {
            return input;
        }

        var busy = new HashSet<(string, int)>();
        var tableUsed = new HashSet<(int, int)>();
        var unavailable = input.Participants.ToDictionary(p => p.Id, p => new HashSet<int>(p.UnavailableSlots ?? []));
        var count = input.Participants.ToDictionary(p => p.Id, _ => 0);
        var cap = input.Participants.ToDictionary(p => p.Id, p => p.MaxMeetings ?? input.Slots);
        var requests = new List<MeetingRequest>();
        foreach (var r in input.Requests)
        {
            if (rng.NextDouble() < lockRate)
            {
                var s = rng.Next(input.Slots);
                var t = rng.Next(input.Tables);
                if (!busy.Contains((r.A, s)) && !busy.Contains((r.B, s)) && !tableUsed.Contains((s, t))
                    && !unavailable[r.A].Contains(s) && !unavailable[r.B].Contains(s) && count[r.A] < cap[r.A] && count[r.B] < cap[r.B])
                {
                    busy.Add((r.A, s));
                    busy.Add((r.B, s));
                    tableUsed.Add((s, t));
                    count[r.A]++;
                    count[r.B]++;
                    requests.Add(r with { Lock = new MeetingLock(s, t) });
                    continue;
                }
            }

            requests.Add(r);
        }

        return input with { Requests = requests };
    }

    /// <summary>Asserts the schedule is valid: nobody or no table double-booked, pins and availability kept, caps kept, every request accounted for once.</summary>
    public static void AssertValid(EventInput input, ScheduleResult result)
    {
        var participants = input.Participants.ToDictionary(p => p.Id);
        var accounted = new int[input.Requests.Count];
        var personSlot = new HashSet<(string, int)>();
        var tableSlot = new HashSet<(int, int)>();
        var degree = new Dictionary<string, int>();
        double total = 0;
        foreach (var m in result.Meetings)
        {
            accounted[m.RequestIndex]++;
            var r = input.Requests[m.RequestIndex];
            Assert.Equal(r.A, m.A);
            Assert.Equal(r.B, m.B);
            Assert.InRange(m.Slot, 0, input.Slots - 1);
            Assert.InRange(m.Table, 0, input.Tables - 1);
            Assert.True(personSlot.Add((m.A, m.Slot)), $"{m.A} double-booked in slot {m.Slot}");
            Assert.True(personSlot.Add((m.B, m.Slot)), $"{m.B} double-booked in slot {m.Slot}");
            Assert.True(tableSlot.Add((m.Slot, m.Table)), $"table {m.Table} double-booked in slot {m.Slot}");
            Assert.DoesNotContain(m.Slot, participants[m.A].UnavailableSlots ?? []);
            Assert.DoesNotContain(m.Slot, participants[m.B].UnavailableSlots ?? []);
            Assert.False(participants[m.A].Absent);
            Assert.False(participants[m.B].Absent);
            if (r.Lock is { } pin)
            {
                Assert.Equal(pin.Slot, m.Slot);
                Assert.Equal(pin.Table, m.Table);
            }

            degree[m.A] = degree.GetValueOrDefault(m.A) + 1;
            degree[m.B] = degree.GetValueOrDefault(m.B) + 1;
            total += m.Score;
        }

        foreach (var u in result.Unplaced)
        {
            accounted[u.RequestIndex]++;
            Assert.False(string.IsNullOrWhiteSpace(u.Reason));
            var pinnedAndPresent = input.Requests[u.RequestIndex].Lock is not null && !participants[u.A].Absent && !participants[u.B].Absent;
            Assert.False(pinnedAndPresent, $"pinned request {u.RequestIndex} unplaced: {u.Reason}");
        }

        Assert.All(accounted, c => Assert.Equal(1, c));
        foreach (var (id, d) in degree)
        {
            Assert.True(d <= Math.Min(participants[id].MaxMeetings ?? input.Slots, input.Slots), $"{id} over its cap");
        }

        Assert.Equal(total, result.TotalScore, 6);
        Assert.Equal(result.Meetings.Select(m => m.Slot).Distinct().Count(), result.SlotsUsed);
    }
}

/// <summary>A clock that always says the same time.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
