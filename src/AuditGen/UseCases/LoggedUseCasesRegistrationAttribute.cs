namespace AuditGen;

/// <summary>
/// Asks the AuditGen generator for a public registration method with this name, beside the internal
/// <c>AddLoggedUseCases()</c>, so that an application referencing several assemblies with logged use cases can
/// register each: <c>[assembly: LoggedUseCasesRegistration("AddBillingUseCases")]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class LoggedUseCasesRegistrationAttribute : Attribute
{
    /// <summary>Names the public registration method.</summary>
    /// <param name="methodName">A C# identifier, such as <c>"AddBillingUseCases"</c>.</param>
    public LoggedUseCasesRegistrationAttribute(string methodName) => MethodName = methodName;

    /// <summary>The public registration method's name.</summary>
    public string MethodName { get; }
}
