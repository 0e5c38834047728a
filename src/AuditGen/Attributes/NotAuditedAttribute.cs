namespace AuditGen;

/// <summary>
/// On an entity property: a change to it is recorded as a change, with its old and new values withheld
/// (<see cref="PropertyChange.Withheld"/>) — for password hashes, tokens, card numbers and anything else that must never
/// be copied into an audit log.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false, Inherited = true)]
public sealed class NotAuditedAttribute : Attribute
{
}
