using AuditGen.Integrity;
using AuditGen.Sqlite;
using Microsoft.Data.Sqlite;

namespace AuditGen.Tool.Tests;

/// <summary><c>auditgen purge</c> as an operator runs it: on a plain log, on a tamper-evident one (then <c>verify</c>), with bad arguments.</summary>
public sealed class PurgeTests : IDisposable
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private static readonly Guid Bob = Guid.Parse("0b0e4c1e-0000-4000-8000-000000000b0b");
    private static readonly Guid Operator = Guid.Parse("0b0e4c1e-0000-4000-8000-0000000a0d17");
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "auditgen-tool-purge-" + Guid.NewGuid().ToString("N"));

    public PurgeTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private string Database => Path.Combine(_folder, "audit.db");

    /// <summary>
    /// Ten records two years old (two of them Bob's, under a hold) and five from today; checkpointed when
    /// <paramref name="tamperEvident"/> by a checkpointer that, like a running application's, still holds the lease.
    /// </summary>
    private async Task<ActivityCheckpointer?> SeedAsync(bool tamperEvident)
    {
        ActivityCheckpointer? checkpointer = null;
        await using (var log = new SqliteActivityLogRepo($"Data Source={Database}"))
        {
            DateTimeOffset old = DateTimeOffset.UtcNow.AddYears(-2);
            await log.AppendManyAsync([
                .. Enumerable.Range(0, 10).Select(i => ActivityRecord.Create(i < 2 ? Bob : Alice, Alice, "create_task", new EntityRef("Task", $"{i}"), occurredAt: old.AddMinutes(i))),
                .. Enumerable.Range(10, 5).Select(i => ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", $"{i}"))),
            ]);
            var options = new ActivityRetentionOptions();
            options.Policy.KeepMonths = 12;
            await new ActivityLogRetention(log, options).PlaceHoldAsync(ActivityLegalHold.ForActor("case-bob", Bob, "litigation"), Operator);
            if (tamperEvident)
            {
                checkpointer = new ActivityCheckpointer(new SqliteActivityLogRepo($"Data Source={Database}"), new ActivityCheckpointOptions
                {
                    Sink = new FileActivityCheckpointSink(ActivityCheckpointFiles.Checkpoints(Database)),
                    Key = ActivityCheckpointKey.LoadOrCreate(ActivityCheckpointFiles.SigningKey(Database)).Key,
                });
                await checkpointer.CheckpointAsync();
            }
        }

        SqliteConnection.ClearAllPools();
        return checkpointer;
    }

    private async Task<IReadOnlyList<ActivityRecord>> RecordsAsync()
    {
        await using var log = new SqliteActivityLogRepo($"Data Source={Database}");
        var all = new List<ActivityRecord>();
        await foreach (ActivityRecord record in log.StreamAsync(new ActivityQuery { Order = ActivityOrder.OldestFirst }))
        {
            all.Add(record);
        }

        SqliteConnection.ClearAllPools();
        return all;
    }

    [Fact]
    public async Task A_purge_of_a_plain_log_removes_the_old_unheld_records_and_records_itself_and_a_rerun_does_nothing()
    {
        await SeedAsync(tamperEvident: false);

        (int exit, string output, string error) = await Auditgen.RunAsync("purge", "--sqlite", Database, "--keep-months", "12", "--actor", Operator.ToString());
        (int again, string againOutput, _) = await Auditgen.RunAsync("purge", "--sqlite", Database, "--keep-months", "12", "--actor", Operator.ToString());

        Assert.True(exit == 0, output + error);
        Assert.Equal("purged 8 records in 1 recorded purges.", output.Trim());
        Assert.Equal(0, again);
        Assert.StartsWith("nothing to purge", againOutput, StringComparison.Ordinal);
        IReadOnlyList<ActivityRecord> left = await RecordsAsync();
        Assert.Equal(2, left.Count(r => r.ActorId == Bob));
        ActivityRecord purge = Assert.Single(left, r => r.Action == ActivityRetentionRecords.PurgeAction);
        Assert.Equal(Operator, purge.ActorId);
    }

    [Fact]
    public async Task A_purge_of_a_tamper_evident_log_is_signed_with_the_key_beside_it_and_verify_still_passes()
    {
        ActivityCheckpointer application = (await SeedAsync(tamperEvident: true))!;

        (int busy, _, string busyError) = await Auditgen.RunAsync("purge", "--sqlite", Database, "--keep-months", "12", "--actor", Operator.ToString());
        await application.StopAsync(CancellationToken.None); // the application stops and hands the checkpoint lease back
        (int exit, string output, string error) = await Auditgen.RunAsync("purge", "--sqlite", Database, "--keep-months", "12", "--actor", Operator.ToString());
        (int verified, string verifyOutput, string verifyError) = await Auditgen.RunAsync("verify", "--sqlite", Database);

        Assert.Equal(1, busy);
        Assert.Contains("Another checkpointer holds the lease", busyError);
        Assert.True(exit == 0, output + error);
        Assert.Equal("purged 8 records in 1 recorded purges; signed, after a checkpoint at the retention boundary.", output.Trim());
        Assert.True(verified == 0, verifyOutput + verifyError);
        Assert.Contains("8 checkpointed records were removed by signed retention purges.", verifyOutput);
    }

    [Fact]
    public async Task Without_the_signing_key_a_tamper_evident_log_is_not_purged_and_bad_arguments_name_the_option()
    {
        await SeedAsync(tamperEvident: true);
        File.Delete(ActivityCheckpointFiles.SigningKey(Database));

        (int exit, _, string error) = await Auditgen.RunAsync("purge", "--sqlite", Database, "--keep-months", "12", "--actor", Operator.ToString());
        (int badKeep, _, string badKeepError) = await Auditgen.RunAsync("purge", "--sqlite", Database, "--keep-months", "12", "--keep", "sign_in", "--actor", Operator.ToString());
        (int badMonths, _, string badMonthsError) = await Auditgen.RunAsync("purge", "--sqlite", Database, "--keep-months", "0", "--actor", Operator.ToString());
        (int noActor, _, string noActorError) = await Auditgen.RunAsync("purge", "--sqlite", Database, "--keep-months", "12");

        Assert.Equal(2, exit);
        Assert.Contains("--signing-key", error);
        Assert.Equal(2, badKeep);
        Assert.Contains("--keep 'sign_in'", badKeepError);
        Assert.Equal(2, badMonths);
        Assert.Contains("KeepMonths", badMonthsError);
        Assert.Equal(2, noActor);
        Assert.Contains("--actor", noActorError);
        Assert.Equal(16, (await RecordsAsync()).Count); // nothing was removed: the 15 records and the record of the hold
    }
}
