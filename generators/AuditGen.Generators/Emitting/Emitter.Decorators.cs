using System.Linq;

namespace AuditGen.Generators;

/// <summary>
/// Use cases: the partial class through which interceptors reach the log (<c>ILoggedUseCase</c>), and a decorator per
/// decorated interface that logs the logged methods and forwards every other member.
/// </summary>
internal static partial class Emitter
{
    /// <summary>The partial class (how interceptors reach the log) and the decorators of one use case.</summary>
    public static string UseCase(UseCaseModel useCase)
    {
        SourceWriter w = Header();
        using (useCase.Namespace.Length == 0 ? null : w.Block($"namespace {useCase.Namespace}"))
        {
            bool first = true;
            if (useCase.CanIntercept)
            {
                WriteLogAccess(w, useCase);
                first = false;
            }

            foreach (DecoratedInterfaceModel itf in useCase.Interfaces)
            {
                if (!first)
                {
                    w.Line();
                }

                WriteDecorator(w, useCase, itf);
                first = false;
            }
        }

        return w.ToString();
    }

    private static void WriteLogAccess(SourceWriter w, UseCaseModel useCase)
    {
        w.Line($"partial {useCase.Keyword} {useCase.Name} : global::AuditGen.ILoggedUseCase");
        w.Line("{");
        w.Line($"    {Log} global::AuditGen.ILoggedUseCase.ActivityLog => {useCase.LogMember};");
        w.Line();
        w.Line($"    {Accessor}? global::AuditGen.ILoggedUseCase.ActorAccessor => {useCase.ActorAccessorMember ?? "null"};");
        w.Line("}");
    }

    private static void WriteDecorator(SourceWriter w, UseCaseModel useCase, DecoratedInterfaceModel itf)
    {
        bool needsAccessor = useCase.Methods.Any(m => m.ActorFromAccessor && itf.Members.Any(x => x.LoggedMethod == m.Id));
        w.Line("/// <summary>");
        w.Line($"/// Appends an activity record after each logged method of <see cref=\"{Cref(useCase.FullyQualifiedName)}\"/> completes;");
        w.Line("/// forwards every other member. Registered by <c>AddLoggedUseCases()</c>.");
        w.Line("/// </summary>");
        w.Line(GeneratedCode);
        using (w.Block($"internal sealed class {itf.DecoratorName} : {itf.FullyQualifiedName}"))
        {
            w.Line($"private readonly {itf.FullyQualifiedName} _inner;");
            w.Line($"private readonly {Log} _log;");
            if (needsAccessor)
            {
                w.Line($"private readonly {Accessor} _actorAccessor;");
            }

            w.Line();
            string accessorParameter = needsAccessor ? $", {Accessor} actorAccessor" : "";
            using (w.Block($"public {itf.DecoratorName}({itf.FullyQualifiedName} inner, {Log} log{accessorParameter})"))
            {
                w.Line("_inner = inner;");
                w.Line("_log = log;");
                if (needsAccessor)
                {
                    w.Line("_actorAccessor = actorAccessor;");
                }
            }

            foreach (InterfaceMemberModel member in itf.Members)
            {
                w.Line();
                LoggedMethodModel? logged = member.LoggedMethod is null ? null : useCase.Methods.FirstOrDefault(m => m.Id == member.LoggedMethod);
                if (logged is not null)
                {
                    WriteLoggedMethod(w, logged, $"{member.DeclaringInterface}.{member.Name}");
                }
                else
                {
                    WriteForwarder(w, member);
                }
            }
        }
    }

    private static void WriteForwarder(SourceWriter w, InterfaceMemberModel member)
    {
        string name = $"{member.DeclaringInterface}.{member.Name}";
        switch (member.Kind)
        {
            case MemberKind.Method:
                string call = $"_inner.{member.Name}{member.TypeParameters}({Arguments(member.Parameters)})";
                w.Line($"{member.Type} {name}{member.TypeParameters}({Parameters(member.Parameters)}) => {call};");
                break;
            case MemberKind.Property:
            case MemberKind.Indexer:
                string target = member.Kind == MemberKind.Indexer ? $"_inner[{Arguments(member.Parameters)}]" : $"_inner.{member.Name}";
                string declared = member.Kind == MemberKind.Indexer ? $"{member.DeclaringInterface}.this[{Parameters(member.Parameters)}]" : name;
                using (w.Block($"{member.Type} {declared}"))
                {
                    if (member.HasGetter)
                    {
                        w.Line($"get => {target};");
                    }

                    if (member.HasSetter)
                    {
                        w.Line($"{(member.SetterIsInit ? "init" : "set")} => {target} = value;");
                    }
                }

                break;
            case MemberKind.Event:
                using (w.Block($"event {member.Type} {name}"))
                {
                    w.Line($"add => _inner.{member.Name} += value;");
                    w.Line($"remove => _inner.{member.Name} -= value;");
                }

                break;
        }
    }

    private static void WriteLoggedMethod(SourceWriter w, LoggedMethodModel method, string declaration)
    {
        using (w.Block($"async {ReturnType(method)} {declaration}({Parameters(method.Parameters)})"))
        {
            WriteLoggedBody(w, method, target: "_inner", log: "_log", accessor: "_actorAccessor");
        }
    }
}
