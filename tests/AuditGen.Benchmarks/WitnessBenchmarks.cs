using AuditGen.Integrity;
using AuditGen.Sqlite;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace AuditGen.Benchmarks;

/// <summary>
/// Appends to a tamper-evident SQLite log with 0, 1 and 3 witnesses side by side: the witnesses (ActivityWitness over
/// SqliteActivityWitnessStore, on Kestrel on 127.0.0.1, in this process) cosign every checkpoint (every 1,000 records)
/// while the appends run. The witnessing happens beside the appends; this measures whether it costs them anything.
/// </summary>
/// <remarks>Run in process (the job comes from the command line: docs/benchmarks.md).</remarks>
[MemoryDiagnoser]
public class WitnessedAppendBenchmarks
{
    private static readonly Guid Actor = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private readonly List<WebApplication> _witnesses = [];
    private string _folder = null!;
    private SqliteActivityLogRepo _log = null!;
    private ActivityCheckpointer _checkpointer = null!;
    private int _next;

    /// <summary>How many witnesses cosign the checkpoints.</summary>
    [Params(0, 1, 3)]
    public int Witnesses { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _folder = LogFixture.NewFolder("witness");
        _log = new SqliteActivityLogRepo(LogFixture.SqliteFile(_folder));
        ActivityCheckpointKey key = ActivityCheckpointKey.Create("bench", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.MaxValue);
        var options = new ActivityCheckpointOptions
        {
            Sink = new FileActivityCheckpointSink(Path.Combine(_folder, "checkpoints")),
            Key = key,
            Origin = "bench.example/audit",
            EveryRecords = 1_000,
            Interval = TimeSpan.FromSeconds(1),
            PollInterval = TimeSpan.FromMilliseconds(10),
        };
        for (int i = 0; i < Witnesses; i++)
        {
            var store = new SqliteActivityWitnessStore(Path.Combine(_folder, $"witness-{i}.db"));
            store.TrustLogKey(key.NoteVerifier(options.Origin));
            var witness = new ActivityWitness(store.LoadOrCreateKey($"witness-{i}.bench").Key, store);
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            WebApplication app = builder.Build();
            app.MapActivityWitness(witness);
            await app.StartAsync();
            _witnesses.Add(app);
            options.Witnesses.Add(app.Urls.First(), witness.VerifierKey.ToString());
        }

        _checkpointer = new ActivityCheckpointer(_log, options);
        await _checkpointer.StartAsync(CancellationToken.None);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _checkpointer.StopAsync(CancellationToken.None);
        ActivityCheckpoint? latest = await new FileActivityCheckpointSink(Path.Combine(_folder, "checkpoints")).LatestAsync();
        Console.WriteLine($"// witnesses {Witnesses}: newest checkpoint {latest?.TreeSize}, cosignatures on it {latest?.Cosignatures.Count}");
        _checkpointer.Dispose();
        foreach (WebApplication app in _witnesses)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        _log.Dispose();
        LogFixture.DeleteSqliteFolder(_folder);
    }

    private ActivityRecord NewRecord() =>
        ActivityRecord.Create(Actor, Actor, "bench_append", new EntityRef("Task", $"task-{Interlocked.Increment(ref _next) % 1000}"),
            new Dictionary<string, object?> { ["title"] = "Write docs", ["n"] = _next });

    [Benchmark]
    public ValueTask<AppendResult> AppendSingle() => _log.AppendAsync(NewRecord());

    [Benchmark(OperationsPerInvoke = 100)]
    public async ValueTask AppendBatch100() => await _log.AppendManyAsync([.. Enumerable.Range(0, 100).Select(_ => NewRecord())]);
}

/// <summary>
/// A witness checks and cosigns a checkpoint 1,000,000 records ahead of the one it last cosigned: parse the request, verify
/// the log's Ed25519 signature and the 1 M-record consistency proof, cosign, and write its state durably (SQLite,
/// synchronous=FULL) — <see cref="ActivityWitness.AddCheckpointAsync"/> without HTTP, and the same over HTTP on loopback.
/// Each iteration first puts the witness back at the old size.
/// </summary>
/// <remarks>Run in process with one invocation per iteration (the command line of docs/benchmarks.md).</remarks>
[MemoryDiagnoser]
public class WitnessCosignBenchmarks
{
    private const int Old = 1_000;
    private const int Ahead = 1_000_000;
    private const string Origin = "bench.example/audit";
    private string _folder = null!;
    private SqliteActivityWitnessStore _store = null!;
    private ActivityWitness _witness = null!;
    private ActivityWitnessedCheckpoint _start = null!;
    private string _body = null!;
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _folder = LogFixture.NewFolder("cosign");
        byte[][] leaves = [.. Enumerable.Range(0, Old + Ahead).Select(i => MerkleTree.HashLeaf(BitConverter.GetBytes(i)))];
        ActivityCheckpointKey key = ActivityCheckpointKey.Create("bench", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.MaxValue);
        ActivityCheckpoint old = ActivityCheckpoint.Sign(Origin, Old, MerkleTree.Root(leaves, 0, Old), DateTimeOffset.UtcNow, key);
        ActivityCheckpoint next = ActivityCheckpoint.Sign(Origin, Old + Ahead, MerkleTree.Root(leaves, 0, Old + Ahead), DateTimeOffset.UtcNow, key);
        IReadOnlyList<byte[]> proof = MerkleTree.ConsistencyProof(leaves, Old, Old + Ahead);
        _body = $"old {Old}\n{string.Concat(proof.Select(p => Convert.ToBase64String(p) + "\n"))}\n{next.Note}";
        _store = new SqliteActivityWitnessStore(Path.Combine(_folder, "witness.db"));
        _store.TrustLogKey(key.NoteVerifier(Origin));
        _witness = new ActivityWitness(_store.LoadOrCreateKey("witness.bench").Key, _store);
        _start = new ActivityWitnessedCheckpoint(Origin, Old, old.RootHash, old.Note!.ToString());
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        _app = builder.Build();
        _app.MapActivityWitness(_witness);
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First() + "/") };
        Console.WriteLine($"// consistency proof from {Old} to {Old + Ahead}: {proof.Count} hashes, request {_body.Length} bytes");
    }

    /// <summary>Back to the old size (the store's compare-and-advance takes any size after the one it holds).</summary>
    [IterationSetup]
    public void Reset()
    {
        long current = _store.LatestAsync(Origin).AsTask().GetAwaiter().GetResult()?.TreeSize ?? 0;
        if (!_store.TryAdvanceAsync(current, _start).AsTask().GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("could not reset the witness");
        }
    }

    [Benchmark]
    public async Task<int> CosignMillionAhead()
    {
        ActivityWitnessResponse response = await _witness.AddCheckpointAsync(_body);
        return response.StatusCode == 200 ? 200 : throw new InvalidOperationException($"{response.StatusCode}: {response.Body}");
    }

    [Benchmark]
    public async Task<int> CosignMillionAheadOverHttp()
    {
        using var content = new StringContent(_body);
        using HttpResponseMessage response = await _http.PostAsync("add-checkpoint", content);
        return response.IsSuccessStatusCode ? 200 : throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _witness.Dispose();
        LogFixture.DeleteSqliteFolder(_folder);
    }
}
