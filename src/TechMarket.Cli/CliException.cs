namespace TechMarket.Cli;

/// <summary>Bad input from the user: printed as one Chinese line on stderr, exit code 2.</summary>
internal sealed class CliException(string message) : Exception(message);
