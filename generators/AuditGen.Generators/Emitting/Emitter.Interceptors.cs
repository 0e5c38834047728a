using System.Collections.Generic;
using System.Linq;

namespace AuditGen.Generators;

/// <summary>
/// Interceptors of direct calls to logged methods on their concrete types, with the file-local
/// <c>InterceptsLocationAttribute</c> they need.
/// </summary>
internal static partial class Emitter
{
    /// <summary>Interceptors for direct calls to logged methods on their concrete types.</summary>
    public static string Interceptors(IReadOnlyList<InterceptedCallModel> calls)
    {
        SourceWriter w = Header();
        using (w.Block($"namespace {GeneratedNamespace}"))
        {
            w.Line("/// <summary>Direct calls to logged use cases, rerouted so that each appends its activity record.</summary>");
            w.Line(GeneratedCode);
            using (w.Block("file static class ActivityLogInterceptors"))
            {
                bool first = true;
                int index = 0;
                foreach (IGrouping<(string UseCaseType, LoggedMethodModel Method), InterceptedCallModel> group in calls.GroupBy(c => (c.UseCaseType, c.Method)))
                {
                    if (!first)
                    {
                        w.Line();
                    }

                    first = false;
                    foreach (InterceptedCallModel call in group)
                    {
                        w.Line($"[global::System.Runtime.CompilerServices.InterceptsLocation({call.LocationVersion}, {Literal(call.LocationData)})] // {call.DisplayLocation}");
                    }

                    (string useCaseType, LoggedMethodModel method) = group.Key;
                    string name = $"{SimpleName(useCaseType)}_{method.Name}_{index++}";
                    GeneratedLocals locals = method.Locals;
                    using (w.Block($"internal static async {ReturnType(method)} {name}(this {useCaseType} {locals.UseCase}{(method.Parameters.Count > 0 ? ", " : "")}{Parameters(method.Parameters)})"))
                    {
                        w.Line($"global::AuditGen.ILoggedUseCase {locals.Logged} = {locals.UseCase};");
                        WriteLoggedBody(w, method, target: locals.UseCase, log: $"{locals.Logged}.ActivityLog", accessor: $"{locals.Logged}.ActorAccessor");
                    }
                }
            }
        }

        w.Line();
        using (w.Block("namespace System.Runtime.CompilerServices"))
        {
            w.Line(GeneratedCode);
            w.Line("[global::System.AttributeUsage(global::System.AttributeTargets.Method, AllowMultiple = true)]");
            using (w.Block("file sealed class InterceptsLocationAttribute : global::System.Attribute"))
            {
                w.Line("public InterceptsLocationAttribute(int version, string data)");
                w.Line("{");
                w.Line("}");
            }
        }

        return w.ToString();
    }
}
