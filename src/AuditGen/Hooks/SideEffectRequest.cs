using System.Diagnostics.CodeAnalysis;
namespace AuditGen;

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
