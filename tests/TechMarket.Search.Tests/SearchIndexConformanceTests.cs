namespace TechMarket.Search.Tests;

/// <summary>Behaviour every backend must share; each backend runs it through a subclass.</summary>
public abstract class SearchIndexConformanceTests
{
    public static TheoryData<string> HostileQueries { get; } = new()
    {
        "\"",
        "\"锂电池",
        "*",
        "电池*",
        "NEAR(电池 回收)",
        "电池 AND 回收 OR NOT 材料",
        "title:电池",
        "(电池",
        "[]{}()<>",
        "'; DROP TABLE search_docs; --",
        "\" OR 1=1 --",
        "\u0000电池",
        "\uD800电池\uDC00",
        "😀🔋电池",
        "",
        "   ",
        "\\",
        "%_%",
        "^电池$",
        "-电池 +回收",
        new string('电', 10_000),
        string.Concat(Enumerable.Repeat("电池 回收 ", 1_000)),
    };

    /// <summary>An index over the test's store; several instances (with different options) share the same data.</summary>
    protected abstract ISearchIndex CreateIndex(SearchIndexOptions? options = null);

    private async Task<ISearchIndex> SeededAsync()
    {
        var index = CreateIndex();
        await index.UpsertAsync(Corpus.Listings);
        return index;
    }

    [Fact]
    public async Task FindsListingsByChineseWords()
    {
        var index = await SeededAsync();

        var result = await index.SearchAsync(new SearchQuery { Text = "锂电池回收" });

        Assert.Equal(1, result.Hits[0].Id);
        Assert.Contains(result.Hits, h => h.Id == 2);
        Assert.DoesNotContain(result.Hits, h => h.Id == 4);
    }

    [Fact]
    public async Task RanksATitleMatchAboveABodyMatch()
    {
        var index = CreateIndex();
        await index.UpsertAsync(
        [
            Corpus.Doc(1, ListingKind.Achievement, "注塑模具", "一种模具设计方法，适用于传感器外壳的批量生产和装配。", [], null, null, null, [], null, 1),
            Corpus.Doc(2, ListingKind.Achievement, "传感器封装", "一种封装方法，适用于模具外壳的批量生产和装配流程。", [], null, null, null, [], null, 1),
        ]);

        var result = await index.SearchAsync(new SearchQuery { Text = "传感器" });

        Assert.Equal([2L, 1L], result.Hits.Select(h => h.Id));
        Assert.True(result.Hits[0].Score > result.Hits[1].Score);
    }

    [Fact]
    public async Task AddsTheCoverageBonusForEachQueryKeywordWhoseBigramsAllOccur()
    {
        var plain = CreateIndex(new SearchIndexOptions { CoverageBonus = 0, LengthPrior = 0 });
        var covered = CreateIndex(new SearchIndexOptions { CoverageBonus = 5, LengthPrior = 0 });
        await plain.UpsertAsync(
        [
            Corpus.Doc(1, ListingKind.Achievement, "", "深度学习方法研究进展", [], null, null, null, [], null, 1),
            Corpus.Doc(2, ListingKind.Achievement, "", "深度研究与学习方法", [], null, null, null, [], null, 1),
            Corpus.Doc(3, ListingKind.Achievement, "", "图像识别与目标检测", [], null, null, null, [], null, 1),
        ]);
        var query = new SearchQuery { Text = "深度学习，目标检测" };

        var without = (await plain.SearchAsync(query)).Hits.ToDictionary(h => h.Id, h => h.Score);
        var with = (await covered.SearchAsync(query)).Hits.ToDictionary(h => h.Id, h => h.Score);

        Assert.Equal(5, with[1] - without[1], 9);
        Assert.Equal(0, with[2] - without[2], 9);
        Assert.Equal(5, with[3] - without[3], 9);
    }

    [Fact]
    public async Task LowersLongerListingsByTheLengthPrior()
    {
        var plain = CreateIndex(new SearchIndexOptions { CoverageBonus = 0, LengthPrior = 0 });
        var prior = CreateIndex(new SearchIndexOptions { CoverageBonus = 0, LengthPrior = 2.5 });
        await plain.UpsertAsync(
        [
            Corpus.Doc(1, ListingKind.Achievement, "", "锂电池回收工艺研究进展", [], null, null, null, [], null, 1),
            Corpus.Doc(2, ListingKind.Achievement, "", "锂电池回收工艺研究进展以及正极材料再生利用与梯次利用的经济性评价方法", [], null, null, null, [], null, 1),
        ]);
        var query = new SearchQuery { Text = "锂电池回收" };

        var without = (await plain.SearchAsync(query)).Hits.ToDictionary(h => h.Id, h => h.Score);
        var with = (await prior.SearchAsync(query)).Hits.ToDictionary(h => h.Id, h => h.Score);

        // Bigram counts 10 and 33, mean 21.5: the prior is −2.5 · ln((count + 1)/(mean + 1)).
        Assert.Equal(-2.5 * Math.Log(11 / 22.5), with[1] - without[1], 9);
        Assert.Equal(-2.5 * Math.Log(34 / 22.5), with[2] - without[2], 9);
    }

