using System.Globalization;
using System.Text;
using System.Text.Json;
using AuditGen.Storage;
using Microsoft.AspNetCore.Http;

namespace AuditGen.AspNetCore;

/// <summary>
/// Streams the records of a query as NDJSON (one item per line, the list routes' shape) or CSV, oldest first, page by
/// page (1,000 records), flushing each page: memory stays constant however many records match, and the first bytes
/// leave before the last page is read.
/// </summary>
internal sealed class ActivityExportResult(IActivityLogRepo log, ActivityQuery query, bool csv, Guid? subject = null) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        HttpResponse response = httpContext.Response;
        CancellationToken cancellationToken = httpContext.RequestAborted;
        string stamp = DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        response.ContentType = csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
        response.Headers.ContentDisposition = subject is { } id
            ? $"attachment; filename=\"subject-{id:D}-{stamp}.ndjson\""
            : $"attachment; filename=\"audit-export-{stamp}.{(csv ? "csv" : "ndjson")}\"";
        response.Headers.CacheControl = "no-store";

        await using var writer = new StreamWriter(response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024, leaveOpen: true);
        var line = new StringBuilder(512);
        if (csv)
        {
            ActivityCsv.AppendRow(line, ActivityCsv.Header);
            await writer.WriteAsync(line, cancellationToken);
        }

        ActivityQuery page = query with { Limit = ActivityQuery.MaxLimit, Order = ActivityOrder.OldestFirst, Cursor = null };
        while (true)
        {
            ActivityPage result = await log.QueryAsync(page, cancellationToken);
            IReadOnlyList<ActivityRecord> records = subject is { } only ? [.. result.Items.Where(r => HoldsDataOf(r, only))] : result.Items;
            records = await ActivityPersonalDataReading.UnsealAsync(records, httpContext.RequestServices, cancellationToken);
            ActivityItemResponse[] items = await ActivityItemNames.ItemsAsync(records, httpContext.RequestServices, cancellationToken);
            for (int i = 0; i < items.Length; i++)
            {
                line.Clear();
                if (csv)
                {
                    AppendCsv(line, records[i], items[i]);
                }
                else
                {
                    line.Append(JsonSerializer.Serialize(items[i], ActivityLogApiJsonContext.Default.ActivityItemResponse)).Append('\n');
                }

                await writer.WriteAsync(line, cancellationToken);
            }

            await writer.FlushAsync(cancellationToken);
            if (result.NextCursor is null)
            {
                return;
            }

            page = page with { Cursor = result.NextCursor };
        }
    }

    /// <summary>Whether the record holds a sealed value of <paramref name="subject"/> (metadata or changes).</summary>
    private static bool HoldsDataOf(ActivityRecord record, Guid subject)
    {
        foreach (KeyValuePair<string, object?> entry in record.Metadata)
        {
            if (entry.Value is SealedValue s && s.SubjectId == subject)
            {
                return true;
            }
        }

        return record.Changes.Any(c => c.Properties.Any(p => p.OldValue is SealedValue o && o.SubjectId == subject || p.NewValue is SealedValue n && n.SubjectId == subject));
    }

    /// <summary>In CSV an erased value is the word <c>erased</c> (no metadata or change value is ever a JSON object, so the marker is unambiguous).</summary>
    private static string Erased(string json) => json.Replace(ErasedJson, "\"erased\"", StringComparison.Ordinal);

    private const string ErasedJson = "{\"erased\":true}";

    private static void AppendCsv(StringBuilder line, ActivityRecord record, ActivityItemResponse item)
    {
        string details = Erased(PlainJson(writer => ActivityMetadataJson.WritePlain(writer, record.Metadata)));
        string? changes = record.Changes.Count == 0 ? null : Erased(PlainJson(writer => ActivityChangesJson.WritePlain(writer, record.Changes)));

        ActivityCsv.AppendRow(line,
        [
            record.Sequence.ToString(CultureInfo.InvariantCulture),
            record.RecordId.ToString("D"),
            record.OccurredAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            record.Action,
            record.EntityRef.EntityType,
            record.EntityRef.EntityId,
            record.ActorId.ToString("D"),
            item.ActorName,
            record.OwnerId.ToString("D"),
            item.OwnerName,
            record.TraceId,
            record.SpanId,
            details,
            changes,
        ]);
    }

    private static string PlainJson(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
