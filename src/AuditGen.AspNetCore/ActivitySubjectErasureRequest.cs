using System.ComponentModel;

namespace AuditGen.AspNetCore;

/// <summary>The body of an erasure request.</summary>
/// <param name="Reason">Why the subject's personal data is erased (a request's reference); required, at most 1,000 characters, stored in clear.</param>
public sealed record ActivitySubjectErasureRequest(
    [property: Description("Why the subject's personal data is erased (a request's reference, not personal data): required, at most 1,000 characters; recorded in clear.")] string? Reason);
