using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace AuditGen.Generators;

/// <summary>
/// Turns a use-case type into its <see cref="UseCaseModel"/>, reporting every rule it breaks through <c>report</c>.
/// Shared by the generator (which passes no reporter and skips what it cannot build) and the analyzers (which report),
/// so the two never disagree. One concern per file:
/// <list type="bullet">
/// <item>this file: the type and which of its methods are logged;</item>
/// <item><c>.Method.cs</c>: one logged method, field by field (<c>.Sources.cs</c> finds where each field comes from,
/// <c>.Shapes.cs</c> knows id and result shapes, <c>.Rules.cs</c> the text rules the runtime shares);</item>
/// <item><c>.Members.cs</c>: the use case's own log and actor-accessor members, and whether the class can take generated code;</item>
/// <item><c>.Interfaces.cs</c>: the interfaces to decorate;</item>
/// <item><c>.Interception.cs</c>: direct calls that interceptors replace.</item>
/// </list>
/// </summary>
internal static partial class UseCaseParser
{
    public static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>A logged method that parsed: its symbol, its model, and where its [LogsActivity] is (for diagnostics).</summary>
    private sealed record LoggedMethod(IMethodSymbol Symbol, LoggedMethodModel Model, Location? Location);

    public static UseCaseModel? ParseType(INamedTypeSymbol type, KnownTypes known, Action<Diagnostic>? report, CancellationToken cancellationToken,
        EntryPoints? entryPoints = null)
    {
        var logged = new List<LoggedMethod>();
        foreach ((IMethodSymbol method, AttributeData attribute) in FindLoggedMethods(type, known, report))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entryPoints is not null && IsLoggedByFilter(method, entryPoints))
            {
                continue; // a minimal-API handler, controller action or page handler: logged by its generated filter
            }

            if (entryPoints?.Messages.WhyNotDecorated(method) is { } whyNot)
            {
                report?.Invoke(Diagnostic.Create(Diagnostics.Unreachable, AttributeLocation(attribute) ?? method.Locations.FirstOrDefault(), method.Name, whyNot));
                continue;
            }

            if (ParseMethod(method, attribute, known, report) is { } model)
            {
                if (model.ActorExpression is null && entryPoints?.Messages.IsBusConsumer(method) == true)
                {
                    model = model with { ActorFromSystem = true }; // background work: never the user of some request
                }

                logged.Add(new LoggedMethod(method, model, AttributeLocation(attribute) ?? method.Locations.FirstOrDefault()));
            }
        }

        if (logged.Count == 0)
        {
            return null;
        }

        string? logMember = FindMember(type, known.Log, requirePartial: true);
        string? accessorMember = FindMember(type, known.Accessor, requirePartial: true);
        EquatableArray<DecoratedInterfaceModel> interfaces = FindInterfaces(type, logged);
        string? whyNotInterceptable = logMember is null ? WhyNotInterceptable(type, known) : null;

        // A logged method must be reachable: through a decorated interface, or by interception in a partial class.
        var reachable = new List<LoggedMethodModel>(logged.Count);
        foreach (LoggedMethod method in logged)
        {
            bool decorated = interfaces.Any(itf => itf.Members.Any(m => m.LoggedMethod == method.Model.Id));
            if (!decorated && whyNotInterceptable is not null)
            {
                report?.Invoke(Diagnostic.Create(Diagnostics.Unreachable, method.Location, method.Symbol.Name,
                    $"it implements no interface member, and {whyNotInterceptable}; implement an interface, or make the class partial with an IActivityLogRepo constructor parameter, field or property"));
            }
            else if (method.Model.ActorFromAccessor && !decorated && accessorMember is null)
            {
                report?.Invoke(Diagnostic.Create(Diagnostics.MissingActor, method.Location, method.Symbol.Name));
            }
            else
            {
                reachable.Add(method.Model);
            }
        }

        if (reachable.Count == 0)
        {
            return null;
        }

        return new UseCaseModel(
            type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString(),
            type.Name,
            type.ToDisplayString(TypeFormat),
            type.IsRecord ? "record" : "class",
            logMember,
            accessorMember,
            reachable.ToEquatableArray(),
            interfaces);
    }

    /// <summary>The methods marked [LogsActivity], and the use-case method of a class marked [LogsActivity].</summary>
    public static IEnumerable<(IMethodSymbol Method, AttributeData Attribute)> FindLoggedMethods(INamedTypeSymbol type, KnownTypes known, Action<Diagnostic>? report)
    {
        if (KnownTypes.FindAttribute(type, known.LogsActivity) is { } classAttribute &&
            FindClassUseCaseMethod(type, known, report) is { } classMethod &&
            !KnownTypes.HasAttribute(classMethod, known.LogsActivity))
        {
            yield return (classMethod, classAttribute);
        }

        foreach (ISymbol member in type.GetMembers())
        {
            if (member is IMethodSymbol method && KnownTypes.FindAttribute(method, known.LogsActivity) is { } attribute)
            {
                yield return (method, attribute);
            }
        }
    }

    /// <summary>The one public instance method returning a task of a class marked [LogsActivity].</summary>
    public static IMethodSymbol? FindClassUseCaseMethod(INamedTypeSymbol type, KnownTypes known, Action<Diagnostic>? report)
    {
        var candidates = type.GetMembers().OfType<IMethodSymbol>()
            .Where(m => m.MethodKind == MethodKind.Ordinary && !m.IsStatic && m.DeclaredAccessibility == Accessibility.Public &&
                        GetReturnKind(m.ReturnType, known, out _) is not null)
            .ToList();
        if (candidates.Count == 1)
        {
            return candidates[0];
        }

        Location? at = KnownTypes.FindAttribute(type, known.LogsActivity) is { } onClass ? AttributeLocation(onClass) : type.Locations.FirstOrDefault();
        report?.Invoke(Diagnostic.Create(Diagnostics.ClassUseCaseMethod, at, type.Name,
            candidates.Count == 0 ? "none" : string.Join(", ", candidates.Select(c => c.Name))));
        return null;
    }

    private static Location? AttributeLocation(AttributeData attribute) =>
        attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation();
}
