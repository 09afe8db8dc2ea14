using Microsoft.EntityFrameworkCore;
using TechMarket.Data.Rules;
using Orleans.Core.Internal;
using TechMarket.Market.Contracts;

namespace TechMarket.Market.Tests;

/// <summary>The listing grain's rules on Orleans' test cluster, its state in a real SQLite database.</summary>
public sealed class ListingGrainTests : IAsyncLifetime
{
    private MarketCluster _m = null!;

    private Actor Owner => new(101, _m.EnterpriseId, isReviewer: false, isAdmin: false, isBroker: false);

    private Actor Stranger => new(102, _m.InstituteId, isReviewer: false, isAdmin: false, isBroker: false);

    private static Actor Reviewer => new(103, null, isReviewer: true, isAdmin: false, isBroker: false);

    public async Task InitializeAsync() => _m = await MarketCluster.StartAsync();

    public async Task DisposeAsync() => await _m.DisposeAsync();

    internal static ListingInput CompleteNeed(string title = "注塑机工艺参数优化") => new()
    {
        Title = title,
        Summary = "我公司注塑车间现有注塑机 40 台，产品翘曲和缩痕不良率偏高，需要优化工艺参数。",
        Keywords = "注塑、工艺优化",
        Field = "高端装备",
        TransferModes = ["技术开发", "技术服务"],
        ContactName = "王工",
        ContactPhone = "0574-86000000",
        Problem = "翘曲变形和缩痕导致不良率约 6%。",
        KeyPoints = "保压压力与冷却时间的协同优化。",
        Targets = "不良率降到 1.5% 以下。",
        BudgetWan = 30,
    };

    private async Task<ListingView> DraftAsync(ListingInput? input = null)
    {
        var created = await _m.Grains.GetGrain<IOrganisationGrain>(_m.EnterpriseId).CreateListingAsync(Owner, ListingType.Need, input ?? CompleteNeed());
        Assert.Equal(OpStatus.Ok, created.Status);
        return created.Value!;
    }

    [Fact]
    public async Task TheWholeLifecycleFollowsTheRulesAndIsAudited()
    {
        var draft = await DraftAsync();
        var grain = _m.Grains.GetGrain<IListingGrain>(draft.Id);
        Assert.Equal("Draft", draft.Status);
        Assert.Equal("宁波测试模具有限公司", draft.OrganisationName);

        var submitted = await grain.SubmitAsync(Owner, ListingType.Need, draft.Version);
        Assert.Equal("Submitted", submitted.Value!.Status);
        Assert.Equal(OpStatus.Forbidden, (await grain.ReviewAsync(Owner, submitted.Value.Version, publish: true, null)).Status);
        Assert.Equal(OpStatus.Invalid, (await grain.ReviewAsync(Reviewer, submitted.Value.Version, publish: false, "  ")).Status);

        var published = await grain.ReviewAsync(Reviewer, submitted.Value.Version, publish: true, null);
        Assert.Equal("Published", published.Value!.Status);
        Assert.NotNull(published.Value.PublishedAt);

        // An edit of a published listing goes back to review; closing needs the published state.
        var edited = await grain.UpdateAsync(Owner, ListingType.Need, published.Value.Version, CompleteNeed("注塑机伺服节能改造"));
        Assert.Equal("Submitted", edited.Value!.Status);
        Assert.Equal(OpStatus.Conflict, (await grain.CloseAsync(Owner, ListingType.Need, edited.Value.Version)).Status);
        var republished = await grain.ReviewAsync(Reviewer, edited.Value.Version, publish: true, null);
        var closed = await grain.CloseAsync(Owner, ListingType.Need, republished.Value!.Version);
        Assert.Equal("Closed", closed.Value!.Status);
        Assert.Equal(OpStatus.Conflict, (await grain.UpdateAsync(Owner, ListingType.Need, closed.Value.Version, CompleteNeed())).Status);

        await using var db = _m.NewDb();
        var actions = await db.AuditLog.Where(a => a.EntityType == "Need" && a.EntityId == draft.Id).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
        Assert.Equal(["create", "status:Draft->Submitted", "status:Submitted->Published", "status:Published->Submitted", "status:Submitted->Published", "status:Published->Closed"], actions);
        var row = await db.Needs.AsNoTracking().SingleAsync(n => n.Id == draft.Id);
        Assert.Equal(closed.Value.Version, row.Version);
        Assert.Equal("注塑机伺服节能改造", row.Title);
    }

