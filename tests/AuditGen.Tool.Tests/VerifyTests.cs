using System.Text.Json.Nodes;
using AuditGen.Integrity;
using AuditGen.PostgreSql;
using AuditGen.Sqlite;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AuditGen.Tool.Tests;

/// <summary><c>auditgen verify</c> as people run it: on an intact log, on a tampered one, with bad arguments.</summary>
public sealed class VerifyTests : IDisposable
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "auditgen-tool-" + Guid.NewGuid().ToString("N"));

    public VerifyTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private string Database => Path.Combine(_folder, "audit.db");

    /// <summary>A SQLite log of <paramref name="count"/> records with its checkpoints and development key where the sample puts them.</summary>
    private async Task SeedSqliteAsync(int count, int batch = 5_000)
    {
        var log = new SqliteActivityLogRepo(new SqliteActivityLogOptions { ConnectionString = $"Data Source={Database}", Durability = SqliteDurability.Normal });
        await SeedAsync(log, log, count, batch, Database);
        SqliteConnection.ClearAllPools();
    }

    private static async Task SeedAsync(IActivityLogRepo log, Storage.IActivityLogOutbox outbox, int count, int batch, string basePath)
    {
        for (int done = 0; done < count; done += batch)
        {
            ActivityRecord[] records = [.. Enumerable.Range(done, Math.Min(batch, count - done)).Select(i => ActivityRecord.Create(Alice, Alice, "create_task",
                new EntityRef("Task", $"task-{i % 1000}"), new Dictionary<string, object?> { ["title"] = $"task {i}", ["n"] = i }))];
            _ = log switch
            {
                SqliteActivityLogRepo sqlite => await sqlite.AppendManyAsync(records),
                PostgreSqlActivityLogRepo postgres => await postgres.AppendManyAsync(records),
                _ => throw new NotSupportedException(),
            };
        }

        ActivityCheckpointKey key = ActivityCheckpointKey.LoadOrCreate(ActivityCheckpointFiles.SigningKey(basePath)).Key;
        var checkpointer = new ActivityCheckpointer(outbox as IActivityLogRepo ?? log, new ActivityCheckpointOptions
        {
            Sink = new FileActivityCheckpointSink(ActivityCheckpointFiles.Checkpoints(basePath)),
            Key = key,
            EveryRecords = 100_000,
        });
        await checkpointer.CheckpointAsync();
    }

    private async Task TamperAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Database}");
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "DROP TRIGGER activity_records_no_update; DROP TRIGGER activity_records_no_delete; " + sql;
        await command.ExecuteNonQueryAsync();
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task An_intact_log_exits_0_and_says_how_far_it_is_verified()
    {
        await SeedSqliteAsync(120);
        (int exit, string output, string error) = await Auditgen.RunAsync("verify", "--sqlite", Database);
        Assert.True(exit == 0, output + error);
        Assert.StartsWith("verified 120 records up to checkpoint 120 (root ", output, StringComparison.Ordinal);
        Assert.Contains("key 'development'", output);
    }

    [Theory]
    [InlineData("UPDATE activity_records SET action = 'delete_task' WHERE sequence = 17", 17)]
    [InlineData("DELETE FROM activity_records WHERE sequence = 60", 60)]
    [InlineData("DELETE FROM activity_records WHERE sequence > 100", 101)]
    public async Task A_tampered_log_exits_1_naming_the_first_sequence_where_history_diverges(string sql, long first)
    {
        await SeedSqliteAsync(120);
        await TamperAsync(sql);
        (int exit, string output, _) = await Auditgen.RunAsync("verify", "--sqlite", Database);
        Assert.Equal(1, exit);
        Assert.StartsWith($"history diverges at sequence {first}: ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_row_whose_stored_leaf_is_not_the_leaf_of_its_content_exits_1_naming_it()
    {
        // The leaf stored at append is what the checkpointer reads; verification recomputes it from the row and does not believe
        // the stored one. A stored leaf rewritten after the last checkpoint (the row itself untouched) is named too.
        await SeedSqliteAsync(120);
        var log = new SqliteActivityLogRepo($"Data Source={Database}");
        await log.AppendAsync(ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", "late")));
        await log.DisposeAsync();
        SqliteConnection.ClearAllPools();
        await TamperAsync("UPDATE activity_records SET leaf = zeroblob(32) WHERE sequence = 121");

        (int exit, string output, _) = await Auditgen.RunAsync("verify", "--sqlite", Database);
        Assert.Equal(1, exit);
        Assert.StartsWith("history diverges at sequence 121: ", output, StringComparison.Ordinal);
        Assert.Contains("the leaf hash stored with it is not the hash of its content", output);
    }

    [Fact]
    public async Task A_wrong_stored_leaf_that_was_checkpointed_is_reported_as_the_row_differing_from_its_checkpoint()
    {
        // A row appended with a leaf that is not its own (a bug or a forger): the checkpointer takes the stored leaf as it is, and
        // verification, recomputing the leaf from the row, finds that the checkpoint vouches for something the row is not.
        await SeedSqliteAsync(20);
        await using (var log = new SqliteActivityLogRepo($"Data Source={Database}"))
        {
            ActivityRecord[] more = [.. Enumerable.Range(0, 3).Select(i => ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", $"more-{i}")))];
            await log.AppendManyAsync(more);
        }

        SqliteConnection.ClearAllPools();
        await TamperAsync("UPDATE activity_records SET leaf = zeroblob(32) WHERE sequence = 22; UPDATE auditgen_relays SET holder = NULL"); // and the seeding checkpointer's lease
        ActivityCheckpointKey key = ActivityCheckpointKey.LoadOrCreate(ActivityCheckpointFiles.SigningKey(Database)).Key;
        await using (var log = new SqliteActivityLogRepo($"Data Source={Database}"))
        {
            var checkpointer = new ActivityCheckpointer(log, new ActivityCheckpointOptions
            {
                Sink = new FileActivityCheckpointSink(ActivityCheckpointFiles.Checkpoints(Database)),
                Key = key,
            });
            Assert.Equal(23, (await checkpointer.CheckpointAsync())!.TreeSize); // covers 21-23 with the stored leaves, 22's wrong one too
        }

        SqliteConnection.ClearAllPools();
        (int exit, string output, _) = await Auditgen.RunAsync("verify", "--sqlite", Database);
        Assert.Equal(1, exit);
        Assert.StartsWith("history diverges at sequence 22: ", output, StringComparison.Ordinal);
        Assert.Contains("differs from the record checkpointed", output);
    }

    [Fact]
    public async Task A_checkpoint_re_signed_with_another_key_exits_1()
    {
        await SeedSqliteAsync(30);
        string file = Directory.GetFiles(ActivityCheckpointFiles.Checkpoints(Database)).Single();
        ActivityCheckpointKey attacker = ActivityCheckpointKey.Create("development", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.MaxValue);
        ActivityCheckpoint original = (await new FileActivityCheckpointSink(ActivityCheckpointFiles.Checkpoints(Database)).LatestAsync())!;
        JsonObject json = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        json["note"] = ActivityCheckpoint.Sign(original.Origin!, original.TreeSize, original.RootHash, original.IssuedAt, attacker).Note!.ToString();
        File.WriteAllText(file, json.ToJsonString());

        (int exit, string output, _) = await Auditgen.RunAsync("verify", "--sqlite", Database);
        Assert.Equal(1, exit);
        Assert.Contains("signature does not verify", output);
    }

    [Fact]
    public async Task Checkpoints_and_keys_elsewhere_are_found_with_options()
    {
        await SeedSqliteAsync(10);
        string moved = Path.Combine(_folder, "worm");
        Directory.Move(ActivityCheckpointFiles.Checkpoints(Database), moved);
        string key = Path.Combine(_folder, "trusted.json");
        File.Move(ActivityCheckpointFiles.PublicKey(Database), key);

        Assert.Equal(2, (await Auditgen.RunAsync("verify", "--sqlite", Database)).ExitCode); // nothing where it looks by default
        (int exit, string output, string error) = await Auditgen.RunAsync("verify", "--sqlite", Database, "--checkpoints", moved, "--key", key);
        Assert.True(exit == 0, output + error);
    }

    [Theory]
    [InlineData(new string[] { "verify" }, "exactly one of --sqlite")]
    [InlineData(new string[] { "verify", "--sqlite", "a.db", "--postgres", "Host=x" }, "exactly one of --sqlite")]
    [InlineData(new string[] { "verify", "--sqlite", "/nonexistent/audit.db" }, "there is no file")]
    [InlineData(new string[] { "verify", "--sqlite" }, "--sqlite")]
    [InlineData(new string[] { "frobnicate" }, "frobnicate")]
    public async Task Bad_arguments_exit_2_with_a_message_naming_the_problem(string[] arguments, string message)
    {
        (int exit, _, string error) = await Auditgen.RunAsync(arguments);
        Assert.Equal(2, exit);
        Assert.Contains(message, error);
    }

    [Fact]
    public async Task A_log_on_postgresql_verifies_and_a_superusers_edit_is_named()
    {
        string server = Environment.GetEnvironmentVariable("AUDITGEN_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("AUDITGEN_POSTGRES is not set: run the tests with ./eng/test.sh.");
        string schema = "t_" + Guid.NewGuid().ToString("N")[..20];
        var log = new PostgreSqlActivityLogRepo(new PostgreSqlActivityLogOptions { ConnectionString = server, Schema = schema });
        string basePath = Path.Combine(_folder, "pg");
        await SeedAsync(log, log, 40, 40, basePath);
        string checkpoints = ActivityCheckpointFiles.Checkpoints(basePath);
        string key = ActivityCheckpointFiles.PublicKey(basePath);

        (int exit, string output, string error) = await Auditgen.RunAsync("verify", "--postgres", server, "--schema", schema, "--checkpoints", checkpoints, "--key", key);
        Assert.True(exit == 0, output + error);
        Assert.StartsWith("verified 40 records", output, StringComparison.Ordinal);

        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                $"ALTER TABLE \"{schema}\".activity_records DISABLE TRIGGER activity_records_no_update_delete; UPDATE \"{schema}\".activity_records SET owner_id = gen_random_uuid() WHERE sequence = 9", connection);
            await command.ExecuteNonQueryAsync();
        }

        (exit, output, _) = await Auditgen.RunAsync("verify", "--postgres", server, "--schema", schema, "--checkpoints", checkpoints, "--key", key);
        Assert.Equal(1, exit);
        Assert.StartsWith("history diverges at sequence 9: ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_intact_log_of_a_million_records_verifies_without_a_false_alarm()
    {
        await SeedSqliteAsync(1_000_000, batch: 20_000);
        (int exit, string output, string error) = await Auditgen.RunAsync("verify", "--sqlite", Database);
        Assert.True(exit == 0, output + error);
        Assert.StartsWith("verified 1000000 records up to checkpoint 1000000 ", output, StringComparison.Ordinal);
    }
}
