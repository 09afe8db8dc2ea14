using TechMarket.Search.Analysis;

namespace TechMarket.Search.Storage;

/// <summary>Autocomplete over the in-memory table: keywords by popularity, then titles (prefix, then substring).</summary>
internal static class Suggester
{
    public static IReadOnlyList<Suggestion> Suggest(DocTable table, string normalizedPrefix, int limit, ISearchAnalyzer analyzer)
    {
        var keywordCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        var titlePrefix = new List<int>();
        var titleContains = new List<int>();
        for (var slot = 0; slot < table.Count; slot++)
        {
            if (!table.Live[slot])
            {
                continue;
            }

            foreach (var keyword in table.Keywords[slot])
            {
                if (analyzer.Normalize(keyword).StartsWith(normalizedPrefix, StringComparison.Ordinal))
                {
                    keywordCounts[keyword] = keywordCounts.GetValueOrDefault(keyword) + 1;
                }
            }

            var title = table.NormalizedTitles[slot];
            if (title.StartsWith(normalizedPrefix, StringComparison.Ordinal))
            {
                titlePrefix.Add(slot);
            }
            else if (title.Contains(normalizedPrefix, StringComparison.Ordinal))
            {
                titleContains.Add(slot);
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<Suggestion>();
        foreach (var (keyword, _) in keywordCounts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key.Length).ThenBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (result.Count < limit && seen.Add(keyword))
            {
                result.Add(new Suggestion(keyword, "keyword"));
            }
        }

        foreach (var slot in titlePrefix.OrderByDescending(s => table.UpdatedMs[s]).Concat(titleContains.OrderByDescending(s => table.UpdatedMs[s])))
        {
            if (result.Count >= limit)
            {
                break;
            }

            if (seen.Add(table.Titles[slot]))
            {
                result.Add(new Suggestion(table.Titles[slot], "title"));
            }
        }

        return result;
    }
}
