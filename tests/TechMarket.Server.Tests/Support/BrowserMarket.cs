using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TechMarket.Data;
using TechMarket.Data.Model;
using TechMarket.Market.Contracts;
using TechMarket.Server.Features.Accounts;
using TechMarket.Server.Features.Listings;

namespace TechMarket.Server.Tests.Support;

/// <summary>
/// A market served by Kestrel on a real loopback port over its own fresh SQLite file, plus helpers to sign in through
/// the login page. Arrange steps that are not under test go through the services directly.
/// </summary>
public sealed class BrowserMarket : IAsyncDisposable
{
    private readonly MarketFactory _factory;
    private readonly IBrowser _browser;
    private readonly List<IBrowserContext> _contexts = [];

    private BrowserMarket(MarketFactory factory, IBrowser browser, string baseUrl)
    {
        _factory = factory;
        _browser = browser;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    /// <summary>The market's grains, for the set-up a test does not click through.</summary>
    internal IGrainFactory Grains => _factory.Services.GetRequiredService<IGrainFactory>();

    internal IServiceProvider Services => _factory.Services;

    /// <summary>Where screenshots go; TECHMARKET_SCREENSHOTS overrides the folder under the test output.</summary>
    public static string ScreenshotDirectory =>
        Environment.GetEnvironmentVariable("TECHMARKET_SCREENSHOTS") is { Length: > 0 } dir
            ? dir
            : Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static BrowserMarket Start(IBrowser browser, TechMarket.Market.Hosting.ShiftedClock? marketClock = null)
    {
        var factory = marketClock is null
            ? new MarketFactory(Backend.Sqlite)
            : new MarketFactory(Backend.Sqlite) { Replace = s => s.AddKeyedSingleton<TimeProvider>(TechMarket.Market.Hosting.MarketClock.Key, marketClock) };
        factory.UseKestrel(0);
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BrowserMarket(factory, browser, address.TrimEnd('/'));
    }

    /// <summary>A fresh browser profile (its own cookies and localStorage), sized like a laptop screen.</summary>
    public async Task<IPage> NewVisitorAsync(int width = 1280, int height = 900)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            Locale = "zh-CN",
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        _contexts.Add(context);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the login form and waits for the page it leads to.</summary>
    public static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/login");
        await page.Locator("input[name=email]").FillAsync(email);
        await page.Locator("input[name=password]").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.StartsWith("/login", StringComparison.Ordinal));
    }

    public Task<IPage> NewOrganiserAsync() => SignedInAsync(MarketFactory.AdminEmail, MarketFactory.AdminPassword);

    public async Task<IPage> SignedInAsync(string email, string password)
    {
        var page = await NewVisitorAsync();
        await SignInAsync(page, email, password);
        return page;
    }

    /// <summary>Registers an organisation with its first member through the service, as the register page would.</summary>
    internal async Task<Member> NewMemberAsync(string organisationName, string kind = "enterprise", string displayName = "张工")
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var email = $"m{Guid.NewGuid():N}@test.cn";
        var result = await accounts.RegisterAsync(new RegisterRequest
        {
            Email = email,
            Password = Api.Password,
            DisplayName = displayName,
            OrganisationKind = kind,
            OrganisationName = organisationName,
            CreditCode = Api.NewCreditCode(),
            District = "鄞州区",
            Fields = ["新材料"],
        }, CancellationToken.None);
        var account = result.Value ?? throw new InvalidOperationException(result.Message);
        return new Member(email, Api.Password, new Actor(account.Id, account.OrganisationId, false, false, false));
    }

    /// <summary>A member of a service agency who is also given a platform role (Broker, Organiser), as an admin would.</summary>
    internal async Task<Member> NewMemberWithRoleAsync(string displayName, string role)
    {
        var member = await NewMemberAsync("宁波技术转移服务中心", "agency", displayName);
        await using var scope = _factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByEmailAsync(member.Email) ?? throw new InvalidOperationException(member.Email);
        var added = await users.AddToRoleAsync(user, role);
        return added.Succeeded ? member : throw new InvalidOperationException(string.Join("; ", added.Errors.Select(e => e.Description)));
    }

    /// <summary>A complete need saved as a draft, and optionally submitted and published.</summary>
    internal async Task<ListingView> NewNeedAsync(Member owner, string title, bool submit = false, bool publish = false)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var listings = scope.ServiceProvider.GetRequiredService<ListingService>();
        var created = await listings.CreateAsync(owner.Actor, true, new Data.Rules.ListingInput
        {
            Title = title,
            Summary = "需要一种耐高温、可回收的改性工程塑料配方，用于汽车发动机周边部件。",
            Problem = "现有材料在 150℃ 长期使用后强度下降明显。",
            Field = "新材料",
            TransferModes = ["技术开发"],
            ContactName = "张工",
            ContactPhone = "0574-88888888",
        });
        var view = created.Value ?? throw new InvalidOperationException(created.Message);
        if (submit || publish)
        {
            view = (await listings.SubmitAsync(owner.Actor, true, view.Id, view.Version)).Value!;
        }

        return publish ? (await PublishAsync(view.Id))! : view;
    }

    /// <summary>A published 揭榜挂帅 need (bounty 300 万元, deadline in two months) with its challenge set up.</summary>
    internal async Task<ChallengeView> NewChallengeAsync(Member owner, string title, ChallengeRule rule, int places)
    {
        var needId = await NewChallengeNeedAsync(owner, title);
        await using var scope = _factory.Services.CreateAsyncScope();
        var grains = scope.ServiceProvider.GetRequiredService<IGrainFactory>();
        var setUp = await grains.GetGrain<IChallengeGrain>(needId).SetUpAsync(owner.Actor, null, new ChallengeSetup(rule, places, "具备中试条件", null, []));
        return setUp.Value ?? throw new InvalidOperationException(setUp.Message);
    }

    /// <summary>The challenge as an admin sees it (every application, the reviewers, the stored UTC times).</summary>
    internal async Task<ChallengeView> ChallengeAsync(long needId)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var admin = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(MarketFactory.AdminEmail);
        var result = await scope.ServiceProvider.GetRequiredService<IGrainFactory>().GetGrain<IChallengeGrain>(needId)
            .GetAsync(new Actor(admin!.Id, null, isReviewer: true, isAdmin: true, isBroker: false));
        return result.Value ?? throw new InvalidOperationException(result.Message);
    }

    /// <summary>A published 揭榜挂帅 need (bounty 300 万元, deadline in two months), not yet set up (发榜); its id.</summary>
    internal async Task<long> NewChallengeNeedAsync(Member owner, string title)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var listings = scope.ServiceProvider.GetRequiredService<ListingService>();
        var created = await listings.CreateAsync(owner.Actor, true, new Data.Rules.ListingInput
        {
            Title = title,
            Summary = "面向海水淡化的反渗透膜在高盐高污染工况下通量衰减快，需要抗污染改性方案。",
            Problem = "膜污染导致三个月内通量下降 30% 以上。",
            Field = "新材料",
            TransferModes = ["技术开发"],
            ContactName = "张工",
            ContactPhone = "0574-88888888",
            IsChallenge = true,
            BountyWan = 300,
            ChallengeDeadline = DateOnly.FromDateTime(DateTime.Today.AddDays(60)),
        });
        var view = created.Value ?? throw new InvalidOperationException(created.Message);
        view = (await listings.SubmitAsync(owner.Actor, true, view.Id, view.Version)).Value ?? throw new InvalidOperationException("submit");
        await PublishAsync(view.Id);
        return view.Id;
    }

    /// <summary>A complete achievement, submitted and published.</summary>
    internal async Task<ListingView> NewPublishedAchievementAsync(Member owner, string title, string summary)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var listings = scope.ServiceProvider.GetRequiredService<ListingService>();
        var created = await listings.CreateAsync(owner.Actor, false, new Data.Rules.ListingInput
        {
            Title = title,
            Summary = summary,
            Field = "新材料",
            Maturity = "中试",
            TransferModes = ["技术许可"],
            ContactName = "陈教授",
            ContactPhone = "0574-87600000",
        });
        var view = created.Value ?? throw new InvalidOperationException(created.Message);
        view = (await listings.SubmitAsync(owner.Actor, false, view.Id, view.Version)).Value!;
        return (await PublishAsync(view.Id))!;
    }

    /// <summary>Publishes a submitted listing as the admin would from the review page.</summary>
    internal async Task<ListingView?> PublishAsync(long id)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var listings = scope.ServiceProvider.GetRequiredService<ListingService>();
        var admin = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(MarketFactory.AdminEmail);
        var reviewer = new Actor(admin!.Id, null, isReviewer: true, isAdmin: true, isBroker: false);
        var current = await listings.GetAsync(null, id, reviewer, CancellationToken.None);
        return (await listings.ReviewAsync(reviewer, id, current!.Version, publish: true, null)).Value;
    }

    /// <summary>Marks a listing as 示例数据, as the demo seeder does.</summary>
    public async Task MarkDemoAsync(long id)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        await db.Listings.Where(l => l.Id == id).ExecuteUpdateAsync(s => s.SetProperty(l => l.IsDemo, true));

        // A write past the grains tells the public page cache itself, as every out-of-band writer must.
        await scope.ServiceProvider.GetRequiredService<Market.Hosting.IPublicMarketObserver>().PublicMarketChangedAsync();
    }

    internal async Task<ListingView?> FindAsync(long id)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var reviewer = new Actor(1, null, isReviewer: true, isAdmin: true, isBroker: false);
        return await scope.ServiceProvider.GetRequiredService<ListingService>().GetAsync(null, id, reviewer, CancellationToken.None);
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }

        await _factory.DisposeAsync();
    }
}

/// <summary>A signed-up member: how to sign in, and who they are to the services.</summary>
internal sealed record Member(string Email, string Password, Actor Actor);
