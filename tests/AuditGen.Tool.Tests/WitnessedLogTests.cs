using AuditGen.Integrity;
using AuditGen.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace AuditGen.Tool.Tests;

/// <summary>
/// A SQLite log witnessed by two <c>auditgen witness</c> processes: one down at first (appends go on, the backlog shows in
/// the health check, it cosigns once it is up), then <c>auditgen verify</c> with a quorum passes the intact log and reports
/// the log truncated together with its newest checkpoints — the case the log alone cannot see.
/// </summary>
public sealed class WitnessedLogTests : IDisposable
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "auditgen-witnessed-" + Guid.NewGuid().ToString("N"));

    public WitnessedLogTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private string Database => Path.Combine(_folder, "audit.db");

    private static async Task<ActivityCheckpoint> CosignedAsync(FileActivityCheckpointSink sink, long size, int witnesses)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1)); // a deadline for the background submission, not a timing assertion
        while (true)
        {
            if (await sink.LatestAsync() is { } latest && latest.TreeSize == size && latest.Cosignatures.Count == witnesses)
            {
                return latest;
            }

            await Task.Delay(50, deadline.Token);
        }
    }

    private static async Task AppendAsync(IServiceProvider services, int count)
    {
        IActivityLogRepo log = services.GetRequiredService<IActivityLogRepo>();
        for (int i = 0; i < count; i++)
        {
            Assert.True((await log.AppendAsync(ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", $"t{i}")))).IsAppended);
        }
    }

    [Fact]
    public async Task One_witness_down_delays_nothing_then_cosigns_and_verify_with_a_quorum_catches_a_truncation_with_deleted_checkpoints()
    {
        ActivityCheckpointKey key = ActivityCheckpointKey.LoadOrCreate(ActivityCheckpointFiles.SigningKey(Database)).Key;
        string logKey = key.NoteVerifier("auditgen/audit.db").ToString();
        int downPort = WitnessProcess.FreePort();
        await using WitnessProcess up = await WitnessProcess.StartAsync(Path.Combine(_folder, "a.db"), 0, logKey);
        NoteSigner downKey = new SqliteActivityWitnessStore(Path.Combine(_folder, "b.db")).LoadOrCreateKey("witness.test/b").Key; // its key, before it runs
        SqliteConnection.ClearAllPools();
        var sink = FileActivityCheckpointSink.Beside(Database);

        var services = new ServiceCollection();
        services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(Microsoft.Extensions.Logging.Abstractions.NullLogger<>));
        services.AddActivityLog(log => log.UseSqlite($"Data Source={Database}").UseTamperEvidence(o =>
        {
            o.Sink = sink;
            o.Key = key;
            o.EveryRecords = 10;
            o.PollInterval = TimeSpan.FromMilliseconds(50);
            o.MaxWitnessBackoff = TimeSpan.FromMilliseconds(500);
            o.Witnesses.Add(up.Url.AbsoluteUri, up.VerifierKey).Add($"http://127.0.0.1:{downPort}/", downKey.Verifier.ToString());
        }));
        services.AddActivityLogHealthChecks();
        await using ServiceProvider provider = services.BuildServiceProvider();
        IHostedService[] hosted = [.. provider.GetServices<IHostedService>()];
        foreach (IHostedService service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        ActivityCheckpointer checkpointer = provider.GetRequiredService<ActivityCheckpointer>();
        Assert.Equal(logKey, checkpointer.VerifierKey.ToString());

        // Witness b is down: every append goes through, checkpoints are written, a cosigns, b's backlog is reported.
        await AppendAsync(provider, 20);
        await checkpointer.CheckpointAsync();
        await CosignedAsync(sink, 20, 1);
        HealthCheckService health = provider.GetRequiredService<HealthCheckService>();
        HealthReport report = await health.CheckHealthAsync();
        using (var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
        {
            while (report.Status != HealthStatus.Degraded)
            {
                await Task.Delay(50, deadline.Token); // until b's first attempt has failed
                report = await health.CheckHealthAsync();
            }
        }

        string description = report.Entries.Values.Single().Description!;
        Assert.Contains("witness witness.test/b", description, StringComparison.Ordinal);
        Assert.Contains("has not cosigned 20 records (backlog", description, StringComparison.Ordinal);

        // b comes back on its address: the backlog is submitted and cosigned, and the health check is healthy again.
        await using (WitnessProcess back = await WitnessProcess.StartAsync(Path.Combine(_folder, "b.db"), downPort, logKey))
        {
            Assert.Equal(downKey.Verifier.ToString(), back.VerifierKey);
            await CosignedAsync(sink, 20, 2);
            Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);
            await AppendAsync(provider, 15);
            await checkpointer.CheckpointAsync();
            await CosignedAsync(sink, 35, 2);

            string[] witnesses = ["--witness-url", up.Url.AbsoluteUri, "--witness-key", "vkey: " + up.VerifierKey, "--witness-url", back.Url.AbsoluteUri, "--witness-key", back.VerifierKey];
            (int exit, string output, string error) = await Auditgen.RunAsync(["verify", "--sqlite", Database, .. witnesses, "--quorum", "2"]);
            Assert.True(exit == 0, output + error);
            Assert.Contains("cosigned by 2 of 2 trusted witnesses (quorum 2)", output, StringComparison.Ordinal);

            foreach (IHostedService service in hosted.Reverse())
            {
                await service.StopAsync(CancellationToken.None);
            }

            // The administrator deletes the newest 15 records and the checkpoint that covered them: the log alone looks intact…
            SqliteConnection.ClearAllPools();
            await using (var connection = new SqliteConnection($"Data Source={Database}"))
            {
                await connection.OpenAsync();
                await using SqliteCommand delete = connection.CreateCommand();
                delete.CommandText = "DROP TRIGGER activity_records_no_delete; DELETE FROM activity_records WHERE sequence > 20"; // as an administrator can
                Assert.Equal(15, await delete.ExecuteNonQueryAsync());
            }

            foreach (StoredCheckpoint stored in await sink.ReadAllAsync().Where(c => c.Checkpoint.TreeSize > 20).ToListAsync())
            {
                File.Delete(Path.Combine(sink.Directory, stored.Name)); // every checkpoint above 20 (the background loop may have written one at 30)
            }
            SqliteConnection.ClearAllPools();
            (exit, output, _) = await Auditgen.RunAsync("verify", "--sqlite", Database);
            Assert.Equal(0, exit);

            // …but not to its witnesses.
            (exit, output, error) = await Auditgen.RunAsync(["verify", "--sqlite", Database, .. witnesses, "--quorum", "2"]);
            Assert.True(exit == 1, output + error);
            Assert.Contains("cosigned size 35; the log has 20 < 35 records", output, StringComparison.Ordinal);
        }
    }
}
