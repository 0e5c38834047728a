using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace AuditGen.Generators;

/// <summary>The interfaces a decorator is generated for: those with a member the use case implements with a logged method.</summary>
internal static partial class UseCaseParser
{
    private static EquatableArray<DecoratedInterfaceModel> FindInterfaces(INamedTypeSymbol type, List<LoggedMethod> logged)
    {
        var loggedIds = new Dictionary<IMethodSymbol, string>(SymbolEqualityComparer.Default);
        foreach (LoggedMethod method in logged)
        {
            loggedIds[method.Symbol] = method.Model.Id;
        }

        var found = new List<(INamedTypeSymbol Interface, Dictionary<ISymbol, string> LoggedMembers)>();
        foreach (INamedTypeSymbol itf in type.AllInterfaces)
        {
            var loggedMembers = new Dictionary<ISymbol, string>(SymbolEqualityComparer.Default);
            foreach (ISymbol member in itf.GetMembers())
            {
                if (member is IMethodSymbol { IsStatic: false } m &&
                    type.FindImplementationForInterfaceMember(m) is IMethodSymbol implementation &&
                    loggedIds.TryGetValue(implementation, out string? id))
                {
                    loggedMembers[m] = id;
                }
            }

            if (loggedMembers.Count > 0)
            {
                found.Add((itf, loggedMembers));
            }
        }

        var result = new List<DecoratedInterfaceModel>();
        foreach ((INamedTypeSymbol itf, Dictionary<ISymbol, string> loggedMembers) in found)
        {
            string decoratorName = found.Count == 1
                ? $"{type.Name}LoggingDecorator"
                : $"{type.Name}{Names.LettersAndDigits(itf.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat))}LoggingDecorator";
            var members = new List<InterfaceMemberModel>();
            foreach (INamedTypeSymbol declaring in new[] { itf }.Concat(itf.AllInterfaces))
            {
                foreach (ISymbol member in declaring.GetMembers())
                {
                    if (!member.IsStatic && (member.IsAbstract || member.IsVirtual) && MemberModel(declaring, member, loggedMembers) is { } model)
                    {
                        members.Add(model);
                    }
                }
            }

            result.Add(new DecoratedInterfaceModel(itf.ToDisplayString(TypeFormat), decoratorName, members.ToEquatableArray()));
        }

        return result.ToEquatableArray();
    }

    /// <summary>An interface member the decorator implements: logged methods call the use case's logged body, the rest forward.</summary>
    private static InterfaceMemberModel? MemberModel(INamedTypeSymbol declaring, ISymbol member, Dictionary<ISymbol, string> loggedMembers)
    {
        string declaringType = declaring.ToDisplayString(TypeFormat);
        return member switch
        {
            IMethodSymbol { MethodKind: MethodKind.Ordinary } m => new InterfaceMemberModel(MemberKind.Method,
                declaringType, Names.Identifier(m.Name), m.ReturnType.ToDisplayString(TypeFormat),
                m.TypeParameters.Length == 0 ? "" : $"<{string.Join(", ", m.TypeParameters.Select(t => Names.Identifier(t.Name)))}>",
                Parameters(m.Parameters), false, false, false,
                loggedMembers.TryGetValue(m, out string? id) ? id : null),
            IPropertySymbol p => new InterfaceMemberModel(p.IsIndexer ? MemberKind.Indexer : MemberKind.Property,
                declaringType, Names.Identifier(p.Name), p.Type.ToDisplayString(TypeFormat), "",
                Parameters(p.Parameters), p.GetMethod is not null, p.SetMethod is not null, p.SetMethod?.IsInitOnly == true, null),
            IEventSymbol e => new InterfaceMemberModel(MemberKind.Event,
                declaringType, Names.Identifier(e.Name), e.Type.ToDisplayString(TypeFormat), "",
                EquatableArray<ParameterModel>.Empty, false, false, false, null),
            _ => null,
        };
    }

    private static EquatableArray<ParameterModel> Parameters(IEnumerable<IParameterSymbol> parameters) =>
        parameters.Select(p => new ParameterModel(Names.Identifier(p.Name), p.Type.ToDisplayString(TypeFormat), Modifier(p))).ToEquatableArray();
}
