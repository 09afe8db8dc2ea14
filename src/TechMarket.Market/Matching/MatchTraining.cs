using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Matching;
using TechMarket.Ranking;
using TechMarket.Search;

namespace TechMarket.Market.Matching;

/// <summary>
/// The market's own labels for the next matching model: every need with a recorded match gives one query whose rows
/// are the pipeline's candidates that have a match row, labelled 2 when both sides were interested (or went further),
/// 1 when one side was, 0 when declined. Suggestions nobody acted on are left out: silence is not a judgement.
/// </summary>
public static class MatchTraining
{
    public static int Label(Match m) => m.State switch
    {
        MatchState.Declined => 0,
        >= MatchState.BothInterested => 2,
        MatchState.NeedInterested or MatchState.AchievementInterested => 1,
        _ => -1,
    };

    public static async Task<List<LetorRow>> MarketRowsAsync(MarketDb db, ISearchIndex index, int candidates = 200, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var labelled = await db.Matches.AsNoTracking().Where(m => m.State != MatchState.Proposed).Select(m => new { m.NeedId, m.AchievementId, m.State }).ToListAsync(ct);
        var rows = new List<LetorRow>();
        var pipeline = new MatchPipeline(index, new MatchCatalog(db), () => null);
        foreach (var group in labelled.GroupBy(m => m.NeedId))
        {
            var need = await db.Needs.AsNoTracking().Include(n => n.Organisation).SingleOrDefaultAsync(n => n.Id == group.Key, ct);
            if (need is null)
            {
                continue;
            }

            var labels = group.ToDictionary(m => m.AchievementId, m => Label(new Match { State = m.State }));
            var suggestions = await pipeline.SuggestAsync(MatchCatalog.Side(need), new MatchOptions { Candidates = candidates, Top = candidates, WithReasons = false }, ct);
            foreach (var s in suggestions.OrderBy(s => s.SearchRank))
            {
                if (labels.TryGetValue(s.Candidate.Id, out var label) && label >= 0)
                {
                    rows.Add(new LetorRow($"market:{need.Id}", label, s.Features));
                }
            }
        }

        return rows;
    }

    /// <summary>The rows of a LETOR file of pair features (what <c>techmarket match features</c> writes), as named rows.</summary>
    public static IEnumerable<LetorRow> FileRows(LetorDataset data, string prefix)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureCount != PairFeatures.Count)
        {
            throw new RankingInputException($"训练数据有 {data.FeatureCount} 个特征，撮合特征为 {PairFeatures.Count} 个");
        }

        for (var q = 0; q < data.QueryCount; q++)
        {
            for (var r = data.QueryBoundaries[q]; r < data.QueryBoundaries[q + 1]; r++)
            {
                var row = data.Row(r);
                var features = new float[row.Length];
                for (var f = 0; f < row.Length; f++)
                {
                    features[f] = (float)row[f];
                }

                yield return new LetorRow(prefix + data.QueryIds[q], data.Labels[r], features);
            }
        }
    }
}
