using System.Collections.Concurrent;
using AuditGen.Storage;

namespace AuditGen.Tests;

/// <summary>
/// How <see cref="ActivityGroupCommit"/> forms groups: writers that keep appending end up in one group per round instead of
/// two sets that alternate; a gather never holds a queued append past its window; every caller gets its own record back.
/// </summary>
public sealed class GroupCommitTests
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");

    private static ActivityRecord Record(int writer, int n) => ActivityRecord.Create(Alice, Alice, "group_test", new EntityRef("Task", $"{writer}-{n}"));

    /// <summary>A store that takes <paramref name="writeTime"/> per group and notes each group's size.</summary>
    /// <param name="writeTime">How long each group's write takes.</param>
    /// <param name="gatherWindow">The group commit's gather window.</param>
    /// <param name="firstWriteWaitsFor">The first write starts only once this many appends were called (0: at once), so a
    /// loaded machine that starts the writers slowly still queues them all behind it.</param>
    private static (ActivityGroupCommit Group, ConcurrentQueue<int> Sizes) Store(TimeSpan writeTime, TimeSpan gatherWindow, Func<bool>? firstWriteWaitsFor = null)
    {
        var sizes = new ConcurrentQueue<int>();
        long sequence = 0;
        var group = new ActivityGroupCommit(async (records, cancellationToken) =>
        {
            if (sizes.IsEmpty && firstWriteWaitsFor is not null)
            {
                while (!firstWriteWaitsFor())
                {
                    await Task.Delay(1, cancellationToken);
                }
            }

            sizes.Enqueue(records.Length);
            await Task.Delay(writeTime, cancellationToken);
            return [.. records.Select(r => r.WithSequence(Interlocked.Increment(ref sequence)))];
        }, maxGroupSize: 1_000, gatherWindow);
        return (group, sizes);
    }

    private int _calls;

    private Task Writers(ActivityGroupCommit group, int writers, int appendsEach) => Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
    {
        for (int i = 0; i < appendsEach; i++)
        {
            ActivityRecord record = Record(w, i);
            Interlocked.Increment(ref _calls);
            ActivityRecord stored = await group.AppendAsync(record);
            Assert.Equal(record.RecordId, stored.RecordId);
        }
    })));

    [Fact]
    public async Task Writers_that_keep_appending_are_gathered_into_one_group_per_round()
    {
        // Without gathering, the first appender writes alone and the 63 others queue behind it; from then on the two sets
        // alternate (1, 64, 1, 64, ...: the group that just committed is not back yet when the next one starts): 10
        // commits for 5 rounds. Gathered: 1, 64, 64, 64, 64, 63 (the first writer is a round ahead, so its last is alone).
        (ActivityGroupCommit group, ConcurrentQueue<int> sizes) = Store(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2),
            firstWriteWaitsFor: () => Volatile.Read(ref _calls) >= 64);
        await Writers(group, writers: 64, appendsEach: 5);

        int[] groups = [.. sizes];
        Assert.Equal(64 * 5, groups.Sum());
        Assert.True(groups.Length <= 7, $"groups: {string.Join(", ", groups)}");
        Assert.Contains(64, groups);
        await group.DisposeAsync();
    }

    [Fact]
    public async Task A_gather_waits_no_longer_than_its_window_when_the_others_do_not_come_back()
    {
        // 64 writers append once; one of them appends a second time. The gather after the big group waits for 64 that never
        // come: the window ends it, and the lone append is written.
        (ActivityGroupCommit group, ConcurrentQueue<int> sizes) = Store(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200));
        await Task.WhenAll(Writers(group, writers: 63, appendsEach: 1), Writers(group, writers: 1, appendsEach: 2)).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(65, sizes.Sum());
        await group.DisposeAsync();
    }

    [Fact]
    public async Task One_writer_alone_is_never_held_back()
    {
        (ActivityGroupCommit group, ConcurrentQueue<int> sizes) = Store(TimeSpan.FromMilliseconds(2), TimeSpan.FromSeconds(30));
        await Writers(group, writers: 1, appendsEach: 20);

        Assert.All(sizes, size => Assert.Equal(1, size));
        Assert.Equal(20, sizes.Count);
        await group.DisposeAsync();
    }
}
