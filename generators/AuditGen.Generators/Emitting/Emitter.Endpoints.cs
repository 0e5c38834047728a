using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace AuditGen.Generators;

/// <summary>
/// Logged minimal-API handlers: each <c>Map*</c> call whose handler is <c>[LogsActivity]</c> is intercepted and gets a
/// generated, typed endpoint filter. The filter reads the handler's arguments by position and the value of its result,
/// never by reflection.
/// </summary>
internal static partial class Emitter
{
    private const string HttpNamespace = "global::Microsoft.AspNetCore.Http";

    /// <summary>The interceptors of the logged handlers' <c>Map*</c> calls, and their endpoint filters.</summary>
    public static string Endpoints(IReadOnlyList<MappedEndpointModel> endpoints)
    {
        SourceWriter w = Header();
        using (w.Block($"namespace {GeneratedNamespace}"))
        {
            w.Line("/// <summary><c>Map*</c> calls of logged handlers, rerouted so that each endpoint gets its activity filter.</summary>");
            w.Line(GeneratedCode);
            var filters = new List<string>(endpoints.Count);
            using (w.Block("file static class ActivityLogEndpointInterceptors"))
            {
                for (int i = 0; i < endpoints.Count; i++)
                {
                    MappedEndpointModel endpoint = endpoints[i];
                    string filter = $"{Pascal(endpoint.Handler.Method.Action)}EndpointFilter{i}";
                    filters.Add(filter);
                    if (i > 0)
                    {
                        w.Line();
                    }

                    string mapName = endpoint.MapMethod.Substring(endpoint.MapMethod.LastIndexOf('.') + 1);
                    w.Line($"[global::System.Runtime.CompilerServices.InterceptsLocation({endpoint.LocationVersion}, {Literal(endpoint.LocationData)})] // {endpoint.DisplayLocation}");
                    w.Line($"internal static {endpoint.ReturnType} {mapName}_{i}(this {Parameters(endpoint.MapParameters)}) =>");
                    w.Line($"    {HttpNamespace}.EndpointFilterExtensions.AddEndpointFilter({endpoint.MapMethod}({Arguments(endpoint.MapParameters)}), new {filter}());");
                }
            }

            for (int i = 0; i < endpoints.Count; i++)
            {
                w.Line();
                WriteEndpointFilter(w, filters[i], endpoints[i]);
            }

            w.Line();
            WriteEndpointOutcome(w);
        }

        w.Line();
        WriteInterceptsLocationAttribute(w);
        return w.ToString();
    }

    private static void WriteEndpointFilter(SourceWriter w, string name, MappedEndpointModel endpoint)
    {
        EntryPointMethodModel handler = endpoint.Handler;
        LoggedMethodModel method = handler.Method;
        var taken = new HashSet<string>(method.Parameters.Select(p => p.Name), System.StringComparer.Ordinal) { "actorId", method.Locals.Result };
        string invocation = Names.Unique("invocation", taken), next = Names.Unique("next", taken), http = Names.Unique("http", taken);
        string outcome = Names.Unique("outcome", taken), log = Names.Unique("log", taken), transaction = method.Locals.Transaction;

        w.Line($"/// <summary>Records <c>{Xml(method.Action)}</c> when the handler mapped at {Xml(endpoint.DisplayLocation)} succeeds; nothing on a 4xx/5xx result or an exception.</summary>");
        w.Line(GeneratedCode);
        using (w.Block($"file sealed class {name} : {HttpNamespace}.IEndpointFilter"))
        {
            using (w.Block($"public async global::System.Threading.Tasks.ValueTask<object?> InvokeAsync({HttpNamespace}.EndpointFilterInvocationContext {invocation}, {HttpNamespace}.EndpointFilterDelegate {next})"))
            {
                w.Line($"{HttpNamespace}.HttpContext {http} = {invocation}.HttpContext;");
                WriteEntryPointBody(w, handler, http, log, transaction, outcome, $"await {next}({invocation}).ConfigureAwait(false)", "object?",
                    failed: $"ActivityLogEndpointOutcome.Failed({http}, {outcome})",
                    value: handler.ValueKind switch
                    {
                        ResultValueKind.Itself => $"{outcome} is not {handler.ValueType} {method.Locals.Result}",
                        ResultValueKind.HttpValue => $"ActivityLogEndpointOutcome.Unwrap({outcome}) is not {HttpNamespace}.IValueHttpResult<{handler.ValueType}> {{ Value: {handler.ValueType} {method.Locals.Result} }}",
                        _ => null,
                    },
                    argument: i => $"{invocation}.GetArgument<{method.Parameters[i].Type}>({i})", returnsOutcome: true);
            }
        }
    }

