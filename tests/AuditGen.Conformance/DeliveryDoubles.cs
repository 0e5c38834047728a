using System.Collections.Concurrent;

namespace AuditGen.Conformance;

/// <summary>An event bus that fails the first <paramref name="failures"/> publishes, then takes every event; records what it took.</summary>
public sealed class FlakyBus(int failures) : IEventBus
{
    private int _calls;

    /// <summary>The record ids of the events taken, in order.</summary>
    public ConcurrentQueue<Guid> Delivered { get; } = new();

    public ValueTask PublishAsync<TEvent>(TEvent @event, CancellationToken cancellationToken = default) where TEvent : notnull
    {
        if (Interlocked.Increment(ref _calls) <= failures)
        {
            throw new IOException("broker unavailable");
        }

        Delivered.Enqueue(((ActivityRecorded)(object)@event).RecordId);
        return ValueTask.CompletedTask;
    }
}

/// <summary>An after-append hook that notes every record it sees and requests nothing.</summary>
public sealed class CountingHook : IAfterAppendHook
{
    /// <summary>The record ids seen, in order.</summary>
    public ConcurrentQueue<Guid> Seen { get; } = new();

    public ValueTask<IReadOnlyList<SideEffectRequest>> AfterAppendAsync(ActivityRecord record, CancellationToken cancellationToken)
    {
        Seen.Enqueue(record.RecordId);
        return ValueTask.FromResult<IReadOnlyList<SideEffectRequest>>([]);
    }
}
