namespace TechMarket.Market.Hosting;

/// <summary>
/// The market's own clock — what "today" is for a 需求时限 or a deadline — registered as a keyed
/// <see cref="TimeProvider"/> apart from the one Orleans runs its timers on, so a test can move the market's date
/// without moving the cluster's.
/// </summary>
public static class MarketClock
{
    public const string Key = "market";
}

/// <summary>
/// The system clock shifted by a fixed offset, in UTC: the market's clock in tests that need a date to come
/// (a 需求时限 passing) while Orleans' timers keep real time. Never registered outside the Testing environment.
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private TimeSpan _offset;

    public ShiftedClock(TimeSpan offset = default) => _offset = offset;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Shifts the clock so that it reads <paramref name="now"/> at this moment.</summary>
    public void SetNow(DateTimeOffset now) => _offset = now - System.GetUtcNow();

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _offset;
}
