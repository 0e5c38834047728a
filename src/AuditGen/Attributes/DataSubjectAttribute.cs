namespace AuditGen;

/// <summary>
/// On a use-case parameter or property, or an entity property (a <see cref="Guid"/>): the person the record's personal data
/// belongs to, when it is not the record's owner (the default subject). Personal values are sealed under this subject's key.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false, Inherited = true)]
public sealed class DataSubjectAttribute : Attribute
{
}
