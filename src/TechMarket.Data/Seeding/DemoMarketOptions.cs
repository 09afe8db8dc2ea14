namespace TechMarket.Data.Seeding;

/// <summary>How large and which demo market to generate. The same options always give the same market.</summary>
public sealed record DemoMarketOptions
{
    /// <summary>Multiplies every count (1.0 = 32 institutes, 220 enterprises, 36 brokers, 560 needs, 2,200 achievements).</summary>
    public double Scale { get; init; } = 1.0;

    /// <summary>Seed of the random generator.</summary>
    public int Seed { get; init; } = 20260101;

    /// <summary>The clock that dates the listings ("now" of the demo market).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// The CSL achievement texts (seeds/csl-achievements.jsonl). Null: looked up in the current directory,
    /// the application's directory and their parents.
    /// </summary>
    public string? AchievementTextPath { get; init; }
}

/// <summary>One step of seeding, for progress bars.</summary>
public sealed record DemoMarketProgress(string Step, int Done, int Total);

/// <summary>What seeding did.</summary>
public sealed record DemoMarketResult(
    bool Seeded,
    string Message,
    int Organisations,
    int Users,
    int Brokers,
    int Needs,
    int Achievements);

/// <summary>A fixed account a person can log in with to try the demo market.</summary>
public sealed record DemoAccount(string Email, string DisplayName, string Role);
