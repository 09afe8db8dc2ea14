namespace TechMarket.Scheduling;

/// <summary>
/// What a greedy event tool does: requests in order of score, each into the first slot where both
/// participants and a table are free. Kept only to measure what the real scheduler gains over it.
/// </summary>
internal static class FirstFitBaseline
{
    /// <returns>How many requests greedy places.</returns>
    public static int Place(EventInput input)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < input.Participants.Count; i++)
        {
            index[input.Participants[i].Id] = i;
        }

        var busy = new bool[input.Participants.Count, input.Slots];
        var degree = new int[input.Participants.Count];
        var cap = input.Participants.Select(p => Math.Min(p.MaxMeetings ?? input.Slots, input.Slots)).ToArray();
        foreach (var p in input.Participants)
        {
            foreach (var s in p.UnavailableSlots ?? [])
            {
                busy[index[p.Id], s] = true;
            }
        }

        var tables = new int[input.Slots];
        var placed = 0;
        foreach (var r in input.Requests.OrderByDescending(r => r.Score))
        {
            var (u, v) = (index[r.A], index[r.B]);
            if (degree[u] >= cap[u] || degree[v] >= cap[v])
            {
                continue;
            }

            for (var s = 0; s < input.Slots; s++)
            {
                if (!busy[u, s] && !busy[v, s] && tables[s] < input.Tables)
                {
                    busy[u, s] = busy[v, s] = true;
                    tables[s]++;
                    degree[u]++;
                    degree[v]++;
                    placed++;
                    break;
                }
            }
        }

        return placed;
    }
}
