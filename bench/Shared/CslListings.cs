using System.Text.Json;
using TechMarket.Search;

/// <summary>Benchmark listings from CSL text (shared by the search and matching benchmarks).</summary>
internal static class CslListings
{
    /// <summary>
    /// <paramref name="count"/> listings from M1x's docs: the corpus first, then each listing joins the title and
    /// first half of one record with the second half of another; random kind, district, maturity, mode, price and
    /// date (seeded).
    /// </summary>
    public static List<SearchDocument> Build(string path, int count, Random random)
    {
        var source = File.ReadLines(path).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => (Title: e.GetProperty("title").GetString() ?? "", Text: e.GetProperty("text").GetString() ?? "",
                Discipline: e.TryGetProperty("discipline", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null))
            .ToList();
        string[] districts = ["海曙区", "江北区", "北仑区", "镇海区", "鄞州区", "奉化区", "余姚市", "慈溪市", "宁海县", "象山县"];
        string[] maturities = ["研发", "小试", "中试", "产业化"];
        string[] modes = ["技术转让", "许可", "技术入股", "合作开发", "委托开发"];
        var epoch = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var listings = new List<SearchDocument>(count);
        for (var i = 0; i < count; i++)
        {
            // Beyond the corpus size, a listing joins the title of one record with sentences of two others, so the
            // vocabulary statistics stay realistic instead of repeating identical documents.
            var a = source[i % source.Count];
            var body = a.Text;
            if (i >= source.Count)
            {
                var b = source[random.Next(source.Count)];
                var cut = a.Text.Length / 2;
                body = a.Text[..cut] + b.Text[(b.Text.Length / 2)..];
            }

            var title = a.Title.Length > 0 ? a.Title : body[..Math.Min(20, body.Length)];
            listings.Add(new SearchDocument
            {
                Id = i + 1,
                Kind = (ListingKind)(i % 3 == 0 ? 0 : 1),
                Title = title,
                Body = body,
                Field = a.Discipline ?? "其他",
                District = districts[random.Next(districts.Length)],
                Maturity = maturities[random.Next(maturities.Length)],
                TransferModes = [modes[random.Next(modes.Length)]],
                Price = random.Next(4) == 0 ? null : random.Next(1, 1000),
                UpdatedAt = epoch.AddMinutes(random.Next(0, 500_000)),
            });
        }

        return listings;
    }
}
