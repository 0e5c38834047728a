using System.Globalization;
using Microsoft.AspNetCore.Mvc;

namespace AuditGen.AspNetCore;

/// <summary>The paging and time-range parameters every list route takes, bound as text so that bad values answer 400 naming them.</summary>
internal readonly record struct PageParameters(
    [property: FromQuery(Name = ActivityQueryParameters.Limit)] string? Limit,
    [property: FromQuery(Name = ActivityQueryParameters.Cursor)] string? Cursor,
    [property: FromQuery(Name = ActivityQueryParameters.Order)] string? Order,
    [property: FromQuery(Name = ActivityQueryParameters.Since)] string? Since,
    [property: FromQuery(Name = ActivityQueryParameters.Until)] string? Until);

/// <summary>Turns route and query text into an <see cref="ActivityQuery"/>, collecting one error per bad parameter.</summary>
internal sealed class ActivityQueryParameters
{
    public const string Limit = "limit";
    public const string Cursor = "cursor";
    public const string Order = "order";
    public const string Since = "since";
    public const string Until = "until";
    public const string Newest = "newest";
    public const string Oldest = "oldest";

    /// <summary>Date-times must carry their offset (or Z): a bare local time would mean a different instant on every server.</summary>
    private static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mmK",
    ];

    private Dictionary<string, string[]>? _errors;

    public ActivityQuery Query { get; private set; } = new();

    public bool IsValid => _errors is null;

    public IDictionary<string, string[]> Errors => _errors ?? [];

    public void AddError(string parameter, string message)
    {
        _errors ??= new(StringComparer.Ordinal);
        _errors[parameter] = [message];
    }

    /// <summary>
    /// Applies a filter through <see cref="ActivityQuery"/>'s own field rules, reporting a broken rule against
    /// <paramref name="parameter"/> in the words of the HTTP API (<paramref name="field"/> becomes <paramref name="parameter"/>).
    /// </summary>
    public void Apply(Func<ActivityQuery, ActivityQuery> filter, string field, string parameter)
    {
        try
        {
            Query = filter(Query);
        }
        catch (ArgumentException ex)
        {
            AddError(parameter, Rule(ex, field, parameter));
        }
    }

    /// <summary>Applies an entity reference; each half is checked on its own first, so the error names the parameter at fault.</summary>
    public void ApplyEntity(string entityType, string entityId)
    {
        Apply(q => q with { Entity = new EntityRef(entityType, "x") }, "Entity.EntityType", "entityType");
        Apply(q => q with { Entity = new EntityRef("x", entityId) }, "Entity.EntityId", "entityId");
        if (IsValid)
        {
            Apply(q => q with { Entity = new EntityRef(entityType, entityId) }, "Entity", "entityId");
        }
    }

    /// <summary>Parses a route id; whether it may be <see cref="Guid.Empty"/> is the query's own rule, applied by <see cref="Apply"/>.</summary>
    public Guid? ParseId(string value, string parameter)
    {
        if (Guid.TryParse(value, out Guid id))
        {
            return id;
        }

        AddError(parameter, $"{parameter} must be a Guid, such as 0190f2a4-8b1c-7d3e-9f00-3c4d5e6f7a8b.");
        return null;
    }

    /// <summary>Applies paging and time range; call after the filters, since the cursor is checked against the whole query.</summary>
    public void ApplyPage(in PageParameters page)
    {
        ActivityQuery query = Query;
        if (page.Limit is { } limitText)
        {
            if (int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out int limit) && limit is >= 1 and <= ActivityQuery.MaxLimit)
            {
                query = query with { Limit = limit };
            }
            else
            {
                AddError(Limit, $"limit must be a whole number from 1 to {ActivityQuery.MaxLimit}.");
            }
        }

        if (page.Order is { } orderText)
        {
            if (string.Equals(orderText, Newest, StringComparison.OrdinalIgnoreCase))
            {
                query = query with { Order = ActivityOrder.NewestFirst };
            }
            else if (string.Equals(orderText, Oldest, StringComparison.OrdinalIgnoreCase))
            {
                query = query with { Order = ActivityOrder.OldestFirst };
            }
            else
            {
                AddError(Order, $"order must be '{Newest}' or '{Oldest}'.");
            }
        }

        (DateTimeOffset? since, DateTimeOffset? until) = ParseWindow(page.Since, page.Until);
        query = query with { Since = since, Until = until };
        if (!IsValid)
        {
            return;
        }

        if (page.Cursor is { } cursor)
        {
            query = query with { Cursor = cursor };
            try
            {
                ActivityCursor.Decode(query);
            }
            catch (ArgumentException)
            {
                AddError(Cursor, "cursor must be the nextCursor of a previous page of this same query (same route, filters, order and time range), unchanged.");
                return;
            }
        }

        Query = query;
    }

    /// <summary>Parses <c>since</c> and <c>until</c>, reporting a bad value or a reversed window against its parameter.</summary>
    public (DateTimeOffset? Since, DateTimeOffset? Until) ParseWindow(string? sinceText, string? untilText)
    {
        DateTimeOffset? since = ParseDateTime(sinceText, Since);
        DateTimeOffset? until = ParseDateTime(untilText, Until);
        if (since > until)
        {
            AddError(Since, "since must not be after until.");
        }

        return (since, until);
    }

    /// <summary>Parses one ISO-8601 date-time parameter (with Z or an offset), reporting a bad value against it.</summary>
    public DateTimeOffset? ParseTime(string? text, string parameter) => ParseDateTime(text, parameter);

    private DateTimeOffset? ParseDateTime(string? text, string parameter)
    {
        if (text is null)
        {
            return null;
        }

        // RFC 3339 allows a lower-case t and z; everything else in the format is digits and punctuation.
        string normalized = text.ToUpperInvariant();
        if (DateTimeOffset.TryParseExact(normalized, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset value) &&
            HasExplicitOffset(normalized))
        {
            return value;
        }

        string hint = text.Contains(' ', StringComparison.Ordinal)
            ? " A '+' in a query string reads as a space: encode it as %2B, or use Z."
            : string.Empty;
        AddError(parameter, $"{parameter} must be an ISO-8601 date-time with Z or an offset, such as 2024-01-15T14:22:00Z.{hint}");
        return null;
    }

    private static bool HasExplicitOffset(string text) =>
        text.EndsWith('Z') ||
        (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');

    /// <summary>The core's rule message, phrased for the HTTP parameter: "Action must …" becomes "action must …".</summary>
    private static string Rule(ArgumentException ex, string field, string parameter) => Rule(ex).Replace(field, parameter, StringComparison.Ordinal);

    /// <summary>The core's rule message without the runtime's " (Parameter '…')" suffix, for a problem detail.</summary>
    internal static string Rule(ArgumentException ex)
    {
        string message = ex.Message;
        int suffix = message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return suffix >= 0 ? message[..suffix] : message;
    }
}
