using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace AuditGen;

/// <summary>
/// The one value set a record holds — metadata values and the old and new values of property changes — in one place:
/// what is accepted and how it is normalized (enums to names, arrays to <see cref="ImmutableArray{T}"/> of
/// <see cref="object"/>), and equality by content. The storage form is <see cref="Storage.ActivityMetadataJson"/>'s
/// tagged JSON and the canonical form <see cref="Integrity.ActivityRecordEncoding"/>'s, for both.
/// </summary>
internal static class ActivityValue
{
    /// <summary>How errors name a metadata value: "Metadata value for key 'title'".</summary>
    public const string MetadataSubject = "Metadata value for key";

    /// <summary>How errors name a property change's value: "Changes value of property 'Title'".</summary>
    public const string ChangeSubject = "Changes value of property";

    private const string SupportedValues =
        "values must be null, string, bool, an integral or floating-point number, decimal, Guid, DateTimeOffset, " +
        "DateOnly, TimeOnly, an enum (stored by name), or a one-dimensional array of those";

    /// <summary>Checks <paramref name="value"/> and returns its normalized form (the same instance when already normal).</summary>
    /// <param name="value">The value.</param>
    /// <param name="subject">What the value is, for errors: <see cref="MetadataSubject"/> or <see cref="ChangeSubject"/>.</param>
    /// <param name="name">The key or property name, for errors.</param>
    /// <param name="paramName">The caller's parameter.</param>
    public static object? Normalize(object? value, string subject, string name, string paramName)
    {
        switch (value)
        {
            case PersonalValue personal:
                return personal.Value is null ? null : personal; // checked when made; nothing to protect in a null
            case SealedValue or ErasedValue:
                return value;
        }

        if (value is Array array)
        {
            if (array.Rank != 1)
            {
                throw Unsupported(subject, name, value, paramName, "multi-dimensional arrays are not supported");
            }

            var builder = ImmutableArray.CreateBuilder<object?>(array.Length);
            foreach (object? item in array)
            {
                builder.Add(NormalizeScalar(item, subject, name, paramName));
            }

            return builder.MoveToImmutable();
        }

        if (value is ImmutableArray<object?> items)
        {
            // Our own array form, as found in a stored record: check it, copy only if an element changes.
            ImmutableArray<object?>.Builder? changed = null;
            for (int i = 0; i < items.Length; i++)
            {
                object? normalized = NormalizeScalar(items[i], subject, name, paramName);
                if (changed is null && !ReferenceEquals(normalized, items[i]))
                {
                    changed = ImmutableArray.CreateBuilder<object?>(items.Length);
                    changed.AddRange(items, i);
                }

                changed?.Add(normalized);
            }

            return changed is null ? value : changed.MoveToImmutable();
        }

        return NormalizeScalar(value, subject, name, paramName);
    }

    private static object? NormalizeScalar(object? value, string subject, string name, string paramName) => value switch
    {
        null or string or bool or Guid or decimal or DateTimeOffset or DateOnly or TimeOnly => value,
        sbyte or byte or short or ushort or int or uint or long or ulong => value,
        double d when double.IsFinite(d) => value,
        float f when float.IsFinite(f) => value,
        double or float => throw new ArgumentException(
            $"{subject} '{name}' is {Convert.ToString(value, CultureInfo.InvariantCulture)}; numbers must be finite (NaN and infinities are not JSON).", paramName),
        Enum e => EnumName(e, subject, name, paramName),
        DateTime => throw Unsupported(subject, name, value, paramName, "use DateTimeOffset so the offset is explicit"),
        char => throw Unsupported(subject, name, value, paramName, "use a string"),
        Array or ImmutableArray<object?> => throw Unsupported(subject, name, value, paramName, "arrays cannot be nested"),
        PersonalValue or SealedValue or ErasedValue => throw Unsupported(subject, name, value, paramName, "a personal value wraps the whole array, not an element"),
        _ => throw Unsupported(subject, name, value, paramName, null),
    };

    private static string EnumName(Enum value, string subject, string name, string paramName)
    {
        string text = value.ToString();
        if (text.Length == 0 || text[0] is '-' or (>= '0' and <= '9'))
        {
            throw new ArgumentException(
                $"{subject} '{name}' is {value.GetType().Name} value {text}, which has no name; enums are stored by name.", paramName);
        }

        return text;
    }

    private static ArgumentException Unsupported(string subject, string name, object value, string paramName, string? hint) =>
        new($"{subject} '{name}' has unsupported type '{value.GetType()}'; {SupportedValues}" +
            (hint is null ? "." : $" ({hint})."), paramName);

    /// <summary>Equality by content: arrays element by element, everything else by <see cref="object.Equals(object, object)"/>.</summary>
    public static bool ValueEquals(object? a, object? b) =>
        a is ImmutableArray<object?> x && b is ImmutableArray<object?> y
            ? x.AsSpan().SequenceEqual(y.AsSpan(), EqualityComparer<object?>.Default)
            : Equals(a, b);

    /// <summary>A hash that agrees with <see cref="ValueEquals"/>.</summary>
    public static int Hash(object? value) => value is ImmutableArray<object?> items ? items.Length : value?.GetHashCode() ?? 0;

    /// <summary>Appends a readable form (strings quoted, arrays in brackets) for <c>ToString</c>.</summary>
    public static void AppendText(StringBuilder text, object? value)
    {
        switch (value)
        {
            case null:
                text.Append("null");
                break;
            case string s:
                text.Append('"').Append(s).Append('"');
                break;
            case PersonalValue or SealedValue or ErasedValue:
                text.Append(value); // names the subject, never the clear value
                break;
            case ImmutableArray<object?> items:
                text.Append('[');
                for (int i = 0; i < items.Length; i++)
                {
                    if (i > 0)
                    {
                        text.Append(", ");
                    }

                    AppendText(text, items[i]);
                }

                text.Append(']');
                break;
            default:
                text.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
