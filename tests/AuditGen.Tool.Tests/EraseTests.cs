using AuditGen.Integrity;
using AuditGen.Sqlite;
using Microsoft.Data.Sqlite;

namespace AuditGen.Tool.Tests;

/// <summary>
/// <c>auditgen erase</c> and <c>auditgen rotate-kek</c> as people run them on a tamper-evident SQLite log holding personal
/// data; <c>auditgen verify</c> still passes after an erasure and still locates a tampered sealed value.
/// </summary>
public sealed class EraseTests : IDisposable
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private static readonly Guid Bob = Guid.Parse("0b0e4c1e-0000-4000-8000-000000000b0b");
    private static readonly Guid ToolActor = Guid.Parse("a0d17001-7001-4001-8001-000000000001"); // EraseCommand.ToolActor
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "auditgen-erase-" + Guid.NewGuid().ToString("N"));

    public EraseTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private string Database => Path.Combine(_folder, "audit.db");

    private string KekFile => ActivityCheckpointFiles.KeyEncryptionKey(Database);

    private static SqliteActivityLogRepo Open(string database) => new($"Data Source={database}");

    /// <summary>Four records, odd sequences Alice's titles and even ones Bob's, sealed with the key file beside the database, all checkpointed.</summary>
    private async Task SeedAsync()
    {
        using SqliteActivityLogRepo store = Open(Database);
        var log = new ActivityLog(store) { PersonalData = new ActivitySubjectKeys(store, FileActivityKeyEncryptionKey.LoadOrCreate(KekFile).Key) };
        for (int i = 1; i <= 4; i++)
        {
            Guid owner = i % 2 == 1 ? Alice : Bob;
            await log.AppendAsync(ActivityRecord.Create(owner, owner, "create_task", new EntityRef("Task", $"{i}"),
                new Dictionary<string, object?> { ["title"] = new PersonalValue(owner, $"title {i}") }));
        }

        await CheckpointAsync(store);
    }

    private async Task CheckpointAsync(SqliteActivityLogRepo store)
    {
        ActivityCheckpointKey key = ActivityCheckpointKey.LoadOrCreate(ActivityCheckpointFiles.SigningKey(Database)).Key;
        var checkpointer = new ActivityCheckpointer(store, new ActivityCheckpointOptions { Sink = new FileActivityCheckpointSink(ActivityCheckpointFiles.Checkpoints(Database)), Key = key });
        await checkpointer.CheckpointAsync();
        await checkpointer.StopAsync(CancellationToken.None); // hand the checkpoint lease back for the next one
    }

    private async Task<object?> TitleAsync(long sequence, IActivityKeyEncryptionKey? kek = null)
    {
        using SqliteActivityLogRepo store = Open(Database);
        ActivityRecord record = (await store.QueryAsync(new ActivityQuery { Limit = 1000, Order = ActivityOrder.OldestFirst })).Items.Single(r => r.Sequence == sequence);
        return (await new ActivitySubjectKeys(store, kek ?? FileActivityKeyEncryptionKey.LoadOrCreate(KekFile).Key).UnsealAsync(record)).Metadata["title"];
    }

    [Fact]
    public async Task Erase_exits_0_the_subjects_values_read_as_erased_and_verify_still_passes()
    {
        await SeedAsync();

        (int exit, string output, string error) = await Auditgen.RunAsync("erase", "--sqlite", Database, "--subject", Alice.ToString(), "--reason", "GDPR request 2026-7");

        Assert.True(exit == 0, output + error);
        Assert.StartsWith($"erased subject {Alice:D}: 2 sealed values are unreadable from now on; recorded as record 5 ", output, StringComparison.Ordinal);
        Assert.Equal(new ErasedValue(Alice), await TitleAsync(1));
        Assert.Equal(new ErasedValue(Alice), await TitleAsync(3));
        Assert.Equal(new PersonalValue(Bob, "title 2"), await TitleAsync(2));
        using (SqliteActivityLogRepo store = Open(Database))
        {
            ActivityRecord erasure = (await store.GetByActionAsync(ActivitySubjectKeys.ErasedAction)).Single();
            Assert.Equal(ToolActor, erasure.ActorId);
            await CheckpointAsync(store);
        }

        (int verified, string verifyOutput, string verifyError) = await Auditgen.RunAsync("verify", "--sqlite", Database);
        Assert.True(verified == 0, verifyOutput + verifyError);
        Assert.StartsWith("verified 5 records", verifyOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_sealed_value_is_detected_and_located_after_an_erasure()
    {
        await SeedAsync();
        Assert.Equal(0, (await Auditgen.RunAsync("erase", "--sqlite", Database, "--subject", Alice.ToString(), "--reason", "request")).ExitCode);

        // Someone swaps the sealed title of record 3 (erased, unreadable) for record 1's: same subject and key, other bytes.
        await using (var connection = new SqliteConnection($"Data Source={Database}"))
        {
            await connection.OpenAsync();
            await using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "DROP TRIGGER activity_records_no_update; UPDATE activity_records SET metadata = (SELECT metadata FROM activity_records WHERE sequence = 1) WHERE sequence = 3";
            await command.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        (int exit, string output, _) = await Auditgen.RunAsync("verify", "--sqlite", Database);
        Assert.Equal(1, exit);
        Assert.StartsWith("history diverges at sequence 3: ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_legal_hold_on_the_subject_makes_erase_exit_1_and_nothing_changes()
    {
        await SeedAsync();
        using (SqliteActivityLogRepo store = Open(Database))
        {
            var options = new ActivityRetentionOptions();
            options.Policy.KeepMonths = 12;
            await new ActivityLogRetention(store, options).PlaceHoldAsync(ActivityLegalHold.ForActor("case-9", Alice, "litigation"), Bob);
        }

        (int exit, _, string error) = await Auditgen.RunAsync("erase", "--sqlite", Database, "--subject", Alice.ToString(), "--reason", "request");

        Assert.Equal(1, exit);
        Assert.Contains("legal hold 'case-9'", error, StringComparison.Ordinal);
        Assert.Equal(new PersonalValue(Alice, "title 1"), await TitleAsync(1));
    }

    [Theory]
    [InlineData("--subject", "not-a-guid", "--reason", "r")]
    [InlineData("--subject", "00000000-0000-0000-0000-000000000000", "--reason", "r")]
    [InlineData("--subject", "0b0e4c1e-0000-4000-8000-00000000a11c", "--reason", " ")]
    [InlineData("--subject", "0b0e4c1e-0000-4000-8000-00000000a11c")]
    [InlineData("--reason", "r")]
    public async Task Erase_with_bad_arguments_exits_2_saying_what_is_wrong(params string[] arguments)
    {
        await SeedAsync();
        (int exit, _, string error) = await Auditgen.RunAsync(["erase", "--sqlite", Database, .. arguments]);
        Assert.Equal(2, exit);
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.Equal(new PersonalValue(Alice, "title 1"), await TitleAsync(1));
    }

    [Fact]
    public async Task Rotate_kek_rewraps_every_subject_key_under_the_new_file_and_leaves_records_unchanged()
    {
        await SeedAsync();
        string newKek = Path.Combine(_folder, "new.kek.json");

        (int exit, string output, string error) = await Auditgen.RunAsync("rotate-kek", "--sqlite", Database, "--new-kek", newKek);

        Assert.True(exit == 0, output + error);
        Assert.StartsWith("re-wrapped 2 subject keys under key-encryption key ", output, StringComparison.Ordinal);
        FileActivityKeyEncryptionKey rotated = FileActivityKeyEncryptionKey.LoadOrCreate(newKek).Key;
        Assert.Equal(new PersonalValue(Alice, "title 1"), await TitleAsync(1, rotated));
        Assert.Equal(new PersonalValue(Bob, "title 4"), await TitleAsync(4, rotated));
        await Assert.ThrowsAnyAsync<System.Security.Cryptography.CryptographicException>(() => TitleAsync(1));
        (int verified, string verifyOutput, _) = await Auditgen.RunAsync("verify", "--sqlite", Database);
        Assert.True(verified == 0, verifyOutput);
    }
}
