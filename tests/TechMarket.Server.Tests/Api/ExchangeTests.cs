using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TechMarket.Client;
using TechMarket.Server.Tests.Support;

namespace TechMarket.Server.Tests.Api;

/// <summary>Import with a row-by-row report in both modes, and export of lists, over HTTP.</summary>
public abstract class ExchangeTests(Backend backend) : IDisposable
{
    private const string GoodRow = "注塑机工艺参数优化,高端装备,需要优化注塑机工艺参数降低不良率,注塑,技术开发,翘曲变形";
    private const string BadFieldRow = "无人机巡检需求,火星农业,需要无人机巡检方案以减少人工巡检,巡检,技术服务,人工成本高";
    private const string MissingProblemRow = "电池回收工艺,节能环保,需要废旧锂电池的高效回收工艺方案,回收,技术开发,";

    private readonly MarketFactory _factory = new(backend);

    public void Dispose()
    {
        _factory.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task AllOrNothingImportWithAnErrorWritesNothingAndReportsEachRow()
    {
        var (member, _) = await Support.Api.NewMemberAsync(_factory);

        var response = await member.PostAsync("/api/needs/import?mode=all", Support.Api.CsvUpload("needs.csv", Support.Api.NeedCsvHeader, GoodRow, BadFieldRow, MissingProblemRow));
        var mine = await member.GetFromJsonAsync<PagedList<Listing>>("/api/needs/mine", TechMarketClient.Json);

        var problem = await Support.Api.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        var errors = problem.GetProperty("report").GetProperty("errors").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains(errors, e => e!.StartsWith("行 3，字段 领域：", StringComparison.Ordinal));
        Assert.Contains(errors, e => e!.StartsWith("行 4，字段 主要问题：", StringComparison.Ordinal));
        Assert.Equal(0, mine!.Total);
    }

    [Fact]
    public async Task ValidRowsOnlyImportKeepsTheGoodRowsAsDrafts()
    {
        var (member, _) = await Support.Api.NewMemberAsync(_factory);

        var response = await member.PostAsync("/api/needs/import?mode=valid", Support.Api.CsvUpload("needs.csv", Support.Api.NeedCsvHeader, GoodRow, BadFieldRow));
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        var mine = await member.GetFromJsonAsync<PagedList<Listing>>("/api/needs/mine", TechMarketClient.Json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, report.GetProperty("imported").GetInt32());
        Assert.Single(report.GetProperty("errors").EnumerateArray());
        Assert.Equal("Draft", Assert.Single(mine!.Items).Status);
    }

    [Fact]
    public async Task ExportedListReimportsInBothFormats()
    {
        var (member, _) = await Support.Api.NewMemberAsync(_factory);
        await member.PostAsync("/api/needs/import?mode=all", Support.Api.CsvUpload("needs.csv", Support.Api.NeedCsvHeader, GoodRow));
        var (other, _) = await Support.Api.NewMemberAsync(_factory);

        foreach (var format in new[] { "csv", "xlsx" })
        {
            var file = await member.GetByteArrayAsync($"/api/needs/mine/export?format={format}");
            var form = new MultipartFormDataContent { { new ByteArrayContent(file), "file", $"export.{format}" } };
            var reimport = await other.PostAsync("/api/needs/import?mode=all", form);

            Assert.Equal(HttpStatusCode.OK, reimport.StatusCode);
        }

        var copies = await other.GetFromJsonAsync<PagedList<Listing>>("/api/needs/mine", TechMarketClient.Json);
        Assert.Equal(2, copies!.Total);
        Assert.All(copies.Items, l => Assert.Equal("注塑机工艺参数优化", l.Title));
    }

    [Fact]
    public async Task PublishedExportIsOpenToVisitorsAndShowsOnlyPublishedListings()
    {
        var (member, _) = await Support.Api.NewMemberAsync(_factory);
        await member.PostAsync("/api/needs/import?mode=all", Support.Api.CsvUpload("needs.csv", Support.Api.NeedCsvHeader, GoodRow));

        var response = await _factory.CreateClient().GetAsync("/api/needs/export?format=csv");
        var text = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("名称", text, StringComparison.Ordinal);
        Assert.DoesNotContain("注塑机工艺参数优化", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TypedClientImportsAndExportsLikeTheCliServerMode()
    {
        var registration = Support.Api.NewRegistration();
        using var api = TechMarketClient.For(_factory.CreateClient());
        await api.RegisterAsync(registration);
        await api.SignInAsync(registration.Email!, registration.Password!);
        var csv = Support.Api.CsvUpload("needs.csv", Support.Api.NeedCsvHeader, GoodRow);

        using var imported = await api.ImportAsync(TechMarketClient.Needs, "all", csv);
        await using var exported = await api.ExportMineAsync(TechMarketClient.Needs, "csv");
        var text = await new StreamReader(exported).ReadToEndAsync();

        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.Contains("注塑机工艺参数优化", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("needs.pdf", "%PDF-1.4", "all", 400)]
    [InlineData("needs.csv", "", "all", 400)]
    [InlineData("needs.csv", "名称,领域\n测试需求名称,新材料", "all", 400)]
    [InlineData("needs.csv", GoodRow, "sometimes", 400)]
    [InlineData("needs.xlsx", "this is not a zip file", "all", 400)]
    public async Task BadFilesAreRefusedWithAChineseProblem(string fileName, string content, string mode, int status)
    {
        var (member, _) = await Support.Api.NewMemberAsync(_factory);
        var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(content)), "file", fileName } };

        var response = await member.PostAsync($"/api/needs/import?mode={mode}", form);
        var mine = await member.GetFromJsonAsync<PagedList<Listing>>("/api/needs/mine", TechMarketClient.Json);

        await Support.Api.AssertProblemAsync(response, (HttpStatusCode)status);
        Assert.Equal(0, mine!.Total);
    }
}

public sealed class ExchangeTestsOnSqlite() : ExchangeTests(Backend.Sqlite);

[Trait("Category", "Postgres")]
public sealed class ExchangeTestsOnPostgres() : ExchangeTests(Backend.Postgres);
