using Microsoft.Extensions.Time.Testing;
using static AuditGen.Tests.TestData;

namespace AuditGen.Tests;

public class InMemoryActivityLogRepoTests
{
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly InMemoryActivityLogRepo _log;

    public InMemoryActivityLogRepoTests() => _log = new InMemoryActivityLogRepo(_clock);

    private async Task<ActivityRecord> AppendAsync(ActivityRecord record)
    {
        AppendResult result = await _log.AppendAsync(record);
        Assert.True(result.IsAppended);
        return result.Record!;
    }

    [Fact]
    public async Task Append_stamps_OccurredAt_from_the_clock_and_assigns_increasing_sequences()
    {
        ActivityRecord first = await AppendAsync(Record());
        _clock.Advance(TimeSpan.FromMinutes(30));
        ActivityRecord second = await AppendAsync(Record());

        Assert.Equal(Start, first.OccurredAt);
        Assert.Equal(Start.AddMinutes(30), second.OccurredAt);
        Assert.Equal(1, first.Sequence);
        Assert.Equal(2, second.Sequence);
        Assert.Equal([first, second], _log.Records);
    }

    [Fact]
    public async Task Append_keeps_a_given_OccurredAt()
    {
        DateTimeOffset given = Start.AddYears(-1);

        ActivityRecord stored = await AppendAsync(Record(occurredAt: given));

        Assert.Equal(given, stored.OccurredAt);
    }

    [Fact]
    public async Task Append_returns_the_stored_record_which_equals_the_input_but_for_stamp_and_sequence()
    {
        ActivityRecord input = Record(metadata: new Dictionary<string, object?> { ["title"] = "t" });

        ActivityRecord stored = await AppendAsync(input);

        Assert.Equal((input with { OccurredAt = Start }).WithSequence(1), stored);
        Assert.Equal(input.RecordId, stored.RecordId);
        Assert.Equal(0, input.Sequence);
    }

    [Fact]
    public async Task Records_is_a_snapshot()
    {
        await AppendAsync(Record());
        IReadOnlyList<ActivityRecord> snapshot = _log.Records;

        await AppendAsync(Record());

        Assert.Single(snapshot);
        Assert.Equal(2, _log.Records.Count);
    }

    [Fact]
    public async Task Queries_by_entity_actor_owner_and_action_return_only_matches_newest_first()
    {
        ActivityRecord a = await AppendAsync(Record("create_task", Alice, Alice, TaskRef(1)));
        ActivityRecord b = await AppendAsync(Record("update_task", Bob, Alice, TaskRef(1)));
        ActivityRecord c = await AppendAsync(Record("create_task", Bob, Bob, TaskRef(2)));
        ActivityRecord d = await AppendAsync(Record("complete_task", Alice, Bob, TaskRef(2)));

        Assert.Equal([b, a], await _log.GetByEntityAsync(TaskRef(1)));
        Assert.Equal([d, a], await _log.GetByActorAsync(Alice));
        Assert.Equal([d, c], await _log.GetByOwnerAsync(Bob));
        Assert.Equal([c, a], await _log.GetByActionAsync("create_task"));
        Assert.Equal([d, c, b, a], (await _log.QueryAsync(new ActivityQuery())).Items);
        Assert.Empty(await _log.GetByActionAsync("delete_task"));
        Assert.Empty(await _log.GetByEntityAsync(TaskRef(99)));
    }

