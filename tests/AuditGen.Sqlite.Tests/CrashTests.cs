using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace AuditGen.Sqlite.Tests;

/// <summary>
/// Kill -9 in the middle of appends: every append that was acknowledged is in the database after reopening, exactly
/// once, and the file passes <c>PRAGMA integrity_check</c>.
/// </summary>
public sealed class CrashTests : IDisposable
{
    private readonly TempDatabase _database = new(onDisk: true);

    public void Dispose() => _database.Dispose();

    internal static string WriterPath()
    {
        // tests/AuditGen.Sqlite.Tests/bin/<Configuration>/net10.0 → tests/AuditGen.Sqlite.CrashWriter/bin/<Configuration>/net10.0
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string configuration = here.Parent!.Name;
        string path = Path.Combine(here.Parent.Parent!.Parent!.Parent!.FullName, "AuditGen.Sqlite.CrashWriter", "bin", configuration, here.Name, "AuditGen.Sqlite.CrashWriter.dll");
        Assert.True(File.Exists(path), $"crash writer not built at {path}");
        return path;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(50, 1)]
    [InlineData(1, 16)] // 16 concurrent single appenders: group commit writes them in shared transactions
    public async Task Every_acknowledged_append_survives_SIGKILL_exactly_once(int batchSize, int writers)
    {
        var random = new Random(20261126 + batchSize + writers);
        var acknowledged = new List<Guid>();
        for (int run = 0; run < 5; run++)
        {
            var start = new ProcessStartInfo("dotnet", [WriterPath(), _database.FilePath, batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
                writers.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            using Process writer = Process.Start(start)!;
            Assert.Equal("ready", await writer.StandardOutput.ReadLineAsync());

            // Let it run for a random number of acknowledgements, then kill it mid-flight (SIGKILL on Linux).
            int stopAfter = random.Next(20, 400);
            int seen = 0;
            while (seen < stopAfter && await writer.StandardOutput.ReadLineAsync() is { } line)
            {
                acknowledged.Add(Guid.Parse(line["ack ".Length..]));
                seen++;
            }

            writer.Kill(entireProcessTree: true);
            // Acknowledgements already written before the kill count too.
            while (await writer.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("ack ", StringComparison.Ordinal))
                {
                    acknowledged.Add(Guid.Parse(line["ack ".Length..]));
                }
            }

            await writer.WaitForExitAsync();
            Assert.True(seen >= stopAfter, "the writer died before it was killed");
        }

        SqliteConnection.ClearAllPools();
        await using var connection = new SqliteConnection($"Data Source={_database.FilePath}");
        await connection.OpenAsync();
        await using SqliteCommand check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check;";
        Assert.Equal("ok", await check.ExecuteScalarAsync());

        using var log = new SqliteActivityLogRepo(_database.ConnectionString);
        var stored = new Dictionary<Guid, int>();
        await foreach (ActivityRecord record in log.StreamAsync(new ActivityQuery { Limit = 1000, Order = ActivityOrder.OldestFirst }))
        {
            stored[record.RecordId] = stored.GetValueOrDefault(record.RecordId) + 1;
        }

        Assert.All(stored, s => Assert.Equal(1, s.Value));
        Assert.All(acknowledged, id => Assert.True(stored.ContainsKey(id), $"acknowledged record {id} was lost"));
        Assert.True(acknowledged.Count >= 100);
    }
}
