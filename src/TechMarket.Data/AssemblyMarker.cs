namespace TechMarket.Data;

internal static class AssemblyMarker
{
}
