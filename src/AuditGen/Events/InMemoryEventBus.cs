namespace AuditGen;

/// <summary>An <see cref="IEventBus"/> that keeps what it is given, for tests. Thread-safe.</summary>
public sealed class InMemoryEventBus : IEventBus
{
    private readonly List<object> _published = [];

    /// <summary>Every published event, in publication order: a snapshot.</summary>
    public IReadOnlyList<object> Published
    {
        get
        {
            lock (_published)
            {
                return [.. _published];
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask PublishAsync<TEvent>(TEvent @event, CancellationToken cancellationToken = default)
        where TEvent : notnull
    {
        ArgumentNullException.ThrowIfNull(@event);
        lock (_published)
        {
            _published.Add(@event);
        }

        return ValueTask.CompletedTask;
    }
}
