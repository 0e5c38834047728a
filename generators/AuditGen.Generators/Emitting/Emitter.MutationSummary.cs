using System.Collections.Generic;

namespace AuditGen.Generators;

internal static partial class Emitter
{
    /// <summary>
    /// The assembly's mutation summary: the members other assemblies can call that change state, for their coverage
    /// analyzers.
    /// </summary>
    public static string MutationSummary(IReadOnlyList<string> members)
    {
        SourceWriter w = Header();
        w.Line("// Members of this assembly that change state, for the AuditGen coverage analyzer of projects that call them.");
        w.Line("[assembly: global::AuditGen.MutatingMembers(");
        for (int i = 0; i < members.Count; i++)
        {
            w.Line($"    {Literal(members[i])}{(i < members.Count - 1 ? "," : ")]")}");
        }

        return w.ToString();
    }
}
