using System.Diagnostics.CodeAnalysis;
namespace AuditGen;

/// <summary>
/// Runs after a record is stored, in registration order, and asks for side effects (a notification, an email)
/// rather than performing them; each request goes to the <see cref="ISideEffectHandler"/> of its kind.
/// A hook that throws is logged and never un-appends the record.
/// </summary>
public interface IAfterAppendHook
{
    /// <summary>Returns the side effects the stored record calls for; an empty list for none.</summary>
    /// <param name="record">The record as stored, with its sequence.</param>
    /// <param name="cancellationToken">The append's cancellation token.</param>
    /// <returns>The requested side effects, dispatched in order.</returns>
    ValueTask<IReadOnlyList<SideEffectRequest>> AfterAppendAsync(ActivityRecord record, CancellationToken cancellationToken);
}

/// <summary>A side effect an after-append hook asks for.</summary>
/// <param name="Kind">Selects the <see cref="ISideEffectHandler"/> whose <see cref="ISideEffectHandler.Kind"/> is equal (ordinal).</param>
/// <param name="Payload">Optional data for the handler.</param>
public sealed record SideEffectRequest(string Kind, IReadOnlyDictionary<string, object?>? Payload = null)
{
    /// <summary>Selects the handler; not blank.</summary>
    public string Kind { get; init => field = CheckKind(value); } = CheckKind(Kind);

    [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
        Justification = "Kind is both the property and the positional parameter the caller passed.")]
    private static string CheckKind(string? kind) =>
        !string.IsNullOrWhiteSpace(kind)
            ? kind
            : throw new ArgumentException("SideEffectRequest.Kind must not be null or blank.", nameof(Kind));
}

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
