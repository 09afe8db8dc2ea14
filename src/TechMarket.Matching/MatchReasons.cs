using System.Globalization;
using TechMarket.Search;

namespace TechMarket.Matching;

/// <summary>One reason a suggestion was made, in Chinese. <see cref="Kind"/> is stable for tests and styling.</summary>
public sealed record MatchReason(string Kind, string Text);

/// <summary>The reasons shown on every suggestion: shared terms, same field, a maturity that fits, price within budget, district.</summary>
public static class MatchReasons
{
    public static IReadOnlyList<MatchReason> For(MatchSide query, MatchSide candidate, SearchHit hit)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(hit);
        var reasons = new List<MatchReason>();
        var shared = SharedTerms(hit);
        if (shared.Count > 0)
        {
            reasons.Add(new MatchReason("terms", "共同技术要点：" + string.Join("、", shared.Select(t => $"「{t}」"))));
        }

        var field = candidate.Field ?? hit.Field;
        if (!string.IsNullOrEmpty(field) && string.Equals(field, query.Field, StringComparison.Ordinal))
        {
            reasons.Add(new MatchReason("field", $"同属{field}领域"));
        }

        var (need, achievement) = query.Kind == ListingKind.Need ? (query, candidate) : (candidate, query);
        if (!string.IsNullOrEmpty(achievement.Maturity) && PairFeatures.MaturityFit(need, achievement) >= 1 && !string.IsNullOrEmpty(need.Maturity))
        {
            reasons.Add(new MatchReason("maturity", $"成熟度{achievement.Maturity}，满足需求的{need.Maturity}及以上要求"));
        }
        else if (achievement.Maturity is "中试" or "产业化" && string.IsNullOrEmpty(need.Maturity))
        {
            reasons.Add(new MatchReason("maturity", $"成熟度已达{achievement.Maturity}，便于企业承接"));
        }

        if (need.Price is { } budget && achievement.Price is { } price && price <= budget)
        {
            reasons.Add(new MatchReason("price", string.Create(CultureInfo.InvariantCulture, $"报价 {price:0.##} 万元，在预算 {budget:0.##} 万元以内")));
        }

        if (!string.IsNullOrEmpty(query.District) && string.Equals(query.District, candidate.District, StringComparison.Ordinal))
        {
            reasons.Add(new MatchReason("district", $"同在{candidate.District}"));
        }
        else if (Districts.DistanceKm(query.District, candidate.District) is { } km and <= 30)
        {
            reasons.Add(new MatchReason("district", string.Create(CultureInfo.InvariantCulture, $"相距约 {km:0} 公里（{candidate.District}）")));
        }

        var record = candidate.Record;
        if (record.Deals > 0 || record.InterestAnswered > 0)
        {
            reasons.Add(new MatchReason("record", record.Deals > 0
                ? $"该机构已在平台达成 {record.Deals} 项成交"
                : $"该机构已回应 {record.InterestAnswered} 次合作意向"));
        }

        return reasons;
    }

    /// <summary>The distinct terms search marked in the title and snippet, longest first, at most five.</summary>
    internal static List<string> SharedTerms(SearchHit hit)
    {
        var terms = new List<string>();
        foreach (var text in new[] { hit.Title, hit.Snippet })
        {
            foreach (var span in text.Spans)
            {
                var term = text.Text.Substring(span.Start, span.Length).Trim();
                if (term.Length >= 2 && !terms.Contains(term, StringComparer.OrdinalIgnoreCase))
                {
                    terms.Add(term);
                }
            }
        }

        return [.. terms.OrderByDescending(t => t.Length).Take(5)];
    }
}
