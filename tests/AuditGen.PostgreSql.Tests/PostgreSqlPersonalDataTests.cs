using System.Text;
using AuditGen.Conformance;
using Npgsql;

namespace AuditGen.PostgreSql.Tests;

/// <summary>
/// Personal data on a real server, against the shared conformance suite: the scans read every row of every table of the
/// log's schema as text (jsonb and text as themselves, bytea as hex).
/// </summary>
public sealed class PostgreSqlPersonalDataTests : PersonalDataConformanceTests
{
    private readonly Dictionary<IActivityLogRepo, string> _schemas = [];

    protected override Task<IActivityLogRepo> CreateLogAsync(TimeProvider clock)
    {
        string schema = TestServer.NewSchema();
        PostgreSqlActivityLogRepo log = TestServer.NewLog(clock, schema);
        _schemas.Add(log, schema);
        return Task.FromResult<IActivityLogRepo>(log);
    }

    protected override async Task<bool> StorageContainsAsync(IActivityLogRepo log, byte[] bytes)
    {
        string schema = _schemas[log];
        string hex = Convert.ToHexStringLower(bytes);
        string? text = Encoding.UTF8.GetString(bytes) is var decoded && Encoding.UTF8.GetByteCount(decoded) == bytes.Length && !decoded.Contains('\uFFFD', StringComparison.Ordinal) ? decoded : null;
        await using var connection = new NpgsqlConnection(TestServer.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'", connection))
        {
            list.Parameters.Add(new() { Value = schema });
            await using NpgsqlDataReader reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Contains("auditgen_subject_keys", tables);
        foreach (string table in tables)
        {
            await using var scan = new NpgsqlCommand(
                $"SELECT count(*) FROM \"{schema}\".\"{table}\" t WHERE strpos(t::text, $1) > 0 OR ($2::text IS NOT NULL AND strpos(t::text, $2) > 0)", connection);
            scan.Parameters.Add(new() { Value = hex });
            scan.Parameters.Add(new() { Value = (object?)text ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            if ((long)(await scan.ExecuteScalarAsync())! > 0)
            {
                return true;
            }
        }

        return false;
    }

    public override void Dispose()
    {
        foreach (IActivityLogRepo log in _schemas.Keys)
        {
            ((IDisposable)log).Dispose();
        }

        base.Dispose();
    }
}
