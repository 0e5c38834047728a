using System.ComponentModel;

namespace AuditGen;

/// <summary>
/// The mutation summary the AuditGen generator writes into each assembly it compiles: the documentation ids of the
/// members other assemblies can call that change state (directly, through their own calls, or, for an interface member,
/// through an implementation in the assembly). The coverage analyzer of a referencing project reads it, so a use case
/// that calls another project's service is judged by what that service does. Application code never writes it.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class MutatingMembersAttribute : Attribute
{
    /// <summary>Lists members that change state.</summary>
    /// <param name="members">Documentation comment ids, such as <c>M:Shop.IOrderService.Cancel(System.Int32)</c>.</param>
    public MutatingMembersAttribute(params string[] members) => Members = members;

    /// <summary>The members, as documentation comment ids.</summary>
    public IReadOnlyList<string> Members { get; }
}
