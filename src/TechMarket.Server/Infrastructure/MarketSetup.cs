using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using TechMarket.Data;
using TechMarket.Data.Indexing;
using TechMarket.Data.Model;
using TechMarket.Data.Seeding;
using Orleans.Dashboard;
using StackExchange.Redis;
using TechMarket.Market.Alerts;
using TechMarket.Market.Hosting;
using TechMarket.Server.Features.Accounts;
using TechMarket.Server.Features.Listings;

namespace TechMarket.Server.Infrastructure;

/// <summary>Service registration for the whole platform, shared by Program and the test host.</summary>
internal static class MarketSetup
{
    public const string SmartScheme = "CookieOrBearer";

    public static DatabaseOptions ResolveDatabase(IConfiguration config)
    {
        var options = config.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (string.IsNullOrWhiteSpace(options.ConnectionString) && !options.IsPostgres)
        {
            var dir = config["Storage:DataDirectory"] ?? Path.Combine(Directory.GetCurrentDirectory(), ".data");
            Directory.CreateDirectory(dir);
            options.ConnectionString = $"Data Source={Path.Combine(dir, "techmarket.db")};Cache=Shared;Default Timeout=30";
        }

        return options;
    }

    public static WebApplicationBuilder AddMarket(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var database = ResolveDatabase(builder.Configuration);

        // Alerts and notices go out as e-mail through a pluggable sender; this one writes .eml files to a folder.
        var mailFolder = builder.Configuration["Mail:Folder"] is { Length: > 0 } folder
            ? folder
            : Path.Combine(builder.Configuration["Storage:DataDirectory"] ?? Path.Combine(Directory.GetCurrentDirectory(), ".data"), "mail");
        services.AddSingleton<IMailSender>(sp => new FolderMailSender(mailFolder, builder.Configuration["Mail:From"] ?? "noreply@techmarket.local",
            sp.GetRequiredService<TimeProvider>(), builder.Configuration["Mail:SiteUrl"] ?? "http://localhost:5000"));
        services.AddMarketStore(database);
        services.AddSingleton(TimeProvider.System);

        // Multi-node tests run real server processes whose market date must pass a 需求时限 while they run.
        if (builder.Environment.IsEnvironment("Testing") && builder.Configuration.GetValue<double?>("Testing:MarketClockOffsetSeconds") is { } offset)
        {
            services.AddKeyedSingleton<TimeProvider>(MarketClock.Key, new ShiftedClock(TimeSpan.FromSeconds(offset)));
        }

        // The silo is co-hosted: endpoints and pages call the grains through IGrainFactory in the same process.
        var cluster = MarketSilo.ResolveCluster(builder.Configuration);
        builder.UseOrleans(silo => silo.AddMarketCluster(cluster, database).AddDashboard());

        // Every node must read the cookies and tokens the others issue: one application name, and with Redis one
        // key ring for the cluster (without it each node keeps its keys in its own profile).
        var dataProtection = services.AddDataProtection().SetApplicationName("TechMarket");
        Func<IConnectionMultiplexer>? redisConnection = null;
        if (cluster.RedisConfiguration is { } redis)
        {
            var multiplexer = new Lazy<IConnectionMultiplexer>(() => ConnectionMultiplexer.Connect(redis));
            redisConnection = () => multiplexer.Value;
            services.AddSingleton(_ => multiplexer.Value);
            dataProtection.PersistKeysToStackExchangeRedis(() => multiplexer.Value.GetDatabase(), "techmarket:data-protection-keys");
        }

        // Anonymous browse and search pages, cleared by the grains on every public change; shared through Redis.
        services.AddPublicPageCache(builder.Configuration, cluster, redisConnection);
        services.AddMemoryCache();
        services.AddSingleton<LoginThrottle>();

        services.AddIdentityCore<AppUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Password.RequiredLength = 8;
                o.Lockout.MaxFailedAccessAttempts = 8;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
            })
            .AddRoles<IdentityRole<long>>()
            .AddEntityFrameworkStores<MarketDb>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<MarketClaimsFactory>()
            .AddDefaultTokenProviders();

        services.AddAuthentication(SmartScheme)
            .AddPolicyScheme(SmartScheme, "Cookie or bearer", o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? IdentityConstants.BearerScheme
                    : IdentityConstants.ApplicationScheme)
            .AddCookie(IdentityConstants.ApplicationScheme, o =>
            {
                o.Cookie.Name = "techmarket.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.LoginPath = "/login";
                o.AccessDeniedPath = "/denied";
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.Events.OnRedirectToLogin = ctx => ApiOr(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => ApiOr(ctx, StatusCodes.Status403Forbidden);
            })
            .AddBearerToken(IdentityConstants.BearerScheme, o => o.BearerTokenExpiration = TimeSpan.FromHours(8));

        services.AddAuthorization(Policies.Configure);
        services.AddCascadingAuthenticationState();

        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            var status = ctx.ProblemDetails.Status ?? ctx.HttpContext.Response.StatusCode;
            if (ctx.ProblemDetails.Title is null || !ContainsChinese(ctx.ProblemDetails.Title))
            {
                ctx.ProblemDetails.Title = Problems.TitleFor(status);
            }

            if (ctx.ProblemDetails.Type is null || ctx.ProblemDetails.Type.StartsWith("https://tools.ietf.org", StringComparison.Ordinal))
            {
                ctx.ProblemDetails.Type = Problems.TypeBase + "http-" + status;
            }

            ctx.ProblemDetails.Detail = ctx.ProblemDetails.Detail is { } d && !ContainsChinese(d) ? null : ctx.ProblemDetails.Detail;
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
            o.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
        });

        services.AddScoped<ListingService>();
        services.AddScoped<AccountService>();
        services.AddScoped<Features.Admin.AdminDesk>();
        services.AddScoped<Features.Matching.MatchService>();
        services.AddScoped<Features.Events.EventBoard>();
        services.AddScoped<Features.Events.CampaignPlanning>();
        services.AddScoped<Features.Alerts.SavedSearchService>();
        services.AddSingleton<Features.Matching.MatchModelHolder>();
        services.AddOpenApi();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddRazorComponents();
        services.AddAntiforgery();
        services.AddHttpContextAccessor();
        return builder;
    }

    private static Task ApiOr(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api"))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    private static bool ContainsChinese(string s) => s.Any(c => c is >= '\u4e00' and <= '\u9fff');

    /// <summary>Creates or upgrades the schema, the roles and (when configured) the first admin account.</summary>
    public static async Task InitialiseAsync(IServiceProvider services, IConfiguration config, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketDb>();
        await Data.Schema.SchemaUpgrader.UpgradeAsync(db, ct: ct);

        // The demo market goes only into an empty database (DemoMarket refuses otherwise), so it runs before the admin account exists.
        var seeded = false;
        if (config.GetValue("Demo:Seed", false))
        {
            var log = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("TechMarket.Demo");
            var result = await DemoMarket.SeedAsync(db, new DemoMarketOptions { AchievementTextPath = config["Demo:Texts"] }, ct: ct);
            seeded = result.Seeded;
            if (result.Seeded)
            {
                log.LogInformation("{Message}: {Organisations} organisations, {Needs} needs, {Achievements} achievements", result.Message, result.Organisations, result.Needs, result.Achievements);
                Console.WriteLine($"已生成示例数据（示例数据）。示例账号密码均为 {DemoMarket.Password}：{string.Join("、", DemoMarket.Accounts.Select(a => a.Email))}");
            }
        }

        // The index is written in the same transaction as the records; this only matters for a database that was
        // filled without the server (techmarket seed / an older version): rebuild when the counts differ.
        await scope.ServiceProvider.GetRequiredService<SearchIndexer>().CatchUpAsync(db, ct);

        // Demo matches come from the pipeline's own suggestions, so they wait for the index.
        if (seeded)
        {
            var models = scope.ServiceProvider.GetRequiredService<Features.Matching.MatchModelHolder>();
            var pipeline = new Matching.MatchPipeline(scope.ServiceProvider.GetRequiredService<Search.SqlSearchIndex>(), new Market.Matching.MatchCatalog(db), () => models.Current);
            var matches = await Market.Matching.DemoMatches.SeedAsync(db, pipeline, DateTime.UtcNow, ct);
            Console.WriteLine($"已生成示例撮合 {matches} 条（示例数据）");
            var events = await Market.Events.DemoEvents.SeedAsync(db, DateTime.UtcNow, ct);
            Console.WriteLine($"已生成示例百日百场活动 {events} 场（示例数据）");
            var deals = await Market.Deals.DemoDeals.SeedAsync(db, DateTime.UtcNow, ct);
            Console.WriteLine($"已生成示例技术合同 {deals} 份（示例数据）");
        }

        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole<long>>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole<long>(role));
            }
        }

        var email = config["Admin:Email"];
        var password = config["Admin:Password"];
        if (!string.IsNullOrWhiteSpace(email) && !string.IsNullOrWhiteSpace(password))
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            if (await users.FindByEmailAsync(email) is null)
            {
                var admin = new AppUser { UserName = email, Email = email, DisplayName = "平台管理员", CreatedAt = DateTime.UtcNow, EmailConfirmed = true };
                var result = await users.CreateAsync(admin, password);
                if (!result.Succeeded)
                {
                    throw new InvalidOperationException("无法创建管理员账号（Admin:Password 须为 8 位以上且包含字母和数字）：" + string.Join("；", result.Errors.Select(e => e.Description)));
                }

                await users.AddToRoleAsync(admin, Roles.Admin);
            }
        }

    }
}
