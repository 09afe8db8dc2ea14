namespace TechMarket.Cli.Commands;

internal static class SeedCommand
{
    public static Task<int> RunAsync(string[] args) =>
        throw new CliException("该命令尚未实现");
}
