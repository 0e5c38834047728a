namespace AuditGen.Tests;

/// <summary>
/// A store transaction that captures changes (<see cref="IActivityChangeCapture"/>) gets to attach them to each record
/// before the before-append hooks run, so hooks see them and the store stores them.
/// </summary>
public sealed class ActivityTransactionChangeCaptureTests
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");

    private static readonly EntityChange Captured = new(new EntityRef("Task", "t-1"), EntityChangeKind.Modified, [new PropertyChange("Title", "Draft", "Ship it")]);

    [Fact]
    public async Task The_stores_captured_changes_are_attached_before_the_hooks_run()
    {
        var store = new CapturingStore();
        var hook = new SeenChanges();
        var log = new ActivityLog(store, beforeHooks: [hook]);

        await using (ActivityTransaction transaction = await ActivityTransaction.BeginAsync(log))
        {
            await transaction.CompleteAsync(ActivityRecord.Create(Alice, Alice, "update_task", new EntityRef("Task", "t-1")));
        }

        Assert.Equal([Captured], hook.Changes);
        Assert.Equal([Captured], Assert.Single(store.Appended).Changes);
    }

    private sealed class SeenChanges : IBeforeAppendHook
    {
        public IReadOnlyList<EntityChange>? Changes { get; private set; }

        public ValueTask<BeforeAppendDecision> BeforeAppendAsync(ActivityRecord record, CancellationToken cancellationToken)
        {
            Changes = record.Changes;
            return ValueTask.FromResult(BeforeAppendDecision.Continue);
        }
    }

    private sealed class CapturingStore : ITransactionalActivityLogRepo
    {
        public List<ActivityRecord> Appended { get; } = [];

        public ValueTask<IActivityLogTransaction> BeginTransactionAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult<IActivityLogTransaction>(new Transaction(this));

        public ValueTask<AppendResult> AppendAsync(ActivityRecord record, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("appends go through the transaction");

        public ValueTask<ActivityPage> QueryAsync(ActivityQuery query, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new ActivityPage([.. Appended], null));

        private sealed class Transaction(CapturingStore store) : IActivityLogTransaction, IActivityChangeCapture
        {
            public ActivityRecord AttachChanges(ActivityRecord record) => record with { Changes = [Captured] };

            public ValueTask<ActivityRecord> AppendAsync(ActivityRecord record, CancellationToken cancellationToken)
            {
                store.Appended.Add(record);
                return ValueTask.FromResult(record);
            }

            public ValueTask CommitAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