    [Fact]
    public async Task OnlyTheOwnerChangesAListingAndOnlyAsTheKindItIs()
    {
        var draft = await DraftAsync();
        var grain = _m.Grains.GetGrain<IListingGrain>(draft.Id);

        Assert.Equal(OpStatus.Forbidden, (await grain.UpdateAsync(Stranger, ListingType.Need, draft.Version, CompleteNeed("别人的修改"))).Status);
        Assert.Equal(OpStatus.NotFound, (await grain.SubmitAsync(Owner, ListingType.Achievement, draft.Version)).Status);
        Assert.Equal(OpStatus.NotFound, (await _m.Grains.GetGrain<IListingGrain>(987654).SubmitAsync(Owner, ListingType.Need, 1)).Status);
        Assert.Equal(OpStatus.Forbidden, (await _m.Grains.GetGrain<IOrganisationGrain>(_m.EnterpriseId).CreateListingAsync(Stranger, ListingType.Need, CompleteNeed())).Status);

        await using var db = _m.NewDb();
        Assert.Equal("注塑机工艺参数优化", (await db.Needs.AsNoTracking().SingleAsync(n => n.Id == draft.Id)).Title);
    }

    [Fact]
    public async Task AStaleVersionIsAConflictAndChangesNothing()
    {
        var draft = await DraftAsync();
        var grain = _m.Grains.GetGrain<IListingGrain>(draft.Id);
        var first = await grain.UpdateAsync(Owner, ListingType.Need, draft.Version, CompleteNeed("第一次修改"));
        Assert.True(first.IsOk);

        var second = await grain.UpdateAsync(Owner, ListingType.Need, draft.Version, CompleteNeed("过期版本的修改"));

        Assert.Equal(OpStatus.Conflict, second.Status);
        Assert.Contains("已被他人修改", second.Message);
        await using var db = _m.NewDb();
        Assert.Equal("第一次修改", (await db.Needs.AsNoTracking().SingleAsync(n => n.Id == draft.Id)).Title);
    }

    [Fact]
    public async Task SubmissionNeedsTheRequiredFieldsAndOnlyDraftsAreDeleted()
    {
        var sketch = await DraftAsync(new ListingInput { Title = "只有标题的草稿" });
        var grain = _m.Grains.GetGrain<IListingGrain>(sketch.Id);
        var refused = await grain.SubmitAsync(Owner, ListingType.Need, sketch.Version);
        Assert.Equal(OpStatus.Invalid, refused.Status);
        Assert.Contains("summary", refused.Errors!.Keys);

        var full = await DraftAsync();
        var fullGrain = _m.Grains.GetGrain<IListingGrain>(full.Id);
        var submitted = await fullGrain.SubmitAsync(Owner, ListingType.Need, full.Version);
        Assert.Equal(OpStatus.Conflict, (await fullGrain.DeleteDraftAsync(Owner, ListingType.Need, submitted.Value!.Version)).Status);

        Assert.True((await grain.DeleteDraftAsync(Owner, ListingType.Need, sketch.Version)).IsOk);
        Assert.Equal(OpStatus.NotFound, (await grain.SubmitAsync(Owner, ListingType.Need, sketch.Version)).Status);
        await using var db = _m.NewDb();
        Assert.False(await db.Listings.AnyAsync(l => l.Id == sketch.Id));
        Assert.True(await db.AuditLog.AnyAsync(a => a.EntityId == sketch.Id && a.Action == "delete"));
    }

    [Fact]
    public async Task AReactivatedGrainReloadsItsRowFromTheTable()
    {
        var draft = await DraftAsync();
        var grain = _m.Grains.GetGrain<IListingGrain>(draft.Id);

        // A write that did not go through the grain (a bulk tool, another version of the code) …
        await using (var db = _m.NewDb())
        {
            await db.Listings.Where(l => l.Id == draft.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.Title, "表中直接修改的标题").SetProperty(l => l.Version, l => l.Version + 1));
        }

        // … is caught by the version in the UPDATE even while the grain holds the old row, and the grain reloads.
        var stale = await grain.UpdateAsync(Owner, ListingType.Need, draft.Version, CompleteNeed("基于旧行的修改"));
        Assert.Equal(OpStatus.Conflict, stale.Status);

        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await Task.Delay(200);
        var submitted = await grain.SubmitAsync(Owner, ListingType.Need, draft.Version + 1);

        Assert.True(submitted.IsOk, submitted.Message);
        Assert.Equal("表中直接修改的标题", submitted.Value!.Title);
        Assert.Equal(draft.Version + 2, submitted.Value.Version);
    }

    [Fact]
    public async Task ConcurrentEditsWithOneVersionEndInOneSuccess()
    {
        var draft = await DraftAsync();
        var grain = _m.Grains.GetGrain<IListingGrain>(draft.Id);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            grain.UpdateAsync(Owner, ListingType.Need, draft.Version, CompleteNeed($"并发修改第 {i} 次"))));

        Assert.Single(results, r => r.IsOk);
        Assert.Equal(19, results.Count(r => r.Status == OpStatus.Conflict));
    }
}