    [Fact]
    public async Task Several_filters_must_all_match()
    {
        await AppendAsync(Record("create_task", Alice, Alice, TaskRef(1)));
        ActivityRecord b = await AppendAsync(Record("update_task", Bob, Alice, TaskRef(1)));
        await AppendAsync(Record("update_task", Alice, Alice, TaskRef(1)));
        await AppendAsync(Record("update_task", Bob, Bob, TaskRef(2)));

        ActivityPage page = await _log.QueryAsync(new ActivityQuery { Entity = TaskRef(1), ActorId = Bob, Action = "update_task" });

        Assert.Equal([b], page.Items);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task Ordering_is_by_sequence_even_when_OccurredAt_ties_or_goes_backwards()
    {
        var records = new List<ActivityRecord>();
        foreach (int minutes in new[] { 5, 5, 1, 5, 0 })
        {
            records.Add(await AppendAsync(Record(occurredAt: Start.AddMinutes(minutes))));
        }

        ActivityPage oldest = await _log.QueryAsync(ActivityQuery.ByActor(Alice) with { Order = ActivityOrder.OldestFirst });
        ActivityPage newest = await _log.QueryAsync(ActivityQuery.ByActor(Alice));

        Assert.Equal(records, oldest.Items);
        Assert.Equal(Enumerable.Reverse(records), newest.Items);
    }

    [Theory]
    [InlineData(ActivityOrder.NewestFirst, 1)]
    [InlineData(ActivityOrder.NewestFirst, 3)]
    [InlineData(ActivityOrder.OldestFirst, 3)]
    [InlineData(ActivityOrder.OldestFirst, 10)]
    [InlineData(ActivityOrder.OldestFirst, 11)]
    public async Task Cursor_paging_visits_every_record_once_in_order(ActivityOrder order, int limit)
    {
        var mine = new List<ActivityRecord>();
        for (int i = 0; i < 10; i++)
        {
            mine.Add(await AppendAsync(Record(entity: TaskRef(1))));
            await AppendAsync(Record(entity: TaskRef(2))); // interleaved noise
        }

        var seen = new List<ActivityRecord>();
        var query = new ActivityQuery { Entity = TaskRef(1), Limit = limit, Order = order };
        int pages = 0;
        while (true)
        {
            ActivityPage page = await _log.QueryAsync(query);
            pages++;
            seen.AddRange(page.Items);
            Assert.True(page.Items.Count <= limit);
            if (page.NextCursor is null)
            {
                break;
            }

            query = query with { Cursor = page.NextCursor };
        }

        Assert.Equal(order == ActivityOrder.OldestFirst ? mine : Enumerable.Reverse(mine), seen);
        Assert.Equal((int)Math.Ceiling(10.0 / limit), pages); // no empty last page
    }

    [Fact]
    public async Task The_page_size_can_change_between_pages()
    {
        for (int i = 0; i < 5; i++)
        {
            await AppendAsync(Record());
        }

        ActivityPage first = await _log.QueryAsync(ActivityQuery.ByActor(Alice, 2));
        ActivityPage rest = await _log.QueryAsync(ActivityQuery.ByActor(Alice, 10) with { Cursor = first.NextCursor });

        Assert.Equal([5, 4], first.Items.Select(r => r.Sequence));
        Assert.Equal([3, 2, 1], rest.Items.Select(r => r.Sequence));
        Assert.Null(rest.NextCursor);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Since_is_inclusive_and_until_exclusive(bool outOfOrderTimes)
    {
        int[] minutes = outOfOrderTimes ? [40, 0, 10, 30, 20] : [0, 10, 20, 30, 40];
        foreach (int m in minutes)
        {
            await AppendAsync(Record(occurredAt: Start.AddMinutes(m), metadata: new Dictionary<string, object?> { ["m"] = m }));
        }

        var query = new ActivityQuery { ActorId = Alice, Since = Start.AddMinutes(10), Until = Start.AddMinutes(30), Order = ActivityOrder.OldestFirst };

        ActivityPage page = await _log.QueryAsync(query);

        Assert.Equal(minutes.Where(m => m is >= 10 and < 30), page.Items.Select(r => (int)r.Metadata["m"]!));
        Assert.Empty((await _log.QueryAsync(query with { Until = Start.AddMinutes(10) })).Items);
    }

    [Fact]
    public async Task Time_range_pages_by_cursor()
    {
        for (int m = 0; m < 20; m++)
        {
            _clock.SetUtcNow(Start.AddMinutes(m));
            await AppendAsync(Record());
        }

        var query = new ActivityQuery { Since = Start.AddMinutes(5), Until = Start.AddMinutes(15), Limit = 3 };
        var seen = new List<long>();
        await foreach (ActivityRecord r in _log.StreamAsync(query))
        {
            seen.Add(r.Sequence);
        }

        Assert.Equal(Enumerable.Range(6, 10).Reverse().Select(i => (long)i), seen);
    }

    [Fact]
    public async Task Query_honours_cancellation()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await _log.QueryAsync(new ActivityQuery(), cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await _log.AppendAsync(Record(), cts.Token));
        Assert.Empty(_log.Records);
    }

    [Fact]
    public async Task StreamAsync_pages_through_everything()
    {
        for (int i = 0; i < 25; i++)
        {
            await AppendAsync(Record(owner: Bob));
        }

        var all = new List<ActivityRecord>();
        await foreach (ActivityRecord r in _log.StreamAsync(ActivityQuery.ByOwner(Bob, limit: 4) with { Order = ActivityOrder.OldestFirst }))
        {
            all.Add(r);
        }

        Assert.Equal(_log.Records, all);
    }
}