    /// <summary>
    /// The body every entry-point filter shares: the actor first (no actor fails before anything changes), the unit of work
    /// on the request's log, the handler, then the record — unless the result is a failure. The record's write takes no
    /// token: a client that disconnects after the handler returned still gets its record.
    /// </summary>
    private static void WriteEntryPointBody(SourceWriter w, EntryPointMethodModel handler, string http, string log, string transaction, string outcome,
        string call, string outcomeType, string failed, string? value, System.Func<int, string> argument, bool returnsOutcome)
    {
        LoggedMethodModel method = handler.Method;
        string services = $"{http}.RequestServices";
        if (method.ActorFromAccessor)
        {
            w.Line($"global::System.Guid actorId = global::Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetService<{Accessor}>({services})?.CurrentActorId ??");
            w.Line($"    throw new global::System.InvalidOperationException({Literal($"No current actor: IActorAccessor.CurrentActorId is null, so '{method.Action}' cannot be recorded.")});");
        }

        w.Line($"{Log} {log} = global::Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<{Log}>({services});");
        w.Line($"global::AuditGen.ActivityTransaction {transaction} = await global::AuditGen.ActivityTransaction.BeginAsync({log}, {http}.RequestAborted).ConfigureAwait(false);");
        using (w.Block("try"))
        {
            w.Line($"{outcomeType} {outcome} = {call};");
            string condition = value is null ? failed : $"{failed} ||\n                    {value}";
            using (w.Block($"if ({condition})"))
            {
                w.Line($"{Return(outcome, returnsOutcome)} // a failure is no change: nothing is recorded, and the transaction rolls back");
            }

            w.Line();
            if (method.FailureCondition is { } wrapperFailed)
            {
                using (w.Block($"if ({wrapperFailed})"))
                {
                    w.Line(Return(outcome, returnsOutcome));
                }

                w.Line();
            }

            foreach (int i in handler.ReadParameters)
            {
                ParameterModel parameter = method.Parameters[i];
                w.Line($"{parameter.Type} {parameter.Name} = {argument(i)};");
            }

            WriteComplete(w, method, transaction);
            if (returnsOutcome)
            {
                w.Line($"return {outcome};");
            }
        }

        using (w.Block("finally"))
        {
            w.Line($"await {transaction}.DisposeAsync().ConfigureAwait(false); // rolls back unless completed");
        }
    }

    private static string Return(string outcome, bool returnsOutcome) => returnsOutcome ? $"return {outcome};" : "return;";

    private static void WriteEndpointOutcome(SourceWriter w)
    {
        w.Line("/// <summary>What a minimal-API handler's result says: failed (4xx/5xx), and the result inside <c>Results&lt;…&gt;</c>.</summary>");
        w.Line(GeneratedCode);
        using (w.Block("file static class ActivityLogEndpointOutcome"))
        {
            w.Line($"public static bool Failed({HttpNamespace}.HttpContext http, object? outcome) =>");
            w.Line($"    http.Response.StatusCode >= 400 || Unwrap(outcome) is {HttpNamespace}.IStatusCodeHttpResult {{ StatusCode: >= 400 }};");
            w.Line();
            using (w.Block("public static object? Unwrap(object? outcome)"))
            {
                using (w.Block($"while (outcome is {HttpNamespace}.INestedHttpResult nested)"))
                {
                    w.Line("outcome = nested.Result;");
                }

                w.Line();
                w.Line("return outcome;");
            }
        }
    }

    private static void WriteInterceptsLocationAttribute(SourceWriter w)
    {
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
    }

    /// <summary><c>create_task</c> → <c>CreateTask</c>: a piece of a generated type name.</summary>
    private static string Pascal(string action)
    {
        var name = new StringBuilder(action.Length);
        bool upper = true;
        foreach (char c in action)
        {
            if (!char.IsLetterOrDigit(c))
            {
                upper = true;
                continue;
            }

            name.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return name.Length == 0 || char.IsDigit(name[0]) ? "Logged" + name : name.ToString();
    }
}
