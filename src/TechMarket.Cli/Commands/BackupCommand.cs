namespace TechMarket.Cli.Commands;

internal static class BackupCommand
{
    public static Task<int> RunAsync(string[] args) =>
        throw new CliException("该命令尚未实现");
}
