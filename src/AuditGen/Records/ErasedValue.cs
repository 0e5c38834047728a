namespace AuditGen;

/// <summary>
/// What a <see cref="SealedValue"/> reads as once its subject was erased (its key is gone): the record keeps its place, its
/// actors, actions, entities and times, and still verifies, but the value is unreadable for good. The API writes it as
/// <c>{"erased": true}</c>, the console and CSV exports as <c>erased</c>. It is a read-side value only: stores refuse it.
/// </summary>
public sealed class ErasedValue : IEquatable<ErasedValue>
{
    /// <summary>A value of <paramref name="subjectId"/> that can no longer be read.</summary>
    /// <param name="subjectId">The erased subject.</param>
    public ErasedValue(Guid subjectId) => SubjectId = subjectId;

    /// <summary>Whose value it was.</summary>
    public Guid SubjectId { get; }

    /// <inheritdoc/>
    public bool Equals(ErasedValue? other) => other is not null && SubjectId == other.SubjectId;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ErasedValue);

    /// <inheritdoc/>
    public override int GetHashCode() => SubjectId.GetHashCode();

    /// <summary>The word people see: <c>erased</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => "erased";
}
