using Microsoft.EntityFrameworkCore;
using TechMarket.Data;
using TechMarket.Data.Model;

namespace TechMarket.Market.Alerts;

/// <summary>
/// Alerts on a newly published listing: every saved search whose filters (kind, field, district) it passes and whose
/// words it all holds (<see cref="Holds"/>) tells its owner once, in the inbox and by e-mail. One shared common word
/// of a longer query is not enough; a search with filters only alerts on every listing that passes them.
/// </summary>
public static class SavedSearchAlerts
{
    /// <summary>Sends the alerts due for <paramref name="listingId"/>; returns how many went out. Safe to repeat.</summary>
    public static async Task<int> RunAsync(MarketDb db, IMailSender mail, long listingId, DateTime now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(mail);
        var listing = await db.Listings.AsNoTracking().Include(l => l.Organisation)
            .SingleOrDefaultAsync(l => l.Id == listingId && l.Status == ListingStatus.Published, ct);
        if (listing is null)
        {
            return 0;
        }

        var kind = listing is Need ? "need" : "achievement";
        var district = listing.Organisation?.District ?? "";
        var already = db.SavedSearchAlerts.Where(a => a.ListingId == listingId).Select(a => a.SavedSearchId);

        // Saved searches of people outside the listing's organisation whose filters the listing passes.
        var candidates = await db.SavedSearches.AsNoTracking()
            .Where(s => (s.Kind == "" || s.Kind == kind) && (s.Field == "" || s.Field == listing.Field) && (s.District == "" || s.District == district))
            .Where(s => !already.Contains(s.Id))
            .Join(db.Users.Where(u => u.OrganisationId == null || u.OrganisationId != listing.OrganisationId), s => s.UserId, u => u.Id,
                (s, u) => new { Search = s, u.Email })
            .ToListAsync(ct);
        if (candidates.Count == 0)
        {
            return 0;
        }

        // One search per distinct query text (many people save the same words).
        var found = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var text in candidates.Select(c => c.Search.Query.Trim()).Distinct(StringComparer.Ordinal))
        {
            found[text] = text.Length == 0 || Holds(text, listing);
        }

        var link = listing is Need ? $"/needs/{listing.Id}" : $"/achievements/{listing.Id}";
        var what = listing is Need ? "技术需求" : "科技成果";
        var mails = new List<OutgoingMail>();
        var sent = 0;
        foreach (var c in candidates.Where(c => found[c.Search.Query.Trim()]))
        {
            var label = Describe(c.Search);
            var title = $"新{what}符合您保存的搜索「{label}」";
            var body = $"{listing.Title}\n发布机构：{listing.Organisation?.Name}\n";
            sent++;
            db.SavedSearchAlerts.Add(new SavedSearchAlert { SavedSearchId = c.Search.Id, ListingId = listingId, CreatedAt = now });
            db.Notifications.Add(new Notification
            {
                UserId = c.Search.UserId,
                Kind = "alert",
                Title = title.Length > 200 ? title[..200] : title,
                Body = body,
                Link = link,
                CreatedAt = now,
            });
            if (!string.IsNullOrWhiteSpace(c.Email))
            {
                mails.Add(new OutgoingMail(c.Email, title, $"您好：\n\n{body}\n查看详情：{{link}}\n\n您收到这封邮件，是因为您在科技大市场保存了搜索「{label}」。不想再收到时，请在「我的提醒」中删除这条搜索。\n", link));
            }
        }

        if (sent == 0)
        {
            return 0;
        }

        // The ledger and the inbox commit together; mail goes after the commit, so a retry never mails twice for a
        // committed alert (a failed send is logged by the caller and not retried).
        await db.SaveChangesAsync(ct);
        foreach (var m in mails)
        {
            await mail.SendAsync(m, ct);
        }

        return sent;
    }

    /// <summary>How a saved search reads in a message: its words and filters.</summary>
    public static string Describe(SavedSearch s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(s.Query))
        {
            parts.Add(s.Query.Trim());
        }

        parts.AddRange(new[] { s.Field, s.District }.Where(p => !string.IsNullOrEmpty(p)));
        return parts.Count == 0 ? "全部" : string.Join(" · ", parts);
    }

    /// <summary>
    /// Whether a listing holds every word of a saved query: each run of letters and digits in the query (after NFKC
    /// and lower case) must occur in the listing's title, text or keywords, a Chinese run as all of its bigrams.
    /// Text-level on purpose: the first listing ever to mention 晶界扩散 must alert, though the index has never seen it.
    /// </summary>
    public static bool Holds(string query, Listing listing)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(listing);
        var text = Fold(string.Join("\n", listing.Title, listing.Summary, listing.Keywords, listing switch
        {
            Need n => $"{n.Problem}\n{n.KeyPoints}\n{n.Targets}",
            Achievement a => a.IntellectualProperty,
            _ => "",
        }));
        var runs = Runs(Fold(query)).ToList();
        return runs.Count > 0 && runs.All(run => run.Length == 1
            ? text.Contains(run, StringComparison.Ordinal)
            : Enumerable.Range(0, run.Length - 1).All(i => text.Contains(run.AsSpan(i, 2), StringComparison.Ordinal)));
    }

    private static string Fold(string s) => s.Normalize(System.Text.NormalizationForm.FormKC).ToLowerInvariant();

    private static IEnumerable<string> Runs(string s)
    {
        var start = -1;
        for (var i = 0; i <= s.Length; i++)
        {
            var word = i < s.Length && char.IsLetterOrDigit(s[i]);
            if (word && start < 0)
            {
                start = i;
            }
            else if (!word && start >= 0)
            {
                yield return s[start..i];
                start = -1;
            }
        }
    }
}
