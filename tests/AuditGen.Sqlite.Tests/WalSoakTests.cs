namespace AuditGen.Sqlite.Tests;

/// <summary>
/// A long-running writer with readers that never stop: the WAL must stay small, and the database file must hold the data.
/// Without checkpoints that complete, the WAL grows by every commit's pages (~30 KB per record) until the disk is full.
/// </summary>
public sealed class WalSoakTests : IDisposable
{
    private readonly TempDatabase _database = new(onDisk: true);

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Under_100k_appends_with_concurrent_queries_the_WAL_stays_bounded()
    {
        const int Appends = 100_000;
        const long Bound = 64L * 1024 * 1024;
        using var log = new SqliteActivityLogRepo(new SqliteActivityLogOptions
        {
            ConnectionString = _database.ConnectionString,
            Durability = SqliteDurability.Normal, // the soak is about checkpoints, not fsync speed
        });
        await log.MigrateAsync();
        string wal = _database.FilePath + "-wal";
        var actor = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");

        using var stop = new CancellationTokenSource();
        long largestWal = 0;
        int queries = 0;
        // Readers and the sampler on threads of their own: SQLite's calls block, and the writers would starve a pool thread.
        Thread[] readers = [.. Enumerable.Range(0, 4).Select(r => new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                log.GetByActorAsync(actor, limit: 50).AsTask().GetAwaiter().GetResult();
                log.GetByEntityAsync(new EntityRef("Task", $"task-{r}"), limit: 10).AsTask().GetAwaiter().GetResult();
                Interlocked.Increment(ref queries);
                Thread.Sleep(1); // a busy feed, not a denial of service: the writer gets the core as well
            }
        }))];
        var sampler = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (File.Exists(wal))
                {
                    long size = new FileInfo(wal).Length;
                    if (size > Interlocked.Read(ref largestWal))
                    {
                        Interlocked.Exchange(ref largestWal, size);
                    }
                }

                Thread.Sleep(20);
            }
        });
        Array.ForEach(readers, t => t.Start());
        sampler.Start();

        Task[] writers = [.. Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (int i = w; i < Appends; i += 4)
            {
                await log.AppendAsync(ActivityRecord.Create(actor, actor, "soak", new EntityRef("Task", $"task-{i % 100}"),
                    new Dictionary<string, object?> { ["n"] = i }));
            }
        }))];
        await Task.WhenAll(writers);
        await stop.CancelAsync();
        Array.ForEach(readers, t => t.Join());
        sampler.Join();

        long database = new FileInfo(_database.FilePath).Length;
        Console.WriteLine($"{Appends} appends, {queries} query pairs: largest WAL {largestWal / 1024.0 / 1024:F1} MB, database {database / 1024.0 / 1024:F1} MB");
        Assert.True(queries > 100, "the readers did not run alongside the writers");
        Assert.True(largestWal < Bound, $"the WAL reached {largestWal / 1024 / 1024} MB (bound {Bound / 1024 / 1024} MB)");
        Assert.True(database > 10L * 1024 * 1024, $"the database file holds {database} bytes: the data is still in the WAL");
        Assert.Equal(1000, (await log.GetByActionAsync("soak", 1000)).Count);
    }
}
