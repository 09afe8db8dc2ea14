using System.Globalization;
using System.Net;
using Microsoft.Extensions.Caching.Memory;
using StackExchange.Redis;
using TechMarket.Market.Hosting;

namespace TechMarket.Server.Features.Accounts;

/// <summary>
/// Failed sign-ins counted per client address over a fixed window, on top of Identity's per-account lockout: a
/// guesser who tries many accounts from one address is stopped too. With Redis the counters are shared by every
/// node (INCR with an expiry); without it each node counts alone, which is right for the embedded single node.
/// </summary>
internal sealed class LoginThrottle
{
    private readonly IConnectionMultiplexer? _redis;
    private readonly IMemoryCache _memory;
    private readonly int _limit;
    private readonly TimeSpan _window;
    private readonly string _keyPrefix;

    public LoginThrottle(IConfiguration config, IMemoryCache memory, IServiceProvider services)
    {
        _memory = memory;
        _redis = services.GetService<IConnectionMultiplexer>();
        _limit = Math.Max(1, config.GetValue("Security:LoginFailuresPerAddress", 20));
        _window = TimeSpan.FromSeconds(Math.Max(1, config.GetValue("Security:LoginFailureWindowSeconds", 600)));

        // One Redis may serve several deployments: the service's id keeps their counters apart.
        _keyPrefix = $"techmarket:{MarketSilo.ResolveCluster(config).ServiceId}:login-failures:";
    }

    /// <summary>Minutes to wait, for the message.</summary>
    public int WindowMinutes => (int)Math.Ceiling(_window.TotalMinutes);

    public int WindowSeconds => (int)Math.Ceiling(_window.TotalSeconds);

    /// <summary>True when this address has used up its failures for the current window.</summary>
    public async Task<bool> IsBlockedAsync(IPAddress? address)
    {
        var key = Key(address);
        if (_redis is not null)
        {
            var value = await _redis.GetDatabase().StringGetAsync(key);
            return value.HasValue && (long)value >= _limit;
        }

        return _memory.TryGetValue(key, out Counter? counter) && counter!.Value >= _limit;
    }

    /// <summary>Counts one failed sign-in from this address; the window starts at the first failure.</summary>
    public async Task RecordFailureAsync(IPAddress? address)
    {
        var key = Key(address);
        if (_redis is not null)
        {
            var db = _redis.GetDatabase();
            var count = await db.StringIncrementAsync(key);
            if (count == 1)
            {
                await db.KeyExpireAsync(key, _window);
            }

            return;
        }

        var counter = _memory.GetOrCreate(key, e =>
        {
            e.AbsoluteExpirationRelativeToNow = _window;
            return new Counter();
        })!;
        Interlocked.Increment(ref counter.Value);
    }

    private string Key(IPAddress? address) =>
        _keyPrefix + (address is null ? "unknown" : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString());

    /// <summary>A mutable count held in the memory cache.</summary>
    private sealed class Counter
    {
        public int Value;
    }

    /// <summary>The message both the API and the sign-in page show.</summary>
    public string BlockedMessage => string.Create(CultureInfo.InvariantCulture, $"该网络地址登录失败次数过多，请 {WindowMinutes} 分钟后再试");
}
