using System.ComponentModel;

namespace AuditGen;

/// <summary>
/// How generated interceptors reach a use case's own log, in any assembly. The AuditGen generator implements it
/// (explicitly) on every partial use-case class that holds an <see cref="IActivityLogRepo"/>; application code never needs it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface ILoggedUseCase
{
    /// <summary>The use case's log: its <see cref="IActivityLogRepo"/> constructor parameter, field or property.</summary>
    IActivityLogRepo ActivityLog { get; }

    /// <summary>The use case's <see cref="IActorAccessor"/>, if it has one.</summary>
    IActorAccessor? ActorAccessor { get; }
}

/// <summary>One logged action of the action catalog: which use case logs it, about which entity type.</summary>
/// <param name="Action">The action, such as <c>"create_task"</c>.</param>
/// <param name="EntityType">The entity type it records, such as <c>"Task"</c>.</param>
/// <param name="UseCaseType">The full name of the use-case type.</param>
/// <param name="Method">The logged method.</param>
public sealed record ActivityActionInfo(string Action, string EntityType, string UseCaseType, string Method);

/// <summary>
/// Every logged action registered through the generated <c>AddLoggedUseCases()</c> methods, for coverage checks,
/// the HTTP API and UIs. Resolve it from the container.
/// </summary>
public sealed class ActivityActionCatalog
{
    private readonly List<ActivityActionInfo> _actions = [];

    /// <summary>The registered actions, in registration order, without duplicates.</summary>
    public IReadOnlyList<ActivityActionInfo> Actions => _actions;

    internal void Add(IEnumerable<ActivityActionInfo> actions)
    {
        foreach (ActivityActionInfo action in actions)
        {
            if (!_actions.Contains(action))
            {
                _actions.Add(action);
            }
        }
    }
}

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
