using System.Collections.Generic;
using System.Linq;

namespace AuditGen.Generators;

/// <summary>
/// Logged controller actions and Razor Pages handlers: a generated, typed filter per logged method, attached at startup by
/// an application-model convention that <c>AddLoggedUseCases()</c> registers (<c>IPostConfigureOptions&lt;MvcOptions&gt;</c>,
/// <c>IPostConfigureOptions&lt;RazorPagesOptions&gt;</c>: after every <c>Configure</c>, since <c>AddRazorPages()</c> replaces
/// the page conventions when it configures its options, and an application may call it after <c>AddLoggedUseCases()</c>).
/// Arguments are read from the action's bound arguments by name.
/// </summary>
internal static partial class Emitter
{
    private const string Mvc = "global::Microsoft.AspNetCore.Mvc";

    /// <summary>The filters of the logged actions and page handlers, the conventions that attach them, and their registration.</summary>
    public static string Actions(IReadOnlyList<LoggedActionModel> actions)
    {
        SourceWriter w = Header();
        bool controllers = actions.Any(a => !a.IsPage), pages = actions.Any(a => a.IsPage);
        using (w.Block($"namespace {GeneratedNamespace}"))
        {
            w.Line("/// <summary>Attaches the generated filters to the logged controller actions and Razor Pages handlers; <c>AddLoggedUseCases()</c> calls it.</summary>");
            w.Line(GeneratedCode);
            using (w.Block("internal static class LoggedActionFilters"))
            {
                using (w.Block("public static void AddTo(global::Microsoft.Extensions.DependencyInjection.IServiceCollection services)"))
                {
                    const string TryAdd = "global::Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions.TryAddEnumerable";
                    const string Singleton = "global::Microsoft.Extensions.DependencyInjection.ServiceDescriptor.Singleton";
                    if (controllers)
                    {
                        w.Line($"{TryAdd}(services, {Singleton}<global::Microsoft.Extensions.Options.IPostConfigureOptions<{Mvc}.MvcOptions>, LoggedControllerActions>());");
                    }

                    if (pages)
                    {
                        w.Line($"{TryAdd}(services, {Singleton}<global::Microsoft.Extensions.Options.IPostConfigureOptions<{Mvc}.RazorPages.RazorPagesOptions>, LoggedPageHandlers>());");
                    }
                }

                w.Line();
                w.Line("/// <summary>Whether <paramref name=\"method\"/> is the logged method: its type, name and parameter types (at startup only).</summary>");
                w.Line("public static bool Is(global::System.Reflection.MethodInfo method, global::System.Type type, string name, params global::System.Type[] parameters) =>");
                w.Line("    method.DeclaringType == type && method.Name == name &&");
                w.Line("    global::System.Linq.Enumerable.SequenceEqual(global::System.Linq.Enumerable.Select(method.GetParameters(), p => p.ParameterType), parameters);");
            }

            var names = new List<string>(actions.Count);
            for (int i = 0; i < actions.Count; i++)
            {
                names.Add($"{Pascal(actions[i].Handler.Method.Action)}{(actions[i].IsPage ? "Page" : "Action")}Filter{i}");
            }

            if (controllers)
            {
                w.Line();
                w.Line("/// <summary>Adds each logged action's filter to that action, once, when MVC builds its application model.</summary>");
                w.Line(GeneratedCode);
                using (w.Block($"file sealed class LoggedControllerActions : global::Microsoft.Extensions.Options.IPostConfigureOptions<{Mvc}.MvcOptions>, {Mvc}.ApplicationModels.IApplicationModelConvention"))
                {
                    w.Line($"public void PostConfigure(string? name, {Mvc}.MvcOptions options) => options.Conventions.Add(this);");
                    w.Line();
                    using (w.Block($"public void Apply({Mvc}.ApplicationModels.ApplicationModel application)"))
                    using (w.Block($"foreach ({Mvc}.ApplicationModels.ControllerModel controller in application.Controllers)"))
                    using (w.Block($"foreach ({Mvc}.ApplicationModels.ActionModel action in controller.Actions)"))
                    {
                        for (int i = 0; i < actions.Count; i++)
                        {
                            if (!actions[i].IsPage)
                            {
                                w.Line($"if ({MatchCall("action.ActionMethod", actions[i])}) action.Filters.Add(new {names[i]}());");
                            }
                        }
                    }
                }
            }

            if (pages)
            {
                w.Line();
                w.Line("/// <summary>Adds each logged handler's filter to its page, once, when Razor Pages builds the page's model.</summary>");
                w.Line(GeneratedCode);
                using (w.Block($"file sealed class LoggedPageHandlers : global::Microsoft.Extensions.Options.IPostConfigureOptions<{Mvc}.RazorPages.RazorPagesOptions>, {Mvc}.ApplicationModels.IPageApplicationModelConvention"))
                {
                    w.Line($"public void PostConfigure(string? name, {Mvc}.RazorPages.RazorPagesOptions options) => options.Conventions.Add(this);");
                    w.Line();
                    using (w.Block($"public void Apply({Mvc}.ApplicationModels.PageApplicationModel page)"))
                    using (w.Block($"foreach ({Mvc}.ApplicationModels.PageHandlerModel handler in page.HandlerMethods)"))
                    {
                        for (int i = 0; i < actions.Count; i++)
                        {
                            if (actions[i].IsPage)
                            {
                                w.Line($"if ({MatchCall("handler.MethodInfo", actions[i])}) page.Filters.Add(new {names[i]}(handler.MethodInfo));");
                            }
                        }
                    }
                }
            }

            for (int i = 0; i < actions.Count; i++)
            {
                w.Line();
                WriteActionFilter(w, names[i], actions[i]);
            }

            w.Line();
            WriteActionOutcome(w);
        }

        return w.ToString();
    }

