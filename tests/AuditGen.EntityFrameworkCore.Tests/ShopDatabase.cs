using Microsoft.Data.Sqlite;
using Npgsql;

namespace AuditGen.EntityFrameworkCore.Tests;

/// <summary>A fresh, empty database for one test: a SQLite file, or a PostgreSQL database on the test cluster.</summary>
public sealed class ShopDatabase : IDisposable
{
    private readonly string? _folder;
    private readonly string? _postgresName;

    private ShopDatabase(string provider, string connectionString, string? folder, string? postgresName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _folder = folder;
        _postgresName = postgresName;
    }

    public string Provider { get; }

    public string ConnectionString { get; }

    public static ShopDatabase Create(string provider) => provider switch
    {
        "sqlite" => Sqlite(),
        "postgres" => Postgres(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    private static ShopDatabase Sqlite()
    {
        string folder = Path.Combine(Path.GetTempPath(), "auditgen-ef-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return new ShopDatabase("sqlite", $"Data Source={Path.Combine(folder, "shop.db")}", folder, null);
    }

    public static string PostgresServer =>
        Environment.GetEnvironmentVariable("AUDITGEN_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("AUDITGEN_POSTGRES is not set: run the tests with ./eng/test.sh, which starts a throwaway PostgreSQL cluster.");

    private static ShopDatabase Postgres()
    {
        string name = "shop_" + Guid.NewGuid().ToString("N")[..16];
        using (var connection = new NpgsqlConnection(PostgresServer))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            command.ExecuteNonQuery();
        }

        string connectionString = new NpgsqlConnectionStringBuilder(PostgresServer) { Database = name }.ConnectionString;
        return new ShopDatabase("postgres", connectionString, null, name);
    }

    public void Dispose()
    {
        if (_folder is not null)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        if (_postgresName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            using var connection = new NpgsqlConnection(PostgresServer);
            connection.Open();
            using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)", connection);
            command.ExecuteNonQuery();
        }
    }
}
