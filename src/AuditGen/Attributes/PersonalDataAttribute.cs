namespace AuditGen;

/// <summary>
/// On a metadata member, a use-case parameter or an entity property: its values are personal data. They are never stored
/// in clear: the pipeline seals each one under its data subject's key (<see cref="PersonalValue"/>,
/// <see cref="SealedValue"/>), and erasing the subject (<see cref="IActivitySubjectErasure"/>) makes them unreadable
/// while the records still verify. ASP.NET Core Identity's <c>PersonalDataAttribute</c> is recognised by name too.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false, Inherited = true)]
public sealed class PersonalDataAttribute : Attribute
{
}
