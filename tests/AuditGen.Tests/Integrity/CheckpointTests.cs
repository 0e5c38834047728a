using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using AuditGen.Integrity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace AuditGen.Tests.Integrity;

/// <summary>Checkpoints over the in-memory log: written, resumed after a restart, verified, keys rotated, sinks tampered with.</summary>
public sealed class CheckpointTests : IDisposable
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "auditgen-checkpoints-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly InMemoryActivityLogRepo _log;
    private readonly ActivityCheckpointKey _key = ActivityCheckpointKey.Create("key-1", Start.AddDays(-1), Start.AddDays(1));

    public CheckpointTests() => _log = new InMemoryActivityLogRepo(_clock);

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private FileActivityCheckpointSink Sink => new(_directory);

    private ActivityCheckpointer Checkpointer(ActivityCheckpointKey? key = null) =>
        new(_log, new ActivityCheckpointOptions { Sink = Sink, Key = key ?? _key, EveryRecords = 10 }, clock: _clock);

    private async Task AppendAsync(int count)
    {
        for (int i = 0; i < count; i++)
        {
            await _log.AppendAsync(ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", $"{_log.Records.Count}"),
                new Dictionary<string, object?> { ["title"] = $"task {i}", ["n"] = i }));
        }
    }

    private Task<ActivityLogVerification> VerifyAsync(params ActivityCheckpointKey[] keys) =>
        ActivityLogVerifier.VerifyAsync(_log, Sink, keys.Length == 0 ? [_key.PublicKey()] : keys);

    [Fact]
    public async Task Checkpoints_cover_the_log_and_verify_and_records_after_the_newest_are_reported_as_not_yet_covered()
    {
        await AppendAsync(25);
        ActivityCheckpoint? checkpoint = await Checkpointer().CheckpointAsync();
        Assert.NotNull(checkpoint);
        Assert.Equal(25, checkpoint.TreeSize);
        Assert.Equal(MerkleTree.Root([.. _log.Records.Select(ActivityRecordEncoding.LeafHash)], 0, 25), checkpoint.RootHash);

        await AppendAsync(3);
        ActivityLogVerification result = await VerifyAsync();
        Assert.True(result.IsIntact, result.Problem);
        Assert.Equal(25, result.RecordsVerified);
        Assert.Equal(3, result.RecordsNotYetCovered);
        Assert.Equal(25, result.Checkpoint!.TreeSize);
    }

    [Fact]
    public async Task A_restarted_checkpointer_resumes_from_the_sink_and_leaves_no_record_out()
    {
        await AppendAsync(12);
        Assert.Equal(12, (await Checkpointer().CheckpointAsync())!.TreeSize);
        await AppendAsync(7); // appended while no checkpointer runs (a crash, a restart)
        _clock.Advance(TimeSpan.FromMinutes(2)); // the crashed checkpointer's lease expires

        ActivityCheckpointer restarted = Checkpointer();
        Assert.Equal(19, (await restarted.CheckpointAsync())!.TreeSize);
        Assert.Null(await restarted.CheckpointAsync()); // nothing new

        ActivityLogVerification result = await VerifyAsync();
        Assert.True(result.IsIntact, result.Problem);
        Assert.Equal(19, result.RecordsVerified);
        Assert.Equal(0, result.RecordsNotYetCovered);
        Assert.Equal([12L, 19L], await SizesAsync());
    }

    /// <summary>Lets the hosted checkpointer poll (each poll waits 5 ms on the test's clock) until the condition holds, or 30 s pass.</summary>
    private async Task PollUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 3000 && !condition(); i++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(5));
            await Task.Delay(10);
        }
    }

    private async Task<List<long>> SizesAsync()
    {
        var sizes = new List<long>();
        await foreach (StoredCheckpoint stored in Sink.ReadAllAsync())
        {
            sizes.Add(stored.Checkpoint.TreeSize);
        }

        return sizes;
    }

    [Fact]
    public async Task As_a_hosted_service_it_checkpoints_every_n_records_and_on_stop()
    {
        // On the test's clock, not the machine's: the key's window is fixed, and the machine's date moves on.
        var checkpointer = new ActivityCheckpointer(_log, new ActivityCheckpointOptions
        {
            Sink = Sink,
            Key = _key,
            EveryRecords = 10,
            Interval = TimeSpan.FromHours(1),
            PollInterval = TimeSpan.FromMilliseconds(5),
        }, clock: _clock);
        await AppendAsync(10);
        await checkpointer.StartAsync(CancellationToken.None);
        await PollUntilAsync(() => checkpointer.Latest is not null);

        Assert.Equal(10, checkpointer.Latest?.TreeSize);
        await AppendAsync(4); // fewer than EveryRecords, within the interval: covered when the host stops
        await PollUntilAsync(() => checkpointer.Pending >= 4);

        await checkpointer.StopAsync(CancellationToken.None);
        Assert.Equal([10L, 14L], await SizesAsync());
        Assert.True((await VerifyAsync()).IsIntact);
    }

    [Fact]
    public async Task Rotated_keys_verify_each_checkpoint_with_the_key_of_its_own_window()
    {
        ActivityCheckpointKey first = ActivityCheckpointKey.Create("2026-11", Start.AddDays(-1), Start.AddHours(1));
        ActivityCheckpointKey second = ActivityCheckpointKey.Create("2026-12", Start.AddHours(1), DateTimeOffset.MaxValue);
        await AppendAsync(5);
        await Checkpointer(first).CheckpointAsync();

        _clock.Advance(TimeSpan.FromHours(2)); // the first key's window has closed
        await AppendAsync(5);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Checkpointer(first).CheckpointAsync()); // it can no longer sign
        _clock.Advance(TimeSpan.FromMinutes(2)); // its lease expires
        await Checkpointer(second).CheckpointAsync();

        ActivityLogVerification both = await VerifyAsync(first.PublicKey(), second.PublicKey());
        Assert.True(both.IsIntact, both.Problem);
        Assert.Equal(10, both.RecordsVerified);

        ActivityLogVerification onlyNew = await VerifyAsync(second.PublicKey());
        Assert.False(onlyNew.IsIntact);
        Assert.Contains("'2026-11'", onlyNew.Problem);

        // The old key (id and all) used outside its window is refused, even with a valid signature: a key leaked after
        // its window cannot vouch for later history.
        ActivityCheckpointKey stretched = ActivityCheckpointKey.FromJson(JsonNode.Parse(first.PublicKey().ToJson())!.AsObject().Also(o => o["notAfter"] = DateTimeOffset.MaxValue.ToString("O")).ToJsonString());
        ActivityCheckpoint late = ActivityCheckpoint.Sign(10, MerkleTree.EmptyRoot(), Start.AddHours(3), ActivityCheckpointKey.FromJson(
            JsonNode.Parse(first.ToJson(includePrivate: true))!.AsObject().Also(o => o["notAfter"] = DateTimeOffset.MaxValue.ToString("O")).ToJsonString()));
        Assert.True(late.IsSignedBy(stretched));
        Assert.False(late.IsSignedBy(first.PublicKey()));
    }

    [Fact]
    public async Task A_forged_or_re_signed_checkpoint_is_refused()
    {
        await AppendAsync(10);
        await Checkpointer().CheckpointAsync();
        string file = Directory.GetFiles(_directory).Single();

        // Re-signed by someone else's key under the trusted key's id.
        ActivityCheckpointKey attacker = ActivityCheckpointKey.Create(_key.Id, _key.NotBefore, _key.NotAfter);
        JsonObject json = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        ActivityCheckpoint original = (await Sink.LatestAsync())!;
        ActivityCheckpoint forged = ActivityCheckpoint.Sign(original.Origin!, original.TreeSize, original.RootHash, original.IssuedAt, attacker);
        json["note"] = forged.Note!.ToString();
        File.WriteAllText(file, json.ToJsonString());
        ActivityLogVerification resigned = await VerifyAsync();
        Assert.False(resigned.IsIntact);
        Assert.Contains("signature does not verify", resigned.Problem);
        Assert.Equal(1, resigned.FirstDivergentSequence);

        // A changed root under the original signature.
        json["note"] = new SignedNote(ActivityCheckpoint.NoteText(original.Origin!, original.TreeSize, MerkleTree.EmptyRoot()), original.Note!.Signatures).ToString();
        File.WriteAllText(file, json.ToJsonString());
        Assert.Contains("signature does not verify", (await VerifyAsync()).Problem);

        // Changed leaves under the original root and signature.
        json["note"] = original.Note.ToString();
        byte[] leaves = Convert.FromBase64String(json["leaves"]!.GetValue<string>());
        leaves[^1] ^= 1;
        json["leaves"] = Convert.ToBase64String(leaves);
        File.WriteAllText(file, json.ToJsonString());
        Assert.Contains("do not give its signed root", (await VerifyAsync()).Problem);
    }


    [Fact]
    public async Task A_checkpoint_files_leaves_are_plain_base64_a_reader_without_json_unescaping_decodes()
    {
        await AppendAsync(300); // enough leaves that their base64 holds '+' and '/'
        ActivityCheckpoint checkpoint = (await Checkpointer().CheckpointAsync())!;
        string text = File.ReadAllText(Directory.GetFiles(_directory).Single());

        // The value as it stands between its quotes: no \u002B or \/ escapes that only a JSON parser would undo.
        System.Text.RegularExpressions.Match leaves = System.Text.RegularExpressions.Regex.Match(text, "\"leaves\":\\s*\"([^\"]*)\"");
        Assert.True(leaves.Success);
        Assert.Matches("[+/]", leaves.Groups[1].Value);
        byte[] packed = Convert.FromBase64String(leaves.Groups[1].Value);
        Assert.Equal(300 * (8 + MerkleTree.HashSize), packed.Length);
        Assert.Equal(checkpoint.TreeSize, System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(packed.AsSpan(packed.Length - 40)));
        Assert.True((await VerifyAsync()).IsIntact);
    }

    [Fact]
    public async Task A_checkpoint_the_sink_cannot_write_fails_its_task_and_leaves_nothing_behind()
    {
        // The sink's directory cannot be made: a file stands where it should be. The write is synchronous inside, but its
        // failure comes back as the task's, as an asynchronous write's would, not as an exception from the call.
        Directory.CreateDirectory(_directory);
        string blocked = Path.Combine(_directory, "checkpoints");
        File.WriteAllText(blocked, "not a directory");
        var sink = new FileActivityCheckpointSink(blocked);
        ActivityLeaf[] leaves = [new(1, MerkleTree.HashLeaf([1, 2, 3]))];
        ActivityCheckpoint checkpoint = ActivityCheckpoint.Sign("example.com/log", 1, MerkleTree.Root([leaves[0].Hash], 0, 1), Start, _key);

        ValueTask write = sink.WriteAsync(checkpoint, leaves);

        Assert.True(write.IsFaulted);
        await Assert.ThrowsAsync<IOException>(async () => await write);
        Assert.Equal("not a directory", File.ReadAllText(blocked));
        Assert.Null(await sink.LatestAsync());
    }

    [Fact]
    public async Task A_missing_checkpoint_in_the_middle_of_the_sink_is_reported()
    {
        ActivityCheckpointer checkpointer = Checkpointer();
        await AppendAsync(10);
        await checkpointer.CheckpointAsync();
        await AppendAsync(10);
        await checkpointer.CheckpointAsync();
        await AppendAsync(10);
        await checkpointer.CheckpointAsync();
        File.Delete(Directory.GetFiles(_directory).Order(StringComparer.Ordinal).ElementAt(1));

        ActivityLogVerification result = await VerifyAsync();
        Assert.False(result.IsIntact);
        Assert.Contains("a checkpoint is missing", result.Problem);
        Assert.Equal(21, result.FirstDivergentSequence);
    }

    [Fact]
    public async Task Verification_is_a_span_under_the_callers_with_its_outcome()
    {
        await AppendAsync(4);
        await Checkpointer().CheckpointAsync();
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ActivityLogTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var caller = new Activity("audit-job").Start();

        await VerifyAsync();

        Activity verify = Assert.Single(spans, s => s.OperationName == "auditgen.verify" && s.TraceId == caller.TraceId);
        Assert.Equal(caller.SpanId, verify.ParentSpanId);
        Assert.Equal(true, verify.GetTagItem("auditgen.verify.intact"));
        Assert.Equal(4L, verify.GetTagItem("auditgen.verify.records"));
    }

    [Fact]
    public async Task The_health_check_fails_while_read_records_wait_longer_than_the_healthy_checkpoint_age()
    {
        ServiceCollection collection = new();
        collection.AddSingleton<TimeProvider>(_clock);
        collection.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(Microsoft.Extensions.Logging.Abstractions.NullLogger<>));
        collection.AddActivityLog(log => log.UseInMemory(_log).UseTamperEvidence(o =>
        {
            o.Sink = Sink;
            o.Key = _key;
            o.EveryRecords = 100;
            o.Interval = TimeSpan.FromHours(1);
            o.MaxHealthyCheckpointAge = TimeSpan.FromMinutes(5);
        }));
        collection.AddActivityLogHealthChecks();
        await using ServiceProvider services = collection.BuildServiceProvider();
        HealthCheckService health = services.GetRequiredService<HealthCheckService>();
        ActivityCheckpointer checkpointer = services.GetRequiredService<ActivityCheckpointer>();
        Assert.Same(checkpointer, Assert.Single(services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<ActivityCheckpointer>()));

        await AppendAsync(3);
        await checkpointer.CheckpointAsync();
        await AppendAsync(2);
        await checkpointer.StartAsync(CancellationToken.None); // its first poll reads the 2 records; the next waits on the fake clock
        try
        {
            for (int i = 0; i < 3000 && checkpointer.Pending < 2; i++)
            {
                await Task.Delay(10);
            }

            Assert.Equal(2, checkpointer.Pending);
            Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Entries["auditgen"].Status);

            _clock.Advance(TimeSpan.FromMinutes(10));
            HealthReportEntry late = (await health.CheckHealthAsync()).Entries["auditgen"];
            Assert.Equal(HealthStatus.Unhealthy, late.Status);
            Assert.Contains("checkpoints are late", late.Description);
            Assert.Contains("2 records wait", late.Description);

            await checkpointer.CheckpointAsync();
            Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Entries["auditgen"].Status);
        }
        finally
        {
            await checkpointer.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void Keys_round_trip_as_json_and_a_public_key_cannot_sign()
    {
        ActivityCheckpointKey restored = ActivityCheckpointKey.FromJson(_key.ToJson(includePrivate: true));
        Assert.True(restored.CanSign);
        Assert.Equal((_key.Id, _key.NotBefore, _key.NotAfter), (restored.Id, restored.NotBefore, restored.NotAfter));
        byte[] data = [1, 2, 3];
        Assert.True(_key.PublicKey().Verify(data, restored.Sign(data)));

        ActivityCheckpointKey verifier = ActivityCheckpointKey.FromJson(_key.PublicKey().ToJson());
        Assert.False(verifier.CanSign);
        Assert.Throws<InvalidOperationException>(() => verifier.Sign(data));
        Assert.DoesNotContain("privateKey", _key.ToJson(), StringComparison.Ordinal);

        var missing = Assert.Throws<FormatException>(() => ActivityCheckpointKey.FromJson("""{"id":"x","notBefore":"2026-01-01T00:00:00Z"}"""));
        Assert.Contains("notAfter", missing.Message);
        var noPrivateKey = Assert.Throws<ArgumentException>(() => new ActivityCheckpointer(_log, new ActivityCheckpointOptions { Sink = Sink, Key = _key.PublicKey() }));
        Assert.Equal("Key", noPrivateKey.ParamName);
    }

    [Fact]
    public void LoadOrCreate_makes_a_development_key_once_with_its_public_half_and_a_private_file_only_the_owner_reads()
    {
        Directory.CreateDirectory(_directory);
        string path = Path.Combine(_directory, "audit.db.checkpoint-key.json");
        (ActivityCheckpointKey created, bool isNew) = ActivityCheckpointKey.LoadOrCreate(path, clock: _clock);
        (ActivityCheckpointKey loaded, bool again) = ActivityCheckpointKey.LoadOrCreate(path, clock: _clock);
        Assert.True(isNew);
        Assert.False(again);
        Assert.Equal(created.ToJson(), loaded.ToJson());
        Assert.False(ActivityCheckpointKey.FromJson(File.ReadAllText(ActivityCheckpointKey.PublicPath(path))).CanSign);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }
}

/// <summary>Small fluent helper for building test inputs.</summary>
internal static class TestExtensions
{
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
