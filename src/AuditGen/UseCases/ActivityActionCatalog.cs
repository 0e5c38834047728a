namespace AuditGen;

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
