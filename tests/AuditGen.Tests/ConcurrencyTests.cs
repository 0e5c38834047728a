using static AuditGen.Tests.TestData;

namespace AuditGen.Tests;

public class ConcurrencyTests
{
    [Fact]
    public async Task Writers_and_readers_at_once_every_record_found_exactly_once_with_strictly_increasing_sequences()
    {
        const int writers = 4, perWriter = 5_000;
        var log = new InMemoryActivityLogRepo();
        Guid[] actors = [.. Enumerable.Range(0, writers).Select(_ => Guid.NewGuid())];
        using var done = new CancellationTokenSource();

        Task[] writing = [.. actors.Select(actor => Task.Run(async () =>
        {
            for (int i = 0; i < perWriter; i++)
            {
                await log.AppendAsync(ActivityRecord.Create(actor, Alice, i % 2 == 0 ? "even" : "odd", TaskRef(i % 50)));
            }
        }))];

        // Readers run while the writers write; each checks that every page is strictly ordered.
        int pagesRead = 0;
        Task[] reading = [.. Enumerable.Range(0, 3).Select(r => Task.Run(async () =>
        {
            for (int pages = 0; !done.IsCancellationRequested || pages < 20; pages++)
            {
                ActivityQuery query = r switch
                {
                    0 => ActivityQuery.ByOwner(Alice, 100),
                    1 => ActivityQuery.ByAction("even", 100),
                    _ => ActivityQuery.ByEntity(TaskRef(7), 100),
                };
                ActivityPage page = await log.QueryAsync(query);
                AssertStrictlyDecreasing(page.Items);
                Interlocked.Increment(ref pagesRead);
            }
        }))];

        await Task.WhenAll(writing);
        await done.CancelAsync();
        await Task.WhenAll(reading);

        IReadOnlyList<ActivityRecord> records = log.Records;
        Assert.Equal(writers * perWriter, records.Count);
        Assert.Equal(Enumerable.Range(1, records.Count).Select(i => (long)i), records.Select(r => r.Sequence));
        Assert.True(pagesRead > 0);

        foreach (Guid actor in actors)
        {
            var mine = new List<ActivityRecord>();
            await foreach (ActivityRecord r in log.StreamAsync(ActivityQuery.ByActor(actor, 1000) with { Order = ActivityOrder.OldestFirst }))
            {
                mine.Add(r);
            }

            Assert.Equal(perWriter, mine.Count);
            Assert.Equal(perWriter, mine.Select(r => r.RecordId).Distinct().Count());
            AssertStrictlyIncreasing(mine);
        }

        int total = 0;
        for (int e = 0; e < 50; e++)
        {
            await foreach (ActivityRecord _ in log.StreamAsync(ActivityQuery.ByEntity(TaskRef(e), 1000)))
            {
                total++;
            }
        }

        Assert.Equal(writers * perWriter, total);
    }

    [Theory]
    [InlineData(ActivityOrder.NewestFirst)]
    [InlineData(ActivityOrder.OldestFirst)]
    public async Task Cursor_paging_has_no_gaps_or_duplicates_while_other_threads_append(ActivityOrder order)
    {
        var log = new InMemoryActivityLogRepo();
        for (int i = 0; i < 2_000; i++)
        {
            await log.AppendAsync(Record(owner: Bob));
        }

        long lastBefore = log.Records[^1].Sequence;
        using var stop = new CancellationTokenSource();
        Task appender = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await log.AppendAsync(Record(owner: Bob));
            }
        });

        var seen = new List<ActivityRecord>();
        var query = ActivityQuery.ByOwner(Bob, 37) with { Order = order };
        while (true)
        {
            ActivityPage page = await log.QueryAsync(query);
            seen.AddRange(page.Items);
            if (page.NextCursor is null || (order == ActivityOrder.OldestFirst && seen.Count > 6_000))
            {
                break;
            }

            query = query with { Cursor = page.NextCursor };
            await Task.Yield();
        }

        await stop.CancelAsync();
        await appender;

        Assert.Equal(seen.Count, seen.Select(r => r.RecordId).Distinct().Count());
        long[] sequences = [.. seen.Select(r => r.Sequence)];
        if (order == ActivityOrder.NewestFirst)
        {
            // Newest first starts at the newest record of the first page and goes back to 1 without gaps.
            Assert.Equal(1, sequences[^1]);
            Assert.True(sequences[0] >= lastBefore);
            Assert.Equal(Enumerable.Range(1, sequences.Length).Reverse().Select(i => (long)i), sequences);
        }
        else
        {
            // Oldest first starts at 1 and runs on, past the records appended meanwhile, without gaps.
            Assert.Equal(Enumerable.Range(1, sequences.Length).Select(i => (long)i), sequences);
            Assert.True(sequences.Length >= lastBefore);
        }
    }

    private static void AssertStrictlyIncreasing(IReadOnlyList<ActivityRecord> records)
    {
        for (int i = 1; i < records.Count; i++)
        {
            Assert.True(records[i - 1].Sequence < records[i].Sequence, $"sequence {records[i].Sequence} after {records[i - 1].Sequence}");
        }
    }

    private static void AssertStrictlyDecreasing(IReadOnlyList<ActivityRecord> records)
    {
        for (int i = 1; i < records.Count; i++)
        {
            Assert.True(records[i - 1].Sequence > records[i].Sequence, $"sequence {records[i].Sequence} after {records[i - 1].Sequence}");
        }
    }
}