    [Fact]
    public async Task FiltersByKindFieldDistrictModeAndPriceBand()
    {
        var index = await SeededAsync();

        var achievements = await index.SearchAsync(new SearchQuery { Text = "电池", Kind = ListingKind.Achievement });
        var beilun = await index.SearchAsync(new SearchQuery { Fields = ["智能制造"], Districts = ["北仑区"] });
        var licensed = await index.SearchAsync(new SearchQuery { TransferModes = ["许可"], PriceBandNames = ["10-50万"] });
        var unknown = await index.SearchAsync(new SearchQuery { Fields = ["不存在的领域"] });

        Assert.All(achievements.Hits, h => Assert.Equal(ListingKind.Achievement, h.Kind));
        Assert.Equal([1L, 6L], achievements.Hits.Select(h => h.Id).Order());
        Assert.Equal([5L], beilun.Hits.Select(h => h.Id));
        Assert.Equal([6L], licensed.Hits.Select(h => h.Id));
        Assert.Equal(0, unknown.Total);
    }

    [Fact]
    public async Task FiltersByUpdateDateAndStatus()
    {
        var index = await SeededAsync();
        await index.UpsertAsync([Corpus.Listings[3] with { Status = "withdrawn" }]);

        var recent = await index.SearchAsync(new SearchQuery { UpdatedFrom = Corpus.Epoch.AddDays(30), UpdatedBefore = Corpus.Epoch.AddDays(60) });
        var published = await index.SearchAsync(new SearchQuery { Statuses = ["published"] });

        Assert.Equal([3L, 4L, 5L], recent.Hits.Select(h => h.Id).Order());
        Assert.Equal(5, published.Total);
        Assert.DoesNotContain(published.Hits, h => h.Id == 4);
    }

    [Fact]
    public async Task CountsFacetsWithEachFacetIgnoringItsOwnFilter()
    {
        var index = await SeededAsync();

        var result = await index.SearchAsync(new SearchQuery { Fields = ["新能源"] });

        Assert.Equal(2, result.Total);
        Assert.Contains(new FacetCount("新能源", 2), result.Facets.Field);
        Assert.Contains(new FacetCount("智能制造", 2), result.Facets.Field);
        Assert.Equal([new FacetCount("achievement", 1), new FacetCount("need", 1)], result.Facets.Kind);
        Assert.Contains(new FacetCount("鄞州区", 1), result.Facets.District);
        Assert.Contains(new FacetCount(PriceBands.Negotiable, 1), result.Facets.PriceBand);
        Assert.Contains(new FacetCount("技术转让", 1), result.Facets.TransferMode);
        Assert.Equal([new FacetCount("published", 2)], result.Facets.Status);
    }

    [Fact]
    public async Task HighlightsMatchesOnTheOriginalText()
    {
        var index = await SeededAsync();

        var result = await index.SearchAsync(new SearchQuery { Text = "python 电池" });

        var hit = Assert.Single(result.Hits, h => h.Id == 6);
        Assert.Equal("ＰＹＴＨＯＮ数据分析平台", hit.Title.Text);
        Assert.Equal(new HighlightSpan(0, 6), hit.Title.Spans[0]);
        Assert.Equal("<em>ＰＹＴＨＯＮ</em>数据分析平台", hit.Title.ToHtml());
        Assert.Contains("<em>电池</em>", hit.Snippet.ToHtml(), StringComparison.Ordinal);
        Assert.All(hit.Snippet.Spans, s => Assert.True(s.Start + s.Length <= hit.Snippet.Text.Length));
    }

    [Fact]
    public async Task EscapesHtmlInHighlights()
    {
        var index = CreateIndex();
        await index.UpsertAsync([Corpus.Doc(9, ListingKind.Need, "<script>电池</script>", "", [], null, null, null, [], null, 1)]);

        var result = await index.SearchAsync(new SearchQuery { Text = "电池" });

        Assert.Equal("&lt;script&gt;<em>电池</em>&lt;/script&gt;", result.Hits[0].Title.ToHtml());
    }

    [Fact]
    public async Task ReplacesAListingOnUpdate()
    {
        var index = await SeededAsync();

        await index.UpsertAsync([Corpus.Listings[3] with { Title = "海洋牧场监测浮标", Body = "实时监测水质。", Keywords = [] }]);
        var old = await index.SearchAsync(new SearchQuery { Text = "注塑" });
        var fresh = await index.SearchAsync(new SearchQuery { Text = "海洋牧场" });

        Assert.Equal(0, old.Total);
        Assert.Equal([4L], fresh.Hits.Select(h => h.Id));
        Assert.Equal("海洋牧场监测浮标", fresh.Hits[0].Title.Text);
    }

