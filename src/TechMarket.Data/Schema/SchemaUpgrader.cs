using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace TechMarket.Data.Schema;

/// <summary>
/// Versioned schema: numbered SQL scripts per provider (embedded resources Schema/&lt;provider&gt;/NNNN_name.sql),
/// applied in order inside one transaction each, recorded in "SchemaVersions". EF's migration scaffolding
/// cannot run here (Microsoft.EntityFrameworkCore.Design does not restore), and plain scripts are easy to review.
/// </summary>
public static class SchemaUpgrader
{
    /// <summary>One shipped schema script.</summary>
    public sealed record Script(int Version, string Name, string Sql);

    /// <summary>The scripts for a provider ("sqlite" or "postgres"), in version order.</summary>
    public static IReadOnlyList<Script> Scripts(string provider)
    {
        var assembly = typeof(SchemaUpgrader).Assembly;
        var prefix = $"TechMarket.Data.Schema.{provider}.";
        var scripts = new List<Script>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var file = resource[prefix.Length..];
            var version = int.Parse(file[..4], CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            scripts.Add(new Script(version, file, reader.ReadToEnd()));
        }

        return [.. scripts.OrderBy(s => s.Version)];
    }

    /// <summary>The highest version the code knows.</summary>
    public static int LatestVersion(string provider) => Scripts(provider).Max(s => s.Version);

    /// <summary>Creates or upgrades the database to <paramref name="targetVersion"/> (default: latest). Returns the versions applied.</summary>
    public static async Task<IReadOnlyList<int>> UpgradeAsync(MarketDb db, int? targetVersion = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var provider = db.Database.IsNpgsql() ? DatabaseOptions.Postgres : DatabaseOptions.Sqlite;
        var conn = db.Database.GetDbConnection();
        var opened = conn.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await conn.OpenAsync(ct);
        }

        try
        {
            if (provider == DatabaseOptions.Sqlite)
            {
                await ExecAsync(conn, null, "PRAGMA journal_mode=WAL;", ct);
            }
            else
            {
                // Several server nodes may start at once: one upgrades, the others wait on the lock.
                await ExecAsync(conn, null, "SELECT pg_advisory_lock(724871);", ct);
            }

            await ExecAsync(conn, null, """CREATE TABLE IF NOT EXISTS "SchemaVersions" ("Version" INTEGER NOT NULL PRIMARY KEY, "Name" TEXT NOT NULL, "AppliedAt" TEXT NOT NULL);""", ct);
            var current = await CurrentVersionAsync(conn, ct);
            var applied = new List<int>();
            foreach (var script in Scripts(provider).Where(s => s.Version > current && (targetVersion is null || s.Version <= targetVersion)))
            {
                await using var tx = await conn.BeginTransactionAsync(ct);
                await ExecAsync(conn, tx, script.Sql, ct);
                await using (var cmd = conn.CreateCommand())
                {
                    cmd.Transaction = tx;
                    cmd.CommandText = """INSERT INTO "SchemaVersions" ("Version", "Name", "AppliedAt") VALUES (@v, @n, @t)""";
                    AddParameter(cmd, "@v", script.Version);
                    AddParameter(cmd, "@n", script.Name);
                    AddParameter(cmd, "@t", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                    await cmd.ExecuteNonQueryAsync(ct);
                }

                await tx.CommitAsync(ct);
                applied.Add(script.Version);
            }

            if (provider == DatabaseOptions.Postgres)
            {
                await ExecAsync(conn, null, "SELECT pg_advisory_unlock(724871);", ct);
            }

            return applied;
        }
        finally
        {
            if (opened)
            {
                await conn.CloseAsync();
            }
        }
    }

    /// <summary>The version recorded in the database, 0 for an empty one.</summary>
    public static async Task<int> CurrentVersionAsync(DbConnection conn, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(conn);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = """SELECT COALESCE(MAX("Version"), 0) FROM "SchemaVersions" """;
        var value = await cmd.ExecuteScalarAsync(ct);
        return Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }

    private static async Task ExecAsync(DbConnection conn, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static void AddParameter(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}
