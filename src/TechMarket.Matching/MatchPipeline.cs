using TechMarket.Search;

namespace TechMarket.Matching;

/// <summary>Orders a query's candidates: the model behind the market's suggestions, or none (search order).</summary>
public interface IMatchRanker
{
    /// <summary>What to call it in logs and reports (the model file's name and version, say).</summary>
    string Name { get; }

    /// <summary>Scores each row (columns as <see cref="PairFeatures.Names"/>); higher is better. Thread-safe.</summary>
    void Score(IReadOnlyList<float[]> rows, Span<float> scores);
}

/// <summary>How many candidates to score and what to return with them.</summary>
public sealed record MatchOptions
{
    /// <summary>Candidates taken from search and scored by the model.</summary>
    public int Candidates { get; init; } = 200;

    /// <summary>Suggestions returned.</summary>
    public int Top { get; init; } = 10;

    /// <summary>Whether to build the Chinese reasons and highlighted snippets (off for bulk evaluation).</summary>
    public bool WithReasons { get; init; } = true;

    /// <summary>Listings of this organisation are never suggested (one's own achievements for one's own need).</summary>
    public long? ExcludeOrganisationId { get; init; }
}

/// <summary>One suggested listing with its scores, its features and why it was suggested.</summary>
public sealed record MatchSuggestion(
    MatchSide Candidate,
    double Score,
    double SearchScore,
    int SearchRank,
    float[] Features,
    IReadOnlyList<MatchReason> Reasons,
    HighlightedText Title,
    HighlightedText Snippet);

/// <summary>
/// The matching pipeline: candidates from search over the other side's published listings, pair features, the
/// model's order, and reasons. The server's suggestions and <c>techmarket eval match</c> both run this class.
/// </summary>
public sealed class MatchPipeline(ISearchIndex index, IMatchCatalog catalog, Func<IMatchRanker?> ranker)
{
    public async Task<IReadOnlyList<MatchSuggestion>> SuggestAsync(MatchSide from, MatchOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        options ??= new MatchOptions();
        var result = await index.SearchAsync(new SearchQuery
        {
            Text = from.Text,
            Kind = from.Kind == ListingKind.Need ? ListingKind.Achievement : ListingKind.Need,
            Statuses = ["published"],
            PageSize = options.Candidates,
            IncludeFacets = false,
            // Only the suggestions shown are highlighted, after the model's order (below), not all candidates.
            IncludeHighlights = false,
            IncludeScoreParts = true,
        }, ct);
        var hits = result.Hits.Where(h => h.Id != from.Id).ToList();
        if (hits.Count == 0)
        {
            return [];
        }

        var sides = await catalog.LoadAsync([.. hits.Select(h => h.Id)], ct);
        var kept = new List<(SearchHit Hit, int Rank, MatchSide Side)>(hits.Count);
        for (var i = 0; i < hits.Count; i++)
        {
            if (sides.TryGetValue(hits[i].Id, out var side) && side.OrganisationId != options.ExcludeOrganisationId)
            {
                kept.Add((hits[i], i + 1, side));
            }
        }

        var context = PairFeatures.Prepare(from, hits);
        var rows = new List<float[]>(kept.Count);
        foreach (var (hit, rank, side) in kept)
        {
            var row = new float[PairFeatures.Count];
            PairFeatures.Compute(context, side, hit, rank, row);
            rows.Add(row);
        }

        var scores = new float[rows.Count];
        if (ranker() is { } model && rows.Count > 0)
        {
            model.Score(rows, scores);
        }
        else
        {
            for (var i = 0; i < rows.Count; i++)
            {
                scores[i] = (float)kept[i].Hit.Score;
            }
        }

        // Best score first; ties keep search order.
        var order = Enumerable.Range(0, rows.Count).OrderByDescending(i => scores[i]).ThenBy(i => kept[i].Rank).Take(options.Top).ToList();
        IReadOnlyList<HighlightedText> titles = [], snippets = [];
        if (options.WithReasons)
        {
            titles = index.Highlight(from.Text, [.. order.Select(i => kept[i].Side.Title)], null);
            snippets = index.Highlight(from.Text, [.. order.Select(i => kept[i].Side.Body)], SqlSearchIndex.SnippetLength);
        }

        var suggestions = new List<MatchSuggestion>(order.Count);
        for (var k = 0; k < order.Count; k++)
        {
            var i = order[k];
            var (hit, rank, side) = kept[i];
            var reasons = options.WithReasons ? MatchReasons.For(from, side, hit with { Title = titles[k], Snippet = snippets[k] }) : [];
            suggestions.Add(new MatchSuggestion(side, scores[i], hit.Score, rank, rows[i], reasons,
                options.WithReasons ? titles[k] : hit.Title, options.WithReasons ? snippets[k] : hit.Snippet));
        }

        return suggestions;
    }
}

/// <summary>An organisation suggested to an enterprise: its achievements that fit the enterprise's needs.</summary>
public sealed record SupplierSuggestion(long OrganisationId, string OrganisationName, string? District, double Score, IReadOnlyList<SupplierFit> Fits);

/// <summary>One of a supplier's achievements and the need of the enterprise's it fits, with its place there.</summary>
public sealed record SupplierFit(MatchSide Need, MatchSuggestion Achievement, int Rank);

/// <summary>Institutes (and other suppliers) for an enterprise, aggregated from the suggestions for each of its needs.</summary>
public static class SupplierAggregation
{
    /// <summary>
    /// Runs the pipeline for each need and fuses the lists by reciprocal rank: a supplier scores, for every need,
    /// 1/rank of its best achievement there, summed over needs. A lab that fits several needs, or one need at the
    /// top, comes first; the model's raw scores (not comparable across needs) are not added.
    /// </summary>
    public static async Task<IReadOnlyList<SupplierSuggestion>> SuggestAsync(MatchPipeline pipeline, IReadOnlyList<MatchSide> needs, int top = 10, int perNeed = 20, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(needs);
        var bySupplier = new Dictionary<long, (MatchSide Any, double Score, List<SupplierFit> Fits)>();
        foreach (var need in needs)
        {
            var suggestions = await pipeline.SuggestAsync(need, new MatchOptions { Top = perNeed, ExcludeOrganisationId = need.OrganisationId }, ct);
            var seen = new HashSet<long>();
            for (var i = 0; i < suggestions.Count; i++)
            {
                var s = suggestions[i];
                var org = s.Candidate.OrganisationId;
                if (!bySupplier.TryGetValue(org, out var entry))
                {
                    entry = (s.Candidate, 0, []);
                }

                if (seen.Add(org))
                {
                    entry.Score += 1.0 / (i + 1);
                }

                entry.Fits.Add(new SupplierFit(need, s, i + 1));
                bySupplier[org] = entry;
            }
        }

        return [.. bySupplier.OrderByDescending(kv => kv.Value.Score).ThenBy(kv => kv.Key).Take(top).Select(kv => new SupplierSuggestion(
            kv.Key, kv.Value.Any.OrganisationName, kv.Value.Any.District, Math.Round(kv.Value.Score, 4),
            [.. kv.Value.Fits.OrderBy(f => f.Rank).Take(3)]))];
    }
}
