using System.ComponentModel;

namespace AuditGen.AspNetCore;

/// <summary>A subject's erasure, as recorded.</summary>
/// <param name="SubjectId">Whose personal data was erased.</param>
/// <param name="ValuesErased">How many sealed values became unreadable.</param>
/// <param name="RecordId">The erasure record's id.</param>
/// <param name="Sequence">The erasure record's position in the log.</param>
/// <param name="ErasedAt">When.</param>
public sealed record ActivitySubjectErasureResponse(
    [property: Description("Whose personal data was erased.")] Guid SubjectId,
    [property: Description("How many sealed values became unreadable.")] long ValuesErased,
    [property: Description("The erasure record's id (action auditgen.subject.erased).")] Guid RecordId,
    [property: Description("The erasure record's position in the log.")] long Sequence,
    [property: Description("When the subject was erased.")] DateTimeOffset ErasedAt)
{
    internal static ActivitySubjectErasureResponse From(ActivityRecord record) => new(
        record.OwnerId, Convert.ToInt64(record.Metadata["valuesErased"], System.Globalization.CultureInfo.InvariantCulture), record.RecordId, record.Sequence, record.OccurredAt);
}
