using System.Text;

namespace AuditGen.AspNetCore;

/// <summary>
/// CSV cells (RFC 4180): quoted when they hold a comma, a quote or a line break, quotes doubled; and safe to open in a
/// spreadsheet — a cell that starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return gets a leading
/// <c>'</c> and quotes, so it is read as text, never as a formula (OWASP, CSV injection).
/// </summary>
internal static class ActivityCsv
{
    public static readonly string[] Header =
        ["sequence", "id", "when", "action", "entityType", "entityId", "actor", "actorName", "owner", "ownerName", "traceId", "spanId", "details", "changes"];

    public static void AppendRow(StringBuilder line, IReadOnlyList<string?> cells)
    {
        for (int i = 0; i < cells.Count; i++)
        {
            if (i > 0)
            {
                line.Append(',');
            }

            AppendCell(line, cells[i]);
        }

        line.Append("\r\n");
    }

    public static void AppendCell(StringBuilder line, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        bool formula = value[0] is '=' or '+' or '-' or '@' or '\t' or '\r';
        if (!formula && value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            line.Append(value);
            return;
        }

        line.Append('"');
        if (formula)
        {
            line.Append('\'');
        }

        line.Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
