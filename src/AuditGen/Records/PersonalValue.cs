using System.Collections.Immutable;

namespace AuditGen;

/// <summary>
/// A personal value in clear, with the person it belongs to: what generated code, EF Core change capture or a hand-written
/// append puts in <see cref="ActivityRecord.Metadata"/> or a <see cref="PropertyChange"/> for a <see cref="PersonalDataAttribute"/>
/// member, and what reads give back while the subject's key exists. It never reaches storage: the pipeline seals it
/// (<see cref="SealedValue"/>) after the before-append hooks, and every store's encoding refuses it.
/// </summary>
/// <remarks>
/// <see cref="ToString"/> never shows the value, so a record that is logged or printed does not leak it. A personal value
/// whose value is null is stored as null (there is nothing to protect).
/// </remarks>
public sealed class PersonalValue : IEquatable<PersonalValue>
{
    /// <summary>Wraps <paramref name="value"/> as personal data of <paramref name="subjectId"/>.</summary>
    /// <param name="subjectId">The person the value belongs to (not <see cref="Guid.Empty"/>).</param>
    /// <param name="value">A value a record may hold (string, number, bool, Guid, date, enum, or an array of those).</param>
    /// <exception cref="ArgumentException">The subject is empty, or the value is of a type a record cannot hold.</exception>
    public PersonalValue(Guid subjectId, object? value)
    {
        SubjectId = ActivityValidation.RequiredId(subjectId, nameof(subjectId), "SubjectId");
        Value = value is PersonalValue or SealedValue or ErasedValue
            ? throw new ArgumentException("A personal value cannot wrap another personal, sealed or erased value.", nameof(value))
            : ActivityValue.Normalize(value, "Personal value of subject", subjectId.ToString("D"), nameof(value));
    }

    /// <summary>The person the value belongs to: their key seals it, and erasing them makes it unreadable.</summary>
    public Guid SubjectId { get; }

    /// <summary>The value in clear (normalized like every record value).</summary>
    public object? Value { get; }

    /// <inheritdoc/>
    public bool Equals(PersonalValue? other) =>
        other is not null && SubjectId == other.SubjectId && ActivityValue.ValueEquals(Value, other.Value);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as PersonalValue);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(SubjectId, Value is ImmutableArray<object?> a ? a.Length : Value?.GetHashCode() ?? 0);

    /// <summary>Names the subject, never the value: <c>personal(subject)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"personal({SubjectId:D})";
}
