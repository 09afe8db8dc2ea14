namespace TechMarket.Ranking;

/// <summary>Marks the assembly until the engine's first type lands.</summary>
public static class EngineInfo
{
    public const string Name = "Ranking";
}