    private static string MatchCall(string method, LoggedActionModel action) =>
        $"LoggedActionFilters.Is({method}, typeof({action.ContainingType}), {Literal(action.MethodName)}{string.Concat(action.ParameterTypes.Select(t => $", typeof({t})"))})";

    private static void WriteActionFilter(SourceWriter w, string name, LoggedActionModel action)
    {
        EntryPointMethodModel handler = action.Handler;
        LoggedMethodModel method = handler.Method;
        var taken = new HashSet<string>(method.Parameters.Select(p => p.Name), System.StringComparer.Ordinal) { "actorId", method.Locals.Result };
        string executing = Names.Unique("executing", taken), next = Names.Unique("next", taken), http = Names.Unique("http", taken);
        string outcome = Names.Unique("executed", taken), log = Names.Unique("log", taken), transaction = method.Locals.Transaction;
        string filters = $"{Mvc}.Filters";
        string arguments = action.IsPage ? $"{executing}.HandlerArguments" : $"{executing}.ActionArguments";

        w.Line($"/// <summary>Records <c>{Xml(method.Action)}</c> when <c>{Xml(action.ContainingType.Replace("global::", ""))}.{action.MethodName}</c> succeeds; nothing on a 4xx/5xx result, invalid model state or an exception.</summary>");
        w.Line(GeneratedCode);
        if (action.IsPage)
        {
            using (w.Block($"file sealed class {name}(global::System.Reflection.MethodInfo handler) : {filters}.IAsyncPageFilter"))
            {
                w.Line($"public global::System.Threading.Tasks.Task OnPageHandlerSelectionAsync({filters}.PageHandlerSelectedContext context) => global::System.Threading.Tasks.Task.CompletedTask;");
                w.Line();
                using (w.Block($"public async global::System.Threading.Tasks.Task OnPageHandlerExecutionAsync({filters}.PageHandlerExecutingContext {executing}, {filters}.PageHandlerExecutionDelegate {next})"))
                {
                    using (w.Block($"if ({executing}.HandlerMethod?.MethodInfo != handler)"))
                    {
                        w.Line($"await {next}().ConfigureAwait(false); // another handler of the page");
                        w.Line("return;");
                    }

                    w.Line();
                    WriteActionBody(w, handler, executing, next, http, log, transaction, outcome, arguments);
                }
            }
        }
        else
        {
            using (w.Block($"file sealed class {name} : {filters}.IAsyncActionFilter"))
            using (w.Block($"public async global::System.Threading.Tasks.Task OnActionExecutionAsync({filters}.ActionExecutingContext {executing}, {filters}.ActionExecutionDelegate {next})"))
            {
                WriteActionBody(w, handler, executing, next, http, log, transaction, outcome, arguments);
            }
        }
    }

    private static void WriteActionBody(SourceWriter w, EntryPointMethodModel handler, string executing, string next, string http, string log,
        string transaction, string outcome, string arguments)
    {
        w.Line($"{HttpNamespace}.HttpContext {http} = {executing}.HttpContext;");
        WriteEntryPointBody(w, handler, http, log, transaction, outcome, $"await {next}().ConfigureAwait(false)", "var",
            failed: $"ActivityLogActionOutcome.Failed({outcome}.HttpContext, {outcome}.ModelState, {outcome}.Result, {outcome}.Exception, {outcome}.Canceled)",
            value: handler.ValueKind == ResultValueKind.ActionValue
                ? $"{outcome}.Result is not {Mvc}.ObjectResult {{ Value: {handler.ValueType} {handler.Method.Locals.Result} }}"
                : null,
            argument: i => $"ActivityLogActionOutcome.Argument<{handler.Method.Parameters[i].Type}>({arguments}, {Literal(handler.Method.Parameters[i].Name.TrimStart('@'))})",
            returnsOutcome: false);
    }

    private static void WriteActionOutcome(SourceWriter w)
    {
        w.Line("/// <summary>What an action's or page handler's outcome says: failed (an exception, invalid model state, 4xx/5xx), and its bound arguments.</summary>");
        w.Line(GeneratedCode);
        using (w.Block("file static class ActivityLogActionOutcome"))
        {
            w.Line($"public static bool Failed({HttpNamespace}.HttpContext http, {Mvc}.ModelBinding.ModelStateDictionary modelState, {Mvc}.IActionResult? result, global::System.Exception? exception, bool canceled) =>");
            w.Line("    exception is not null || canceled || !modelState.IsValid || http.Response.StatusCode >= 400 ||");
            w.Line($"    result is {Mvc}.Infrastructure.IStatusCodeActionResult {{ StatusCode: >= 400 }};");
            w.Line();
            w.Line("public static T Argument<T>(global::System.Collections.Generic.IDictionary<string, object?> arguments, string name) =>");
            w.Line("    arguments.TryGetValue(name, out object? value) && value is T typed ? typed : default!;");
        }
    }
}
