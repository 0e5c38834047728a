using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace AuditGen.Sqlite.Tests;

/// <summary>
/// Kill -9 in the middle of retention purges: no record leaves the log without the record of its purge, no purge record
/// names a record that is still there, the file passes <c>PRAGMA integrity_check</c>, and a later run finishes the work.
/// </summary>
public sealed class PurgeCrashTests : IDisposable
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private readonly TempDatabase _database = new(onDisk: true);

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task A_purge_killed_at_any_moment_leaves_every_removal_recorded_and_nothing_else_gone()
    {
        IReadOnlyList<ActivityRecord> seeded;
        using (var log = new SqliteActivityLogRepo(_database.ConnectionString))
        {
            DateTimeOffset old = DateTimeOffset.UtcNow.AddYears(-2);
            seeded = await log.AppendManyAsync(Enumerable.Range(0, 60_000).Select(i =>
                ActivityRecord.Create(Alice, Alice, "crash_test", new EntityRef("Task", $"{i % 100}"), occurredAt: old.AddSeconds(i))));
        }

        SqliteConnection.ClearAllPools();
        var random = new Random(20261130);
        for (int run = 0; run < 4; run++)
        {
            var start = new ProcessStartInfo("dotnet", [CrashTests.WriterPath(), "purge", _database.FilePath, "50"]) { RedirectStandardOutput = true, UseShellExecute = false };
            using Process purger = Process.Start(start)!;
            Assert.Equal("ready", await purger.StandardOutput.ReadLineAsync());
            if (run == 0)
            {
                // One purge is known to have finished before the first kill, however slow the machine is (the last
                // assertions need one); the other runs may be killed before their first purge ends, or in any later one.
                Assert.StartsWith("purged ", await purger.StandardOutput.ReadLineAsync());
            }

            await Task.Delay(random.Next(100, 600)); // inside the run of 1,200 purges
            purger.Kill(entireProcessTree: true);
            await purger.WaitForExitAsync();
        }

        SqliteConnection.ClearAllPools();
        await using (var connection = new SqliteConnection(_database.ConnectionString))
        {
            await connection.OpenAsync();
            await using SqliteCommand check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check;";
            Assert.Equal("ok", await check.ExecuteScalarAsync());
            check.CommandText = "SELECT count(*) FROM auditgen_purge_window;";
            Assert.Equal(0L, await check.ExecuteScalarAsync()); // the window never outlives its transaction
        }

        using (var log = new SqliteActivityLogRepo(_database.ConnectionString))
        {
            var present = new HashSet<long>();
            var declared = new HashSet<long>();
            await foreach (ActivityRecord record in log.StreamAsync(new ActivityQuery { Limit = 1000, Order = ActivityOrder.OldestFirst }))
            {
                present.Add(record.Sequence);
                if (record.Action == ActivityRetentionRecords.PurgeAction)
                {
                    foreach (ActivitySequenceRange range in ActivitySequenceRange.Parse((string)record.Metadata["ranges"]!))
                    {
                        for (long s = range.First; s <= range.Last; s++)
                        {
                            Assert.True(declared.Add(s), $"sequence {s} is declared purged twice");
                        }
                    }
                }
            }

            Assert.All(seeded, r => Assert.True(present.Contains(r.Sequence) != declared.Contains(r.Sequence),
                $"record {r.Sequence}: {(present.Contains(r.Sequence) ? "present and declared purged" : "gone without a purge record")}"));
            Assert.NotEmpty(declared);

            var options = new ActivityRetentionOptions { MaxRecordsPerPurge = 10_000 };
            options.Policy.KeepMonths = 12;
            ActivityPurgeResult rest = await new ActivityLogRetention(log, options).PurgeAsync(Alice);
            Assert.Equal(seeded.Count, declared.Count + rest.RecordsPurged);
            Assert.Empty((await log.QueryAsync(ActivityQuery.ByAction("crash_test"))).Items);
        }
    }
}
