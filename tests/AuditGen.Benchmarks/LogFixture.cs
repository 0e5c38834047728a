using Microsoft.Data.Sqlite;
using Npgsql;

namespace AuditGen.Benchmarks;

/// <summary>
/// What the benchmarks share. A log of <c>size</c> records where every entity, actor, owner and action has at least 100
/// records, so a limit-50 query returns a full page at every size and the sizes compare like with like. And the stores'
/// setup and cleanup: a temporary folder for SQLite files, a schema or a database on the PostgreSQL server named by
/// AUDITGEN_POSTGRES.
/// </summary>
internal static class LogFixture
{
    public const int RecordsPerKey = 100;
    public const int Actions = 10;

    public static Guid Actor(int i) => new(i, 1, 1, [0, 0, 0, 0, 0, 0, 0, 1]);

    public static Guid Owner(int i) => new(i, 2, 2, [0, 0, 0, 0, 0, 0, 0, 2]);

    public static EntityRef Entity(int i) => new("Task", $"task-{i}");

    public static string Action(int i) => $"action_{i}";

    public static async ValueTask FillAsync(IActivityLogRepo log, int size)
    {
        int keys = Math.Max(1, size / RecordsPerKey);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (int i = 0; i < size; i++)
        {
            await log.AppendAsync(ActivityRecord.Create(Actor(i % keys), Owner((i / 7) % keys), Action(i % Actions), Entity((i / 3) % keys),
                occurredAt: start.AddSeconds(i)));
        }
    }

    /// <summary>Creates a new, empty folder under the temporary folder, <c>auditgen-bench-{name}-{guid}</c>, and returns its path.</summary>
    public static string NewFolder(string name)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"auditgen-bench-{name}-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>The connection string of the SQLite file <paramref name="file"/> in <paramref name="folder"/>.</summary>
    public static string SqliteFile(string folder, string file = "audit.db") => $"Data Source={Path.Combine(folder, file)}";

    /// <summary>Deletes a folder of SQLite files, once the connection pools have let go of them.</summary>
    public static void DeleteSqliteFolder(string folder)
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>The PostgreSQL server's connection string, from AUDITGEN_POSTGRES.</summary>
    public static string PostgresServer => Environment.GetEnvironmentVariable("AUDITGEN_POSTGRES")
        ?? throw new InvalidOperationException("Set AUDITGEN_POSTGRES (source eng/postgres.sh; start_test_postgres).");

    /// <summary>A schema name of its own for one run, <c>bench_{name}_{12 hex digits}</c>; the adapter creates the schema.</summary>
    public static string NewSchemaName(string name) => $"bench_{name}_" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Drops <paramref name="schema"/> and everything in it.</summary>
    public static async Task DropSchemaAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(PostgresServer);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Creates a new, empty database on the server and returns its connection string, with <c>synchronous_commit</c> on (the
    /// test cluster turns it off; production keeps it on).
    /// </summary>
    public static async Task<string> NewPostgresDatabaseAsync()
    {
        string server = PostgresServer;
        string database = "bench_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", admin);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = database, Options = "-c synchronous_commit=on" }.ConnectionString;
    }

    /// <summary>Drops the database <see cref="NewPostgresDatabaseAsync"/> made (its connections are closed first).</summary>
    public static async Task DropPostgresDatabaseAsync(string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        string database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using var admin = new NpgsqlConnection(PostgresServer);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}

