namespace AuditGen.Tests;

/// <summary>A store that implements only the port's two required members still answers summaries (by paging), correctly.</summary>
public sealed class SummaryDefaultTests
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");

    /// <summary>Append and query only: the port's default summary pages through it.</summary>
    private sealed class MinimalStore(InMemoryActivityLogRepo inner) : IActivityLogRepo
    {
        public int Queries { get; private set; }

        public ValueTask<AppendResult> AppendAsync(ActivityRecord record, CancellationToken cancellationToken = default) => inner.AppendAsync(record, cancellationToken);

        public ValueTask<ActivityPage> QueryAsync(ActivityQuery query, CancellationToken cancellationToken = default)
        {
            Queries++;
            return inner.QueryAsync(query, cancellationToken);
        }
    }

    [Fact]
    public async Task The_default_summary_pages_through_the_records_and_agrees_with_the_in_memory_adapters()
    {
        var inner = new InMemoryActivityLogRepo();
        var store = new MinimalStore(inner);
        IActivityLogRepo log = new ActivityLog(store);
        for (int i = 0; i < 2_500; i++)
        {
            await log.AppendAsync(ActivityRecord.Create(Alice, Alice, i % 3 == 0 ? "create_task" : "update_task", new EntityRef("Task", $"{i}")));
        }

        ActivitySummary paged = await log.SummarizeAsync(ActivitySummaryQuery.ByActor(Alice));
        ActivitySummary indexed = await ((IActivityLogRepo)inner).SummarizeAsync(ActivitySummaryQuery.ByActor(Alice));
        Assert.Equal(indexed.Total, paged.Total);
        Assert.Equal(indexed.Actions, paged.Actions);
        Assert.Equal(2_500, paged.Total);
        Assert.Equal([new ActivityActionCount("update_task", 1_666), new ActivityActionCount("create_task", 834)], paged.Actions);
        Assert.Equal(3, store.Queries); // pages of 1,000
    }
}
