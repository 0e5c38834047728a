namespace AuditGen;

/// <summary>Performs the side effects of one <see cref="Kind"/>.</summary>
public interface ISideEffectHandler
{
    /// <summary>The kind of <see cref="SideEffectRequest"/> this handler performs.</summary>
    string Kind { get; }

    /// <summary>Performs one requested side effect. A handler that throws is logged; the other requests still run.</summary>
    /// <param name="request">The request.</param>
    /// <param name="record">The stored record that caused it.</param>
    /// <param name="cancellationToken">The append's cancellation token.</param>
    /// <returns>A task that completes when the side effect is done.</returns>
    ValueTask HandleAsync(SideEffectRequest request, ActivityRecord record, CancellationToken cancellationToken);
}
