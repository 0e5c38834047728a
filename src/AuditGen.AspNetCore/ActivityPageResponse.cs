using System.ComponentModel;

namespace AuditGen.AspNetCore;

/// <summary>One page of records.</summary>
/// <param name="Items">The records, in the requested order.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next page; <see langword="null"/> on the last page.</param>
public sealed record ActivityPageResponse(
    [property: Description("The records, in the requested order.")] IReadOnlyList<ActivityItemResponse> Items,
    [property: Description("Pass as cursor to get the next page; null on the last page.")] string? NextCursor);