    [Fact]
    public async Task RemovesDeletedListings()
    {
        var index = await SeededAsync();

        await index.DeleteAsync([1, 999]);
        var result = await index.SearchAsync(new SearchQuery { Text = "锂电池" });
        var all = await index.SearchAsync(new SearchQuery());

        Assert.DoesNotContain(result.Hits, h => h.Id == 1);
        Assert.Equal(5, all.Total);
    }

    [Fact]
    public async Task SortsByNewestAndByPrice()
    {
        var index = await SeededAsync();

        var newest = await index.SearchAsync(new SearchQuery { Sort = SearchSort.Newest });
        var cheap = await index.SearchAsync(new SearchQuery { Sort = SearchSort.PriceAscending });
        var dear = await index.SearchAsync(new SearchQuery { Sort = SearchSort.PriceDescending });

        Assert.Equal([6L, 5L, 4L, 3L, 2L, 1L], newest.Hits.Select(h => h.Id));
        Assert.Equal([4L, 6L, 1L, 3L, 5L, 2L], cheap.Hits.Select(h => h.Id));
        Assert.Equal([5L, 3L, 1L, 6L, 4L, 2L], dear.Hits.Select(h => h.Id));
    }

    [Fact]
    public async Task PagesThroughResultsWithoutOverlap()
    {
        var index = CreateIndex();
        await index.UpsertAsync(Corpus.Generated(50, seed: 3));

        var first = await index.SearchAsync(new SearchQuery { Text = "电池材料", PageSize = 5 });
        var second = await index.SearchAsync(new SearchQuery { Text = "电池材料", PageSize = 5, Page = 2 });
        var both = await index.SearchAsync(new SearchQuery { Text = "电池材料", PageSize = 10 });
        var beyond = await index.SearchAsync(new SearchQuery { Text = "电池材料", PageSize = 5, Page = 1000 });

        Assert.Equal(both.Hits.Select(h => h.Id), first.Hits.Concat(second.Hits).Select(h => h.Id));
        Assert.Equal(both.Total, beyond.Total);
        Assert.Empty(beyond.Hits);
    }

    [Theory]
    [MemberData(nameof(HostileQueries))]
    public async Task AnswersEveryHostileQueryWithoutError(string text)
    {
        var index = await SeededAsync();

        var result = await index.SearchAsync(new SearchQuery { Text = text, Page = -5, PageSize = 0 });
        var suggestions = await index.SuggestAsync(text);
        var all = await index.SearchAsync(new SearchQuery());

        Assert.True(result.Total >= 0);
        Assert.NotNull(suggestions);
        Assert.Equal(6, all.Total);
    }

    [Fact]
    public async Task SuggestsKeywordsThenTitles()
    {
        var index = await SeededAsync();

        var suggestions = await index.SuggestAsync("机器");

        Assert.Equal(new Suggestion("机器人", "keyword"), suggestions[0]);
        Assert.Contains(new Suggestion("机器视觉", "keyword"), suggestions);
        Assert.Contains(new Suggestion("工业机器人视觉定位系统", "title"), suggestions);
    }

    [Fact]
    public async Task ClearsEveryListing()
    {
        var index = await SeededAsync();

        await index.ClearAsync();
        var result = await index.SearchAsync(new SearchQuery());
        await index.UpsertAsync([Corpus.Listings[0]]);
        var again = await index.SearchAsync(new SearchQuery { Text = "锂电池" });

        Assert.Equal(0, result.Total);
        Assert.Equal([1L], again.Hits.Select(h => h.Id));
    }

    [Fact]
    public async Task KeepsTheSameOrderAcrossMergesAndOptimize()
    {
        var docs = Corpus.Generated(120, seed: 7);
        var batched = CreateIndex();
        foreach (var chunk in docs.Chunk(4))
        {
            await batched.UpsertAsync(chunk);
        }

        await batched.DeleteAsync([1000, 1001]);
        await batched.UpsertAsync([docs[5] with { Title = "芯片检测技术" }]);
        var before = await batched.SearchAsync(new SearchQuery { Text = "芯片检测算法", PageSize = 50 });

        await batched.OptimizeAsync();
        var after = await batched.SearchAsync(new SearchQuery { Text = "芯片检测算法", PageSize = 50 });

        Assert.Equal(before.Hits.Select(h => (h.Id, h.Score)), after.Hits.Select(h => (h.Id, h.Score)));
        Assert.Equal(before.Total, after.Total);
        Assert.DoesNotContain(after.Hits, h => h.Id is 1000 or 1001);
    }

    [Fact]
    public async Task SeesWritesMadeThroughAnotherInstance()
    {
        var writer = await SeededAsync();
        var reader = CreateIndex();
        var before = await reader.SearchAsync(new SearchQuery { Text = "海洋牧场" });

        await writer.UpsertAsync([Corpus.Doc(77, ListingKind.Need, "海洋牧场", "", [], null, null, null, [], null, 1)]);
        var after = await reader.SearchAsync(new SearchQuery { Text = "海洋牧场" });

        Assert.Equal(0, before.Total);
        Assert.Equal([77L], after.Hits.Select(h => h.Id));
    }
}
