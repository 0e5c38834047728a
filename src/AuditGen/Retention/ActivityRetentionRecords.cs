using System.Globalization;
using System.Text;
using AuditGen.Integrity;

namespace AuditGen;

/// <summary>
/// The records retention writes about itself — a purge, a hold placed, a hold released — and the signed statement a purge
/// carries on a tamper-evident log: the one home of their actions, entity and metadata.
/// </summary>
public static class ActivityRetentionRecords
{
    /// <summary>The action of the record of a purge.</summary>
    public const string PurgeAction = "auditgen.retention.purge";

    /// <summary>The action of the record of a legal hold placed.</summary>
    public const string HoldPlacedAction = "auditgen.legal_hold.placed";

    /// <summary>The action of the record of a legal hold released.</summary>
    public const string HoldReleasedAction = "auditgen.legal_hold.released";

    /// <summary>The entity of purge records: the log's retention.</summary>
    public static EntityRef RetentionEntity { get; } = new("auditgen.log", "retention");

    /// <summary>The format line of the signed text.</summary>
    private const string StatementFormat = "auditgen-purge-v1";

    /// <summary>
    /// The record of a purge: who, the window (<c>before</c>, <c>beforeByAction</c>, <c>throughSequence</c>), how many records
    /// went (<c>purged</c>), their sequences (<c>ranges</c>), the partitions dropped and the holds in place; signed with
    /// <paramref name="key"/> (<c>keyId</c>, <c>signature</c>) when the log is tamper-evident, so a verifier can tell a sanctioned
    /// purge from a deletion.
    /// </summary>
    /// <param name="actorId">Who ran the purge.</param>
    /// <param name="summary">What goes.</param>
    /// <param name="at">When.</param>
    /// <param name="key">The checkpoint signing key, or null for a log without tamper evidence.</param>
    /// <returns>The record to append.</returns>
    public static ActivityRecord Purge(Guid actorId, ActivityPurgeSummary summary, DateTimeOffset at, ActivityCheckpointKey? key)
    {
        ArgumentNullException.ThrowIfNull(summary);
        at = at.AddTicks(-(at.UtcTicks % TimeSpan.TicksPerMicrosecond)); // the precision every store keeps, so the signed time is the stored one
        var metadata = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["before"] = summary.Window.Before.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            ["beforeByAction"] = string.Join(';', summary.Window.BeforeByAction.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => $"{p.Key}={p.Value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)}")),
            ["throughSequence"] = summary.Window.ThroughSequence,
            ["purged"] = summary.RecordsPurged,
            ["ranges"] = ActivitySequenceRange.Format(summary.Ranges),
            ["partitionsDropped"] = string.Join(',', summary.PartitionsDropped),
            ["holds"] = summary.Holds,
        };
        ActivityRecord record = ActivityRecord.Create(actorId, actorId, PurgeAction, RetentionEntity, metadata, at);
        if (key is null)
        {
            return record;
        }

        metadata["keyId"] = key.Id;
        metadata["signature"] = Convert.ToBase64String(key.Sign(StatementBytes(record, key.Id)));
        return record with { Metadata = metadata };
    }

    /// <summary>
    /// The sequences a purge record removed, when its signature verifies with the trusted key of its id valid at its time;
    /// or the problem with it. An unsigned purge record (a log that had no tamper evidence) vouches for nothing.
    /// </summary>
    /// <param name="record">A stored record with <see cref="PurgeAction"/>.</param>
    /// <param name="trustedKeys">The keys checkpoints may be signed with.</param>
    /// <param name="ranges">The sequences it removed (empty when unsigned or forged).</param>
    /// <returns>Null when the record is signed and verifies, or unsigned; otherwise why it cannot be trusted.</returns>
    public static string? ReadSignedPurge(ActivityRecord record, IReadOnlyCollection<ActivityCheckpointKey> trustedKeys, out IReadOnlyList<ActivitySequenceRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(trustedKeys);
        ranges = [];
        if (!record.Metadata.TryGetValue("signature", out object? signature) || !record.Metadata.TryGetValue("keyId", out object? keyId))
        {
            return null;
        }

        string id = Convert.ToString(keyId, CultureInfo.InvariantCulture) ?? "";
        ActivityCheckpointKey? key = trustedKeys.FirstOrDefault(k => k.Id == id && k.IsValidAt(record.OccurredAt));
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(Convert.ToString(signature, CultureInfo.InvariantCulture) ?? "");
        }
        catch (FormatException)
        {
            bytes = [];
        }

        if (key is null || !key.Verify(StatementBytes(record, id), bytes))
        {
            return $"Purge record {record.Sequence} ({record.RecordId}) is not signed by a trusted key valid at {record.OccurredAt:O}: it is forged or was changed, so it vouches for no removal.";
        }

        try
        {
            ranges = ActivitySequenceRange.Parse(Text(record, "ranges"));
            return null;
        }
        catch (FormatException ex)
        {
            return $"Purge record {record.Sequence}: {ex.Message}";
        }
    }

    /// <summary>The record of placing <paramref name="hold"/>.</summary>
    /// <param name="actorId">Who placed it.</param>
    /// <param name="hold">The hold.</param>
    /// <param name="at">When.</param>
    /// <returns>The record to append.</returns>
    public static ActivityRecord HoldPlaced(Guid actorId, ActivityLegalHold hold, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(hold);
        return ActivityRecord.Create(actorId, actorId, HoldPlacedAction, new EntityRef("auditgen.legal_hold", hold.Name),
            new Dictionary<string, object?> { ["target"] = hold.Target, ["reason"] = hold.Reason }, at);
    }

    /// <summary>The record of releasing the hold named <paramref name="name"/>.</summary>
    /// <param name="actorId">Who released it.</param>
    /// <param name="name">The hold's name.</param>
    /// <param name="reason">Why, or null.</param>
    /// <param name="at">When.</param>
    /// <returns>The record to append.</returns>
    public static ActivityRecord HoldReleased(Guid actorId, string name, string? reason, DateTimeOffset at) =>
        ActivityRecord.Create(actorId, actorId, HoldReleasedAction, new EntityRef("auditgen.legal_hold", name),
            new Dictionary<string, object?> { ["reason"] = reason ?? "" }, at);

    /// <summary>The signed text: the record's identity and time, and every metadata field of the purge, in a fixed order.</summary>
    private static byte[] StatementBytes(ActivityRecord record, string keyId) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $"{StatementFormat}\n{record.RecordId:D}\n{record.ActorId:D}\n{record.OccurredAt.UtcTicks}\n{keyId}\n" +
        $"{Text(record, "before")}\n{Text(record, "beforeByAction")}\n{Text(record, "throughSequence")}\n{Text(record, "purged")}\n" +
        $"{Text(record, "ranges")}\n{Text(record, "partitionsDropped")}\n{Text(record, "holds")}\n"));

    private static string Text(ActivityRecord record, string key) =>
        record.Metadata.TryGetValue(key, out object? value) ? Convert.ToString(value, CultureInfo.InvariantCulture) ?? "" : "";
}
