namespace TechMarket.Client;

internal static class AssemblyMarker
{
}
