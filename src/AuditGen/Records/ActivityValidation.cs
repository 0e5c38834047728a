using System.Globalization;

namespace AuditGen;

/// <summary>
/// The field rules of the design, in one place. Every rule throws an <see cref="ArgumentException"/>
/// whose message names the field and the rule, and whose <see cref="ArgumentException.ParamName"/> is the caller's.
/// </summary>
internal static class ActivityValidation
{
    public const int MaxActionLength = 100;
    public const int MaxEntityTypeLength = 100;
    public const int MaxEntityIdLength = 200;
    public const int MaxMetadataKeyLength = 100;

    public const string ActionRule = "must be 1-100 characters of [a-z0-9_.:-]";

    public static string Action(string? value, string paramName, string field = "Action")
    {
        if (value is null)
        {
            throw new ArgumentNullException(paramName, $"{field} is required; it {ActionRule}.");
        }

        if (value.Length is 0 or > MaxActionLength)
        {
            throw new ArgumentException($"{field} {ActionRule}; it has {value.Length} characters.", paramName);
        }

        for (int i = 0; i < value.Length; i++)
        {
            if (!IsActionChar(value[i]))
            {
                throw new ArgumentException($"{field} {ActionRule}; {Describe(value[i])} at index {i} is not allowed.", paramName);
            }
        }

        return value;
    }

    public static bool IsValidAction(string? value)
    {
        if (value is null || value.Length is 0 or > MaxActionLength)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!IsActionChar(c))
            {
                return false;
            }
        }

        return true;
    }

    public static EntityRef EntityRef(EntityRef value, string paramName, string field = "EntityRef")
    {
        Text(value.EntityType, MaxEntityTypeLength, paramName, field, ".EntityType");
        Text(value.EntityId, MaxEntityIdLength, paramName, field, ".EntityId");
        return value;
    }

    public static Guid RequiredId(Guid value, string paramName, string field)
    {
        if (value == Guid.Empty)
        {
            throw new ArgumentException($"{field} must not be Guid.Empty; pass the real identifier.", paramName);
        }

        return value;
    }

    /// <summary>
    /// A W3C trace-context id (<c>trace-id</c>: 32, <c>parent-id</c>/span id: 16 lowercase hex digits, not all zero), or
    /// null for none.
    /// </summary>
    public static string? TraceContextId(string? value, int length, string paramName, string field)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length != length)
        {
            throw new ArgumentException($"{field} must be {length} lowercase hex digits (W3C trace context) or null; it has {value.Length} characters.", paramName);
        }

        bool nonZero = false;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                throw new ArgumentException($"{field} must be {length} lowercase hex digits (W3C trace context) or null; {Describe(c)} at index {i} is not allowed.", paramName);
            }

            nonZero |= c != '0';
        }

        return nonZero
            ? value
            : throw new ArgumentException($"{field} must not be all zeros: W3C trace context uses that for an invalid id.", paramName);
    }

    public static string MetadataKey(string? key, string paramName)
    {
        if (key is null)
        {
            throw new ArgumentException("Metadata keys must not be null.", paramName);
        }

        Text(key, MaxMetadataKeyLength, paramName, "Metadata key", "");
        return key;
    }

    /// <summary>
    /// Non-blank text of bounded length with no control characters (CR and LF included). The field's name is
    /// <paramref name="field"/> + <paramref name="member"/>, joined only when a rule is broken (appends allocate nothing here).
    /// </summary>
    private static void Text(string? value, int maxLength, string paramName, string field, string member)
    {
        if (value is null)
        {
            throw new ArgumentNullException(paramName, $"{field}{member} is required; it must be 1-{maxLength} characters.");
        }

        if (value.Length is 0 || value.Length > maxLength)
        {
            throw new ArgumentException($"{field}{member} must be 1-{maxLength} characters; it has {value.Length}.", paramName);
        }

        bool blank = true;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsControl(c))
            {
                throw new ArgumentException($"{field}{member} must not contain control characters; {Describe(c)} at index {i} is not allowed.", paramName);
            }

            blank &= char.IsWhiteSpace(c);
        }

        if (blank)
        {
            throw new ArgumentException($"{field}{member} must not be blank (whitespace only).", paramName);
        }
    }

    private static bool IsActionChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '.' or ':' or '-';

    /// <summary>Describes a character without echoing control characters into logs.</summary>
    internal static string Describe(char c) => c switch
    {
        ' ' => "a space",
        '\r' => "a carriage return (U+000D)",
        '\n' => "a line feed (U+000A)",
        '\t' => "a tab (U+0009)",
        _ when char.IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c) =>
            "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
        _ => $"'{c}'",
    };
}
