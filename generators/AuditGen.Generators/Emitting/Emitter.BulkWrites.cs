using System.Collections.Generic;
using System.Linq;

namespace AuditGen.Generators;

internal static partial class Emitter
{
    private const string BulkWrites = "global::AuditGen.EntityFrameworkCore.ActivityBulkWrites";

    /// <summary>
    /// Interceptors of <c>ExecuteUpdate(Async)</c> and <c>ExecuteDelete(Async)</c>: each hands the call to
    /// <c>ActivityBulkWrites</c> with the properties its setters set, one method per distinct shape.
    /// </summary>
    public static string BulkWriteInterceptors(IReadOnlyList<BulkWriteCallModel> calls)
    {
        SourceWriter w = Header();
        using (w.Block($"namespace {GeneratedNamespace}"))
        {
            w.Line("/// <summary>");
            w.Line("/// EF Core bulk writes, rerouted so that inside a logged use case their changes join its record; anywhere else they");
            w.Line("/// run as EF Core's own.");
            w.Line("/// </summary>");
            w.Line(GeneratedCode);
            using (w.Block("file static class ActivityBulkWriteInterceptors"))
            {
                var groups = calls.GroupBy(c => (c.Kind, c.PropertiesKnown, c.Properties)).ToList();
                for (int i = 0; i < groups.Count; i++)
                {
                    (BulkWriteKind kind, bool known, EquatableArray<string> properties) = groups[i].Key;
                    if (kind is BulkWriteKind.ExecuteUpdate or BulkWriteKind.ExecuteUpdateAsync && known)
                    {
                        w.Line($"private static readonly string[] Properties{i} = [{string.Join(", ", properties.Select(Literal))}];");
                        w.Line();
                    }
                }

                for (int i = 0; i < groups.Count; i++)
                {
                    if (i > 0)
                    {
                        w.Line();
                    }

                    foreach (BulkWriteCallModel call in groups[i])
                    {
                        w.Line($"[global::System.Runtime.CompilerServices.InterceptsLocation({call.LocationVersion}, {Literal(call.LocationData)})] // {call.DisplayLocation}");
                    }

                    WriteBulkWrite(w, groups[i].Key.Kind, groups[i].Key.PropertiesKnown ? $"Properties{i}" : "null", i);
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

    private static void WriteBulkWrite(SourceWriter w, BulkWriteKind kind, string properties, int index)
    {
        const string Source = "this global::System.Linq.IQueryable<TSource> source";
        const string Setters = "global::System.Action<global::Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<TSource>> setPropertyCalls";
        const string Token = "global::System.Threading.CancellationToken cancellationToken";
        const string TaskOfInt = "global::System.Threading.Tasks.Task<int>";
        switch (kind)
        {
            case BulkWriteKind.ExecuteUpdate:
                w.Line($"internal static int ExecuteUpdate{index}<TSource>({Source}, {Setters}) =>");
                w.Line($"    {BulkWrites}.ExecuteUpdate(source, setPropertyCalls, {properties});");
                break;
            case BulkWriteKind.ExecuteUpdateAsync:
                w.Line($"internal static {TaskOfInt} ExecuteUpdateAsync{index}<TSource>({Source}, {Setters}, {Token}) =>");
                w.Line($"    {BulkWrites}.ExecuteUpdateAsync(source, setPropertyCalls, {properties}, cancellationToken);");
                break;
            case BulkWriteKind.ExecuteDelete:
                w.Line($"internal static int ExecuteDelete{index}<TSource>({Source}) =>");
                w.Line($"    {BulkWrites}.ExecuteDelete(source);");
                break;
            default:
                w.Line($"internal static {TaskOfInt} ExecuteDeleteAsync{index}<TSource>({Source}, {Token}) =>");
                w.Line($"    {BulkWrites}.ExecuteDeleteAsync(source, cancellationToken);");
                break;
        }
    }
}
