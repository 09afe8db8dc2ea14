using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Model;

namespace TechMarket.Server.Features.Challenges;

/// <summary>A user who may be chosen as a challenge's reviewer (评审专家), with the roles that make them one.</summary>
internal sealed record ReviewerCandidate(long UserId, string DisplayName, string RoleLabels);

/// <summary>
/// The users the 发榜 page offers as reviewers: organisers, admins and brokers, the same roles the challenge's grain
/// accepts; and the names of assigned reviewers, for the challenge's page.
/// </summary>
internal static class ChallengeReviewers
{
    /// <summary>More would not fit a list of check boxes; the grain still accepts any candidate by id.</summary>
    public const int MaxShown = 500;

    private static readonly string[] ReviewerRoles = [Roles.Organiser, Roles.Admin, Roles.Broker];

    public static async Task<List<ReviewerCandidate>> CandidatesAsync(MarketDb db, CancellationToken ct)
    {
        var rows = await db.UserRoles
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, Role = r.Name })
            .Where(x => ReviewerRoles.Contains(x.Role!))
            .Join(db.Users, x => x.UserId, u => u.Id, (x, u) => new { u.Id, u.DisplayName, x.Role })
            .OrderBy(x => x.Id)
            .Take(MaxShown * ReviewerRoles.Length)
            .ToListAsync(ct);

        // Organisers and admins first (they run the 揭榜挂帅发布会), then brokers; by name within each.
        return [.. rows.GroupBy(r => r.Id)
            .Select(g => (Rank: g.Any(r => r.Role is Roles.Organiser or Roles.Admin) ? 0 : 1,
                Candidate: new ReviewerCandidate(g.Key, g.First().DisplayName, string.Join("、", ReviewerRoles.Where(role => g.Any(r => r.Role == role)).Select(RoleLabel)))))
            .OrderBy(x => x.Rank).ThenBy(x => x.Candidate.DisplayName, StringComparer.Ordinal).ThenBy(x => x.Candidate.UserId)
            .Take(MaxShown)
            .Select(x => x.Candidate)];
    }

    /// <summary>Display names of the given users (an unknown id is left out).</summary>
    public static async Task<Dictionary<long, string>> NamesAsync(MarketDb db, IReadOnlyCollection<long> userIds, CancellationToken ct) =>
        userIds.Count == 0
            ? []
            : await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);

    private static string RoleLabel(string role) => role switch
    {
        Roles.Organiser => "组织方",
        Roles.Admin => "管理员",
        _ => "技术经纪人",
    };
}
