using TechMarket.Search;

namespace TechMarket.Matching;

/// <summary>
/// The features of one (query listing, candidate) pair, in the order of <see cref="Names"/>: what search found,
/// the texts' overlap both ways, field agreement (given, and as the field the candidate pool votes for), maturity
/// against the stage wanted, price against budget, the districts' distance and the supplier's record. Every
/// feature is a number a model can split on; unknown values have their own neutral value (0.5 for agreements).
/// </summary>
public static class PairFeatures
{
    /// <summary>Feature names, in the column order of every row (and of the model files' feature list).</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "search_score",
        "search_rank_reciprocal",
        "bm25_title",
        "bm25_body",
        "bm25_keywords",
        "covered_segments",
        "query_coverage",
        "reverse_title_coverage",
        "reverse_text_coverage",
        "gram_jaccard",
        "keyword_overlap",
        "field_same",
        "field_vote",
        "maturity_fit",
        "price_fit",
        "district_same",
        "district_distance",
        "supplier_answered",
        "supplier_meetings",
        "supplier_deals",
        "candidate_length",
    ];

    public static int Count => Names.Count;

    /// <summary>The query side, analysed once for all its candidates.</summary>
    public sealed class QueryContext
    {
        internal QueryContext(MatchSide side)
        {
            Side = side;
            Grams = TextOverlap.Grams(side.Text);
        }

        public MatchSide Side { get; }

        internal HashSet<string> Grams { get; }

        /// <summary>Score mass of each field among the best candidates: the field the need most likely belongs to.</summary>
        internal Dictionary<string, double> FieldVotes { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>How many of the best search hits vote on the query's field.</summary>
    public const int VotingHits = 20;

    public static QueryContext Prepare(MatchSide query, IReadOnlyList<SearchHit> hits)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(hits);
        var context = new QueryContext(query);
        var total = 0.0;
        foreach (var hit in hits.Take(VotingHits))
        {
            if (hit.Field is { } f && hit.Score > 0)
            {
                context.FieldVotes[f] = context.FieldVotes.GetValueOrDefault(f) + hit.Score;
                total += hit.Score;
            }
        }

        if (total > 0)
        {
            foreach (var key in context.FieldVotes.Keys.ToList())
            {
                context.FieldVotes[key] /= total;
            }
        }

        return context;
    }

    /// <summary>Fills <paramref name="row"/> (length <see cref="Count"/>) for one candidate at search rank <paramref name="rank"/> (from 1).</summary>
    public static void Compute(QueryContext query, MatchSide candidate, SearchHit hit, int rank, Span<float> row)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(hit);
        if (row.Length != Count)
        {
            throw new ArgumentException($"a feature row has {Count} columns", nameof(row));
        }

        var q = query.Side;
        var parts = hit.Parts ?? new ScoreParts(0, 0, 0, 0, 0);
        var titleGrams = TextOverlap.Grams(candidate.Title);
        var textGrams = TextOverlap.Grams(candidate.Text);
        var field = candidate.Field ?? hit.Field;

        row[0] = (float)hit.Score;
        row[1] = 1f / rank;
        row[2] = (float)parts.Title;
        row[3] = (float)parts.Body;
        row[4] = (float)parts.Keywords;
        row[5] = parts.CoveredSegments;
        row[6] = (float)parts.QueryCoverage;
        row[7] = (float)TextOverlap.Coverage(titleGrams, query.Grams);
        row[8] = (float)TextOverlap.Coverage(textGrams, query.Grams);
        row[9] = (float)TextOverlap.Jaccard(textGrams, query.Grams);
        row[10] = (float)KeywordOverlap(q, candidate);
        row[11] = Agreement(q.Field, field);
        row[12] = field is null ? 0 : (float)query.FieldVotes.GetValueOrDefault(field);
        row[13] = MaturityFit(q, candidate);
        row[14] = PriceFit(q, candidate);
        row[15] = Agreement(q.District, candidate.District);
        row[16] = Districts.DistanceKm(q.District, candidate.District) is { } km ? (float)(km / 100) : 0.5f;
        row[17] = MathF.Log(1 + candidate.Record.InterestAnswered);
        row[18] = MathF.Log(1 + candidate.Record.Meetings);
        row[19] = MathF.Log(1 + candidate.Record.Deals);
        row[20] = MathF.Log(1 + candidate.Text.Length);
    }

    /// <summary>1 when both are known and equal, 0 when both are known and differ, 0.5 otherwise.</summary>
    internal static float Agreement(string? a, string? b) =>
        string.IsNullOrEmpty(a) || string.IsNullOrEmpty(b) ? 0.5f : string.Equals(a, b, StringComparison.Ordinal) ? 1f : 0f;

    /// <summary>Share of either side's keywords that occur in the other's text (0 when neither has keywords).</summary>
    internal static double KeywordOverlap(MatchSide a, MatchSide b)
    {
        var total = a.Keywords.Count + b.Keywords.Count;
        if (total == 0)
        {
            return 0;
        }

        var found = a.Keywords.Count(k => k.Length > 0 && b.Text.Contains(k, StringComparison.OrdinalIgnoreCase)) +
                    b.Keywords.Count(k => k.Length > 0 && a.Text.Contains(k, StringComparison.OrdinalIgnoreCase));
        return (double)found / total;
    }

    private static readonly string[] Stages = ["实验室", "小试", "中试", "产业化"];

    /// <summary>
    /// For a need and an achievement (either way round): 1 when the achievement is at least as mature as the stage
    /// the need wants, less the further it falls short; 0.5 when either is unknown.
    /// </summary>
    internal static float MaturityFit(MatchSide a, MatchSide b)
    {
        var (need, achievement) = a.Kind == ListingKind.Need ? (a, b) : (b, a);
        var wanted = Array.IndexOf(Stages, need.Maturity);
        var offered = Array.IndexOf(Stages, achievement.Maturity);
        if (wanted < 0 || offered < 0)
        {
            return 0.5f;
        }

        return offered >= wanted ? 1f : 1f - ((wanted - offered) / 3f);
    }

    /// <summary>1 when the achievement's price is within the need's budget, falling to 0 at twice the budget; 0.5 when either is 面议.</summary>
    internal static float PriceFit(MatchSide a, MatchSide b)
    {
        var (need, achievement) = a.Kind == ListingKind.Need ? (a, b) : (b, a);
        if (need.Price is not { } budget || achievement.Price is not { } price || budget <= 0)
        {
            return 0.5f;
        }

        return price <= budget ? 1f : (float)Math.Max(0, 1 - ((price - budget) / budget));
    }
}
