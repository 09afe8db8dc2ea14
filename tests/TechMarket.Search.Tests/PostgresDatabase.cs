using Npgsql;

namespace TechMarket.Search.Tests;

/// <summary>A throwaway database on the test server named by TECHMARKET_TEST_PG, dropped at the end.</summary>
public sealed class PostgresDatabase : IDisposable
{
    private readonly string _admin;
    private readonly string _name = $"tm_search_{Guid.NewGuid():N}";

    public PostgresDatabase()
    {
        _admin = Environment.GetEnvironmentVariable("TECHMARKET_TEST_PG") ?? "";
        if (_admin.Length == 0)
        {
            return;
        }

        using var connection = new NpgsqlConnection(_admin);
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE {_name}", connection);
        command.ExecuteNonQuery();
        ConnectionString = new NpgsqlConnectionStringBuilder(_admin) { Database = _name }.ConnectionString;
    }

    public string ConnectionString
    {
        get => field ?? throw new InvalidOperationException(
            "TECHMARKET_TEST_PG 未设置：请先运行 export TECHMARKET_TEST_PG=$(scripts/pg-test-server.sh start)");
        private set;
    }

    public void Dispose()
    {
        if (_admin.Length == 0)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(_admin);
        connection.Open();
        using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", connection);
        command.ExecuteNonQuery();
    }
}
